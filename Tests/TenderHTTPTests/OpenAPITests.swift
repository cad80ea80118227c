import Foundation
import Testing
@testable import TenderHTTP

@Suite struct OpenAPITests {
    static let specPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/openapi.yaml").standardized.path

    static var validatorInstalled: Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import openapi_spec_validator"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test(.enabled(if: OpenAPITests.validatorInstalled, "skipped: python3 with openapi-spec-validator is missing (pip install openapi-spec-validator)"))
    func specIsValidOpenAPI() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys; from openapi_spec_validator import validate; from openapi_spec_validator.readers import read_from_filename; validate(read_from_filename(sys.argv[1])[0])", Self.specPath]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(message)")
    }

    /// Every path the spec documents is one the router serves, and every /v1 route is documented.
    @Test func specAndRouterAgreeOnPaths() throws {
        let text = try String(contentsOfFile: Self.specPath, encoding: .utf8)
        let documented = Set(text.split(separator: "\n").filter { $0.hasPrefix("  /") && $0.hasSuffix(":") }.map { String($0.dropFirst(2).dropLast()) })
        let served = ["/v1/incidents", "/v1/incidents/{id}", "/v1/incidents/{id}/cancel", "/v1/specialists", "/v1/fairness", "/v1/history", "/v1/auctions", "/v1/executions",
                      "/v1/approvals", "/v1/approvals/{id}/approve", "/v1/approvals/{id}/deny", "/healthz", "/readyz", "/metrics", "/events"]
        #expect(documented == Set(served))
        for path in served {
            let concrete = path.replacingOccurrences(of: "{id}", with: "7")
            #expect(APIRouter.match(concrete).0 == path, "router does not serve \(path)")
        }
    }
}
