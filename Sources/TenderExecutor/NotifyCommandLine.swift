import Foundation

/// The pager's argv from `--notify-command` and `--notify-arg`, never through a shell.
///
/// Forms, in the order they are recognised:
/// - a JSON array of strings (`["/usr/bin/curl", "-d", "@-", "https://pager.example"]`): the whole
///   argv, each element kept exactly (no other `--notify-arg` allowed);
/// - a program with `--notify-arg` values: the program, then each argument whole, spaces and all;
/// - a program alone: one argv element, even with spaces in its path when that file exists;
/// - the old form, `"PROGRAM ARG ..."` naming no existing file: split on whitespace, as before,
///   and flagged (`legacySplit`) so the command line can warn that an argument with a space in it
///   cannot be written this way.
public enum NotifyCommandLine {
    /// Why the options give no usable argv.
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public struct Parsed: Sendable, Hashable {
        public var argv: [String]
        /// The value was split on whitespace (the old form).
        public var legacySplit: Bool
    }

    public static func argv(_ command: String, arguments: [String]) throws(Problem) -> [String] {
        try parse(command, arguments: arguments).argv
    }

    /// `exists` answers whether a path names a file (injected so tests need no file system).
    public static func parse(_ command: String, arguments: [String],
                             exists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) throws(Problem) -> Parsed {
        let trimmed = command.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw Problem(description: "--notify-command is empty") }
        if trimmed.hasPrefix("[") {
            guard arguments.isEmpty else {
                throw Problem(description: "--notify-command is a JSON array (the whole argv); give no --notify-arg with it")
            }
            guard let argv = try? JSONDecoder().decode([String].self, from: Data(trimmed.utf8)) else {
                throw Problem(description: "--notify-command starts with `[` but is not a JSON array of strings: \(command)")
            }
            guard let program = argv.first, !program.isEmpty else {
                throw Problem(description: "--notify-command's JSON array is empty, or its program is an empty string")
            }
            return Parsed(argv: argv, legacySplit: false)
        }
        let hasSpace = command.contains(where: \.isWhitespace)
        if !arguments.isEmpty || !hasSpace || exists(command) {
            return Parsed(argv: [command] + arguments, legacySplit: false)
        }
        return Parsed(argv: command.split(whereSeparator: \.isWhitespace).map(String.init), legacySplit: true)
    }
}
