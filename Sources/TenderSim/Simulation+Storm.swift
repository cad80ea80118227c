import TenderCore

/// Incidents entering the simulation: stream arrivals and cascade follow-ups.
extension Simulation {
    mutating func scheduleNextArrival(_ stream: Int) {
        guard arrivalsLeft > 0, let next = generators[stream].next() else { return }
        pendingArrivals[stream] = (next.category, next.severity)
        schedule(.arrival(stream: Int32(stream)), at: next.time)
    }

    mutating func admit(_ category: IncidentCategory, _ severity: Severity, depth: UInt8) {
        guard arrivalsLeft > 0 else { return }
        if arrivalsLeft != .max { arrivalsLeft -= 1 }
        metrics.arrivals += 1
        let measured = now >= metrics.measureFrom
        if measured {
            metrics.incidents += 1
            metrics.recordBound(bestServiceTable[SpecialistWorkModel.index(category, severity)])
        }
        noteArrivalForStormIntensity()
        let slot = ledger.open(category, severity, at: now, measured: measured, depth: depth, seed: incidentSeeds.next())
        if !cascades.isEmpty {
            cascades.followUps(of: category, severity, depth: depth, into: &followUps)
            for (delay, follow, followSeverity) in followUps {
                schedule(.followUp(follow, followSeverity, depth: depth + 1), at: now + delay)
            }
        }
        let state = ledger[slot]
        let ticket = IncidentTicket(
            id: state.id, category: category, severity: severity,
            createdAt: Instant(seconds: now), slaDeadline: Instant(seconds: state.slaDeadline)
        )
        drive(.incidentArrived(ticket))
    }

    /// Arrival rate over a recent window relative to the scenario's nominal rate: what bidding
    /// policies see as `stormIntensity` (the shared `StormIntensityMeter`, as the live agent uses).
    @inline(__always)
    mutating func noteArrivalForStormIntensity() {
        stormMeter.noteArrival(at: now)
    }
}
