import Foundation

/// A one-line progress bar on stderr, drawn only when stderr is a terminal so that piped and
/// `--json` runs stay quiet. Redraws at most ten times a second.
final class ProgressBar {
    private let label: String
    private let total: Double
    private let enabled: Bool
    private var lastDraw = Date.distantPast
    private let width = 30

    init(_ label: String, total: Double, enabled: Bool = Terminal.isInteractive) {
        self.label = label
        self.total = max(total, 1)
        self.enabled = enabled
    }

    /// Report progress; `detail` is shown after the bar (a rate, a count).
    func update(_ done: Double, detail: String = "") {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || done >= total else { return }
        lastDraw = now
        let fraction = min(max(done / total, 0), 1)
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let percent = String(format: "%3d%%", Int(fraction * 100))
        Terminal.writeLine("\(label) \(bar) \(percent) \(detail)")
    }

    /// Clear the line so the summary that follows starts clean.
    func finish() {
        guard enabled else { return }
        Terminal.clearLine()
    }
}

/// What we know about the terminal on stderr.
enum Terminal {
    static let isInteractive = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"

    /// Overwrite the current stderr line. The text is cut to the terminal's width: a line that
    /// wraps can no longer be overwritten, and every redraw would scroll the screen.
    static func writeLine(_ text: String) {
        let fitted = text.count < columns ? text : String(text.prefix(max(columns - 2, 0))) + "…"
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(fitted)".utf8))
    }

    /// Columns of the terminal on stderr, asked each time so a resized window is honoured.
    static var columns: Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    static func clearLine() {
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
