import ArgumentParser
import Foundation
import TenderStore

/// `--db` for the commands that read the system of record.
struct StoreOptions: ParsableArguments {
    @Option(help: "The coordinator's SQLite store (its --db).")
    var db = "tender.db"

    func reader() throws -> StoreReader {
        guard FileManager.default.fileExists(atPath: db) else {
            throw ValidationError("no store at \(db); pass the coordinator's --db")
        }
        return try StoreReader(path: db)
    }
}

/// JSON with snake_case keys, as every `--json` output.
enum SnakeJSON {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// Unix seconds as an ISO 8601 UTC time, for people.
func isoTime(_ seconds: Double?) -> String {
    guard let seconds else { return "-" }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: Date(timeIntervalSince1970: seconds))
}
