/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast, seedable generator, so
/// that a bootstrap rerun with the same seed gives the same interval on any
/// machine, and a script in another language can reproduce the draws.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform index in 0..<n by the modulo of the next value (the bias, below
    /// n / 2⁶⁴, is far under any sampling error), chosen because it is trivial to reproduce.
    public mutating func index(below n: Int) -> Int {
        Int(next() % UInt64(n))
    }
}
