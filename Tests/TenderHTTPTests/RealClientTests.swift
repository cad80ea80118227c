import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TenderUV
@testable import TenderHTTP

/// A server on its own loop thread, for clients that are not on the loop (URLSession, chromium).
final class ServerThread: @unchecked Sendable {
    let port: Int
    let backend: SyntheticBackend
    private let thread: Thread
    private let stop: LoopWakeup
    private let finished = DispatchSemaphore(value: 0)

    /// `prepare` runs on the loop thread before serving (fill the backend there: it is loop-only).
    init(auth: BearerAuth = BearerAuth(token: nil), prepare: @escaping (SyntheticBackend) -> Void = { _ in }) throws {
        let ready = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var made: (Int, SyntheticBackend, LoopWakeup)?
        nonisolated(unsafe) var failure: Error?
        let finished = self.finished
        thread = Thread {
            do {
                let loop = try EventLoop()
                let backend = SyntheticBackend(specialists: 6, seed: 3, now: { Date().timeIntervalSince1970 })
                prepare(backend)
                let service = try APIService(loop: loop, host: "127.0.0.1", port: 0, backend: backend, auth: auth, sampleMilliseconds: 0)
                for step in 0..<30 {
                    backend.advance(auctions: 3)
                    service.history.record(at: Date().timeIntervalSince1970 - Double(30 - step) * 2, from: backend)
                }
                let stop = try LoopWakeup(loop: loop) {
                    service.close()
                    loop.stop()
                }
                made = (service.port, backend, stop)
                ready.signal()
                loop.run()
                stop.close()
                loop.close()
            } catch {
                failure = error
                ready.signal()
            }
            finished.signal()
        }
        thread.start()
        ready.wait()
        if let failure { throw failure }
        (port, backend, stop) = made!
    }

    func shutdown() {
        stop.wake()
        finished.wait()
    }
}

@Suite struct RealClientTests {
    /// URLSession, as an integrating system would call the API.
    @Test func urlSessionSubmitsAndReads() async throws {
        let server = try ServerThread(auth: BearerAuth(token: "t0ken"))
        defer { server.shutdown() }
        let base = "http://127.0.0.1:\(server.port)"
        var post = URLRequest(url: URL(string: base + "/v1/incidents")!)
        post.httpMethod = "POST"
        post.setValue("application/json", forHTTPHeaderField: "Content-Type")
        post.httpBody = Data(#"[{"category":"network","severity":"critical","ref":"a"},{"category":"database","ref":"b"}]"#.utf8)
        let (_, unauthorised) = try await URLSession.shared.data(for: post)
        #expect((unauthorised as? HTTPURLResponse)?.statusCode == 401)
        post.setValue("Bearer t0ken", forHTTPHeaderField: "Authorization")
        let (body, accepted) = try await URLSession.shared.data(for: post)
        #expect((accepted as? HTTPURLResponse)?.statusCode == 202)
        let ids = ((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["incidents"] as? [[String: Any]])?.compactMap { $0["reference"] as? String }
        #expect(ids == ["a", "b"])
        let (fairness, ok) = try await URLSession.shared.data(from: URL(string: base + "/v1/fairness")!)
        #expect((ok as? HTTPURLResponse)?.statusCode == 200)
        #expect(((try JSONSerialization.jsonObject(with: fairness) as? [String: Any])?["total"] as? [String: Any])?["jain"] is Double)
        let (_, missing) = try await URLSession.shared.data(from: URL(string: base + "/v1/incidents/424242")!)
        #expect((missing as? HTTPURLResponse)?.statusCode == 404)
    }
}
