import ArgumentParser
import Foundation
import TenderService
import TenderUV

/// `tender cancel ID`: withdraw an open incident through a running coordinator's intake
/// (`{"op":"cancel"}`): its auction ends, a plan being executed is stopped and what ran undone,
/// and it concludes `cancelled`.
struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel an open incident: a plan being executed is stopped and what ran is undone.",
        discussion: "Prints the coordinator's reply (a JSON line). Exits 1 if nothing was cancelled (the incident had already concluded, or does not exist)."
    )

    @Argument(help: "The incident id (as `tender submit` printed it; `INC-42` or `42`).")
    var incident: String

    @Option(help: "The coordinator's intake address.")
    var intake = HostPort(host: "127.0.0.1", port: 7401)

    @Option(help: "Why: recorded in the audit log.")
    var reason: String?

    @Option(help: "Who cancels; defaults to $USER.")
    var by: String?

    @Option(help: "Give up after this many seconds.")
    var timeout = 30.0

    var id: UInt64? {
        UInt64(incident.hasPrefix("INC-") ? String(incident.dropFirst(4)) : incident).flatMap { $0 > 0 ? $0 : nil }
    }

    func validate() throws {
        guard id != nil else { throw ValidationError("`\(incident)` is not an incident id (a positive number, or INC-N)") }
    }

    func run() throws {
        var request: [String: String] = ["op": "cancel", "by": by ?? ProcessInfo.processInfo.environment["USER"] ?? "tender cancel"]
        if let reason { request["reason"] = reason }
        var object = request.mapValues { $0 as Any }
        object["id"] = id
        let line = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)

        let loop = try EventLoop()
        var reply: String?
        var failure: String?
        StreamConnection.connect(loop: loop, host: intake.host, port: intake.port) { result in
            switch result {
            case .failure(let error):
                failure = "cannot reach the coordinator at \(intake): \(error)"
                loop.stop()
            case .success(let stream):
                var splitter = LineSplitter()
                stream.onRead = { bytes in
                    try? splitter.feed(bytes) { text in
                        guard reply == nil else { return }
                        reply = text
                        stream.close()
                        loop.stop()
                    }
                }
                stream.onClose = { _ in
                    if reply == nil { failure = "the coordinator closed the connection without a reply" }
                    loop.stop()
                }
                try? stream.startReading()
                stream.write(line + "\n")
            }
        }
        let deadline = try LoopTimer(loop: loop)
        deadline.unref()
        deadline.start(afterMilliseconds: UInt64(timeout * 1000)) {
            failure = "no reply within \(timeout) s"
            loop.stop()
        }
        loop.run()
        guard let reply else {
            printError(failure ?? "no reply")
            throw ExitCode(1)
        }
        print(reply)
        let answer = (try? JSONSerialization.jsonObject(with: Data(reply.utf8))) as? [String: Any]
        if answer?["ok"] as? Bool != true { throw ExitCode(1) }
    }
}
