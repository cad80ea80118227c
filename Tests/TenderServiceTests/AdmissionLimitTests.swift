import Testing
import TenderCore
@testable import TenderService

/// The admission limit fed by a manual clock: no sockets, no sleeps.
@Suite struct AdmissionLimitTests {
    /// Feed exactly one sampling window of identical latencies (nine samples close together,
    /// then one a whole window later, which closes it) and return the limit.
    static func window(_ limit: inout AdmissionLimit, latency: Double, inFlight: Int, clock: ManualClock) -> Int {
        for _ in 0..<9 {
            clock.advance(by: limit.settings.window * 0.05)
            limit.record(latency: latency, inFlight: inFlight, at: clock.now)
        }
        clock.advance(by: limit.settings.window)
        limit.record(latency: latency, inFlight: inFlight, at: clock.now)
        return limit.limit
    }

    @Test func startsAtTheInitialLimitWithinFloorAndCeiling() {
        #expect(AdmissionLimit().limit == 1024)
        #expect(AdmissionLimit(settings: .init(target: 0.025, initial: 10, floor: 256, ceiling: 2048)).limit == 256)
        #expect(AdmissionLimit(settings: .init(target: 0.025, initial: 9999, floor: 256, ceiling: 2048)).limit == 2048)
    }

    @Test func admitsOnlyBelowTheLimit() {
        let limit = AdmissionLimit(settings: .init(target: 0.025, initial: 300, floor: 256, ceiling: 2048))
        #expect(limit.admits(inFlight: 299))
        #expect(!limit.admits(inFlight: 300))
        #expect(!limit.admits(inFlight: 5000))
    }

    @Test func increasesAdditivelyWhileUnderTarget() {
        let clock = ManualClock()
        var limit = AdmissionLimit()
        var seen: [Int] = []
        for _ in 0..<3 { seen.append(Self.window(&limit, latency: 0.002, inFlight: 1024, clock: clock)) }
        #expect(seen == [1088, 1152, 1216])
    }

    @Test func doesNotGrowWhileTheLimitIsNotInUse() {
        let clock = ManualClock()
        var limit = AdmissionLimit()
        for _ in 0..<20 { _ = Self.window(&limit, latency: 0.001, inFlight: 100, clock: clock) }
        #expect(limit.limit == 1024)
    }

    @Test func decreasesMultiplicativelyAtMostOnceAWindowWhenOverTarget() {
        let clock = ManualClock()
        var limit = AdmissionLimit(settings: .init(target: 0.025, initial: 2000, floor: 256, ceiling: 4096))
        // Many samples inside one window: one decrease at most.
        for _ in 0..<100 {
            clock.advance(by: 0.0001)
            limit.record(latency: 0.2, inFlight: 2000, at: clock.now)
        }
        #expect(limit.limit == 2000)
        clock.advance(by: limit.settings.window)
        limit.record(latency: 0.2, inFlight: 2000, at: clock.now)
        #expect(limit.limit == 1800)
        #expect(Self.window(&limit, latency: 0.2, inFlight: 2000, clock: clock) == 1620)
    }

    @Test func neverFallsBelowTheFloor() {
        let clock = ManualClock()
        var limit = AdmissionLimit()
        for _ in 0..<100 { _ = Self.window(&limit, latency: 1, inFlight: 5000, clock: clock) }
        #expect(limit.limit == 256)
    }

    @Test func neverRisesAboveTheCeiling() {
        let clock = ManualClock()
        var limit = AdmissionLimit(settings: .init(target: 0.025, initial: 1024, floor: 256, ceiling: 1200))
        for _ in 0..<100 { _ = Self.window(&limit, latency: 0.001, inFlight: 1200, clock: clock) }
        #expect(limit.limit == 1200)
    }

    @Test func recoversAfterLatencyFallsBackUnderTarget() {
        let clock = ManualClock()
        var limit = AdmissionLimit()
        for _ in 0..<5 { _ = Self.window(&limit, latency: 0.1, inFlight: 1024, clock: clock) }
        let lowered = limit.limit
        #expect(lowered < 1024)
        for _ in 0..<5 { _ = Self.window(&limit, latency: 0.001, inFlight: lowered, clock: clock) }
        #expect(limit.limit > lowered)
    }

    @Test func targetZeroTurnsItOff() {
        let clock = ManualClock()
        var limit = AdmissionLimit(settings: .init(target: 0))
        #expect(!limit.isEnabled)
        #expect(limit.admits(inFlight: 1_000_000))
        for _ in 0..<10 { _ = Self.window(&limit, latency: 5, inFlight: 1_000_000, clock: clock) }
        #expect(limit.limit == 1024)
        #expect(limit.admits(inFlight: 1_000_000))
    }
}
