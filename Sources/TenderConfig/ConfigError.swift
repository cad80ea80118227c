/// A problem in a configuration file, located to its line: `file:line: what is wrong, what was expected`.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when the problem concerns the whole file (unreadable, empty).
    public var line: Int
    public var message: String

    public init(file: String, line: Int, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }

    /// The longest piece of a user's file quoted in a message.
    public static let maximumSnippet = 120

    /// `text` on one line, cut to `maximumSnippet` characters: what a message may quote of a
    /// user's file, however large the file.
    public static func snippet(_ text: some StringProtocol) -> String {
        let line = text.prefix(maximumSnippet * 4).map { $0.isNewline ? " " : $0 }
        let cut = String(line.prefix(maximumSnippet))
        return line.count > maximumSnippet ? cut + "…" : cut
    }
}

/// Several config errors at once, so a user fixes a file in one pass rather than one error per run.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ConfigError]
    public init(_ errors: [ConfigError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Collects errors while a loader keeps reading, so one run reports every problem in a file.
public final class Diagnostics {
    public private(set) var errors: [ConfigError] = []

    public init() {}

    /// Run `body`; if it throws a config error, note it and return nil instead.
    public func attempt<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let error as ConfigError {
            errors.append(error)
        } catch let many as ConfigErrors {
            errors.append(contentsOf: many.errors)
        } catch {
            errors.append(ConfigError(file: "?", line: 0, "\(error)"))
        }
        return nil
    }

    public func report(_ error: ConfigError) { errors.append(error) }

    /// Throw everything collected, if anything was.
    public func check() throws {
        if !errors.isEmpty { throw ConfigErrors(errors) }
    }
}
