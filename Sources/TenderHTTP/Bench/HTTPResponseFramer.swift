import CHTTPParser

/// Frames the responses arriving on one client connection with http-parser (never by hand) and
/// reports each complete one's status: the shared reading half of the benchmark clients.
final class HTTPResponseFramer {
    private let parser = UnsafeMutablePointer<http_parser>.allocate(capacity: 1)
    /// Called once per complete response, with its status code.
    var onResponse: (Int) -> Void = { _ in }

    init() {
        http_parser_init(parser, HTTP_RESPONSE)
        parser.pointee.data = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit { parser.deallocate() }

    /// Feed received bytes; false when they are not valid HTTP (the caller drops the connection).
    func feed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let parsed = withUnsafePointer(to: &Self.settings) { settings in
            http_parser_execute(parser, settings, base.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        return parsed == bytes.count && chttpparser_errno(parser) == HPE_OK.rawValue
    }

    nonisolated(unsafe) private static var settings: http_parser_settings = {
        var settings = http_parser_settings()
        http_parser_settings_init(&settings)
        settings.on_message_complete = { parser in
            let framer = Unmanaged<HTTPResponseFramer>.fromOpaque(parser!.pointee.data).takeUnretainedValue()
            framer.onResponse(Int(parser!.pointee.status_code))
            return 0
        }
        return settings
    }()
}
