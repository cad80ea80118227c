/// xoshiro256** seeded through SplitMix64: fast, statistically strong, and reproducible on every
/// platform. Every random draw in Tender comes from one of these, passed in, so a seed replays a
/// simulation, a training run or a test bit for bit.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    // Internal rather than private so the hot methods can be inlined into other modules.
    @usableFromInline var s0, s1, s2, s3: UInt64

    @inlinable
    public init(seed: UInt64) {
        var mixer = seed
        func splitMix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        (s0, s1, s2, s3) = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable @inline(__always)
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in 0..<bound without modulo bias worth caring about for bounds far below 2^32.
    @inlinable @inline(__always)
    public mutating func nextIndex(below bound: Int) -> Int {
        Int((UInt64(UInt32(truncatingIfNeeded: next() >> 32)) &* UInt64(bound)) >> 32)
    }

    /// An independent stream derived from this one, for handing to a sub-component.
    public mutating func split() -> SeededGenerator { SeededGenerator(seed: next()) }
}
