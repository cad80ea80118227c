import Testing
@testable import TenderCore

/// A time-scaled demo's coordinator waits as long in scenario time as the simulator does after
/// refusals and failures; messaging and escalation windows keep their wall-clock values.
@Suite struct ScaledWaitsTests {
    @Test func retriesAndRechecksScaleWithTheStormWhileRepliesAndEscalationsDoNot() {
        let base = EngineConfig()
        var demo = EngineConfig()
        demo.scaleWaits(by: 0.005)
        for look in 1...10 {
            #expect(abs(demo.recheckDelay(look: look) - 0.005 * base.recheckDelay(look: look)) < 1e-12, "look \(look)")
            #expect(abs(demo.backoff(afterAttempt: look) - 0.005 * base.backoff(afterAttempt: look)) < 1e-12, "attempt \(look)")
        }
        #expect(demo.recheckDelay(look: 30) == 0.3, "the 60 s cap is 60 scenario seconds")
        #expect(demo.replyWindow == base.replyWindow)
        #expect(demo.noCapableTimeout == base.noCapableTimeout)
        for scale in [1.0, 0, -1, 2, .nan] {
            var same = EngineConfig()
            same.scaleWaits(by: scale)
            #expect(same.retryBackoff == base.retryBackoff && same.maxRecheckInterval == base.maxRecheckInterval, "\(scale)")
        }
    }
}
