import TenderCore

/// A specialist as its profile in `specialists/*.yaml` describes it: what it is good at, how
/// much it takes on, how long its work takes, how often it fails, and the playbooks it applies.
public struct SpecialistProfile: Sendable, Hashable {
    public var name: String
    public var kind: SpecialistKind
    public var skills: PerCategory<Double>
    public var capacity: Int
    public var service: ServiceTimeModel
    public var failure: FailureModel
    public var playbooks: [Playbook]
    /// The file it came from, for messages.
    public var source: String

    public init(
        name: String, kind: SpecialistKind, skills: PerCategory<Double>, capacity: Int,
        service: ServiceTimeModel, failure: FailureModel, playbooks: [Playbook], source: String = ""
    ) {
        self.name = name
        self.kind = kind
        self.skills = skills
        self.capacity = capacity
        self.service = service
        self.failure = failure
        self.playbooks = playbooks
        self.source = source
    }

    /// The engine's view of one instance of this profile.
    public func info(id: SpecialistID, name instanceName: String? = nil) -> SpecialistInfo {
        SpecialistInfo(id: id, name: instanceName ?? name, kind: kind, skills: skills, capacity: capacity)
    }

    /// The first playbook that fits an incident, if any.
    public func playbook(for category: IncidentCategory, _ severity: Severity) -> Playbook? {
        playbooks.first { $0.applies(to: category, severity) }
    }
}
