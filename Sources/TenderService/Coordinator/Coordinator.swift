import Foundation
import Logging
import TenderCore
import TenderUV
import TenderWire

/// The live coordinator: drives the contract-net engine (`Auctioneer`) from a libuv loop.
///
/// It decides nothing about auctions itself. Events come in (an incident durable in the store, a
/// frame from a specialist, a timer, a lost connection), go to the engine with the current
/// monotonic instant, and the engine's actions go out (frames, timers, records). Everything runs
/// on the loop thread, so the engine and the tables here need no locks.
public final class Coordinator {
    public let config: CoordinatorConfig
    let loop: EventLoop
    let store: IncidentStore
    let logger: Logger
    let key: PreSharedKey

    var engine: Auctioneer
    private var actions: [EngineAction] = []
    private var queuedEvents: [EngineEvent] = []
    private var handling = false
    let epoch = EventLoop.monotonicSeconds()
    var timers: EngineTimerQueue!

    /// Sessions by engine id; handshaking ones only in `connections`.
    var sessions: [SpecialistSession?] = []
    var connections: [ObjectIdentifier: SpecialistSession] = [:]
    /// Handshakes, names and liveness of the connections in `connections`.
    var sessionTable: SessionTable<ObjectIdentifier>
    var connectionLimitNotice = RateLimitedNotice()
    var freeIDs: [UInt32] = []
    var fairnessSlots: [String: Int] = [:]
    var server: TCPServer?
    var sweepTimer: LoopTimer?

    /// Incidents accepted and not concluded, with what the live side tracks about each.
    var live: [IncidentID: LiveIncident] = [:]
    var awaitingStore = 0
    /// Incidents read back from the store at start, not yet announced.
    var recoveredIncidents: [IncidentID] = []
    var nextIncident: UInt64 = 1
    /// A CFP encoded once per round and sent to every invitee.
    var cfpCache: (ref: AuctionRef, frame: [UInt8])?
    /// How many specialists the round being announced invites, told in its CFP (the engine
    /// reports it just before the round's invitations).
    var announcedInvited = 0

    public internal(set) var stats = CoordinatorStats()
    /// How many incidents may be in flight; adapted to CFP→award latency as awards come in.
    public internal(set) var admission: AdmissionLimit
    /// Observers of every conclusion (watchers, progress lines, the summary).
    var conclusionObservers: [(ConclusionEvent) -> Void] = []
    public func observeConclusions(_ observer: @escaping (ConclusionEvent) -> Void) { conclusionObservers.append(observer) }
    public var onStopped: ((CoordinatorSummary) -> Void)?
    /// Watchers of every engine event and action (the HTTP API's metrics and `/events`).
    var eventObservers: [(EngineEvent) -> Void] = [], actionObservers: [(EngineAction) -> Void] = []
    /// Called when a specialist session opens or closes (for readiness and progress).
    public var onPoolChanged: ((Int) -> Void)?

    var intakeSources: [IntakeSource] = []
    public private(set) var draining = false
    private var drainTimer: LoopTimer?
    private var drainStarted = 0.0
    private var forceStop = false

    struct LiveIncident {
        var incident: Incident
        var announcedAt: UInt64 = 0
        var plan: RemediationPlan?
        /// The specialist whose plan is being (or was) executed.
        var executedBy: String?
        /// Who cancelled it and why, while the cancel is being carried out (for the executor's audit).
        var cancelRequest: (by: String, reason: String)?
    }

    /// Executes winning plans (validation, step log, approvals, rollback, pages); nil: a plan's
    /// arrival resolves its incident (the coordinator benchmark).
    public internal(set) var planExecutor: PlanExecutor?
    /// The system of record with `--db` (auctions, bids, awards, sessions besides incidents).
    var recordStore: CoordinatorStore?
    /// The round being announced, written once its invitations are all known.
    var announcing: (ref: AuctionRef, invited: [String], replyBy: Instant?)?
    /// Each incident's current round and its reply deadline, to mark late bids.
    var auctionDeadlines: [IncidentID: (round: UInt32, replyBy: Instant)] = [:]
    var nextSessionRecord: Int64 = 0
    /// Incidents whose execution a restart interrupted: held back from re-auction until the
    /// runner finished it.
    var heldForRecovery: Set<IncidentID> = []
    /// After a restart, until the first specialist joins or the grace period ends: incidents to
    /// re-auction wait in `recoveredIncidents` instead of being announced to nobody.
    var awaitingPool = false

