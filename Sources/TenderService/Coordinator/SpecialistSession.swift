import TenderCore
import TenderWire

/// One specialist connection on the coordinator: its handshake, then its identity in the engine.
final class SpecialistSession {
    let connection: FramedConnection
    var handshake: ServerHandshake
    /// Set once the handshake succeeds and the engine knows the specialist.
    var id: SpecialistID?
    var name = ""
    /// The kind it declared at the handshake (to find its profile).
    var kind: SpecialistKind?
    /// Its row in the store's `sessions` table (0: not recorded).
    var recordID: Int64 = 0
    /// Slot in the fairness tracker, stable per specialist name across reconnects.
    var fairnessSlot = 0
    let openedAt: Double
    /// Replaced by a newer session with the same name: already removed from the engine.
    var retired = false

    /// Liveness (when last heard) is kept in the coordinator's `SessionTable`.
    init(connection: FramedConnection, handshake: ServerHandshake, now: Double) {
        self.connection = connection
        self.handshake = handshake
        openedAt = now
    }

    var label: String { name.isEmpty ? connection.label : "\(name)@\(connection.label)" }
}
