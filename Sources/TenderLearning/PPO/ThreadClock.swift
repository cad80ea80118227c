import Foundation

/// CPU time consumed by the calling thread. The trainer's speed is quoted per core: on a
/// shared machine wall time also counts the time other processes held the core, so `tender
/// bench ppo` reports steps per CPU-second beside steps per wall-second.
public enum ThreadClock {
    /// Nanoseconds of CPU time this thread has used.
    public static var nanoseconds: UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// Seconds of CPU time since `start` (a `nanoseconds` reading).
    public static func seconds(since start: UInt64) -> Double { Double(nanoseconds &- start) / 1e9 }
}
