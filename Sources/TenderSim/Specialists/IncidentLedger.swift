import TenderCore

/// What the simulator remembers of an incident while it is open: when it arrived, when it was
/// first awarded, and the task in progress for it.
struct IncidentState {
    var id: IncidentID
    var category: IncidentCategory
    var severity: Severity
    var arrivedAt: Double
    var slaDeadline: Double
    /// First award; negative until then.
    var awardedAt = -1.0
    /// Arrived after the warm-up, so it counts in the metrics.
    var measured: Bool
    var depth: UInt8
    /// The specialist working on it (its index) and for which round, or -1.
    var taskSpecialist: Int32 = -1
    var taskRound: UInt32 = 0
    var taskStart = 0.0
    /// Specialists the latest round's call went to (what each bidder's observation says).
    var invited: Int32 = 0
    /// Attempts started: each draws from `seed + attempt`, so retries get fresh draws.
    var attempts: UInt64 = 0
    var seed: UInt64
    /// The engine concluded it; the slot is freed once no task for it is in progress.
    var concluded = false
    /// The plan drawn for attempt `plannedAttempt` by specialist `plannedBy` (-1: none) when its
    /// commitment timer was checked for staleness, kept so starting the task does not draw it
    /// again. The draw is a pure function of incident, attempt and specialist, so this changes
    /// no result.
    var plannedBy: Int32 = -1
    var plannedAttempt: UInt64 = 0
    var plannedDuration = 0.0
    var plannedApplied = true
    var plannedRollback = 0.0
    /// How the execution of the current attempt's plan will end, drawn when the attempt starts.
    var executionApplied = true
    var executionTime = 0.0

    /// Remember the plan drawn for the coming attempt by specialist `index` (one store into the
    /// slab rather than four).
    @inline(__always)
    mutating func remember(_ plan: TaskPlan, by index: Int) {
        plannedBy = Int32(index)
        plannedAttempt = attempts
        plannedDuration = plan.duration
        plannedApplied = plan.applied
        plannedRollback = plan.execution
    }

    /// Specialist `index` starts the next attempt, for `round`.
    @inline(__always)
    mutating func startAttempt(by index: Int, round: UInt32, at now: Double) {
        attempts &+= 1
        taskSpecialist = Int32(index)
        taskRound = round
        taskStart = now
    }
}

/// A slab of incident states. An incident's id carries its slot in the low 32 bits (and a serial
/// number above), so finding an incident from a message is an array index, not a hash lookup.
struct IncidentLedger {
    private(set) var states: [IncidentState] = []
    private var free: [Int] = []
    private var serial: UInt64 = 0
    private(set) var live = 0

    @inline(__always)
    static func slot(of id: IncidentID) -> Int { Int(truncatingIfNeeded: id.rawValue & 0xFFFF_FFFF) }

    mutating func open(
        _ category: IncidentCategory, _ severity: Severity, at now: Double, measured: Bool, depth: UInt8, seed: UInt64
    ) -> Int {
        serial &+= 1
        let slot: Int
        if let reused = free.last {
            free.removeLast()
            slot = reused
        } else {
            slot = states.count
        }
        let id = IncidentID(serial << 32 | UInt64(slot))
        let state = IncidentState(
            id: id, category: category, severity: severity, arrivedAt: now,
            slaDeadline: now + severity.defaultSLASeconds, measured: measured, depth: depth, seed: seed
        )
        if slot == states.count { states.append(state) } else { states[slot] = state }
        live += 1
        return slot
    }

    /// The slot of `id` if that incident is still in the ledger.
    @inline(__always)
    func find(_ id: IncidentID) -> Int? {
        let slot = Self.slot(of: id)
        return slot < states.count && states[slot].id == id ? slot : nil
    }

    @inline(__always)
    subscript(slot: Int) -> IncidentState {
        get { states[slot] }
        _modify { yield &states[slot] }
    }

    /// Free the slot if the incident is concluded and nobody is working on it.
    mutating func releaseIfDone(_ slot: Int) {
        guard states[slot].concluded, states[slot].taskSpecialist < 0 else { return }
        states[slot].id = IncidentID(UInt64.max)
        free.append(slot)
        live -= 1
    }
}
