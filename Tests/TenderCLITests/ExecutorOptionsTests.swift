import Testing

/// The executor options of `coordinator` and `up`, as a user types them: bad paging argv is
/// refused before anything starts, and `up` gates high-risk steps like `coordinator`.
@Suite struct ExecutorOptionsTests {
    @Test func badNotifyCommandsAreRefusedBeforeAnythingStarts() throws {
        let orphan = try TenderProcess.run(["coordinator", "--notify-arg", "-a"])
        #expect(orphan.status != 0)
        #expect(orphan.stderr.contains("--notify-arg needs --notify-command"), "\(orphan.stderr)")
        let broken = try TenderProcess.run(["coordinator", "--notify-command", #"["/usr/bin/tee", 3]"#])
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("not a JSON array of strings"), "\(broken.stderr)")
        let both = try TenderProcess.run(["up", "--notify-command", #"["/usr/bin/tee"]"#, "--notify-arg", "x"])
        #expect(both.status != 0)
        #expect(both.stderr.contains("give no --notify-arg with it"), "\(both.stderr)")
    }

    @Test func upAndCoordinatorBothDocumentTheHighDefault() throws {
        for command in ["up", "coordinator"] {
            let help = try TenderProcess.run([command, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("--notify-arg"))
            // Help wraps lines: compare with the whitespace folded.
            let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(text.contains("low, medium, high (the default), or none"), "\(command) --help")
        }
    }
}
