import Testing
import Foundation
@testable import TenderUV

@Suite struct HandleTests {
    @Test func timersFireInOrderAndRepeat() throws {
        let loop = try EventLoop()
        var fired: [String] = []
        let late = try LoopTimer(loop: loop)
        let early = try LoopTimer(loop: loop)
        let repeating = try LoopTimer(loop: loop)
        late.start(afterMilliseconds: 20) {
            fired.append("late")
            late.close()
        }
        early.start(afterMilliseconds: 1) {
            fired.append("early")
            early.close()
        }
        var ticks = 0
        repeating.start(afterMilliseconds: 1, repeatMilliseconds: 1) {
            ticks += 1
            if ticks == 3 { repeating.close() }
        }
        #expect(try runWithDeadline(loop))
        #expect(fired == ["early", "late"])
        #expect(ticks == 3)
    }

    @Test func wakeupRunsOnTheLoopThreadAfterAnotherThreadSignals() throws {
        let loop = try EventLoop()
        let loopThread = pthread_self()
        var ranOnLoopThread = false
        var wakeup: LoopWakeup!
        wakeup = try LoopWakeup(loop: loop) {
            ranOnLoopThread = pthread_equal(pthread_self(), loopThread) != 0
            wakeup.close()
        }
        let sender = wakeup!
        let thread = Thread { sender.wake() }
        thread.start()
        #expect(try runWithDeadline(loop))
        #expect(ranOnLoopThread)
    }

    @Test func signalIsDeliveredToTheLoop() throws {
        let loop = try EventLoop()
        var received: Int32 = 0
        var watcher: SignalWatcher!
        watcher = try SignalWatcher(loop: loop, signal: SIGUSR2) { number in
            received = number
            watcher.close()
        }
        // To the process, not this thread: test threads may block signals.
        kill(getpid(), SIGUSR2)
        #expect(try runWithDeadline(loop))
        #expect(received == SIGUSR2)
    }

    @Test func childProcessOutputAndExitStatusAreReported() throws {
        let loop = try EventLoop()
        var output: [UInt8] = []
        var exit: (Int64, Int32)?
        // The argument would be expanded by a shell; uv_spawn passes it through untouched.
        let child = try ChildProcess(loop: loop, executable: "/bin/echo", arguments: ["$HOME; rm -rf /"], stdout: .pipe) { status, signal in
            exit = (status, signal)
        }
        child.stdout!.onRead = { output.append(contentsOf: $0) }
        try child.stdout!.startReading()
        #expect(child.pid > 0)
        #expect(try runWithDeadline(loop))
        #expect(String(decoding: output, as: UTF8.self) == "$HOME; rm -rf /\n")
        #expect(exit?.0 == 0)
        #expect(exit?.1 == 0)
    }

    @Test func killedChildReportsItsSignal() throws {
        let loop = try EventLoop()
        var exitSignal: Int32 = 0
        let child = try ChildProcess(loop: loop, executable: "/bin/sleep", arguments: ["30"]) { _, signal in
            exitSignal = signal
        }
        try child.kill(SIGKILL)
        #expect(try runWithDeadline(loop))
        #expect(exitSignal == SIGKILL)
    }

    @Test func spawningAMissingProgramThrowsUVError() throws {
        let loop = try EventLoop()
        #expect(throws: UVError.self) {
            _ = try ChildProcess(loop: loop, executable: "/nonexistent/tender-test", arguments: []) { _, _ in }
        }
        #expect(try runWithDeadline(loop))
    }
}
