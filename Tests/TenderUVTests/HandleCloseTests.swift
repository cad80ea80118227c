import Testing
import Foundation
@testable import TenderUV

/// Closing is idempotent at every stage of a handle's life. These failed before handle memory
/// belonged to the wrapper: the close callback freed it, so a second `close()` read freed memory
/// and could `uv_close` whichever handle had been allocated there since (`tender up` crashed with
/// SIGSEGV on a Ctrl-C after its storm had ended).
@Suite struct HandleCloseTests {
    @Test func closingATimerAgainAfterItClosedLeavesOtherHandlesAlone() throws {
        let loop = try EventLoop()
        let first = try LoopTimer(loop: loop)
        first.close()
        #expect(try runWithDeadline(loop))
        // The allocator hands freed blocks of the same size to the next timers, so a stale close
        // of `first` used to close one of these instead (and it never fired).
        let others = try (0..<8).map { _ in try LoopTimer(loop: loop) }
        var fired = 0
        for timer in others {
            timer.start(afterMilliseconds: 1) {
                fired += 1
                timer.close()
            }
        }
        first.close()
        first.stop()
        first.start(afterMilliseconds: 1) { Issue.record("a closed timer must never fire") }
        #expect(others.allSatisfy { !$0.isClosing })
        #expect(try runWithDeadline(loop))
        #expect(fired == others.count)
    }

    @Test func closingTwiceInOneTurnRunsTheCloseCallbackOnce() throws {
        let loop = try EventLoop()
        let stream = try StreamConnection(loop: loop, pipe: ())
        var closes = 0
        stream.onClose = { _ in closes += 1 }
        stream.close()
        stream.close()
        stream.abort()
        #expect(try runWithDeadline(loop))
        stream.close()
        stream.abort()
        #expect(closes == 1)
    }

    @Test func handlesMayBeClosedAfterTheirLoopWasClosed() throws {
        var loop: EventLoop? = try EventLoop()
        let timer = try LoopTimer(loop: loop!)
        let signal = try SignalWatcher(loop: loop!, signal: SIGUSR1) { _ in }
        let wakeup = try LoopWakeup(loop: loop!) {}
        let server = try TCPServer(loop: loop!, host: "127.0.0.1", port: 0) { _ in }
        timer.start(afterMilliseconds: 60_000) { Issue.record("the loop is gone") }
        loop!.close()
        loop = nil
        // Every wrapper outlives the loop; closing, stopping and restarting must be no-ops.
        for _ in 0..<2 {
            timer.close()
            timer.stop()
            timer.start(afterMilliseconds: 1) {}
            signal.close()
            wakeup.close()
            server.close()
        }
        #expect(timer.isClosing)
        #expect(signal.isClosing)
    }

    @Test func anExitedChildCanBeClosedAndSignalledAgain() throws {
        let loop = try EventLoop()
        var exits = 0
        let child = try ChildProcess(loop: loop, executable: "/bin/true", arguments: []) { _, _ in exits += 1 }
        #expect(try runWithDeadline(loop))
        // The exit callback closed the handle; later stops must not touch it.
        child.closeHandle()
        try child.kill(SIGTERM)
        #expect(exits == 1)
        #expect(child.hasExited)
    }
}
