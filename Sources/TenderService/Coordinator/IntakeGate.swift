import TenderCore

/// Whether the coordinator takes a submission now: the decision `Coordinator.submit` makes
/// before anything is stored, as a pure function of the submission and the coordinator's state.
///
/// Order matters: a line that is wrong is refused for good even when the coordinator is busy
/// (retrying it would never help), and only well-formed incidents are told to retry.
struct IntakeGate {
    var limits: IncidentLimits
    /// Incidents accepted and not concluded past which intake answers "overloaded".
    var maxOpenIncidents: Int

    enum Decision: Equatable {
        case admit
        case refuse(IntakeReply, overloaded: Overload?)
    }

    /// Why an "overloaded" answer was given, for the counters.
    enum Overload: Equatable {
        case full
        case admissionLimit
    }

    func decide(_ submission: IncidentSubmission, draining: Bool, open: Int, admission: AdmissionLimit) -> Decision {
        let reference = submission.reference
        if let violation = limits.violation(in: submission) {
            return .refuse(.rejected(violation.description, reference: reference, retryable: false), overloaded: nil)
        }
        if draining {
            return .refuse(.rejected("shutting down", reference: reference, retryable: true), overloaded: nil)
        }
        // Full (memory stays bounded), or past the admission limit: rounds beyond what the loop
        // and the pool answer within the latency target would miss their reply window, fail and
        // be retried, adding load. Either way the sender is told to retry.
        if open >= maxOpenIncidents {
            return .refuse(.rejected("overloaded", reference: reference, retryable: true), overloaded: .full)
        }
        if !admission.admits(inFlight: open) {
            return .refuse(.rejected("overloaded", reference: reference, retryable: true), overloaded: .admissionLimit)
        }
        return .admit
    }
}
