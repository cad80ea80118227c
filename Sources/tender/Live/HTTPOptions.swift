import ArgumentParser
import Foundation
import Logging
import TenderHTTP
import TenderService
import TenderUV

/// `--http`, `--api-token-file`, `--api-auth-reads`: the HTTP API and dashboard on the
/// coordinator's loop (`tender coordinator` and `tender up`).
struct HTTPOptions: ParsableArguments {
    @Option(help: "Serve the HTTP API (/v1), /metrics, /events and the dashboard (/) on HOST:PORT (port 0: any free port).")
    var http: HostPort?

    @Option(name: .customLong("api-token-file"), help: "File holding the bearer token API writes need (and reads, with --api-auth-reads).")
    var apiTokenFile: String?

    @Flag(name: .customLong("api-auth-reads"), help: "Require the bearer token for reads too.")
    var apiAuthReads = false

    func validate() throws {
        if http == nil, apiTokenFile != nil || apiAuthReads {
            throw ValidationError("--api-token-file and --api-auth-reads need --http")
        }
        if apiAuthReads, apiTokenFile == nil {
            throw ValidationError("--api-auth-reads needs --api-token-file")
        }
    }

    /// Start the API on the coordinator's loop, or nothing without `--http`.
    func start(coordinator: Coordinator, loop: EventLoop, logger: Logger) throws -> APIService? {
        guard let http else { return nil }
        let auth: BearerAuth
        do {
            auth = try apiTokenFile.map { try BearerAuth.loading(tokenFile: $0, protectReads: apiAuthReads) } ?? BearerAuth(token: nil)
        } catch {
            throw ValidationError("\(error)")
        }
        let backend = try CoordinatorAPIBackend(coordinator: coordinator)
        let service = try APIService(loop: loop, host: http.host, port: http.port, backend: backend, auth: auth)
        backend.attach(to: service)
        service.router.incidentLimits = coordinator.config.incidentLimits
        if !auth.isEnabled {
            logger.notice("no --api-token-file: the HTTP API takes writes from anyone who can reach it")
        }
        return service
    }
}

extension APIService {
    /// The dashboard's address as a person types it.
    func dashboardURL(host: String) -> String {
        let shown = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        return "http://\(shown.contains(":") ? "[\(shown)]" : shown):\(port)/"
    }
}
