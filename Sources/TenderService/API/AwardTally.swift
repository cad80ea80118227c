import TenderCore

/// Awards per specialist and category since start, and those within a recent window: what
/// `/v1/fairness` and the dashboard's allocation matrix are computed from. Pure, clock given.
struct AwardTally {
    let windowSeconds: Double
    private(set) var wins: [String: PerCategory<Int>] = [:]
    /// Recent awards, oldest first; trimmed to the window as it is read or grows.
    private var recent: [(at: Double, name: String, category: IncidentCategory)] = []
    private var recentStart = 0

    init(windowSeconds: Double) { self.windowSeconds = windowSeconds }

    mutating func record(_ name: String, _ category: IncidentCategory, at time: Double) {
        wins[name, default: PerCategory(repeating: 0)][category] += 1
        recent.append((time, name, category))
        trim(now: time)
    }

    func total(_ name: String) -> Int {
        guard let perCategory = wins[name] else { return 0 }
        return IncidentCategory.allCases.reduce(0) { $0 + perCategory[$1] }
    }

    func windowWins(_ name: String, now: Double) -> PerCategory<Int> {
        var counts = PerCategory<Int>(repeating: 0)
        for entry in recent[recentStart...] where entry.name == name && entry.at > now - windowSeconds { counts[entry.category] += 1 }
        return counts
    }

    private mutating func trim(now: Double) {
        while recentStart < recent.count, recent[recentStart].at <= now - windowSeconds { recentStart += 1 }
        // Compact once the dead prefix is half the buffer, so memory follows the window.
        if recentStart > 1024, recentStart * 2 > recent.count {
            recent.removeFirst(recentStart)
            recentStart = 0
        }
    }
}
