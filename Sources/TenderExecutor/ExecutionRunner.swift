import Foundation
import TenderCore
import TenderStore

/// The shell around `ExecutionMachine`s: writes their intents and results through the store's
/// writer (a step runs only after its intent is durable), runs steps through a driver, arms
/// retry and approval timers, polls the store for people's approval decisions, stops and rolls
/// back cancelled executions, and reports each execution's outcome once. Loop thread only.
public final class ExecutionRunner {
    /// `escalation` is non-nil when people must take over, and says why (an approval denied or
    /// timed out, a rollback that did not finish).
    public typealias Completion = (_ execution: Int64, _ outcome: ExecutionOutcome, _ escalation: EscalationReason?) -> Void

    private struct Live {
        var machine: ExecutionMachine
        var completion: Completion
        /// The approval this execution waits for, if any.
        var approval: (id: Int64, step: Int)?
    }

    private let writer: StoreWriter
    private let driver: StepDriver
    private let clock: ExecutionClock
    public let policy: ExecutionPolicy
    private var live: [Int64: Live] = [:]
    private var nextExecution: Int64
    private var nextApproval: Int64
    private var polling = false
    /// Who the audit log names for the coordinator's own decisions.
    public var actor = "coordinator"
    /// How often to look in the store for approval decisions while some are pending.
    public var approvalPollSeconds = 1.0
    /// Step output kept in the step log, per run.
    public var outputCap = 16 * 1024
    /// Records to commit in the same transaction as an execution's outcome (the incident's
    /// conclusion, say), so a crash cannot separate them.
    public var recordsWithOutcome: (_ plan: ValidatedPlan, _ execution: Int64, _ outcome: ExecutionOutcome, _ escalation: EscalationReason?) -> [StoreRecord] = { _, _, _, _ in [] }
    /// A line for the operator's log: one per intent, result, undo and outcome.
    public var log: (String) -> Void = { _ in }

    public init(writer: StoreWriter, driver: StepDriver, clock: ExecutionClock, policy: ExecutionPolicy, ids: StoreIDs) {
        self.writer = writer
        self.driver = driver
        self.clock = clock
        self.policy = policy
        nextExecution = ids.execution + 1
        nextApproval = ids.approval + 1
    }

    public var inFlight: Int { live.count }

