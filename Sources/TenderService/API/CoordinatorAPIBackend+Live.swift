import Foundation
import TenderCore
import TenderHTTP
import TenderUV

// Feeding the HTTP side from the coordinator's engine actions: the award tally, the `/metrics`
// series and the `/events` stream (auctions, awards, outcomes, rollbacks; the API service's
// sampler adds fairness snapshots).
extension CoordinatorAPIBackend {
    /// Register the coordinator's series in `service.metrics` and publish its actions as events.
    public func attach(to service: APIService) {
        let coordinator = coordinator
        let metrics = CoordinatorMetrics(
            registry: service.metrics,
            specialistsConnected: { Double(coordinator.connectedSpecialists) },
            incidentsOpen: { Double(coordinator.openIncidents) },
            backlog: { Double(coordinator.backlogLength) })
        // Counters the coordinator already keeps are read at each action, so the two never drift.
        var synced = CoordinatorStats()
        func sync() {
            let stats = coordinator.stats
            metrics.incidentsReceived.increment(by: Double(max(0, stats.submitted - synced.submitted)))
            metrics.incidentsResolved.increment(by: Double(max(0, stats.resolved - synced.resolved)))
            metrics.incidentsEscalated.increment(by: Double(max(0, stats.escalated - synced.escalated)))
            metrics.incidentsRefused.increment(by: Double(max(0, stats.rejectedOverloaded - synced.rejectedOverloaded)))
            metrics.auctions.increment(by: Double(max(0, stats.auctions - synced.auctions)))
            synced = stats
        }
        let events = service.events
        coordinator.actionObservers.append { [weak self] action in
            guard let self else { return }
            sync()
            switch action {
            case .announced(let ref, let invited):
                events.publish("auction", AuctionEvent(incidentId: ref.incident.rawValue, round: Int(ref.round), invited: invited))
            case .awarded(let award):
                let name = coordinator.session(award.winner)?.name ?? "specialist-\(award.winner.index)"
                if let live = coordinator.live[award.ref.incident] {
                    tally.record(name, live.incident.category, at: wallClock())
                    if live.announcedAt > 0 {
                        metrics.cfpToAwardSeconds.observe(Double(EventLoop.monotonicNanoseconds() &- live.announcedAt) / 1e9)
                    }
                }
                events.publish("award", AwardEvent(incidentId: award.ref.incident.rawValue, round: Int(award.ref.round), specialist: name, score: award.score, proposals: award.proposals))
            case .retrying(let incident, let attempt, let setback):
                events.publish("retry", RetryEvent(incidentId: incident.rawValue, attempt: attempt, why: setback.name))
            default:
                break
            }
        }
        coordinator.observeConclusions { event in
            sync()
            if event.conclusion == "resolved" { metrics.timeToResolveSeconds.observe(event.secondsToConclude) }
            events.publish("outcome", OutcomeEvent(incidentId: event.incident.rawValue, outcome: event.conclusion, specialist: event.specialist, seconds: event.secondsToConclude))
        }
        coordinator.eventObservers.append { event in
            // A rollback the engine re-auctions, or one that escalates (approval denied, ...).
            let rolledBack: (ref: AuctionRef, reason: String)? = switch event {
            case .executionFinished(let ref, .rolledBack(let reason)), .executionEscalated(let ref, .rolledBack(let reason), _): (ref, reason)
            default: nil
            }
            guard let (ref, reason) = rolledBack else { return }
            metrics.rollbacks.increment()
            events.publish("rollback", RollbackEvent(incidentId: ref.incident.rawValue, specialist: coordinator.live[ref.incident]?.executedBy ?? "", reason: reason))
        }
    }
}

struct AuctionEvent: Encodable { var incidentId: UInt64; var round: Int; var invited: Int }
struct AwardEvent: Encodable { var incidentId: UInt64; var round: Int; var specialist: String; var score: Double; var proposals: Int }
struct RetryEvent: Encodable { var incidentId: UInt64; var attempt: Int; var why: String }
struct OutcomeEvent: Encodable { var incidentId: UInt64; var outcome: String; var specialist: String?; var seconds: Double }
struct RollbackEvent: Encodable { var incidentId: UInt64; var specialist: String; var reason: String }
