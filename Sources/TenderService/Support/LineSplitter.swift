/// Splits a byte stream into newline-terminated lines, with a bound on line length so a peer
/// that never sends a newline cannot grow memory without limit.
public struct LineSplitter {
    let maxLineLength: Int
    private var partial: [UInt8] = []

    public init(maxLineLength: Int = 64 * 1024) { self.maxLineLength = maxLineLength }

    public enum Failure: Error, CustomStringConvertible {
        case lineTooLong(Int)
        public var description: String {
            switch self {
            case .lineTooLong(let limit): "line longer than \(limit) bytes"
            }
        }
    }

    /// Feed bytes; `line` is called for each complete line (without the newline, CR stripped).
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ line: (String) -> Void) throws(Failure) {
        var start = 0
        for index in 0..<bytes.count where bytes[index] == 0x0A {
            partial.append(contentsOf: bytes[start..<index])
            if partial.last == 0x0D { partial.removeLast() }
            if partial.count > maxLineLength { throw .lineTooLong(maxLineLength) }
            line(String(decoding: partial, as: UTF8.self))
            partial.removeAll(keepingCapacity: true)
            start = index + 1
        }
        partial.append(contentsOf: bytes[start...])
        if partial.count > maxLineLength { throw .lineTooLong(maxLineLength) }
    }

    /// What is left without a newline at end of stream.
    public var remainder: String? { partial.isEmpty ? nil : String(decoding: partial, as: UTF8.self) }
}
