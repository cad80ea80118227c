import TenderUV

/// Run `loop` until it has nothing left to do, or stop it after `seconds` (a hung test must
/// fail rather than wait forever). Returns false when the deadline cut it short.
func runWithDeadline(_ loop: EventLoop, seconds: UInt64 = 10) throws -> Bool {
    var timedOut = false
    let deadline = try LoopTimer(loop: loop)
    deadline.unref()
    deadline.start(afterMilliseconds: seconds * 1000) {
        timedOut = true
        loop.stop()
    }
    loop.run()
    deadline.close()
    loop.runOnce()
    return !timedOut
}
