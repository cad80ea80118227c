/// Why intake did not take a line.
public struct IntakeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field at fault (`entities[3].value`), or nil when the line as a whole is wrong.
    public var field: String?
    public var message: String
    /// The line's `ref`, when it had a readable one.
    public var reference: String?

    public init(field: String?, _ message: String, reference: String? = nil) {
        self.field = field
        self.message = message
        self.reference = reference
    }

    public var description: String { field.map { "\($0): \(message)" } ?? message }
}
