import Foundation

/// The process table as /proc shows it: which processes a test's `tender` started, and whether
/// they are gone. Waiting is a bounded poll for a condition, never a fixed sleep.
enum ProcessTree {
    /// Pids whose parent is `parent`, from /proc/PID/stat.
    static func children(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { status(of: $0)?.parent == parent }.sorted()
    }

    /// A process's state letter and parent, or nil if it no longer exists.
    static func status(of pid: Int32) -> (state: Character, parent: Int32)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // After "pid (comm) ": state, then ppid.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count >= 2, let state = fields[0].first, let parent = Int32(fields[1]) else { return nil }
        return (state, parent)
    }

    /// Gone, or a zombie nobody reaped yet (a container's init may not reap): either way dead.
    static func isDead(_ pid: Int32) -> Bool {
        guard let status = status(of: pid) else { return true }
        return status.state == "Z" || status.state == "X"
    }

    /// Poll `condition` until it holds or `timeout` seconds pass; true if it held.
    static func waitUntil(timeout: Double = 30, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }
}
