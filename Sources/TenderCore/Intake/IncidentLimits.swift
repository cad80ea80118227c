/// What one incident may hold, so that everything intake accepts fits in every frame it causes.
///
/// The largest frame an incident causes is its `CallForProposals`, which carries the service, the
/// region and every entity (awards and cancels carry only the auction ref). With these bounds the
/// largest acceptable incident encodes to a CFP of about 37 KB, well under the 64 KiB frame limit
/// every peer enforces (`WireLimits.maxFrameSize`), leaving room for a plan that quotes the
/// entities back. `IncidentLimitsTests` builds that incident and encodes its CFP to prove it.
public struct IncidentLimits: Sendable, Hashable {
    /// Most entities one incident may list.
    public var maxEntities = 256
    /// Longest entity value, in UTF-8 bytes.
    public var maxEntityValueBytes = 1024
    /// Longest total of all entity values, in UTF-8 bytes.
    public var maxEntityBytes = 32 * 1024
    /// Longest `service`, in UTF-8 bytes.
    public var maxServiceBytes = 256
    /// Longest `region`, in UTF-8 bytes.
    public var maxRegionBytes = 64
    /// Longest `ref` (the sender's idempotency key), in UTF-8 bytes.
    public var maxReferenceBytes = 128

    public init() {}

    public static let standard = IncidentLimits()

    /// The first bound `submission` breaks, as an error naming the field; nil if it fits.
    public func violation(in submission: IncidentSubmission) -> IntakeError? {
        func error(_ field: String, _ message: String) -> IntakeError {
            IntakeError(field: field, message, reference: submission.reference)
        }
        if let reference = submission.reference {
            if reference.isEmpty { return error("ref", "must not be empty") }
            if reference.utf8.count > maxReferenceBytes { return error("ref", "is \(reference.utf8.count) bytes; at most \(maxReferenceBytes)") }
        }
        if submission.service.utf8.count > maxServiceBytes {
            return error("service", "is \(submission.service.utf8.count) bytes; at most \(maxServiceBytes)")
        }
        if submission.region.utf8.count > maxRegionBytes {
            return error("region", "is \(submission.region.utf8.count) bytes; at most \(maxRegionBytes)")
        }
        if submission.entities.count > maxEntities {
            return error("entities", "has \(submission.entities.count) entities; at most \(maxEntities)")
        }
        var total = 0
        for (index, entity) in submission.entities.enumerated() {
            let bytes = entity.value.utf8.count
            if bytes > maxEntityValueBytes {
                return error("entities[\(index)].value", "is \(bytes) bytes; at most \(maxEntityValueBytes)")
            }
            total += bytes
        }
        if total > maxEntityBytes {
            return error("entities", "values total \(total) bytes; at most \(maxEntityBytes)")
        }
        return nil
    }
}

extension Entity {
    /// The entity's value, whatever its type.
    public var value: String {
        switch self {
        case .ip(let value), .host(let value), .service(let value), .user(let value), .query(let value): value
        }
    }
}
