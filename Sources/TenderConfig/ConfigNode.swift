import Foundation
import Yams

/// A position in a parsed YAML document that knows its file, line and dotted path, so every
/// typed read fails with `file:line: <path> is <what>, expected <what>`.
public struct ConfigNode {
    public let node: Node
    public let file: String
    /// Dotted path from the document root, such as `skills.security` or `playbooks[2].steps[0]`.
    public let path: String

    public var line: Int { node.mark?.line ?? 0 }

    /// The largest configuration file read. Profiles, scenarios and policies are a few KiB; the
    /// cap keeps a stray multi-megabyte file from costing hundreds of MiB of parse tree.
    public static let maximumFileBytes = 4 << 20

    /// Parse a whole file. YAML syntax errors come back as a `ConfigError` at their line.
    public static func load(path: String) throws -> ConfigNode {
        // Check the size before reading, so an oversized file is never loaded whole.
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber, size.intValue > maximumFileBytes {
            throw ConfigError(file: path, line: 0, Self.tooLarge(size.intValue))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: 0, "cannot be read, expected a readable YAML file")
        }
        guard data.count <= maximumFileBytes else { throw ConfigError(file: path, line: 0, Self.tooLarge(data.count)) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: 0, "is not UTF-8 text, expected a YAML file")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws -> ConfigNode {
        guard text.utf8.count <= maximumFileBytes else { throw ConfigError(file: file, line: 0, tooLarge(text.utf8.count)) }
        do {
            guard let root = try Yams.compose(yaml: text) else {
                throw ConfigError(file: file, line: 0, "is empty, expected a YAML mapping")
            }
            return ConfigNode(node: root, file: file, path: "")
        } catch let error as YamlError {
            // Never print a YamlError itself: its description embeds the whole document.
            if case .duplicatedKeysInMapping(let keys, let context) = error {
                throw ConfigErrors(DuplicateKeys.locate(keys, firstAt: context.mark, in: text, file: file))
            }
            throw ConfigError(file: file, line: Self.line(of: error), "YAML syntax error: \(Self.problem(of: error))")
        }
    }

    private static func tooLarge(_ bytes: Int) -> String {
        "is \(bytes) bytes, expected a configuration file of at most \(maximumFileBytes) bytes (\(maximumFileBytes >> 20) MiB)"
    }

    public func error(_ message: String) -> ConfigError {
        ConfigError(file: file, line: line, message)
    }

    private var subject: String { path.isEmpty ? "the document" : path }

    private func child(_ node: Node, _ component: String) -> ConfigNode {
        let childPath = path.isEmpty ? component : component.hasPrefix("[") ? path + component : "\(path).\(component)"
        return ConfigNode(node: node, file: file, path: childPath)
    }

    // MARK: Mappings

    /// Key–value pairs in document order.
    public func entries() throws -> [(key: String, value: ConfigNode)] {
        guard let mapping = node.mapping else { throw error("\(subject) is \(describe()), expected a mapping") }
        return try mapping.map { key, value in
            guard let name = key.string else { throw ConfigError(file: file, line: key.mark?.line ?? line, "\(subject) has a non-text key, expected names") }
            return (name, child(value, name))
        }
    }

    public func optional(_ key: String) throws -> ConfigNode? {
        guard let mapping = node.mapping else { throw error("\(subject) is \(describe()), expected a mapping") }
        guard let value = mapping[key] else { return nil }
        if case .scalar(let scalar) = value, scalar.tag == Tag(.null) { return nil }
        return child(value, key)
    }

    public func required(_ key: String, expected: String) throws -> ConfigNode {
        guard let value = try optional(key) else {
            throw error("\(subject) is missing `\(key)`, expected \(expected)")
        }
        return value
    }

    /// Fail on keys outside `allowed`, naming the closest allowed one: catches typos that would
    /// otherwise silently fall back to defaults.
    public func rejectUnknownKeys(_ allowed: [String]) throws {
        for (key, value) in try entries() where !allowed.contains(key) {
            throw ConfigError(file: file, line: value.line, "unknown field `\(key)` in \(subject), expected one of: \(allowed.joined(separator: ", "))")
        }
    }

    // MARK: Sequences

    public func list() throws -> [ConfigNode] {
        guard let sequence = node.sequence else { throw error("\(subject) is \(describe()), expected a list") }
        return sequence.enumerated().map { index, item in child(item, "[\(index)]") }
    }

    // MARK: Scalars

    public func string() throws -> String {
        guard let scalar = node.scalar else { throw error("\(subject) is \(describe()), expected text") }
        return scalar.string
    }

    public func double(in range: ClosedRange<Double>? = nil) throws -> Double {
        guard let value = node.float ?? node.int.map(Double.init), value.isFinite else {
            throw error("\(subject) is \(describe()), expected a number")
        }
        if let range, !range.contains(value) {
            throw error("\(subject) is \(value.formatted), expected a number from \(range.lowerBound.formatted) to \(range.upperBound.formatted)")
        }
        return value
    }

    public func int(in range: ClosedRange<Int>? = nil) throws -> Int {
        guard let value = node.int else { throw error("\(subject) is \(describe()), expected a whole number") }
        if let range, !range.contains(value) {
            throw error("\(subject) is \(value), expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    public func uint64() throws -> UInt64 {
        guard let scalar = node.scalar, let value = UInt64(scalar.string) else {
            throw error("\(subject) is \(describe()), expected a non-negative whole number")
        }
        return value
    }

    /// A value from a closed set of names (a category, a severity, a distribution).
    public func oneOf<T>(_ what: String, _ names: [String], _ make: (String) -> T?) throws -> T {
        let text = try string()
        guard let value = make(text) else {
            throw error("\(subject) is `\(text)`, an unknown \(what); expected one of: \(names.joined(separator: ", "))")
        }
        return value
    }

    private func describe() -> String {
        switch node {
        case .scalar(let scalar): scalar.string.isEmpty ? "empty" : "`\(scalar.string)`"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    // MARK: Yams error positions

    private static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: 0
        }
    }

    /// What went wrong, in at most a line: never the document, which some cases carry whole.
    private static func problem(of error: YamlError) -> String {
        let text: String
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        case .reader(let problem, let offset, _, _):
            text = offset.map { "\(problem) at byte \($0)" } ?? problem
        case .writer(let problem), .emitter(let problem), .representer(let problem):
            text = problem
        case .memory:
            text = "out of memory"
        case .dataCouldNotBeDecoded(let encoding):
            text = "cannot be decoded as \(encoding)"
        case .duplicatedKeysInMapping(let keys, _):
            text = "duplicate keys \(keys.joined(separator: ", "))"
        default:
            text = "unreadable YAML"
        }
        return ConfigError.snippet(text)
    }
}

extension Double {
    /// Whole numbers without a trailing `.0`, for messages people read.
    var formatted: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
