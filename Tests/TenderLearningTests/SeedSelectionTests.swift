import Testing
import TenderCore
@testable import TenderLearning

/// `tender train --seeds`: which candidate the selection rule keeps, on fixed validation rows.
@Suite struct SeedSelectionTests {
    static func row(_ ttr: Double, escalated: Double = 0.005, jain: Double? = 0.95, slaRisk: Double? = nil) -> PolicyCheckpoint.EvaluationRow {
        .init(storms: "validation", allocator: "x", meanTTR: ttr, meanTTRConfidence95: 0, escalatedShare: escalated,
              criticalBreachRate: 0, openShare: 0, jainIndex: jain, slaRiskShare: slaRisk)
    }

    /// Escalations count as a live coordinator would: work left waiting past the SLA-risk point
    /// is paged there although the simulator does not page it, so it cannot buy a low TTR.
    @Test func workLeftWaitingPastTheSLARiskPointCountsAsEscalated() {
        let waiting = Self.row(500, escalated: 0.004, slaRisk: 0.008)
        #expect(waiting.liveEscalatedShare == 0.012)
        #expect(!SeedSelection.meetsConstraints(waiting))
        #expect(SeedSelection.choose([waiting, Self.row(700, slaRisk: 0.004)]) == 1)
        // In the fallbacks too: the fewest live escalations, not the fewest simulated ones.
        #expect(SeedSelection.choose([Self.row(500, escalated: 0.011, slaRisk: 0.01), Self.row(900, escalated: 0.015)]) == 1)
        // Rows written before the field existed count their simulated escalations only.
        #expect(Self.row(600).liveEscalatedShare == 0.005)
    }

    @Test func theFastestCandidateWithinTheConstraintsIsKept() {
        #expect(SeedSelection.choose([Self.row(900), Self.row(700), Self.row(800)]) == 1)
        // Ties go to the earlier seed.
        #expect(SeedSelection.choose([Self.row(800), Self.row(700), Self.row(700)]) == 1)
        #expect(SeedSelection.choose([]) == nil)
    }

    @Test func aFasterCandidateBreakingAConstraintLosesToTheNext() {
        // Escalating 1.2% (refusing hard work) does not win however fast it is.
        #expect(SeedSelection.choose([Self.row(900), Self.row(500, escalated: 0.012), Self.row(800)]) == 2)
        // Nor does an uneven allocation (Jain below 0.9), nor one without a Jain figure.
        #expect(SeedSelection.choose([Self.row(600, jain: 0.85), Self.row(900), Self.row(500, jain: nil)]) == 1)
        // Exactly on the limits is inside them.
        #expect(SeedSelection.choose([Self.row(900), Self.row(800, escalated: 0.01, jain: 0.9)]) == 1)
        #expect(SeedSelection.meetsConstraints(Self.row(800, escalated: 0.01, jain: 0.9)))
        #expect(!SeedSelection.meetsConstraints(Self.row(.nan)))
    }

    @Test func theJainFloorFollowsHonestBelowPointNine() {
        #expect(SeedSelection.jainFloor(honest: 0.8) == 0.8)
        #expect(SeedSelection.jainFloor(honest: 0.95) == 0.9)
        #expect(SeedSelection.jainFloor(honest: nil) == 0.9)
        #expect(SeedSelection.jainFloor(honest: .nan) == 0.9)
        // With honest at 0.8 on these storms, 0.82 is even enough; 0.78 is not.
        let rows = [Self.row(600, jain: 0.78), Self.row(800, jain: 0.82), Self.row(900, jain: 0.95)]
        #expect(SeedSelection.choose(rows, jainFloor: SeedSelection.jainFloor(honest: 0.8)) == 1)
        #expect(SeedSelection.choose(rows) == 2)
    }

    @Test func whenNoneMeetsBothTheFallbacksApplyInOrder() {
        // Nobody reaches Jain 0.9: the fastest within the escalation limit.
        #expect(SeedSelection.choose([Self.row(600, escalated: 0.02, jain: 0.8), Self.row(900, jain: 0.8), Self.row(700, jain: 0.8)]) == 2)
        // Everyone escalates too much: the fewest escalations, then the faster.
        #expect(SeedSelection.choose([Self.row(600, escalated: 0.03), Self.row(900, escalated: 0.015), Self.row(700, escalated: 0.015)]) == 2)
        // A non-finite TTR is never preferred to a finite one.
        #expect(SeedSelection.choose([Self.row(.nan), Self.row(900)]) == 1)
    }

    /// Two validation sets (training family, held-out family): every constraint must hold on
    /// each, with each set's own Jain floor, and the sets' mean TTRs weigh the same.
    @Test func everyValidationSetMustMeetTheConstraints() {
        let floors = [0.76, 0.9]
        // Fastest overall, but uneven on the held-out family's storms.
        let uneven = [Self.row(540, jain: 0.80), Self.row(640, jain: 0.88)]
        let even = [Self.row(560, jain: 0.78), Self.row(660, jain: 0.93)]
        let slower = [Self.row(600, jain: 0.79), Self.row(700, jain: 0.94)]
        #expect(!SeedSelection.meetsConstraints(uneven, jainFloors: floors))
        #expect(SeedSelection.meetsConstraints(even, jainFloors: floors))
        #expect(SeedSelection.choose([uneven, slower, even], jainFloors: floors) == 2)
        // The sets weigh the same: 550 + 650 beats 500 + 720.
        #expect(SeedSelection.choose([[Self.row(500), Self.row(720)], [Self.row(550), Self.row(650)]], jainFloors: floors) == 1)
        // Nobody meets everything: escalations first, then the smallest Jain shortfall, then speed.
        let escalating = [Self.row(500, escalated: 0.02, jain: 0.80), Self.row(600, jain: 0.95)]
        let twoMisses = [Self.row(520, jain: 0.70), Self.row(620, jain: 0.85)]
        let oneMiss = [Self.row(580, jain: 0.70), Self.row(680, jain: 0.95)]
        #expect(SeedSelection.choose([escalating, twoMisses, oneMiss], jainFloors: floors) == 2)
        #expect(SeedSelection.choose([escalating, twoMisses], jainFloors: floors) == 1)
        #expect(SeedSelection.choose([[Self.row(500)], []], jainFloors: floors) == 0)
        // A miss by 0.001 is nearer the goal than a faster miss by 0.012.
        let farMiss = [Self.row(536, jain: 0.752), Self.row(632, jain: 0.919)]
        let nearMiss = [Self.row(536, jain: 0.763), Self.row(641, jain: 0.935)]
        #expect(SeedSelection.choose([farMiss, nearMiss], jainFloors: [0.764, 0.9]) == 1)
    }

    @Test func heldOutFamilyValidationStormsAreApartFromTheEvaluatedOnes() {
        let set = SeedSelection.ValidationSet.holdout(count: 16)
        #expect(set.kind == .holdout)
        #expect(set.seeds == Array(30_000..<30_016))
        #expect(set.seeds.allSatisfy { !(10_000..<10_016).contains($0) && !(20_000..<20_032).contains($0) })
        #expect(set.description == "holdout ×16 (seeds 30000–30015, apart from the evaluation's 10000…)")
    }

    @Test func validationStormsAreTheTrainingFamilyAwayFromTheHeldOutSeeds() {
        let set = SeedSelection.ValidationSet.training(count: 32)
        let seeds = set.seeds
        #expect(set.kind == .training)
        #expect(seeds == Array(20_000..<20_032))
        #expect(seeds.allSatisfy { !(10_000..<10_016).contains($0) })
        #expect(set.description == "training ×32 (seeds 20000–20031, never drawn in training)")
    }
}
