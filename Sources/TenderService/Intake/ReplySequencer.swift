/// The replies of one intake connection, released in the order of the lines they answer.
///
/// Lines get their ordinal as they arrive (1, 2, 3, … counting every line, blank ones too, so
/// the ordinal is the line number on the connection). A reply may be ready at once (a parse error,
/// "overloaded") or only after the store made the incident durable; either way nothing is released
/// before the replies of every earlier line, so an error never overtakes an acknowledgement still
/// waiting for the disk. Pure: no I/O, tested directly.
struct ReplySequencer {
    /// Ordinal the next received line gets.
    private(set) var nextLine = 1
    /// Ordinal whose reply is released next.
    private var nextToRelease = 1
    /// Replies ready but held behind an earlier line; nil for lines that get no reply (blank).
    private var ready: [Int: String?] = [:]

    /// Give the next received line its ordinal.
    mutating func receive() -> Int {
        defer { nextLine += 1 }
        return nextLine
    }

    /// Lines received whose replies have not been released yet.
    var awaiting: Int { nextLine - nextToRelease }

    /// Record the reply to line `ordinal` (nil: the line needs none) and return every reply that
    /// may now be sent, in line order.
    mutating func reply(_ text: String?, to ordinal: Int) -> [String] {
        guard ordinal >= nextToRelease, ordinal < nextLine, ready[ordinal] == nil else { return [] }
        ready[ordinal] = .some(text)
        var released: [String] = []
        while let entry = ready.removeValue(forKey: nextToRelease) {
            if let text = entry { released.append(text) }
            nextToRelease += 1
        }
        return released
    }
}
