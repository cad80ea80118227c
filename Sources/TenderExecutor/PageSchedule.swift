/// When to try a page again after a failed delivery: exponential backoff, capped, forever. A
/// page is never dropped; it stays in the store, undelivered, until the notify command takes it
/// (and a restart picks undelivered pages up again).
public struct PageSchedule: Sendable, Hashable {
    public var firstRetrySeconds: Double
    public var capSeconds: Double

    public init(firstRetrySeconds: Double = 2, capSeconds: Double = 300) {
        self.firstRetrySeconds = firstRetrySeconds
        self.capSeconds = capSeconds
    }

    /// Delay after the `attempts`-th failed attempt (1-based).
    public func delay(afterFailedAttempts attempts: Int) -> Double {
        min(capSeconds, firstRetrySeconds * Double(1 << min(max(attempts - 1, 0), 30)))
    }
}

/// What a page tells the notify command on stdin: the escalated incident, in the shape of an
/// Alertmanager webhook (`version`, `status`, `alerts` with `labels` and `annotations`), so
/// receivers written for Alertmanager read it unchanged.
public struct PagePayload: Sendable, Hashable, Codable {
    public struct Alert: Sendable, Hashable, Codable {
        public var status: String
        public var labels: [String: String]
        public var annotations: [String: String]
        public var startsAt: String
    }

    public var version: String
    public var status: String
    public var receiver: String
    public var groupKey: String
    public var commonLabels: [String: String]
    public var alerts: [Alert]

    /// One firing alert for incident `incident`: `labels` say what it is, `annotations` why it pages.
    public init(incident: String, labels: [String: String], summary: String, description: String, startsAt: String) {
        var all = labels
        all["alertname"] = "TenderIncidentEscalated"
        all["incident"] = incident
        version = "4"
        status = "firing"
        receiver = "tender"
        groupKey = "tender/\(incident)"
        commonLabels = all
        alerts = [Alert(status: "firing", labels: all, annotations: ["summary": summary, "description": description], startsAt: startsAt)]
    }
}
