import TenderConfig

/// How the command driver runs one action: a program and its arguments (with `{param}`
/// placeholders), a timeout, whether it is safe to run twice, and how often to retry it.
public struct ActionCommand: Sendable, Hashable {
    public var action: String
    public var argv: [ArgvTemplate]
    public var timeoutSeconds: Double
    public var idempotent: Bool
    public var retries: Int
    /// Where it was defined, for messages.
    public var source: String

    public var policy: StepPolicy { StepPolicy(idempotent: idempotent, retries: retries, timeoutSeconds: timeoutSeconds) }
}

/// The actions file (`--actions FILE`): YAML mapping each action name to
/// `{argv: [program, arg...], timeout_s, idempotent, retries}`. Every problem is reported with
/// file:line and what was expected, all of them in one pass.
public struct ActionCatalog: Sendable, Hashable {
    public var commands: [String: ActionCommand]

    public init(commands: [String: ActionCommand]) { self.commands = commands }

    public func policy(for action: String) -> StepPolicy? { commands[action]?.policy }

    public static func load(path: String) throws -> ActionCatalog {
        try parse(ConfigNode.load(path: path))
    }

    public static func parse(_ text: String, file: String) throws -> ActionCatalog {
        try parse(ConfigNode.parse(text, file: file))
    }

    static func parse(_ root: ConfigNode) throws -> ActionCatalog {
        let diagnostics = Diagnostics()
        var commands: [String: ActionCommand] = [:]
        let entries = try root.entries()
        if entries.isEmpty { throw root.error("the actions file is empty, expected a mapping of action names to {argv, timeout_s, idempotent, retries}") }
        for (name, node) in entries {
            diagnostics.attempt {
                let valid = !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
                guard valid else { throw node.error("action `\(name)` is not a lowercase name like block_ip") }
                try node.rejectUnknownKeys(["argv", "timeout_s", "idempotent", "retries"])
                let argvNodes = try node.required("argv", expected: "a list: [program, arg, ...]").list()
                guard let program = argvNodes.first else { throw node.error("\(name).argv is empty, expected at least the program") }
                let argv = try argvNodes.map { item in
                    let text = try item.string()
                    do {
                        return try ArgvTemplate(text)
                    } catch let problem as ArgvTemplate.Problem {
                        throw item.error("\(item.path) is `\(text)`: \(problem.description)")
                    }
                }
                if try program.string().isEmpty { throw program.error("\(program.path) is empty, expected a program path") }
                if !argv[0].placeholders.isEmpty { throw program.error("\(program.path) has a placeholder; the program itself must be fixed") }
                let timeout = try node.optional("timeout_s")?.double(in: 0.001...86_400) ?? 60
                let idempotent = try node.optional("idempotent").map { flag -> Bool in
                    guard let value = flag.node.bool else { throw flag.error("\(flag.path) is not true or false") }
                    return value
                } ?? false
                let retries = try node.optional("retries")?.int(in: 0...20) ?? 0
                if retries > 0 && !idempotent, let retriesNode = try node.optional("retries") {
                    throw retriesNode.error("\(name).retries is \(retries), but the action is not idempotent; only idempotent actions may be retried")
                }
                commands[name] = ActionCommand(action: name, argv: argv, timeoutSeconds: timeout, idempotent: idempotent, retries: retries,
                                               source: "\(root.file):\(node.line)")
            }
        }
        try diagnostics.check()
        return ActionCatalog(commands: commands)
    }
}
