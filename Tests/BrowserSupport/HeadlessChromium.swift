import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Debian's headless Chromium for the browser tests: one launcher for both kinds of use. `run`
/// starts it once with command-line work (`--dump-dom`, `--screenshot`) and returns its output;
/// `BrowserPage` keeps it running and drives a page over the DevTools protocol, with real
/// mouse and keyboard input.
public enum HeadlessChromium {
    public static let path = "/usr/bin/chromium"
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// The flags every launch needs: headless, no sandbox (containers), a fresh profile.
    static func baseArguments() -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
         "--user-data-dir=" + NSTemporaryDirectory() + "tender-chromium-\(UUID().uuidString)"]
    }

    /// Run Chromium with `arguments` and return what it printed. `--virtual-time-budget` lets the
    /// page's fetches and timers run before the DOM is taken, on Chromium's virtual clock rather
    /// than a sleep. A browser still running after 90 s is killed, failing the test, not hanging it.
    public static func run(_ arguments: [String], virtualTimeBudgetMilliseconds: Int = 8000) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = baseArguments() + ["--virtual-time-budget=\(virtualTimeBudgetMilliseconds)"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 90, execute: watchdog)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        watchdog.cancel()
        return text
    }
}

/// What went wrong driving the browser, with the protocol's own message.
public struct BrowserError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
