import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One page in headless Chromium driven over the DevTools protocol on `--remote-debugging-pipe`
/// (Chromium reads commands on descriptor 3 and writes answers on 4, each message a JSON text
/// ended by a NUL byte). Clicks and typing are dispatched as input events at the element's place
/// on the rendered page, so they reach the page's own handlers as a person's would.
public final class BrowserPage {
    private let pid: pid_t
    private let commands: Int32
    private let answers: Int32
    private var buffer: [UInt8] = []
    private var nextID = 0
    private var session = ""
    private var closed = false

    /// Launch Chromium on `url` and attach to its page.
    public init(url: String, windowSize: (Int, Int) = (1400, 2000)) throws {
        var toBrowser: [Int32] = [0, 0], fromBrowser: [Int32] = [0, 0]
        guard pipe(&toBrowser) == 0, pipe(&fromBrowser) == 0 else { throw BrowserError("pipe: \(String(cString: strerror(errno)))") }
        for descriptor in toBrowser + fromBrowser { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 onto 3 and 4 clears close-on-exec there, so only these two ends reach the browser.
        // Staged through 100 and 101 first, in case a pipe end already is 3 or 4.
        posix_spawn_file_actions_adddup2(&actions, toBrowser[0], 100)
        posix_spawn_file_actions_adddup2(&actions, fromBrowser[1], 101)
        posix_spawn_file_actions_adddup2(&actions, 100, 3)
        posix_spawn_file_actions_adddup2(&actions, 101, 4)
        posix_spawn_file_actions_addclose(&actions, 100)
        posix_spawn_file_actions_addclose(&actions, 101)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = [HeadlessChromium.path] + HeadlessChromium.baseArguments()
            + ["--remote-debugging-pipe", "--window-size=\(windowSize.0),\(windowSize.1)", "about:blank"]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, HeadlessChromium.path, &actions, nil, &argv, environ)
        Glibc.close(toBrowser[0])
        Glibc.close(fromBrowser[1])
        guard spawned == 0 else {
            Glibc.close(toBrowser[1])
            Glibc.close(fromBrowser[0])
            throw BrowserError("posix_spawn \(HeadlessChromium.path): \(String(cString: strerror(spawned)))")
        }
        pid = child
        commands = toBrowser[1]
        answers = fromBrowser[0]
        let targets = try send("Target.getTargets", [:], scoped: false)
        let infos = targets["targetInfos"] as? [[String: Any]] ?? []
        guard let page = infos.first(where: { $0["type"] as? String == "page" })?["targetId"] as? String else {
            throw BrowserError("no page among Chromium's targets: \(infos)")
        }
        let attached = try send("Target.attachToTarget", ["targetId": page, "flatten": true], scoped: false)
        guard let id = attached["sessionId"] as? String else { throw BrowserError("attachToTarget gave no session: \(attached)") }
        session = id
        // Navigate once attached, so every later evaluation runs in the loaded page's context.
        try send("Page.enable", [:])
        try send("Page.navigate", ["url": url])
        try waitForEvent("Page.loadEventFired")
    }

    private func waitForEvent(_ method: String, timeout: Double = 60) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try readMessage(until: deadline)["method"] as? String != method {}
    }

    deinit { close() }

    /// End the browser (and its helpers, which exit with their parent's pipe).
    public func close() {
        guard !closed else { return }
        closed = true
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        Glibc.close(commands)
        Glibc.close(answers)
    }

    /// The value of a JavaScript expression in the page (a promise's value with `awaitPromise`).
    @discardableResult
    public func evaluate(_ expression: String, awaitPromise: Bool = false, timeout: Double = 30) throws -> Any? {
        let answer = try send("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": awaitPromise], timeout: timeout)
        if let exception = answer["exceptionDetails"] as? [String: Any] {
            throw BrowserError("the page threw: \((exception["exception"] as? [String: Any])?["description"] ?? exception["text"] ?? exception)")
        }
        return (answer["result"] as? [String: Any])?["value"]
    }

    /// Wait, in the page and on its own timers, until `condition` (a JavaScript expression) holds;
    /// false if it never did within `seconds`.
    public func waitUntil(_ condition: String, seconds: Double = 60) throws -> Bool {
        let script = """
        new Promise(resolve => { const end = Date.now() + \(Int(seconds * 1000));
          const check = () => { let ok = false; try { ok = !!(\(condition)); } catch (e) {}
            if (ok) resolve(true); else if (Date.now() > end) resolve(false); else setTimeout(check, 50); };
          check(); })
        """
        return try evaluate(script, awaitPromise: true, timeout: seconds + 30) as? Bool == true
    }

    /// Click the first element matching `selector` with the mouse, where it is drawn.
    public func click(_ selector: String) throws {
        let place = try evaluate("""
        (() => { const e = document.querySelector(\(Self.quoted(selector))); if (!e) return null;
          e.scrollIntoView({ block: 'center' }); const r = e.getBoundingClientRect();
          return [r.left + r.width / 2, r.top + r.height / 2]; })()
        """) as? [Double]
        guard let place, place.count == 2 else { throw BrowserError("nothing on the page matches \(selector)") }
        for type in ["mouseMoved", "mousePressed", "mouseReleased"] {
            try send("Input.dispatchMouseEvent", ["type": type, "x": place[0], "y": place[1], "button": "left", "clickCount": 1])
        }
    }

    /// Click into the field matching `selector` and type `text` there.
    public func type(_ text: String, into selector: String) throws {
        try click(selector)
        try send("Input.insertText", ["text": text])
    }

    /// The page's DOM as HTML.
    public func html() throws -> String {
        try evaluate("document.documentElement.outerHTML") as? String ?? ""
    }

    /// Send one command and return its result, skipping the events that arrive before it.
    @discardableResult
    private func send(_ method: String, _ parameters: [String: Any], scoped: Bool = true, timeout: Double = 30) throws -> [String: Any] {
        nextID += 1
        var message: [String: Any] = ["id": nextID, "method": method, "params": parameters]
        if scoped { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(commands, $0.baseAddress, $0.count) }
            guard count > 0 else { throw BrowserError("writing to Chromium: \(String(cString: strerror(errno)))") }
            written += count
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let reply = try readMessage(until: deadline)
            guard reply["id"] as? Int == nextID else { continue }
            if let error = reply["error"] as? [String: Any] { throw BrowserError("\(method): \(error["message"] ?? error)") }
            return reply["result"] as? [String: Any] ?? [:]
        }
    }

    private func readMessage(until deadline: Date) throws -> [String: Any] {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let text = Array(buffer[..<end])
                buffer.removeSubrange(...end)
                return (try? JSONSerialization.jsonObject(with: Data(text))) as? [String: Any] ?? [:]
            }
            let left = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            var descriptor = pollfd(fd: answers, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, left) > 0 else { throw BrowserError("Chromium did not answer in time") }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(answers, $0.baseAddress, $0.count) }
            guard count > 0 else { throw BrowserError("Chromium closed its DevTools pipe") }
            buffer += chunk[..<count]
        }
    }

    static func quoted(_ text: String) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8), as: UTF8.self).dropFirst().dropLast().description
    }
}
