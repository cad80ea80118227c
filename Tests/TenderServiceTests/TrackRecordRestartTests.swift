import Foundation
import Logging
import Testing
import TenderCore
@testable import TenderService
import TenderStore
import TenderUV
import TenderWire

/// The live track record survives a restart through the store, and the award it produces is the
/// one the coordinator before the restart would have made. Driven through the real coordinator
/// (its engine events and actions, its store writer) without processes or a running loop.
@Suite struct TrackRecordRestartTests {
    static func info(_ id: Int) -> SpecialistInfo {
        var skills = PerCategory<Double>(repeating: 0)
        skills[.security] = 0.9
        return SpecialistInfo(id: SpecialistID(id), name: "security-\(id)", kind: .security, skills: skills, capacity: 2)
    }

    static func coordinator(_ path: String, loop: EventLoop, reputation: Bool = true) throws -> Coordinator {
        let store = try CoordinatorStore(path: path, loop: loop)
        var config = CoordinatorConfig()
        config.engine.reputation.enabled = reputation  // what `--reputation on|off` sets
        return try Coordinator(config: config, loop: loop, store: store, key: .development, logger: Logger(label: "test"))
    }

    /// Who wins an auction in which both specialists bid the same.
    static func equalBidsWinner(_ engine: Auctioneer, incident: UInt64 = 999) -> SpecialistID? {
        var engine = engine
        let at = Instant(seconds: 10_000)
        for id in 0..<2 where engine.specialists.info(SpecialistID(id)) == nil { _ = engine.handle(.specialistJoined(info(id)), at: at) }
        let ref = AuctionRef(incident: IncidentID(incident), round: 1)
        var actions = engine.handle(.incidentArrived(IncidentTicket(id: IncidentID(incident), category: .security, severity: .medium, createdAt: at)), at: at)
        for id in 0..<2 { actions += engine.handle(.proposal(ref, from: SpecialistID(id), Bid(eta: 60)), at: at) }
        return actions.compactMap { if case .awarded(let award) = $0 { award.winner } else { nil } }.first
    }

    @Test func aTrackRecordBuiltBeforeARestartDecidesTheSameAwardAfterIt() throws {
        let path = NSTemporaryDirectory() + "tender-track-\(UUID().uuidString).db"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let loop = try EventLoop()
        let first = try Self.coordinator(path, loop: loop)
        var awards: [Award] = []
        first.actionObservers.append { if case .awarded(let award) = $0 { awards.append(award) } }
        first.handle(.specialistJoined(Self.info(0)))
        first.handle(.specialistJoined(Self.info(1)))
        // Equal bids every time; security-0 fails what it wins, security-1 delivers.
        for id in 1...10 as ClosedRange<UInt64> {
            let ref = AuctionRef(incident: IncidentID(id), round: 1)
            first.handle(.incidentArrived(IncidentTicket(id: IncidentID(id), category: .security, severity: .medium, createdAt: first.now())))
            first.handle(.proposal(ref, from: SpecialistID(0), Bid(eta: 60)))
            first.handle(.proposal(ref, from: SpecialistID(1), Bid(eta: 60)))
            guard let award = awards.last, award.ref == ref else { Issue.record("no award for \(id)"); return }
            first.handle(.outcome(ref, from: award.winner, award.winner == SpecialistID(0) ? .failure : .done))
        }
        #expect(awards.first?.winner == SpecialistID(0), "newcomers tie: the lower id")
        // One failure is inside the dead band (the fairness tie-break then gives security-1 the
        // next); after its second, security-0's failure rate is beyond noise and it loses
        // every equal bid.
        #expect(awards.prefix(3).map(\.winner) == [SpecialistID(0), SpecialistID(1), SpecialistID(0)], "\(awards.map(\.winner))")
        #expect(awards.dropFirst(3).allSatisfy { $0.winner == SpecialistID(1) }, "after two failures security-0 loses equal bids")
        let before = first.engine.trackRecord
        #expect((before.entry("security-0", .security)?.failureRate ?? 0) > ReputationSettings().priorFailure)
        first.recordStore?.close()

        // The restart: a new coordinator on the same file, before any specialist has joined.
        let second = try Self.coordinator(path, loop: loop)
        for name in ["security-0", "security-1"] {
            #expect(second.engine.trackRecordEntry(name, .security) == before.entry(name, .security), "\(name)")
        }
        #expect(Self.equalBidsWinner(second.engine) == SpecialistID(1))
        var rebuilt = Auctioneer()
        rebuilt.importTrackRecord(before)
        #expect(Self.equalBidsWinner(rebuilt) == Self.equalBidsWinner(second.engine), "the same decision as before the restart")
        #expect(Self.equalBidsWinner(Auctioneer()) == SpecialistID(0), "without the record the decision differs, so the record decided it")
        second.recordStore?.close()

        // `--reputation off`: the record is still restored (and kept), but awards ignore it.
        let off = try Self.coordinator(path, loop: loop, reputation: false)
        defer { off.recordStore?.close() }
        #expect(off.engine.trackRecordEntry("security-0", .security) == before.entry("security-0", .security))
        #expect(Self.equalBidsWinner(off.engine) == SpecialistID(0))
    }

    @Test func eachAwardIsStoredWithEveryBidScoredAndWhyTheWinnerWon() throws {
        let path = NSTemporaryDirectory() + "tender-award-\(UUID().uuidString).db"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let loop = try EventLoop()
        let coordinator = try Self.coordinator(path, loop: loop)
        coordinator.handle(.specialistJoined(Self.info(0)))
        coordinator.handle(.specialistJoined(Self.info(1)))
        let ref = AuctionRef(incident: IncidentID(1), round: 1)
        coordinator.handle(.incidentArrived(IncidentTicket(id: IncidentID(1), category: .security, severity: .medium, createdAt: coordinator.now())))
        coordinator.handle(.proposal(ref, from: SpecialistID(0), Bid(eta: 90)))
        coordinator.handle(.proposal(ref, from: SpecialistID(1), Bid(eta: 30)))
        coordinator.recordStore?.close()
        let reader = try StoreReader(path: path)
        let rows = try reader.database.rows("SELECT specialist, raw_bid, correction, failure_cost, score, considered FROM award_bids WHERE incident = 1 ORDER BY score")
        #expect(rows.map { $0.text(0) } == ["security-1", "security-0"])
        #expect(rows.map { $0.real(1) } == [30, 90])
        #expect(rows.map { $0.real(2) } == [1, 1])
        let award = try #require(try reader.database.rows("SELECT specialist, decider, why, failure_cost FROM awards WHERE incident = 1").first)
        #expect(award.text(0) == "security-1")
        #expect(award.text(1) == "lowest_score")
        #expect(award.text(2)?.contains("runner-up security-0") == true, "\(award.text(2) ?? "")")
        #expect(award.real(3) == 0)
    }
}
