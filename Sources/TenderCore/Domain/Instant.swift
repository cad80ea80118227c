/// A point in time, in seconds since the driver's epoch.
///
/// The engine never reads a clock: every event arrives with the `Instant` it happened at. The live
/// coordinator passes monotonic time, the simulator its virtual clock, tests a manual clock.
public struct Instant: Comparable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var seconds: Double

    public init(seconds: Double) { self.seconds = seconds }

    public static let zero = Instant(seconds: 0)

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.seconds < rhs.seconds }
    public static func + (lhs: Instant, rhs: Double) -> Instant { Instant(seconds: lhs.seconds + rhs) }
    public static func - (lhs: Instant, rhs: Instant) -> Double { lhs.seconds - rhs.seconds }

    public var description: String { "t=\(seconds)s" }
}

/// A clock a driver can read; the engine itself only ever receives instants.
public protocol Clock: AnyObject {
    var now: Instant { get }
}

/// A clock that moves only when told to: for tests and for stepping through a demonstration.
public final class ManualClock: Clock {
    public private(set) var now: Instant

    public init(start: Instant = .zero) { now = start }

    public func advance(by seconds: Double) {
        precondition(seconds >= 0, "time does not run backwards")
        now = now + seconds
    }

    public func set(_ instant: Instant) {
        precondition(instant >= now, "time does not run backwards")
        now = instant
    }
}
