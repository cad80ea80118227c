import Foundation
import TenderConfig
import TenderCore

/// Human-readable lines for `tender demo`.
enum DemoTranscript {
    static func clock(_ instant: Instant) -> String {
        let total = Int(instant.seconds)
        return String(format: "%02d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
    }

    static func minutes(_ seconds: Double) -> String {
        seconds < 90 ? String(format: "%.0fs", seconds) : String(format: "%.1fm", seconds / 60)
    }

    static func round(_ award: Award, answers: [(specialist: SpecialistID, decision: BidDecision)], names: [String], at now: Instant) -> String {
        let bids = answers.map { answer -> String in
            let name = names[answer.specialist.index]
            switch answer.decision {
            case .bid(let bid): return "\(name) \(minutes(bid.eta))"
            case .refuse(let reason): return "\(name) refuses (\(reason))"
            }
        }
        return "\(clock(now))  round \(award.ref.round): \(bids.joined(separator: ", "))  →  \(names[award.winner.index]) wins"
            + " (second price \(minutes(award.secondPrice)))"
    }

    static func conclusion(_ conclusion: Conclusion, names: [String], at now: Instant, since: Instant) -> String {
        switch conclusion {
        case .resolved(let by): "\(clock(now))  resolved by \(names[by.index]) after \(minutes(now - since))"
        case .escalated(let after): "\(clock(now))  ESCALATED to a human: \(after.name)"
        case .cancelled: "\(clock(now))  cancelled"
        }
    }
}
