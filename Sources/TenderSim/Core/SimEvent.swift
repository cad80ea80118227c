import TenderCore

/// Everything that can happen in a simulated storm apart from messages (`SimMessage`), which
/// travel through FIFOs instead of the agenda. Kept free of references (no strings, no classes)
/// and small, so scheduling one copies a few words and touches no reference counts.
enum SimEvent {
    /// The next arrival of arrival stream `stream` is due.
    case arrival(stream: Int32)
    /// A cascade follow-up arrives.
    case followUp(IncidentCategory, Severity, depth: UInt8)
    /// A timer the engine armed comes due.
    case timer(EngineTimer)
    /// A specialist finished its task for `ref` and reports (its plan, or a failure).
    case workDone(AuctionRef, SpecialistID, OutcomeKind)
    /// The executor finished the plan for `ref`: applied, or rolled back.
    case executed(AuctionRef, SpecialistID, applied: Bool)
    /// A specialist joins, leaves, crashes or comes back.
    case pool(SpecialistID, PoolChange)
    /// Take a sample for the time series (load, fairness).
    case sample
    /// The warm-up has ended: start the metrics afresh.
    case warmupEnded

    /// Same-time ordering: messages (priority 0, delivered from their FIFOs ahead of any agenda
    /// event due at the same time) before completions before timers before pool changes before
    /// arrivals. A completion at the very instant of its commitment deadline therefore counts.
    var priority: UInt8 {
        switch self {
        case .workDone, .executed: 1
        case .timer: 2
        case .pool: 3
        case .warmupEnded: 4
        case .arrival, .followUp: 5
        case .sample: 6
        }
    }
}

/// A message in flight between the coordinator's engine and a simulated specialist.
///
/// Messages take a fixed latency, so they are due in the order they are sent: a FIFO holds them
/// in exactly the order the agenda would give (time, then top priority, then sequence) without
/// sifting, and keeps the agenda's entries small.
enum SimMessage {
    /// A message reaches the coordinator's engine.
    case toEngine(EngineMessage)
    /// A message reaches a simulated specialist.
    case toSpecialist(SpecialistMessage)
}

/// A message sent with latency, and when it is due.
struct DelayedMessage {
    var time: Double
    var message: SimMessage
}

/// Coordinator-bound messages: a specialist's answer to a CFP, or its report on a task.
enum EngineMessage {
    case proposal(AuctionRef, SpecialistID, Bid)
    case refusal(AuctionRef, SpecialistID, RefusalReason)
    case outcome(AuctionRef, SpecialistID, OutcomeKind)
}

/// Specialist-bound messages from the coordinator.
enum SpecialistMessage {
    case cfp(AuctionRef, SpecialistID)
    case accept(AuctionRef, SpecialistID)
    case cancel(AuctionRef, SpecialistID)
    case reject(AuctionRef, SpecialistID)
}

/// A change in the pool's membership.
enum PoolChange: UInt8 {
    case join, leave, crash, rejoin
}
