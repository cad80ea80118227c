/// The allocation strategies by the names scenarios and the command line use.
public enum AllocatorNames {
    /// The auction: specialists bid with their bidding policy.
    public static let contractNet = "contract-net"
    /// Every name, contract net first (the default).
    public static let all = [contractNet, "random", "round-robin", "least-loaded", "power-of-two", "central-greedy"]
    public static let direct = Array(all.dropFirst())

    /// A fresh direct allocator (they keep state, so each run needs its own); nil for
    /// `contract-net` and unknown names. Central-greedy starts with no service knowledge: register
    /// each specialist with it.
    public static func makeDirect(_ name: String, seed: UInt64) -> (any DirectAllocator)? {
        switch name {
        case "random": RandomAllocator(seed: seed)
        case "round-robin": RoundRobinAllocator()
        case "least-loaded": LeastLoadedAllocator()
        case "power-of-two": PowerOfTwoAllocator(seed: seed)
        case "central-greedy": CentralGreedyAllocator()
        default: nil
        }
    }
}
