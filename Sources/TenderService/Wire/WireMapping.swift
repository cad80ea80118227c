import TenderCore
import TenderWire

/// Conversions between the engine's types and the wire's. Names on the wire are the same
/// lowercase names used in YAML and JSON.
enum WireMapping {
    static func ref(_ ref: AuctionRef) -> WireAuctionRef {
        var wire = WireAuctionRef()
        wire.incident = ref.incident.rawValue
        wire.round = ref.round
        return wire
    }

    static func ref(_ wire: WireAuctionRef) -> AuctionRef {
        AuctionRef(incident: IncidentID(wire.incident), round: wire.round)
    }

    static func refusal(_ reason: RefusalReason) -> WireRefuseReason {
        switch reason {
        case .atCapacity: .atCapacity
        case .notCapable: .notCapable
        case .declined: .declined
        case .notActionable: .notActionable
        }
    }

    static func refusal(_ wire: WireRefuseReason) -> RefusalReason {
        switch wire {
        case .atCapacity: .atCapacity
        case .notCapable: .notCapable
        case .notActionable: .notActionable
        default: .declined
        }
    }

    /// The engine event for a specialist's refusal: a not-actionable one carries its detail.
    static func event(for refuse: WireRefuse, from id: SpecialistID) -> EngineEvent {
        let ref = ref(refuse.ref)
        let reason = refusal(refuse.reason)
        guard reason == .notActionable else { return .refusal(ref, from: id, reason) }
        return .notActionable(ref, from: id, detail: refuse.detail)
    }

    /// The engine event for a winner's failure report: a not-actionable one escalates at once
    /// with the specialist's reason as the detail; any other is a failure the engine may retry.
    static func event(for failure: WireFailure, from id: SpecialistID) -> EngineEvent {
        let ref = ref(failure.ref)
        guard failure.notActionable else { return .outcome(ref, from: id, .failure) }
        return .notActionable(ref, from: id, detail: failure.reason)
    }

    static func entity(_ entity: Entity) -> WireEntity {
        var wire = WireEntity()
        switch entity {
        case .ip(let value): (wire.type, wire.value) = ("ip", value)
        case .host(let value): (wire.type, wire.value) = ("host", value)
        case .service(let value): (wire.type, wire.value) = ("service", value)
        case .user(let value): (wire.type, wire.value) = ("user", value)
        case .query(let value): (wire.type, wire.value) = ("query", value)
        }
        return wire
    }

    static func entity(type: String, value: String) -> Entity? {
        Entity(type: type, value: value)
    }

    static func description(of profile: (kind: SpecialistKind, capacity: Int, skills: PerCategory<Double>)) -> WireSpecialistDescription {
        var wire = WireSpecialistDescription()
        wire.kind = profile.kind.rawValue
        wire.capacity = UInt32(clamping: profile.capacity)
        wire.skillSecurity = profile.skills.security
        wire.skillPerformance = profile.skills.performance
        wire.skillNetwork = profile.skills.network
        wire.skillDatabase = profile.skills.database
        return wire
    }

    /// The engine's view of a specialist that described itself, or why the description is invalid.
    static func info(_ wire: WireSpecialistDescription, id: SpecialistID, name: String) -> Result<SpecialistInfo, DescriptionError> {
        guard let kind = SpecialistKind(rawValue: wire.kind) else {
            return .failure(DescriptionError("unknown kind `\(wire.kind)`"))
        }
        guard (1...10_000).contains(wire.capacity) else {
            return .failure(DescriptionError("capacity \(wire.capacity) is outside 1...10000"))
        }
        let skills = PerCategory<Double> { category in
            switch category {
            case .security: wire.skillSecurity
            case .performance: wire.skillPerformance
            case .network: wire.skillNetwork
            case .database: wire.skillDatabase
            }
        }
        for category in IncidentCategory.allCases where !(0...1).contains(skills[category]) {
            return .failure(DescriptionError("skill for \(category.name) is \(skills[category]), outside 0...1"))
        }
        return .success(SpecialistInfo(id: id, name: name, kind: kind, skills: skills, capacity: Int(wire.capacity)))
    }

    struct DescriptionError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = "invalid specialist description: \(description)" }
    }
}

extension WireMapping {
    /// The CFP for one round of `incident`'s auction, as every invitee receives it.
    static func cfp(_ incident: Incident, ref: AuctionRef, replyBy: Instant, invited: Int, now: Instant) -> WireCallForProposals {
        var cfp = WireCallForProposals()
        cfp.ref = WireMapping.ref(ref)
        cfp.replyWithinMs = UInt32(clamping: Int(((replyBy - now) * 1000).rounded(.down)))
        cfp.category = incident.category.name
        cfp.severity = incident.severity.name
        cfp.ageS = now - incident.createdAt
        cfp.slaSlackS = incident.slaDeadline - now
        cfp.service = incident.service
        cfp.region = incident.region
        cfp.entities = incident.entities.map(WireMapping.entity)
        cfp.invited = UInt32(clamping: invited)
        return cfp
    }
}

extension WireMapping {
    /// The message an engine action sends to one specialist, other than the CFP (which is
    /// encoded once per round, see `cfp`); nil for actions that send nothing.
    static func message(for action: EngineAction, at now: Instant) -> (to: SpecialistID, envelope: WireEnvelope)? {
        switch action {
        case .sendAccept(let ref, let to, let commitBy):
            var accept = WireAcceptProposal()
            accept.ref = WireMapping.ref(ref)
            accept.commitWithinMs = UInt32(clamping: Int(((commitBy - now) * 1000).rounded(.down)))
            return (to, .with { $0.accept = accept })
        case .sendReject(let ref, let to, let reason):
            var reject = WireRejectProposal()
            reject.ref = WireMapping.ref(ref)
            reject.reason = reason.name
            return (to, .with { $0.reject = reject })
        case .sendCancel(let ref, let to):
            var cancel = WireCancel()
            cancel.ref = WireMapping.ref(ref)
            return (to, .with { $0.cancel = cancel })
        default:
            return nil
        }
    }
}
