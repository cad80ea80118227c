import ArgumentParser
import Foundation
import TenderExecutor
import TenderService

/// How `coordinator` and `up` execute winning plans. The profiles directory comes from the
/// command (`--specialists`), since `up` already has it for its pool.
struct ExecutorOptions: ParsableArguments {
    @Option(help: "How plans run: `simulated` (nothing runs and no time is added: the specialist's attempt already modelled the work) or `command` (the programs of --actions, argv only, never a shell).")
    var executor = "simulated"

    @Option(help: "With --executor command: YAML mapping each action to {argv, timeout_s, idempotent, retries} (see examples/actions.yaml).")
    var actions: String?

    @Flag(name: .customLong("dry-run"), help: "Run nothing: log and record what each step would have run, and count the plan as applied.")
    var dryRun = false

    @Option(name: .customLong("approval-risk"), help: "Steps at or above this risk wait for a person (`tender approvals`): low, medium, high (the default), or none (gate off).")
    var approvalRisk: String?

    @Option(name: .customLong("approval-timeout"), help: "Seconds a step waits for approval; then it is denied, the plan rolled back and the incident escalated (approval_timed_out) and paged.")
    var approvalTimeout = 900.0

    @Option(name: .customLong("approval-poll-ms"), help: "How often the coordinator looks in its store for approval decisions.")
    var approvalPollMs = 1000

    @Option(name: .customLong("notify-command"), help: "Program run on every escalation with the incident as Alertmanager-style JSON on stdin, never through a shell: a path (arguments with --notify-arg), or a JSON array of strings, the whole argv (`[\"/usr/bin/curl\", \"-d\", \"@-\", \"https://pager\"]`). Failures are retried and recorded.")
    var notifyCommand: String?

    @Option(name: .customLong("notify-arg"), parsing: .unconditionalSingleValue, help: "One argument of --notify-command, kept whole (spaces and all); repeat it for each, in order.")
    var notifyArguments: [String] = []

    @Option(name: .customLong("executor-fault-rate"), help: "Fault injection for drills of the rollback path: the probability that the simulated executor fails an applied step (0, the default: never; the profiles' failures are the specialists' own).")
    var executorFaultRate = 0.0

    @Option(name: .customLong("executor-seed"), help: "Seed of the simulated executor's injected faults.")
    var executorSeed: UInt64 = 1

    func validate() throws {
        guard ["simulated", "command"].contains(executor) else { throw ValidationError("--executor `\(executor)` is not one of simulated, command") }
        if executor == "command", actions == nil { throw ValidationError("--executor command needs --actions FILE (see examples/actions.yaml)") }
        if executor == "simulated", actions != nil { throw ValidationError("--actions is only read with --executor command") }
        if let approvalRisk, ApprovalGate(riskOption: approvalRisk, timeoutSeconds: approvalTimeout) == nil {
            throw ValidationError("--approval-risk `\(approvalRisk)` is not one of low, medium, high, none")
        }
        guard (0...1).contains(executorFaultRate) else { throw ValidationError("--executor-fault-rate must be a probability, from 0 to 1") }
        if executor == "command", executorFaultRate > 0 { throw ValidationError("--executor-fault-rate is only used with --executor simulated") }
        guard approvalTimeout > 0 else { throw ValidationError("--approval-timeout must be positive") }
        guard approvalPollMs >= 10 else { throw ValidationError("--approval-poll-ms must be at least 10") }
        if !notifyArguments.isEmpty, notifyCommand == nil { throw ValidationError("--notify-arg needs --notify-command") }
        if let notifyCommand {
            do {
                _ = try NotifyCommandLine.argv(notifyCommand, arguments: notifyArguments)
            } catch {
                throw ValidationError("\(error)")
            }
        }
    }

    /// The settings, with the profiles of `specialists` and the actions file loaded (errors name
    /// file and line).
    func settings(specialists: String) throws -> ExecutionSettings {
        let profiles: SpecialistProfiles
        do {
            profiles = try SpecialistProfiles.load(directory: specialists)
        } catch {
            throw ValidationError("\(error)")
        }
        var settings = ExecutionSettings(profiles: profiles)
        if executor == "command", let actions {
            do {
                settings.driver = .command(try ActionCatalog.load(path: actions))
            } catch {
                throw ValidationError("\(error)")
            }
        } else {
            settings.driver = .simulated(seed: executorSeed, faultRate: executorFaultRate)
        }
        settings.dryRun = dryRun
        settings.gate = ApprovalGate(riskOption: approvalRisk ?? "high", timeoutSeconds: approvalTimeout) ?? ApprovalGate()
        settings.approvalPollSeconds = Double(approvalPollMs) / 1000
        if let notifyCommand {
            let parsed = try NotifyCommandLine.parse(notifyCommand, arguments: notifyArguments)
            if parsed.legacySplit {
                FileHandle.standardError.write(Data("tender: warning: --notify-command `\(notifyCommand)` was split on spaces (the old form); give arguments with --notify-arg, or the argv as a JSON array\n".utf8))
            }
            settings.notifyCommand = parsed.argv
        }
        return settings
    }
}
