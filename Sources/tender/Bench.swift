import ArgumentParser

/// `tender bench …`: benchmarks that print their figures as JSON. Timed here, never in tests.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks that print their figures as JSON (build with -c release).",
        subcommands: [BenchSimulate.self, BenchCoordinator.self, BenchStore.self, BenchPPO.self, BenchHTTP.self, BenchAuctionUnderLoad.self, BenchReputation.self]
    )
}
