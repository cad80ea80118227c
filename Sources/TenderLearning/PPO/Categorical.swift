import Foundation
import TenderCore

/// A categorical distribution over logits with invalid-action masking: masked actions get
/// probability exactly 0 (and log-probability −∞), the rest a log-softmax computed from the
/// largest valid logit so no exponent overflows.
public enum Categorical {
    /// Writes log-probabilities of `count` logits into `logProbabilities`; masked entries
    /// (`mask[k] == false`) get −∞. `mask` nil means every action is valid. Returns false when
    /// no action is valid.
    @inline(__always) @discardableResult
    public static func logSoftmax(
        _ logits: UnsafePointer<Double>, mask: UnsafePointer<Bool>?, count: Int, into logProbabilities: UnsafeMutablePointer<Double>
    ) -> Bool {
        var largest = -Double.infinity
        for k in 0..<count where mask?[k] ?? true { largest = max(largest, logits[k]) }
        guard largest > -.infinity else { return false }
        var sum = 0.0
        for k in 0..<count where mask?[k] ?? true { sum += exp(logits[k] - largest) }
        let logSum = largest + log(sum)
        for k in 0..<count { logProbabilities[k] = (mask?[k] ?? true) ? logits[k] - logSum : -.infinity }
        return true
    }

    /// Entropy `−Σ p log p` over the valid actions.
    @inline(__always)
    public static func entropy(_ logProbabilities: UnsafePointer<Double>, count: Int) -> Double {
        var h = 0.0
        for k in 0..<count where logProbabilities[k] > -.infinity { h -= exp(logProbabilities[k]) * logProbabilities[k] }
        return h
    }

    /// Samples an action by inverse CDF; masked actions are never drawn.
    @inline(__always)
    public static func sample(_ logProbabilities: UnsafePointer<Double>, count: Int, random: inout SeededGenerator) -> Int {
        let u = random.nextUnit()
        var cumulative = 0.0
        var last = 0
        for k in 0..<count where logProbabilities[k] > -.infinity {
            cumulative += exp(logProbabilities[k])
            last = k
            if u < cumulative { return k }
        }
        return last
    }

    /// The most probable valid action (greedy evaluation and serving).
    @inline(__always)
    public static func mode(_ logProbabilities: UnsafePointer<Double>, count: Int) -> Int {
        var best = 0
        for k in 1..<max(count, 1) where logProbabilities[k] > logProbabilities[best] { best = k }
        return best
    }
}
