/// The simulator's only source of randomness: SplitMix64, seeded, with the draws the scripts need.
///
/// Foundation's generators are not reproducible across platforms or releases, and a drill is only
/// worth scoring if the same seed gives the same bytes everywhere. SplitMix64 is tiny, fast, passes
/// BigCrush, and lets every traffic source own an independent stream derived from (seed, label), so
/// the output does not depend on how sources interleave.
public struct SimulationRandom: RandomNumberGenerator {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// An independent stream for one named part of the simulation (a source, a table, a key).
    init(seed: UInt64, stream: UInt64) {
        state = SimulationRandom.mix(seed ^ SimulationRandom.mix(stream &+ 0x5851_F42D_4C95_7F2D))
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SimulationRandom.mix(state)
    }

    /// The SplitMix64 finaliser; also used as a stateless hash of an integer.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A stream label from text, so sources can be named rather than numbered by hand.
    static func label(_ text: String, _ index: Int = 0) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return mix(hash &+ UInt64(truncatingIfNeeded: index))
    }

    /// Uniform in `0..<bound` (bound > 0), by Lemire's multiply-shift; the tiny bias is irrelevant here.
    @inline(__always)
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// Uniform in a closed range.
    mutating func inRange(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.count)
    }

    /// Uniform in [0, 1).
    @inline(__always)
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `p`.
    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A uniformly chosen element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// An exponential wait with the given mean, cut at 8× the mean so one draw cannot stall a source.
    mutating func exponential(meanMs: Double) -> Int64 {
        let u = max(unit(), 1e-12)
        return Int64(min(-meanMs * _log(u), meanMs * 8))
    }

    /// `meanMs` ± `spread` (a fraction), never below 1 ms: regular traffic with human or network jitter.
    mutating func jittered(meanMs: Double, spread: Double) -> Int64 {
        let factor = 1 + spread * (2 * unit() - 1)
        return max(1, Int64(meanMs * factor))
    }

    /// A Fisher–Yates shuffle of `0..<count`.
    mutating func permutation(_ count: Int) -> [Int] {
        var items = Array(0..<count)
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) { items.swapAt(i, below(i + 1)) }
        }
        return items
    }

    /// Natural logarithm without Foundation's overlay, kept local so the file stays import-free.
    @inline(__always)
    private func _log(_ x: Double) -> Double {
        // log(x) = 2·atanh((x-1)/(x+1)) after scaling x into [1, 2) by its exponent.
        let exponent = Double(x.exponent)
        let m = x.significand  // in [1, 2)
        let t = (m - 1) / (m + 1)
        let t2 = t * t
        var term = t
        var sum = 0.0
        var k = 1.0
        for _ in 0..<12 {
            sum += term / k
            term *= t2
            k += 2
        }
        return 2 * sum + exponent * 0.693_147_180_559_945_3
    }
}