    public init(config: CoordinatorConfig, loop: EventLoop, store: IncidentStore, key: PreSharedKey, logger: Logger, planExecutor: PlanExecutor? = nil) throws {
        var config = config
        // A plan counts as remediation only once applied, when there is an executor to apply it.
        if planExecutor != nil { config.engine.executesPlans = true }
        self.planExecutor = planExecutor
        recordStore = store as? CoordinatorStore
        if recordStore != nil {
            // The system of record keeps each award's explanation and the track record.
            config.engine.explainsAwards = true
            config.engine.reputation.journalsChanges = true
        }
        self.config = config
        self.loop = loop
        self.store = store
        self.key = key
        self.logger = logger
        engine = Auctioneer(config: config.engine)
        admission = AdmissionLimit(settings: config.admission)
        sessionTable = SessionTable(heartbeatTimeout: config.heartbeatTimeout, handshakeTimeout: config.handshakeTimeout)
        timers = try EngineTimerQueue(loop: loop, clock: { [unowned self] in self.now() }) { [unowned self] timer in
            self.handle(.timerFired(timer))
        }
        try restoreTrackRecord()
    }

    /// Engine time: monotonic seconds since this coordinator started.
    func now() -> Instant { Instant(seconds: EventLoop.monotonicSeconds() - epoch) }

    /// Listen for specialists and re-auction whatever the store holds unfinished.
    public func start() throws {
        let server = try TCPServer(loop: loop, host: config.specialistHost, port: config.specialistPort) { [unowned self] stream in
            self.accept(stream)
        }
        server.onAcceptError = { [logger] error in logger.warning("accept failed", metadata: ["error": "\(error)"]) }
        self.server = server
        let sweep = try LoopTimer(loop: loop)
        let interval = UInt64(config.heartbeatInterval * 1000)
        sweep.start(afterMilliseconds: interval, repeatMilliseconds: interval) { [unowned self] in self.sweepSessions() }
        sweepTimer = sweep
        nextIncident = try store.nextIncidentID()
        if let recordStore { nextSessionRecord = try recordStore.ids().session + 1 }
        let recovered = try store.openIncidents()
        for incident in recovered {
            live[incident.id] = LiveIncident(incident: incident)
            stats.submitted += 1
        }
        recoveredIncidents = try finishInterruptedExecutions(recovered.map(\.id))
        guard !recovered.isEmpty else { return }
        // Give the pool a moment to reconnect after a restart: announced to nobody, the
        // incidents would burn their attempts and escalate.
        let grace = try LoopTimer(loop: loop)
        grace.start(afterMilliseconds: UInt64(config.recoveryGrace * 1000)) { [unowned self] in
            grace.close()
            self.announceRecovered()
        }
    }

    /// Re-auction what the store held unfinished: on the first specialist to join, or when the
    /// grace period ends, whichever is first.
    func announceRecovered() {
        awaitingPool = false
        let ids = recoveredIncidents
        recoveredIncidents = []
        guard !ids.isEmpty else { return }
        logger.notice("re-auctioning incidents recovered from the store", metadata: ["count": "\(ids.count)"])
        for id in ids {
            guard var incident = live[id]?.incident else { continue }
            // Instants do not survive a restart: the incident re-arrives now, its SLA counted
            // afresh from its severity.
            incident.createdAt = now()
            incident.slaDeadline = incident.createdAt + incident.severity.defaultSLASeconds
            live[id]?.incident = incident
            handle(.incidentArrived(incident.ticket))
        }
    }

    /// The port specialists connect to (useful when configured as 0).
    public var specialistPort: Int { server?.port ?? 0 }
    public var connectedSpecialists: Int { engine.specialists.count }
    public var openIncidents: Int { live.count + awaitingStore }
    public var backlogLength: Int { engine.backlogLength }

    /// Feed one event to the engine and carry out its actions. Re-entrant calls (an action whose
    /// effect produces another event) are queued and handled in order afterwards.
    func handle(_ event: EngineEvent) {
        if handling {
            queuedEvents.append(event)
            return
        }
        handling = true
        var next: EngineEvent? = event
        while let current = next {
            actions.removeAll(keepingCapacity: true)
            let instant = now()
            for observer in eventObservers { observer(current) }
            engine.handle(current, at: instant, into: &actions)
            for action in actions { carry(action, at: instant); for observer in actionObservers { observer(action) } }
            if announcing != nil { closeAuctionRecord() }
            if recordStore != nil { persistTrackRecordChanges() }
            next = queuedEvents.isEmpty ? nil : queuedEvents.removeFirst()
        }
        handling = false
        if draining { settleIfDone() }
    }

