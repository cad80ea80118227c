import Foundation
import Logging
import TenderConfig
import TenderCore
import TenderExecutor
import TenderStore
import TenderUV

/// How the live coordinator executes winning plans (`--executor`, `--actions`, `--dry-run`,
/// `--approval-risk`, `--approval-timeout`, `--notify-command`, `--specialists`).
public struct ExecutionSettings: Sendable {
    public enum Driver: Sendable {
        /// Runs nothing and adds no time: the specialist's attempt already modelled the work
        /// (`SimulatedDriver`). `faultRate`: injected failures of applied steps (seeded), 0 for none.
        case simulated(seed: UInt64, faultRate: Double)
        /// Runs the programs of an actions file, with an argv, never a shell.
        case command(ActionCatalog)
    }

    public var profiles: SpecialistProfiles
    public var driver: Driver = .simulated(seed: 1, faultRate: 0)
    public var dryRun = false
    public var gate = ApprovalGate()
    public var policy = ExecutionPolicy()
    /// The escalation pager's argv (`--notify-command`); nil: escalations are only logged and stored.
    public var notifyCommand: [String]?
    /// How often the runner looks in the store for people's approval decisions.
    public var approvalPollSeconds = 1.0

    public init(profiles: SpecialistProfiles) { self.profiles = profiles }
}

/// The coordinator's executor: checks a winning plan against the profile of the specialist that
/// sent it, then runs it through `ExecutionRunner` (write-ahead step log, approvals, rollback) on
/// the coordinator's store writer, and pages people about escalations through `Pager`. A thin
/// shell: every decision is made by `PlanValidator`, `ExecutionMachine`, `RecoveryPlanner` and the
/// engine. Loop thread only.
public final class PlanExecutor {
    /// `escalation`: people must take over, and why (see `ExecutionRunner.Completion`).
    public typealias Completion = (_ outcome: ExecutionOutcome, _ escalation: EscalationReason?) -> Void

    public let settings: ExecutionSettings
    let runner: ExecutionRunner
    private let store: CoordinatorStore
    private let pager: Pager?
    private let clock: ExecutionClock
    private let logger: Logger

    /// `clock`: the runner's, the simulated driver's and the pager's time; libuv timers on
    /// `loop` unless a test passes a manual one.
    public init(settings: ExecutionSettings, loop: EventLoop, store: CoordinatorStore, logger: Logger, clock: ExecutionClock? = nil) throws {
        self.settings = settings
        self.store = store
        self.logger = logger
        let clock = clock ?? LoopClock(loop: loop)
        self.clock = clock
        let ids = try store.ids()
        let driver: StepDriver
        switch settings.driver {
        case .simulated(let seed, let faultRate):
            driver = SimulatedDriver(seed: seed, faultRate: faultRate) { after, body in clock.schedule(at: clock.now + after, body) }
        case .command(let catalog):
            driver = CommandDriver(loop: loop, catalog: catalog)
        }
        var policy = settings.policy
        policy.gate = settings.gate
        runner = ExecutionRunner(writer: store.writer, driver: settings.dryRun ? DryRunDriver(describing: driver) : driver,
                                 clock: clock, policy: policy, ids: ids)
        runner.approvalPollSeconds = settings.approvalPollSeconds
        runner.log = { line in logger.info("\(line)") }
        if let argv = settings.notifyCommand {
            let pager = Pager(loop: loop, writer: store.writer, clock: clock, argv: argv, ids: ids)
            pager.log = { line in logger.notice("\(line)") }
            self.pager = pager
        } else {
            pager = nil
        }
    }

    public var inFlight: Int { runner.inFlight }

    /// How the driver runs `action`: from the actions file, or (simulated) any action a
    /// playbook names, conservatively (not idempotent, no retries).
    private func stepPolicy(_ action: String) -> StepPolicy? {
        switch settings.driver {
        // A simulated step completes at once; the timeout only bounds a misbehaving driver.
        case .simulated: StepPolicy(idempotent: false, retries: 0, timeoutSeconds: 86_400)
        case .command(let catalog): catalog.policy(for: action)
        }
    }

    /// Validate `plan` against the profile of `specialist` (connected as that name, declaring
    /// `kind`), then run it. `completion` runs once, on the loop thread.
    public func execute(_ plan: RemediationPlan?, for incident: Incident, specialist: String, kind: SpecialistKind?, completion: @escaping Completion) {
        guard let plan else {
            refuse(incident, specialist: specialist, "no plan received from \(specialist)", completion)
            return
        }
        guard let profile = settings.profiles.profile(forSpecialist: specialist, kind: kind) else {
            let known = settings.profiles.byName.keys.sorted().joined(separator: ", ")
            refuse(incident, specialist: specialist, "specialist \(specialist) has no known profile (profiles: \(known.isEmpty ? "none" : known)); its plan cannot be checked", completion)
            return
        }
        switch PlanValidator.validate(plan, incident: incident.id, from: profile, policy: stepPolicy) {
        case .failure(let refusal):
            refuse(incident, specialist: specialist, "plan refused: \(refusal.description)", completion)
        case .success(let validated):
            runner.execute(validated, dryRun: settings.dryRun) { _, outcome, escalation in completion(outcome, escalation) }
        }
    }

