import BrowserSupport
import Foundation
import Testing
@testable import TenderHTTP

/// The dashboard rendered by headless Chromium against a server started here.
@Suite struct BrowserTests {
    @Test(.enabled(if: HeadlessChromium.isInstalled, "skipped: /usr/bin/chromium is missing; install Debian's chromium (make deps does)"))
    func dashboardShowsFairnessFiguresAndARowPerSpecialist() throws {
        let server = try ServerThread()
        defer { server.shutdown() }
        let dom = try HeadlessChromium.run(["--dump-dom", "http://127.0.0.1:\(server.port)/?live=0"])
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

    /// A person's click on a pending approval's button: the page's own handler sends the
    /// decision, the backend records it as the dashboard's, and the row loses its buttons.
    @Test(.enabled(if: HeadlessChromium.isInstalled, "skipped: /usr/bin/chromium is missing; install Debian's chromium (make deps does)"))
    func clickingApproveRecordsTheDecision() throws {
        let server = try ServerThread()
        var stopped = false
        defer { if !stopped { server.shutdown() } }
        let page = try BrowserPage(url: "http://127.0.0.1:\(server.port)/?live=0")
        defer { page.close() }
        #expect(try page.waitUntil("document.querySelector('button[data-approve]')"), "no approve button rendered")
        let id = try page.evaluate("document.querySelector('button[data-approve]').dataset.approve") as? String ?? ""
        #expect(!id.isEmpty)
        try page.click("button[data-approve=\"\(id)\"]")
        #expect(try page.waitUntil("!document.querySelector('button[data-approve=\"\(id)\"]')"),
                "the row of \(id) still offers approve after the click")
        #expect(try page.evaluate("document.getElementById('note').textContent") as? String == "")
        page.close()
        server.shutdown()
        stopped = true
        let decisions = server.backend.decisions
        #expect(decisions.count == 1)
        #expect(decisions.first?.id == id && decisions.first?.decision == .approve && decisions.first?.actor == "dashboard")
    }

    /// The timeline of an open incident offers Cancel; a click cancels it through the API as the
    /// dashboard's, and the redrawn timeline says `cancelled` with no button left.
    @Test(.enabled(if: HeadlessChromium.isInstalled, "skipped: /usr/bin/chromium is missing; install Debian's chromium (make deps does)"))
    func clickingCancelOnAnOpenIncidentCancelsIt() throws {
        let server = try ServerThread()
        var stopped = false
        defer { if !stopped { server.shutdown() } }
        let page = try BrowserPage(url: "http://127.0.0.1:\(server.port)/?live=0")
        defer { page.close() }
        let found = try page.evaluate("fetch('/v1/incidents?state=awaiting_approval&limit=1').then(r => r.json()).then(p => String(p.incidents[0].id))", awaitPromise: true)
        let id = try #require(found as? String, "no open incident to cancel")
        _ = try page.evaluate("openTimeline('\(id)')", awaitPromise: true)
        #expect(try page.waitUntil("document.querySelector('button[data-cancel=\"\(id)\"]')"), "no cancel button on an open incident")
        try page.click("button[data-cancel=\"\(id)\"]")
        #expect(try page.waitUntil("document.querySelector('#timeline h2').textContent.includes('cancelled') && !document.querySelector('button[data-cancel]')"),
                "the timeline does not show the incident cancelled")
        #expect(try page.evaluate("document.getElementById('note').textContent") as? String == "")
        page.close()
        server.shutdown()
        stopped = true
        let cancellations = server.backend.cancellations
        #expect(cancellations.count == 1)
        #expect(cancellations.first.map { String($0.id) } == id && cancellations.first?.actor == "dashboard")
    }

    /// Saves docs/dashboard.png when TENDER_SCREENSHOT names a path (`make dashboard-screenshot`).
    @Test(.enabled(if: HeadlessChromium.isInstalled && ProcessInfo.processInfo.environment["TENDER_SCREENSHOT"] != nil,
                   "skipped: set TENDER_SCREENSHOT=path (and install chromium) to save a screenshot"))
    func screenshot() throws {
        let path = ProcessInfo.processInfo.environment["TENDER_SCREENSHOT"]!
        let server = try ServerThread()
        defer { server.shutdown() }
        _ = try HeadlessChromium.run(["--screenshot=" + path, "--window-size=1400,2300", "--hide-scrollbars", "http://127.0.0.1:\(server.port)/?live=0"])
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
