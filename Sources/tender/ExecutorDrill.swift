import ArgumentParser
import Foundation
import TenderConfig
import TenderCore
import TenderExecutor
import TenderStore
import TenderUV
#if canImport(Glibc)
import Glibc
#endif

/// `tender executor-drill`: runs remediation plans through the real executor (store, runner,
/// command driver) and, with `--crash-at K`, kills its whole process group with SIGKILL at the
/// K-th step event, children included, as a crashed host would. Run it again on the same
/// `--db` and it recovers what was in flight, then starts what never started. The crash test
/// runs it until it finishes and checks the ledger.
struct ExecutorDrill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "executor-drill",
        abstract: "Run plans through the executor with the command driver; optionally kill -9 itself mid-way (crash-recovery drill).",
        shouldDisplay: false
    )

    @Option(help: "The store.") var db: String
    @Option(help: "The actions file (YAML).") var actions = "examples/actions.yaml"
    @Option(help: "Directory of specialist profiles.") var specialists = "specialists"
    @Option(help: "Incidents to remediate, one execution each.") var executions = 20
    @Option(help: "Random seed for the plans.") var seed: UInt64 = 1
    @Option(help: "SIGKILL the process group at this step event (before a run, after its spawn, or at its exit).") var crashAt: Int?
    @Flag(help: "Run nothing; log what would run.") var dryRun = false

    func run() throws {
        if crashAt != nil {
            // Our own process group, so the kill takes our children and nothing else.
            if getpgrp() != getpid() { _ = setpgid(0, 0) }
            guard getpgrp() == getpid() else { throw ValidationError("cannot lead a process group; refusing to crash") }
        }
        let catalog = try ActionCatalog.load(path: actions)
        let profiles = try FileManager.default.contentsOfDirectory(atPath: specialists).filter { $0.hasSuffix(".yaml") }.sorted()
            .map { try ProfileLoader.load(path: "\(specialists)/\($0)") }
        let loop = try EventLoop()
        let bridge = StoreLoopBridge()
        let writer = try StoreWriter(path: db, notify: bridge.notify)
        try bridge.attach(to: loop, writer: writer)
        let reader = try StoreReader(path: db)
        let switchboard = CrashSwitch(inner: CommandDriver(loop: loop, catalog: catalog), crashAt: crashAt)
        let driver: StepDriver = dryRun ? DryRunDriver(describing: switchboard) : switchboard
        let runner = ExecutionRunner(writer: writer, driver: driver, clock: LoopClock(loop: loop),
                                     policy: ExecutionPolicy(gate: ApprovalGate(threshold: nil)), ids: try reader.ids())
        var outstanding = 0
        var counts: [String: Int] = [:]
        let finished: ExecutionRunner.Completion = { _, outcome, _ in
            counts[outcome.name, default: 0] += 1
            outstanding -= 1
            if outstanding == 0 {
                writer.drain()
                bridge.close()
            }
        }
        // The incident concludes in the same transaction as its execution's outcome.
        runner.recordsWithOutcome = { plan, _, outcome, _ in
            [.incidentConcluded(id: plan.incident.rawValue, status: outcome == .applied ? "resolved" : "escalated",
                                resolvedBy: plan.specialist, plan: nil, at: Date().timeIntervalSince1970)]
        }
        let conclude: (UInt64) -> ExecutionRunner.Completion = { _ in finished }

        // Finish what a killed run left in flight.
        let inFlight = try reader.executionsInFlight()
        outstanding += inFlight.count
        let recovered = runner.recover(inFlight, pendingApprovals: try reader.pendingApprovals()) { id, outcome, escalate in
            let incident = inFlight.first { $0.id == id }?.incident ?? 0
            conclude(incident)(id, outcome, escalate)
        }
        // Start every incident that has no execution yet.
        let started = Set(try reader.database.rows("SELECT incident FROM executions").compactMap { $0.integer(0).map(UInt64.init) })
        for incident in UInt64(1)...UInt64(executions) where !started.contains(incident) {
            let (plan, body) = try Self.plan(for: incident, seed: seed, profiles: profiles, catalog: catalog)
            writer.submit(.incident(id: incident, body: body))
            outstanding += 1
            runner.execute(plan, dryRun: dryRun, completion: conclude(incident))
        }
        if outstanding == 0 {
            bridge.close()
        }
        loop.run()
        writer.close()
        loop.close()
        let summary: [String: Int] = ["recovered": recovered.count, "applied": counts["applied"] ?? 0, "rolled_back": counts["rolled_back"] ?? 0,
                                      "refused": counts["refused"] ?? 0, "step_events": switchboard.events]
        try JSONOutput.print(summary)
    }

    /// A valid plan for incident `incident`: a seeded choice of specialist and playbook, its
    /// parameters filled with valid values, checked by the same validator as live plans; and the
    /// stored body of an incident that playbook applies to, so `tender show` and the API read a
    /// real category and severity for it.
    static func plan(for incident: UInt64, seed: UInt64, profiles: [SpecialistProfile], catalog: ActionCatalog) throws -> (ValidatedPlan, body: String) {
        var random = SeededGenerator(seed: seed &+ incident &* 0x9E37_79B9_7F4A_7C15)
        let profile = profiles[random.nextIndex(below: profiles.count)]
        let playbook = profile.playbooks[random.nextIndex(below: profile.playbooks.count)]
        let steps = playbook.steps.map { step in
            RemediationPlan.Step(action: step.action, parameters: step.parameters.map { parameter in
                RemediationPlan.Parameter(name: parameter.name, type: parameter.type.rawValue, value: value(parameter, incident: incident))
            }, risk: step.risk.name, undo: step.undo)
        }
        let sent = RemediationPlan(playbook: playbook.name, steps: steps, summary: playbook.name)
        let subject = Incident(id: IncidentID(incident), category: playbook.categories.first ?? profile.kind.homeCategory,
                               severity: playbook.severities.first ?? .high, createdAt: .zero)
        let body = String(decoding: try JSONEncoder().encode(subject), as: UTF8.self)
        switch PlanValidator.validate(sent, incident: IncidentID(incident), from: profile, policy: catalog.policy(for:)) {
        case .success(let plan): return (plan, body)
        case .failure(let refusal): throw ValidationError("INC-\(incident): \(refusal)")
        }
    }

    static func value(_ parameter: StepParameter, incident: UInt64) -> String {
        switch parameter.type {
        case .ip: "203.0.113.\(incident % 250 + 1)"
        case .host: "web-\(incident).example.com"
        case .service: "checkout"
        case .user: "svc-\(incident)"
        case .query: "q\(incident)"
        case .region: "eu-west-1"
        case .count, .seconds, .percent: parameter.defaultValue ?? "1"
        }
    }
}

/// Passes runs to the real driver, counting step events, and at the chosen one kills the
/// process group: before a spawn, just after it (the child is running), or at its exit before
/// the runner hears of it.
final class CrashSwitch: StepDriver {
    private let inner: StepDriver
    private let crashAt: Int?
    private(set) var events = 0

    init(inner: StepDriver, crashAt: Int?) {
        self.inner = inner
        self.crashAt = crashAt
    }

    private func tick() {
        events += 1
        if let crashAt, events == crashAt {
            kill(0, SIGKILL)
        }
    }

    func run(_ invocation: StepInvocation, completion: @escaping (StepExit) -> Void) {
        tick()
        inner.run(invocation) { [self] exit in
            tick()
            completion(exit)
        }
        tick()
    }

    func describe(_ invocation: StepInvocation) -> String { inner.describe(invocation) }
}
