import Foundation

/// Closed forms the simulator is validated against.
public enum QueueingTheory {
    /// Erlang C: the probability that an arrival to an M/M/c queue with offered load
    /// `a = λ/μ` (< c) has to wait. Summed with the terms built up iteratively, so large c
    /// neither overflows nor loses precision.
    public static func erlangC(servers c: Int, offeredLoad a: Double) -> Double {
        precondition(c > 0 && a >= 0 && a < Double(c), "Erlang C needs 0 ≤ a < c")
        var term = 1.0
        var sum = 1.0
        for k in 1..<max(c, 1) {
            term *= a / Double(k)
            sum += term
        }
        if c == 1 { sum = 1 }
        let last = term * a / Double(c) * Double(c) / (Double(c) - a)
        return last / (sum + last)
    }

    /// Mean wait in queue (arrival to start of service) of M/M/c: C(c, λ/μ) / (cμ − λ).
    public static func mmcMeanWait(arrivalRate lambda: Double, serviceRate mu: Double, servers c: Int) -> Double {
        erlangC(servers: c, offeredLoad: lambda / mu) / (Double(c) * mu - lambda)
    }

    /// Pollaczek–Khinchine mean wait of M/G/1: λ·E[S²] / (2(1 − ρ)).
    public static func pollaczekKhinchineWait(arrivalRate lambda: Double, meanService: Double, secondMoment: Double) -> Double {
        let rho = lambda * meanService
        precondition(rho < 1, "P–K needs ρ < 1")
        return lambda * secondMoment / (2 * (1 - rho))
    }

    /// M/D/1: P–K with E[S²] = d².
    public static func md1MeanWait(arrivalRate lambda: Double, service d: Double) -> Double {
        pollaczekKhinchineWait(arrivalRate: lambda, meanService: d, secondMoment: d * d)
    }
}
