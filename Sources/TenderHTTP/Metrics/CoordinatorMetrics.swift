/// The coordinator's metrics under their agreed names, registered in one place so the live
/// coordinator and the synthetic backend expose the same series. The coordinator updates the
/// counters and histograms as things happen; the gauges are read at scrape time.
public struct CoordinatorMetrics {
    public let incidentsReceived: Counter
    public let incidentsResolved: Counter
    public let incidentsEscalated: Counter
    public let incidentsRefused: Counter
    public let auctions: Counter
    public let rollbacks: Counter
    /// From the call for proposals to the award.
    public let cfpToAwardSeconds: Histogram
    /// From arrival to resolution.
    public let timeToResolveSeconds: Histogram

    public init(
        registry: MetricsRegistry,
        specialistsConnected: @escaping () -> Double,
        incidentsOpen: @escaping () -> Double,
        backlog: @escaping () -> Double
    ) {
        incidentsReceived = registry.counter("tender_incidents_received_total", help: "Incidents accepted by intake (durable).")
        incidentsResolved = registry.counter("tender_incidents_resolved_total", help: "Incidents resolved by a specialist.")
        incidentsEscalated = registry.counter("tender_incidents_escalated_total", help: "Incidents escalated to a person (no award, or failure).")
        incidentsRefused = registry.counter("tender_incidents_refused_total", help: "Incidents refused by admission (overload).")
        auctions = registry.counter("tender_auctions_total", help: "Auction rounds announced (calls for proposals).")
        rollbacks = registry.counter("tender_rollbacks_total", help: "Remediation steps rolled back.")
        cfpToAwardSeconds = registry.histogram("tender_cfp_to_award_seconds", help: "Time from call for proposals to award.", buckets: Histogram.latencySeconds)
        timeToResolveSeconds = registry.histogram("tender_time_to_resolve_seconds", help: "Time from an incident's arrival to its resolution.", buckets: Histogram.resolveSeconds)
        registry.gauge("tender_specialists_connected", help: "Specialist agents connected now.", read: specialistsConnected)
        registry.gauge("tender_incidents_open", help: "Incidents received and not yet resolved or escalated.", read: incidentsOpen)
        registry.gauge("tender_backlog_incidents", help: "Incidents waiting for a specialist with room.", read: backlog)
    }
}