    private func refuse(_ incident: Incident, specialist: String, _ reason: String, _ completion: Completion) {
        logger.warning("plan refused before execution", metadata: ["incident": "\(incident.id)", "specialist": "\(specialist)", "reason": "\(reason)"])
        store.submit([.audit(AuditRecord(at: clock.now.seconds, actor: "coordinator", incident: incident.id.rawValue,
                                         what: "plan from \(specialist) refused", why: reason))])
        completion(.refused(reason: reason), nil)
    }

    /// Stop and roll back the plan being executed for `incident` (it was cancelled).
    @discardableResult
    public func cancel(_ incident: IncidentID, by: String, reason: String) -> [(execution: Int64, effect: CancelEffect)] {
        runner.cancel(incident: incident, by: by, reason: reason)
    }

    /// What cancelling `incident` would do to its execution now; nil if none is running.
    public func cancelEffect(_ incident: IncidentID) -> CancelEffect? { runner.cancelEffect(incident: incident) }

    /// What a restart found unfinished in the store: executions in flight with their step logs,
    /// approvals they waited for, pages not yet delivered, the incidents concluded
    /// (cancelled) while their plan ran, and the executions a denial stopped. Read by `interruptedWork()`, finished by
    /// `finish(_:completion:)`.
    public struct InterruptedWork {
        fileprivate var logs: [ExecutionLog]
        fileprivate var approvals: [ApprovalRow]
        fileprivate var pages: [PageRow]
        fileprivate var cancelled: Set<UInt64>
        fileprivate var denied: [Int64: StoppedExecution]

        /// Each execution in flight: its incident and the specialist whose plan it runs.
        public var executions: [(execution: Int64, incident: IncidentID, specialist: String)] {
            logs.map { ($0.id, IncidentID($0.incident), $0.specialist) }
        }
    }

    /// After a restart, step one: read what the store holds unfinished. Nothing is started, so
    /// the caller can note which incidents wait for these executions before any of them ends.
    public func interruptedWork() throws(StoreError) -> InterruptedWork {
        let (logs, approvals, pages, cancelled, denied) = try store.blockingRead { database throws(StoreFailure) in
            let reader = StoreReader(database: database)
            // Incidents concluded while their plan ran (cancelled): their executions roll back.
            let cancelled = try database.rows("SELECT DISTINCT e.incident FROM executions e JOIN incidents i ON i.id = e.incident WHERE e.outcome IS NULL AND i.status != 'open'")
                .compactMap { $0.integer(0).map { UInt64(bitPattern: $0) } }
            // Executions a denial (or an approval timeout) stopped: they roll back, then escalate.
            var denied: [ApprovalRow] = []
            for row in try database.rows("SELECT a.id FROM approvals a JOIN executions e ON e.id = a.execution WHERE e.outcome IS NULL AND a.decision IN ('denied', 'timed_out')") {
                if let id = row.integer(0), let approval = try reader.approval(id: id) { denied.append(approval) }
            }
            return (try reader.executionsInFlight(), try reader.pendingApprovals(), try reader.undeliveredPages(), Set(cancelled), StoppedExecution.stops(denied))
        }
        return InterruptedWork(logs: logs, approvals: approvals, pages: pages, cancelled: cancelled, denied: denied)
    }

    /// After a restart, step two: finish every interrupted execution (roll back, or resume
    /// idempotent steps) and resume undelivered pages. `completion` reports each execution's
    /// outcome once, on the loop thread; it may run before this returns, for an execution whose
    /// log shows it already over (every step applied, or nothing left to undo).
    public func finish(_ work: InterruptedWork, completion: @escaping (_ incident: IncidentID, _ outcome: ExecutionOutcome, _ escalation: EscalationReason?) -> Void) {
        pager?.resume(work.pages)
        guard !work.logs.isEmpty else { return }
        let incidentOf = Dictionary(work.logs.map { ($0.id, IncidentID($0.incident)) }, uniquingKeysWith: { first, _ in first })
        let decisions = runner.recover(work.logs, pendingApprovals: work.approvals, cancelled: work.cancelled, denied: work.denied) { id, outcome, escalation in
            guard let incident = incidentOf[id] else { return }
            completion(incident, outcome, escalation)
        }
        for (execution, decision) in decisions {
            logger.notice("finishing an execution interrupted by a restart", metadata: ["execution": "\(execution)", "incident": "\(incidentOf[execution].map { "\($0)" } ?? "?")", "decision": "\(decision.direction)"])
        }
    }

    /// Page people about an escalated incident (`--notify-command`); the page is durable first
    /// and retried until delivered. Without a notify command, nothing to do.
    public func page(_ incident: Incident, why: String) {
        guard let pager else { return }
        let formatter = ISO8601DateFormatter()
        var labels = ["category": incident.category.name, "severity": incident.severity.name]
        if !incident.service.isEmpty { labels["service"] = incident.service }
        if !incident.region.isEmpty { labels["region"] = incident.region }
        let payload = PagePayload(incident: incident.id.description, labels: labels,
                                  summary: "\(incident.id) (\(incident.category.name), \(incident.severity.name)) escalated to a human",
                                  description: why, startsAt: formatter.string(from: Date()))
        guard let data = try? JSONEncoder().encode(payload) else {
            logger.error("page not sent: cannot encode its payload", metadata: ["incident": "\(incident.id)"])
            return
        }
        pager.page(incident: incident.id.rawValue, payload: String(decoding: data, as: UTF8.self))
    }

    public var pagesOutstanding: Int { pager?.outstanding ?? 0 }
}