    // MARK: Intake

    /// The one intake path: every source (JSON-lines TCP, stdin, the storm feeder, HTTP later)
    /// submits here, and gets exactly one reply per incident.
    public func submit(_ submission: IncidentSubmission, reply: @escaping (IntakeReply) -> Void) {
        // Every intake path is decided here, not only the JSON-lines parser: an incident that
        // does not fit its CFP would cost every invited specialist its connection.
        let gate = IntakeGate(limits: config.incidentLimits, maxOpenIncidents: config.maxOpenIncidents)
        if case .refuse(let refusal, let overloaded) = gate.decide(submission, draining: draining, open: openIncidents, admission: admission) {
            if let overloaded {
                stats.rejectedOverloaded += 1
                if overloaded == .admissionLimit { stats.rejectedByAdmission += 1 }
            }
            reply(refusal)
            return
        }
        let id = IncidentID(nextIncident)
        nextIncident += 1
        let incident = Incident(
            id: id, category: submission.category, severity: submission.severity,
            service: submission.service, region: submission.region, entities: submission.entities, createdAt: now()
        )
        awaitingStore += 1
        store.record(incident, reference: submission.reference) { [unowned self] result in
            self.awaitingStore -= 1
            switch result {
            case .success(.stored):
                self.stats.submitted += 1
                self.live[id] = LiveIncident(incident: incident)
                reply(.accepted(id, reference: submission.reference))
                self.handle(.incidentArrived(incident.ticket))
            case .success(.duplicate(let original)):
                // A retry of a stored ref (a lost reply, a reconnect, a restart): same answer,
                // nothing new. The id reserved for it stays unused.
                self.stats.duplicates += 1
                reply(.accepted(original, reference: submission.reference, duplicate: true))
            case .failure(let error):
                self.logger.error("store write failed", metadata: ["incident": "\(id)", "error": "\(error)"])
                reply(.rejected("store unavailable", reference: submission.reference, retryable: true))
            }
        }
    }

    func register(_ source: IntakeSource) { intakeSources.append(source) }

    // MARK: Shutdown

    /// Stop intake, let the auctions in flight settle, then close everything and report.
    /// Asked again while draining (a second Ctrl-C), it stops waiting: what is unfinished stays
    /// in the store (with `--db`) for the next start.
    public func beginShutdown(reason: String) {
        guard !draining else {
            logger.notice("shutdown requested again: not waiting for the auctions in flight", metadata: ["open": "\(openIncidents)"])
            forceStop = true
            settleIfDone()
            return
        }
        draining = true
        drainStarted = EventLoop.monotonicSeconds()
        logger.notice("shutting down: intake stopped, settling auctions in flight", metadata: ["reason": "\(reason)", "open": "\(openIncidents)"])
        for source in intakeSources { source.stopIntake() }
        if let timer = try? LoopTimer(loop: loop) {
            timer.start(afterMilliseconds: 50, repeatMilliseconds: 50) { [unowned self] in self.settleIfDone() }
            drainTimer = timer
        }
        settleIfDone()
    }

    private func settleIfDone() {
        guard draining, drainTimer != nil else { return }
        let settled = live.isEmpty && awaitingStore == 0
        let overdue = forceStop || EventLoop.monotonicSeconds() - drainStarted > config.drainTimeout
        guard settled || overdue else { return }
        if !settled {
            logger.warning("stopping with unfinished incidents; with --db they are re-auctioned at the next start", metadata: ["open": "\(live.count)"])
        }
        drainTimer?.close()
        drainTimer = nil
        finish()
    }

    private func finish() {
        for session in connections.values { session.connection.close(reason: "coordinator shutting down") }
        server?.close()
        sweepTimer?.close()
        timers.close()
        store.close()
        for source in intakeSources { source.close() }
        onStopped?(stats.summary())
    }
}

/// Something that feeds the coordinator's intake and can be told to stop.
public protocol IntakeSource: AnyObject {
    /// Stop taking new incidents (shutdown has begun); replies still in flight are delivered.
    func stopIntake()
    /// Release everything (after the coordinator settled).
    func close()
}

/// How an incident ended, for watchers, progress lines and the summary.
public struct ConclusionEvent: Sendable {
    public var incident: IncidentID
    public var conclusion: String
    public var specialist: String?
    public var secondsToConclude: Double
    public var plan: RemediationPlan?
}
