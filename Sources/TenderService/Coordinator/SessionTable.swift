/// The coordinator's specialist connections as pure state: which are still in the handshake,
/// which are live sessions under which name, when each was last heard, and what the periodic
/// sweep must do about them. Times are seconds on the caller's clock (monotonic in the live
/// coordinator, a manual clock in tests); no sockets, no timers.
///
/// Names: a specialist's name is its identity across reconnects (fairness, logs), so at most one
/// live session holds a name. When a second session establishes with a name already live, the
/// newer one wins and the older is closed: the common case is a restarted specialist reconnecting
/// before its old socket timed out, and refusing it would leave the pool short until then.
/// `Token` is the shell's handle for a connection.
struct SessionTable<Token: Hashable> {
    struct Entry {
        let openedAt: Double
        var lastHeard: Double
        /// Nil while the handshake is under way.
        var name: String?
    }

    let heartbeatTimeout: Double
    let handshakeTimeout: Double
    private(set) var entries: [Token: Entry] = [:]
    private var byName: [String: Token] = [:]

    init(heartbeatTimeout: Double, handshakeTimeout: Double) {
        self.heartbeatTimeout = heartbeatTimeout
        self.handshakeTimeout = handshakeTimeout
    }

    /// Connections open, live or handshaking.
    var count: Int { entries.count }
    /// Connections still in the handshake.
    var handshaking: Int { entries.count - byName.count }
    /// The live session holding `name`.
    func session(named name: String) -> Token? { byName[name] }

    mutating func opened(_ token: Token, at now: Double) {
        entries[token] = Entry(openedAt: now, lastHeard: now)
    }

    /// Any frame counts as a sign of life.
    mutating func heard(_ token: Token, at now: Double) {
        entries[token]?.lastHeard = now
    }

    /// The handshake of `token` succeeded under `name`. Returns the older session that held the
    /// name, which the shell must close (its work is re-auctioned); nil if the name was free.
    mutating func established(_ token: Token, name: String, at now: Double) -> Token? {
        guard entries[token] != nil else { return nil }
        entries[token]?.name = name
        entries[token]?.lastHeard = now
        let previous = byName[name]
        byName[name] = token
        guard let previous, previous != token else { return nil }
        entries[previous]?.name = nil
        entries[previous] = nil
        return previous
    }

    /// The connection is gone; returns its entry if the table still had it.
    @discardableResult
    mutating func closed(_ token: Token) -> Entry? {
        guard let entry = entries.removeValue(forKey: token) else { return nil }
        if let name = entry.name, byName[name] == token { byName[name] = nil }
        return entry
    }

    /// What the periodic sweep does with one connection.
    enum SweepAction: Hashable {
        /// Still in the handshake past `handshakeTimeout`: close.
        case handshakeTimeout(Token)
        /// Live, but nothing heard for `heartbeatTimeout`: close, and re-auction its work.
        case heartbeatTimeout(Token)
        /// Live and well: send it a heartbeat.
        case heartbeat(Token)
    }

    /// Decide, at `now`, what each connection needs. Closing is the shell's job; the entries of
    /// timed-out connections stay until it reports them `closed`.
    func sweep(at now: Double) -> [SweepAction] {
        entries.map { token, entry -> SweepAction? in
            if entry.name == nil {
                return now - entry.openedAt > handshakeTimeout ? .handshakeTimeout(token) : nil
            }
            return now - entry.lastHeard > heartbeatTimeout ? .heartbeatTimeout(token) : .heartbeat(token)
        }.compactMap { $0 }
    }
}
