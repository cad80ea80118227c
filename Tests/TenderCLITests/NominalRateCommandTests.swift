import Testing

/// `--nominal-rate` on `specialist` and `pool`: a bad value is refused before anything starts.
@Suite struct NominalRateCommandTests {
    @Test(arguments: [["specialist", "--profile", "specialists/network.yaml"], ["pool"]])
    func aBadNominalRateIsRefusedWithTheOptionNamed(command: [String]) throws {
        let negative = try TenderProcess.run(command + ["--nominal-rate=-2"])
        #expect(negative.status != 0)
        #expect(negative.stderr.contains("--nominal-rate") && negative.stderr.contains("at least 0"), "\(negative.stderr)")
        let missing = try TenderProcess.run(command + ["--nominal-rate", "simulations/no-such-storm.yaml"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no-such-storm.yaml"), "\(missing.stderr)")
    }
}
