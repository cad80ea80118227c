import Foundation
import Testing
@testable import TenderHTTP

/// The dashboard rendered by headless Chromium against a server started here.
@Suite struct BrowserTests {
    static let chromium = "/usr/bin/chromium"

    private func runChromium(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.chromium)
        // --virtual-time-budget lets the page's fetches and timers run before the DOM is taken,
        // on Chromium's virtual clock rather than a sleep.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--user-data-dir=" + NSTemporaryDirectory() + "tender-chromium-\(UUID().uuidString)",
                             "--virtual-time-budget=8000"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A hung browser must fail the test, not hang it.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 90, execute: watchdog)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        watchdog.cancel()
        return text
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: BrowserTests.chromium), "skipped: /usr/bin/chromium is missing; install Debian's chromium (make deps does)"))
    func dashboardShowsFairnessFiguresAndARowPerSpecialist() throws {
        let server = try ServerThread()
        defer { server.shutdown() }
        let dom = try runChromium(["--dump-dom", "http://127.0.0.1:\(server.port)/?live=0"])
        // Jain's index is rendered as a number with three decimals, not the "–" placeholder.
        let jain = dom.firstMatch(of: #/id="fair-jain">([0-9.]+)</#)
        #expect(jain != nil, "no Jain figure in the DOM")
        if let value = jain.flatMap({ Double($0.1) }) { #expect(value > 0 && value <= 1) }
        #expect(dom.firstMatch(of: #/id="fair-gini">[0-9.]+</#) != nil)
        #expect(dom.matches(of: #/<tr class="specialist-row" data-name="[a-z]/#).count == 6)
        for name in ["security-1", "performance-1", "network-1", "database-1", "security-2", "performance-2"] {
            #expect(dom.contains("data-name=\"\(name)\""))
        }
        // Pending approvals have their buttons; auctions list their bids.
        #expect(dom.contains("<button data-approve="))
        #expect(dom.contains("<span class=\"chip won\">"))
        #expect(dom.contains("<div id=\"note\"></div>"), "the page reported a problem (Chart.js missing?)")
        #expect(dom.contains(" specialists connected"))
    }

    /// Saves docs/dashboard.png when TENDER_SCREENSHOT names a path (`make dashboard-screenshot`).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: BrowserTests.chromium) && ProcessInfo.processInfo.environment["TENDER_SCREENSHOT"] != nil,
                   "skipped: set TENDER_SCREENSHOT=path (and install chromium) to save a screenshot"))
    func screenshot() throws {
        let path = ProcessInfo.processInfo.environment["TENDER_SCREENSHOT"]!
        let server = try ServerThread()
        defer { server.shutdown() }
        _ = try runChromium(["--screenshot=" + path, "--window-size=1400,2300", "--hide-scrollbars", "http://127.0.0.1:\(server.port)/?live=0"])
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
