import Testing
@testable import TenderCore

/// Across many seeded random event orders (answers out of order, duplicated and dropped; cancels;
/// specialists leaving and rejoining), no incident is ever awarded twice at once, loads stay within
/// capacity, and every incident ends in exactly one terminal state.
@Suite struct EngineInvariantTests {
    struct Pending {
        var at: Instant
        var event: EngineEvent
    }

    @Test(arguments: 1...120 as ClosedRange<UInt64>)
    func randomEventOrdersKeepTheInvariants(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        var config = EngineConfig()
        config.seed = seed
        config.maxAttempts = 1 + random.nextIndex(below: 4)
        config.backlogOrder = random.nextUnit() < 0.5 ? .fifo : .priority
        if random.nextUnit() < 0.3 { config.cfpSampleSize = 1 + random.nextIndex(below: 3) }
        config.executesPlans = random.nextUnit() < 0.5
        config.noCapableTimeout = 5 + random.nextUnit() * 100
        var engine = Auctioneer(config: config)

        let pool = (0..<(2 + random.nextIndex(below: 5))).map { index in
            let kind = SpecialistKind.allCases[random.nextIndex(below: 4)]
            return specialist(index, kind, skill: 0.5 + random.nextUnit() / 2, capacity: 1 + random.nextIndex(below: 3), others: random.nextUnit() < 0.5 ? 0.3 : 0)
        }
        let incidents = 10 + random.nextIndex(below: 30)

        var now = Instant.zero
        var pending: [Pending] = pool.map { Pending(at: .zero, event: .specialistJoined($0)) }
        for id in 1...incidents {
            let category = IncidentCategory.allCases[random.nextIndex(below: 4)]
            let at = Instant(seconds: random.nextUnit() * 20)
            pending.append(Pending(at: at, event: .incidentArrived(ticket(UInt64(id), category, Severity.allCases[random.nextIndex(below: 4)], at: at.seconds))))
        }

        var activeAward: [IncidentID: SpecialistID] = [:]
        var concluded: [IncidentID: Int] = [:]
        var departed: Set<SpecialistID> = []
        var actions: [EngineAction] = []
        var steps = 0
        var chaos = true

        while true {
            if pending.isEmpty {
                guard !departed.isEmpty else { break }
                // Settling: everyone who left comes back, so backlogged work can drain.
                chaos = false
                for id in departed { pending.append(Pending(at: now, event: .specialistJoined(pool[id.index]))) }
                departed.removeAll()
            }
            steps += 1
            try #require(steps < 200_000, "the engine settles")
            if steps > 4000 { chaos = false }
            // In the chaotic phase take any pending event; later, strictly the earliest.
            let index = chaos && random.nextUnit() < 0.5
                ? random.nextIndex(below: pending.count)
                : pending.indices.min { pending[$0].at < pending[$1].at }!
            let next = pending.remove(at: index)
            now = max(now, next.at)
            actions.removeAll(keepingCapacity: true)
            engine.handle(next.event, at: now, into: &actions)

            for action in actions {
                switch action {
                case .awarded(let award):
                    #expect(activeAward[award.ref.incident] == nil, "\(award.ref.incident) awarded while already held")
                    activeAward[award.ref.incident] = award.winner
                case .retrying(let id, _, _):
                    activeAward[id] = nil
                case .concluded(let id, _):
                    activeAward[id] = nil
                    concluded[id, default: 0] += 1
                case .armTimer(let timer, let at):
                    pending.append(Pending(at: at, event: .timerFired(timer)))
                case .sendCFP(let ref, let to, _):
                    guard !departed.contains(to) else { break }
                    let delay = random.nextUnit() * 0.4
                    let roll = random.nextUnit()
                    let answer: EngineEvent = roll < 0.6 ? .proposal(ref, from: to, Bid(eta: 1 + random.nextUnit() * 10))
                        : roll < 0.8 ? .refusal(ref, from: to, engine.specialists.hasFreeSlot(to) ? .declined : .atCapacity)
                        : .refusal(ref, from: to, .atCapacity)
                    if !chaos || random.nextUnit() < 0.9 { pending.append(Pending(at: now + delay, event: answer)) }
                    if chaos, random.nextUnit() < 0.05 { pending.append(Pending(at: now + delay * 2, event: answer)) }
                case .sendAccept(let ref, let to, _):
                    guard !departed.contains(to) else { break }
                    let silent = chaos && random.nextUnit() < 0.1
                    let kind: OutcomeKind = chaos && random.nextUnit() < 0.2 ? .failure : random.nextUnit() < 0.5 ? .result : .done
                    let event: EngineEvent = chaos && random.nextUnit() < 0.03
                        ? .notActionable(ref, from: to, detail: "needs user") : .outcome(ref, from: to, kind)
                    if !silent { pending.append(Pending(at: now + random.nextUnit() * 30, event: event)) }
                case .execute(let ref, _):
                    let roll = random.nextUnit()
                    let outcome: ExecutionOutcome = !chaos || roll < 0.7 ? .applied : roll < 0.85 ? .rolledBack(reason: "x") : .refused(reason: "y")
                    // Some plans are stopped by a person (denied): they escalate instead.
                    let event: EngineEvent = chaos && roll >= 0.95
                        ? .executionEscalated(ref, .rolledBack(reason: "denied"), .approvalDenied) : .executionFinished(ref, outcome)
                    pending.append(Pending(at: now + random.nextUnit() * 10, event: event))
                default:
                    break
                }
            }
            for info in pool {
                #expect(engine.specialists.load(info.id) <= info.capacity)
            }
            if chaos, random.nextUnit() < 0.01 {
                pending.append(Pending(at: now, event: .cancel(IncidentID(UInt64(1 + random.nextIndex(below: incidents))))))
            }
            if chaos, random.nextUnit() < 0.005, let gone = pool.randomElement(using: &random) {
                departed.insert(gone.id)
                pending.append(Pending(at: now, event: .specialistLeft(gone.id)))
            }
        }

        #expect(engine.openAuctions == 0)
        for id in 1...incidents {
            #expect(concluded[IncidentID(UInt64(id))] == 1, "INC-\(id) concluded \(concluded[IncidentID(UInt64(id))] ?? 0) times (seed \(seed))")
        }
    }
}
