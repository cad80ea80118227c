import Foundation
import TenderCore
import TenderUV

/// Time as the execution runner sees it: the current instant and one-shot callbacks. The live
/// shell uses `LoopClock`; tests use a manual one.
public protocol ExecutionClock: AnyObject {
    var now: Instant { get }
    /// Call `body` on the loop thread at `instant` (at once if it has passed).
    func schedule(at instant: Instant, _ body: @escaping () -> Void)
}

/// Wall-clock time (Unix seconds, as the store records) with libuv timers.
public final class LoopClock: ExecutionClock {
    private let loop: EventLoop

    public init(loop: EventLoop) { self.loop = loop }

    public var now: Instant { Instant(seconds: Date().timeIntervalSince1970) }

    public func schedule(at instant: Instant, _ body: @escaping () -> Void) {
        let delay = max(0, instant - now)
        guard let timer = try? LoopTimer(loop: loop) else {
            body()
            return
        }
        timer.start(afterMilliseconds: UInt64((delay * 1000).rounded(.up))) {
            timer.close()
            body()
        }
    }
}
