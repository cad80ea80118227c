import Foundation

/// Runs the built `tender` binary with arguments (never through a shell) and captures its output.
struct TenderProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `tender` binary SwiftPM built beside this test runner, so debug tests run the debug
    /// binary and `make test` (release) runs the release one. `/proc/self/exe` names the runner;
    /// `Bundle.main` does not, under swift-testing on Linux.
    static let binary: URL = {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: runner).deletingLastPathComponent().appendingPathComponent("tender")
    }()

    static func run(_ arguments: [String], input: String = "") throws -> Result {
        // Output goes to files rather than pipes: nothing can fill up and block, and no thread or
        // task has to drain it while we wait.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tender-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let files = ["in", "out", "err"].map { scratch.appendingPathComponent($0) }
        try Data(input.utf8).write(to: files[0])
        for file in files.dropFirst() { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }

        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = repository
        process.standardInput = try FileHandle(forReadingFrom: files[0])
        process.standardOutput = try FileHandle(forWritingTo: files[1])
        process.standardError = try FileHandle(forWritingTo: files[2])
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: try String(contentsOf: files[1], encoding: .utf8),
            stderr: try String(contentsOf: files[2], encoding: .utf8)
        )
    }
}
