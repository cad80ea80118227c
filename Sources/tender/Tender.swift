import ArgumentParser

/// The `tender` command: every user-facing job is a subcommand, one file each.
@main
struct Tender: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tender",
        abstract: "A contract-net auction scheduler for cloud incident response.",
        discussion: """
        A coordinator announces each incident to specialist agents, which bid by capability and \
        current load; the best bid wins and its remediation plan runs with a rollback log.
        """,
        version: "0.1.0",
        subcommands: [
            Demo.self,
            Validate.self,
            Simulate.self,
            Compare.self,
            Bench.self,
            Train.self,
            Tune.self,
            CoordinatorCommand.self,
            SpecialistCommand.self,
            SubmitCommand.self,
            CancelCommand.self,
            PoolCommand.self,
            UpCommand.self,
            History.self,
            Show.self,
            Approvals.self,
            ExecutorDrill.self,
        ]
    )
}
