import Foundation

/// A kind of configuration file `tender validate` knows: how to recognise it and how to check it.
public struct ConfigKind: Sendable {
    public var name: String
    /// Whether a parsed document is of this kind (by its top-level keys).
    public var recognises: @Sendable (ConfigNode) -> Bool
    /// Check it fully; return a one-line summary, or throw `ConfigError`/`ConfigErrors`.
    public var check: @Sendable (ConfigNode) throws -> String

    public init(name: String, recognises: @escaping @Sendable (ConfigNode) -> Bool, check: @escaping @Sendable (ConfigNode) throws -> String) {
        self.name = name
        self.recognises = recognises
        self.check = check
    }

    /// A document whose top level is a mapping containing `key`.
    public static func hasKey(_ key: String) -> @Sendable (ConfigNode) -> Bool {
        { node in ((try? node.optional(key)) ?? nil) != nil }
    }

    public static let profile = ConfigKind(name: "profile", recognises: hasKey("playbooks")) { node in
        let profile = try ProfileLoader.parse(node)
        let steps = profile.playbooks.reduce(0) { $0 + $1.steps.count }
        return "\(profile.kind.rawValue) specialist `\(profile.name)`, capacity \(profile.capacity), \(profile.playbooks.count) playbooks, \(steps) steps"
    }
}

/// The verdict on one file.
public struct ValidationResult: Sendable, Codable {
    public var file: String
    public var kind: String?
    public var summary: String?
    public var errors: [String]
    public var ok: Bool { errors.isEmpty }

    public init(file: String, kind: String? = nil, summary: String? = nil, errors: [String]) {
        self.file = file
        self.kind = kind
        self.summary = summary
        self.errors = errors
    }
}

/// Checks files and directories of configuration: profiles, scenarios, policies.
public struct ConfigValidator: Sendable {
    public var kinds: [ConfigKind]
    /// File endings checked when walking a directory.
    public var extensions: Set<String> = ["yaml", "yml"]

    public init(kinds: [ConfigKind]) { self.kinds = kinds }

    /// Validate each path; directories are walked for YAML files, in sorted order.
    public func validate(paths: [String]) -> [ValidationResult] {
        paths.flatMap { path -> [ValidationResult] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                return [ValidationResult(file: path, errors: ["\(path): no such file or directory"])]
            }
            guard isDirectory.boolValue else { return [validate(file: path)] }
            let files = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { extensions.contains(($0 as NSString).pathExtension) }
                .sorted()
            guard !files.isEmpty else {
                // Nothing checked is not "all valid": a wrong directory must not pass.
                let endings = extensions.sorted().map { ".\($0)" }.joined(separator: " or ")
                return [ValidationResult(file: path, errors: ["\(path): no \(endings) files found, expected a directory of profiles, scenarios or policies"])]
            }
            return files.map { validate(file: (path as NSString).appendingPathComponent($0)) }
        }
    }

    public func validate(file: String) -> ValidationResult {
        do {
            let root = try ConfigNode.load(path: file)
            guard let kind = kinds.first(where: { $0.recognises(root) }) else {
                let names = kinds.map(\.name).joined(separator: ", ")
                return ValidationResult(file: file, errors: ["\(root.error("is not a known kind of file, expected one of: \(names)"))"])
            }
            do {
                return ValidationResult(file: file, kind: kind.name, summary: try kind.check(root), errors: [])
            } catch {
                return ValidationResult(file: file, kind: kind.name, errors: Self.messages(error))
            }
        } catch {
            return ValidationResult(file: file, errors: Self.messages(error))
        }
    }

    public static func messages(_ error: Error) -> [String] {
        switch error {
        case let many as ConfigErrors: many.errors.map(\.description)
        case let one as ConfigError: [one.description]
        default: ["\(error)"]
        }
    }
}
