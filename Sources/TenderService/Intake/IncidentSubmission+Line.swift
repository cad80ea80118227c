import TenderCore

extension IncidentSubmission {
    /// Parse one JSON line and check it against `limits`; the error names the field that is wrong.
    public static func parse(jsonLine line: String, limits: IncidentLimits = .standard) -> Result<IncidentSubmission, IntakeError> {
        switch IntakeLine.parse(line, limits: limits) {
        case .success(.incident(let submission)): .success(submission)
        case .success(.command): .failure(IntakeError(field: "op", "a command, not an incident"))
        case .failure(let error): .failure(error)
        }
    }
}
