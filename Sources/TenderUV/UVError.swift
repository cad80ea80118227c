import CLibUV

/// A libuv call failed. Carries libuv's own name for the error (`ECONNREFUSED`, `EADDRINUSE`)
/// and the function that returned it, so a log line says exactly what went wrong where.
public struct UVError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The negative libuv error code.
    public let code: Int32
    /// libuv's symbolic name for `code`, from `uv_err_name`.
    public let name: String
    /// The libuv function (or wrapper step) that failed.
    public let function: String

    public init(code: Int32, function: String) {
        self.code = code
        self.function = function
        name = String(cString: uv_err_name(code))
    }

    /// libuv's human-readable message for the code.
    public var message: String { String(cString: uv_strerror(code)) }

    /// The peer closed its end of a stream in an orderly way.
    public var isEndOfFile: Bool { code == UV_EOF.rawValue }

    public var description: String { "\(function) failed: \(name) (\(message))" }
}

/// Turn a libuv return code into a thrown `UVError` naming `function`; pass success values through.
@discardableResult
@inline(__always)
func check(_ result: Int32, _ function: StaticString) throws(UVError) -> Int32 {
    guard result >= 0 else { throw UVError(code: result, function: "\(function)") }
    return result
}
