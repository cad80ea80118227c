import TenderCore

/// Awards per specialist and category since start, and those within a recent window: what
/// `/v1/fairness` and the dashboard's allocation matrix are computed from. Pure, clock given.
///
/// The window's counts are kept up to date as awards enter and leave it, so reading them costs
/// one lookup, not a walk over every award of the window (hundreds of thousands in a storm, on
/// the loop, for each dashboard poll).
struct AwardTally {
    let windowSeconds: Double
    private(set) var wins: [String: PerCategory<Int>] = [:]
    /// Awards within the window, per specialist and category.
    private var windowCounts: [String: PerCategory<Int>] = [:]
    /// Recent awards, oldest first; those before `recentStart` have left the window.
    private var recent: [(at: Double, name: String, category: IncidentCategory)] = []
    private var recentStart = 0

    init(windowSeconds: Double) { self.windowSeconds = windowSeconds }

    mutating func record(_ name: String, _ category: IncidentCategory, at time: Double) {
        wins[name, default: PerCategory(repeating: 0)][category] += 1
        windowCounts[name, default: PerCategory(repeating: 0)][category] += 1
        recent.append((time, name, category))
        trim(now: time)
    }

    func total(_ name: String) -> Int {
        guard let perCategory = wins[name] else { return 0 }
        return IncidentCategory.allCases.reduce(0) { $0 + perCategory[$1] }
    }

    /// Awards to `name` within the window ending `now`.
    mutating func windowWins(_ name: String, now: Double) -> PerCategory<Int> {
        trim(now: now)
        return windowCounts[name] ?? PerCategory(repeating: 0)
    }

    /// Move awards older than the window out of it.
    private mutating func trim(now: Double) {
        while recentStart < recent.count, recent[recentStart].at <= now - windowSeconds {
            let leaving = recent[recentStart]
            windowCounts[leaving.name]?[leaving.category] -= 1
            recentStart += 1
        }
        // Compact once the dead prefix is half the buffer, so memory follows the window.
        if recentStart > 1024, recentStart * 2 > recent.count {
            recent.removeFirst(recentStart)
            recentStart = 0
        }
    }
}
