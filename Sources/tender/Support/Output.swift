import Foundation

/// Machine-readable output: one JSON object on stdout, keys sorted so diffs stay stable.
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func print<T: Encodable>(_ value: T) throws {
        Swift.print(try encode(value))
    }
}

/// Diagnostics go to stderr so stdout stays clean for pipes and `--json`.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
