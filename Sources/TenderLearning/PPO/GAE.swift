/// Generalised advantage estimation over a `steps × environments` rollout, exactly as CleanRL:
/// `dones[t]` marks that the observation at step t began a new episode, so the value after
/// step t is cut when step t + 1's done flag is set (or `nextDone` for the last step).
/// Truncation is treated as termination (CleanRL's `ppo.py` does the same).
public enum GAE {
    public static func compute(
        steps: Int, environments: Int, gamma: Double, lambda: Double,
        rewards: UnsafePointer<Double>, values: UnsafePointer<Double>, dones: UnsafePointer<Double>,
        nextValues: UnsafePointer<Double>, nextDones: UnsafePointer<Double>,
        advantages: UnsafeMutablePointer<Double>, returns: UnsafeMutablePointer<Double>
    ) {
        for e in 0..<environments {
            var last = 0.0
            for t in stride(from: steps - 1, through: 0, by: -1) {
                let index = t * environments + e
                let nonTerminal: Double
                let nextValue: Double
                if t == steps - 1 {
                    nonTerminal = 1 - nextDones[e]
                    nextValue = nextValues[e]
                } else {
                    nonTerminal = 1 - dones[index + environments]
                    nextValue = values[index + environments]
                }
                let delta = rewards[index] + gamma * nextValue * nonTerminal - values[index]
                last = delta + gamma * lambda * nonTerminal * last
                advantages[index] = last
                returns[index] = last + values[index]
            }
        }
    }
}
