import ArgumentParser
import Foundation
import TenderConfig

/// `tender validate PATH...`: check profiles (and scenarios, policies) before anything runs them.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check specialist profiles, scenarios and policies; report file:line errors.",
        discussion: "Directories are searched for .yaml and .yml files. Exits 1 if any file has a problem."
    )

    @Argument(help: "Files or directories to check.")
    var paths: [String] = ["specialists"]

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    /// Every kind of file the validator recognises, most specific first.
    static let kinds: [ConfigKind] = [.profile, .scenario, .policy]

    func run() throws {
        let results = ConfigValidator(kinds: Self.kinds).validate(paths: paths.filter { !$0.hasSuffix(".json") })
            + CheckpointValidation.validate(paths: paths)
        let failed = results.filter { !$0.ok }
        if json {
            try JSONOutput.print(ValidationReport(files: results.count, failed: failed.count, results: results))
        } else {
            for result in results {
                if result.ok {
                    print("ok    \(result.file): \(result.summary ?? result.kind ?? "")")
                } else {
                    for error in result.errors { printError(error) }
                }
            }
            let verdict = failed.isEmpty
                ? (results.count == 1 ? "the file is valid" : "all \(results.count) files are valid")
                : (results.count == 1 ? (Self.isDirectory(results[0].file) ? "nothing to validate" : "the file has problems") : "\(failed.count) of \(results.count) files have problems")
            print(verdict)
        }
        if !failed.isEmpty { throw ExitCode(1) }
    }

    static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}

/// The `--json` form of `tender validate`.
struct ValidationReport: Encodable {
    var files: Int
    var failed: Int
    var results: [ValidationResult]
}