    /// Start a validated plan; returns the execution id. `completion` runs once, on the loop thread.
    @discardableResult
    public func execute(_ plan: ValidatedPlan, dryRun: Bool = false, completion: @escaping Completion) -> Int64 {
        let id = nextExecution
        nextExecution += 1
        live[id] = Live(machine: ExecutionMachine(plan: plan, policy: policy), completion: completion)
        let json = (try? JSONEncoder().encode(plan)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let now = clock.now.seconds
        writer.submit([
            .executionStarted(id: id, incident: plan.incident.rawValue, specialist: plan.specialist, playbook: plan.playbook, plan: json, dryRun: dryRun, at: now, steps: plan.storedSteps),
            .audit(AuditRecord(at: now, actor: actor, incident: plan.incident.rawValue, execution: id,
                               what: "execution \(id) started: \(plan.playbook) by \(plan.specialist)\(dryRun ? " (dry run)" : "")",
                               why: "awarded plan passed validation")),
        ]) { [weak self] result in
            guard let self else { return }
            switch result {
            case .success: self.feed(id, .start)
            case .failure(let error):
                // Nothing ran: the plan could not even be recorded.
                guard let entry = self.live.removeValue(forKey: id) else { return }
                entry.completion(id, .refused(reason: "not recorded: \(error)"), .rollbackIncomplete)
            }
        }
        return id
    }

    /// Finish executions found in flight after a restart. Approvals they waited for are
    /// superseded (a fresh request is made if the machine still needs one). Executions that were
    /// stopped before the restart are rolled back, never resumed forward: those of the incidents in
    /// `cancelled` (concluded while their plan ran: a cancel), and those in `denied` (a step's
    /// approval was denied or timed out), which then escalate with that reason.
    public func recover(_ logs: [ExecutionLog], pendingApprovals: [ApprovalRow], cancelled: Set<UInt64> = [],
                        denied: [Int64: StoppedExecution] = [:],
                        completion: @escaping Completion) -> [(execution: Int64, decision: RecoveryDecision)] {
        let now = clock.now.seconds
        for approval in pendingApprovals where logs.contains(where: { $0.id == approval.execution }) {
            writer.submit(.approvalDecided(id: approval.id, decision: "superseded", by: actor, reason: "the coordinator restarted", at: now))
        }
        var decisions: [(Int64, RecoveryDecision)] = []
        for entry in logs {
            guard let plan = ValidatedPlan(recovering: entry) else {
                writer.submit(.executionFinished(id: entry.id, outcome: "rolled_back", reason: "unreadable plan after restart; check by hand", at: now))
                completion(entry.id, .rolledBack(reason: "unreadable plan after restart"), .rollbackIncomplete)
                continue
            }
            let stop = denied[entry.id]
            let decision = if let stop {
                StoppedExecution.rollBackOnly(plan: plan, log: entry.steps, policy: policy, because: "\(stop.detail) (recovered after a restart)")
            } else if cancelled.contains(entry.incident) {
                StoppedExecution.rollBackOnly(plan: plan, log: entry.steps, policy: policy, because: "recovered after a restart: the incident was cancelled")
            } else {
                RecoveryPlanner.decide(plan: plan, log: entry.steps, policy: policy)
            }
            decisions.append((entry.id, decision))
            nextExecution = max(nextExecution, entry.id + 1)
            var machine = ExecutionMachine(plan: plan, policy: policy, recovering: decision)
            if let stop { machine.requireEscalation(stop.reason) }
            live[entry.id] = Live(machine: machine, completion: completion)
            writer.submit(.audit(AuditRecord(at: now, actor: actor, incident: plan.incident.rawValue, execution: entry.id,
                                             what: "execution \(entry.id) recovered: \(Self.describe(decision))", why: "found in flight after a restart")))
            feed(entry.id, .start)
        }
        return decisions
    }

    /// Stop and roll back the executions of `incident` (it was cancelled): see
    /// `ExecutionEvent.cancel`. The request is audited; returns what it did to each.
    @discardableResult
    public func cancel(incident: IncidentID, by: String, reason: String) -> [(execution: Int64, effect: CancelEffect)] {
        let ids = live.filter { $0.value.machine.plan.incident == incident }.keys.sorted()
        return ids.compactMap { id in cancel(execution: id, by: by, reason: reason).map { (id, $0) } }
    }

    /// What cancelling `incident` would do to its execution here now; nil if none is running.
    public func cancelEffect(incident: IncidentID) -> CancelEffect? {
        live.values.first { $0.machine.plan.incident == incident }.map { Self.effect(of: $0.machine) }
    }

    private static func effect(of machine: ExecutionMachine) -> CancelEffect {
        machine.isRollingBack || machine.isCancelled ? .alreadyRollingBack : .rollingBack
    }

    /// Stop and roll back one execution; nil if it is not running here. A second cancel changes
    /// nothing and is not audited again.
    @discardableResult
    public func cancel(execution id: Int64, by: String, reason: String) -> CancelEffect? {
        guard let entry = live[id] else { return nil }
        let effect = Self.effect(of: entry.machine)
        if entry.machine.isCancelled { return effect }
        let plan = entry.machine.plan
        let now = clock.now.seconds
        writer.submit(.audit(AuditRecord(at: now, actor: by, incident: plan.incident.rawValue, execution: id,
                                         what: "execution \(id) cancel requested: \(effect.rawValue.replacingOccurrences(of: "_", with: " "))",
                                         why: reason.isEmpty ? "no reason given" : reason)))
        log("\(plan.incident) execution \(id): cancelled by \(by) (\(effect.rawValue))")
        if effect == .rollingBack { feed(id, .cancel(by: by, reason: reason)) }
        return effect
    }

    static func describe(_ decision: RecoveryDecision) -> String {
        switch decision.direction {
        case .resumeForward(let step): "resume forward from step \(step + 1)"
        case .rollBack(let undo, _): "roll back (undo steps \(undo.map { String($0 + 1) }.joined(separator: ", ")))"
        }
    }

    // MARK: Driving the machines

    private func feed(_ id: Int64, _ event: ExecutionEvent) {
        guard var entry = live[id] else { return }
        let actions = entry.machine.handle(event, now: clock.now)
        live[id] = entry
        for action in actions { perform(id, action) }
    }

    private func perform(_ id: Int64, _ action: ExecutionAction) {
        guard let entry = live[id] else { return }
        let plan = entry.machine.plan
        let now = clock.now.seconds
        switch action {
        case .requestApproval(let step, let deadline):
            requestApproval(id, plan: plan, step: step, deadline: deadline)
        case .writeIntent(let step, let phase, let attempt):
            let definition = plan.steps[step]
            let params = (try? JSONEncoder().encode(definition.parameters)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
            let record = StepIntentRecord(execution: id, step: step, phase: phase.rawValue, attempt: attempt,
                                          action: phase == .apply ? definition.action : definition.undo, params: params, undo: definition.undo,
                                          idempotent: phase == .apply ? definition.idempotent : definition.undoIdempotent, at: now)
            writer.submit(.stepIntent(record)) { [weak self] result in
                switch result {
                case .success: self?.feed(id, .intentDurable(step: step, phase: phase, attempt: attempt))
                case .failure(let error): self?.feed(id, .intentFailed(step: step, phase: phase, attempt: attempt, reason: "\(error)"))
                }
            }
        case .run(let step, let phase, let attempt, let timeout):
            let definition = plan.steps[step]
            let invocation = StepInvocation(incident: plan.incident, execution: id, step: step, phase: phase, attempt: attempt,
                                            action: phase == .apply ? definition.action : definition.undo,
                                            parameters: definition.parameters, timeoutSeconds: timeout)
            log("\(plan.incident) execution \(id) step \(step + 1)/\(plan.steps.count) \(phase.rawValue) attempt \(attempt): \(driver.describe(invocation))")
            driver.run(invocation) { [weak self] exit in
                self?.feed(id, .stepExited(step: step, phase: phase, attempt: attempt, exit))
            }
        case .writeResult(let step, let phase, let attempt, let exit):
            let output = String(decoding: Array(exit.output.utf8.prefix(outputCap)), as: UTF8.self)
            log("\(plan.incident) execution \(id) step \(step + 1) \(phase.rawValue) attempt \(attempt): \(exit.resultName)")
            writer.submit(.stepResult(execution: id, step: step, phase: phase.rawValue, attempt: attempt, result: exit.resultName,
                                      exitStatus: exit.exitStatus, output: output, at: now))
        case .armRetry(let step, let phase, let at):
            clock.schedule(at: at) { [weak self] in self?.feed(id, .retryDue(step: step, phase: phase)) }
        case .stopRun(let step, let phase, let attempt):
            let definition = plan.steps[step]
            let invocation = StepInvocation(incident: plan.incident, execution: id, step: step, phase: phase, attempt: attempt,
                                            action: phase == .apply ? definition.action : definition.undo,
                                            parameters: definition.parameters, timeoutSeconds: phase == .apply ? definition.timeoutSeconds : definition.undoTimeoutSeconds)
            log("\(plan.incident) execution \(id) step \(step + 1) \(phase.rawValue) attempt \(attempt): stopping it")
            driver.stop(invocation)
        case .withdrawApproval(let step):
            guard let approval = entry.approval, approval.step == step else { return }
            live[id]?.approval = nil
            writer.submit([
                .approvalDecided(id: approval.id, decision: "superseded", by: actor, reason: "withdrawn: the execution was cancelled", at: now),
                .audit(AuditRecord(at: now, actor: actor, incident: plan.incident.rawValue, execution: id,
                                   what: "approval \(approval.id) withdrawn: step \(step + 1) \(plan.steps[step].action)",
                                   why: "the execution was cancelled")),
            ])
        case .finish(let outcome, let escalation):
            live[id] = nil
            log("\(plan.incident) execution \(id): \(outcome.name)\(outcome.reason.map { ": \($0)" } ?? "")\(escalation.map { " (escalate: \($0.name))" } ?? "")")
            // What the completion records (the incident's conclusion, a page) commits in the
            // same transaction as the outcome: a crash cannot land between them.
            writer.atomically {
                writer.submit([
                    .executionFinished(id: id, outcome: outcome.name, reason: outcome.reason, at: now),
                    .audit(AuditRecord(at: now, actor: actor, incident: plan.incident.rawValue, execution: id,
                                       what: "execution \(id) \(outcome.name)" + (escalation.map { ", escalating (\($0.name))" } ?? ""),
                                       why: outcome.reason ?? "every step applied")),
                ] + recordsWithOutcome(plan, id, outcome, escalation))
                entry.completion(id, outcome, escalation)
            }
        }
    }

    // MARK: Approvals

    private func requestApproval(_ id: Int64, plan: ValidatedPlan, step: Int, deadline: Instant) {
        let approval = nextApproval
        nextApproval += 1
        live[id]?.approval = (approval, step)
        let definition = plan.steps[step]
        let params = definition.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
        let now = clock.now.seconds
        writer.submit([
            .approvalRequested(ApprovalRequestRecord(id: approval, execution: id, incident: plan.incident.rawValue, step: step,
                                                     action: definition.action, risk: definition.risk.name, params: params, at: now, deadline: deadline.seconds)),
            .audit(AuditRecord(at: now, actor: actor, incident: plan.incident.rawValue, execution: id,
                               what: "approval \(approval) requested: step \(step + 1) \(definition.action) \(params)",
                               why: "\(definition.risk.name) risk is at or above the gate (\(policy.gate.threshold?.name ?? "none"))")),
        ])
        log("\(plan.incident) execution \(id) step \(step + 1) waits for approval \(approval) (tender approvals approve \(approval))")
        clock.schedule(at: deadline) { [weak self] in self?.expire(approval, execution: id) }
        startPolling()
    }

    /// At the deadline: record a timeout unless a person decided first, then act on whatever won.
    private func expire(_ approval: Int64, execution id: Int64) {
        guard live[id]?.approval?.id == approval else { return }
        let actor = actor
        let now = clock.now.seconds
        writer.read({ database throws(StoreFailure) -> ApprovalRow? in
            try database.transaction { () throws(StoreFailure) in
                try database.run("UPDATE approvals SET decision = 'timed_out', decided_by = ?, reason = ?, decided_at = ? WHERE id = ? AND decision IS NULL",
                                 [.text(actor), .text("no decision before the deadline"), .real(now), .integer(approval)])
                if database.changes == 1, let row = try StoreReader(database: database).approval(id: approval) {
                    try AuditLog.append(AuditRecord(at: now, actor: actor, incident: row.incident, execution: id,
                                                    what: "approval \(approval) timed out: denied, escalating", why: "no decision before the deadline"), to: database)
                }
            }
            return try StoreReader(database: database).approval(id: approval)
        }) { [weak self] result in
            guard let self, case .success(let row?) = result else { return }
            self.apply(row)
        }
    }

    private func startPolling() {
        guard !polling else { return }
        polling = true
        clock.schedule(at: clock.now + approvalPollSeconds) { [weak self] in self?.poll() }
    }

    private func poll() {
        let waiting = live.values.compactMap { $0.approval?.id }
        guard !waiting.isEmpty else {
            polling = false
            return
        }
        writer.read({ database throws(StoreFailure) -> [ApprovalRow] in
            let reader = StoreReader(database: database)
            var decided: [ApprovalRow] = []
            for id in waiting {
                if let row = try reader.approval(id: id), row.decision != nil { decided.append(row) }
            }
            return decided
        }) { [weak self] result in
            guard let self else { return }
            if case .success(let rows) = result { rows.forEach(self.apply) }
            self.clock.schedule(at: self.clock.now + self.approvalPollSeconds) { [weak self] in self?.poll() }
        }
    }

    /// Act on a recorded decision, once.
    private func apply(_ row: ApprovalRow) {
        guard let decision = row.decision, live[row.execution]?.approval?.id == row.id else { return }
        live[row.execution]?.approval = nil
        switch decision {
        case "approved":
            feed(row.execution, .approvalDecided(step: row.step, approved: true, by: row.decidedBy ?? "?", reason: row.reason ?? ""))
        case "timed_out":
            feed(row.execution, .approvalTimedOut(step: row.step))
        default:
            feed(row.execution, .approvalDecided(step: row.step, approved: false, by: row.decidedBy ?? "?", reason: row.reason ?? "no reason given"))
        }
    }
}
