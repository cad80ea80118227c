/// A remediation plan as the winning specialist sent it: a playbook with typed parameters
/// filled. Untrusted until `PlanValidator` (TenderExecutor) has checked it against the sending
/// specialist's profile.
public struct RemediationPlan: Sendable, Hashable, Codable {
    public struct Parameter: Sendable, Hashable, Codable {
        public var name: String
        public var type: String
        public var value: String

        public init(name: String, type: String, value: String) {
            self.name = name
            self.type = type
            self.value = value
        }
    }

    public struct Step: Sendable, Hashable, Codable {
        public var action: String
        public var parameters: [Parameter]
        public var risk: String
        public var undo: String

        public init(action: String, parameters: [Parameter], risk: String, undo: String) {
            self.action = action
            self.parameters = parameters
            self.risk = risk
            self.undo = undo
        }
    }

    public var playbook: String
    public var steps: [Step]
    public var summary: String

    public init(playbook: String, steps: [Step], summary: String) {
        self.playbook = playbook
        self.steps = steps
        self.summary = summary
    }
}
