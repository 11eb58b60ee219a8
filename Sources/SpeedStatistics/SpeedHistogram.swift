/// Counts of speeds at a fixed resolution (0.01 of the site's unit), dense over
/// the range seen, so that a report over millions of readings reads a few
/// thousand numbers and still gets exact type-7 percentiles of the quantised
/// speeds.
///
/// A speed `v` (in the site's unit) has the key `round(v / resolution)`; every
/// statistic is computed on `key × resolution`, so the histogram is exact, not
/// an approximation, for data at that resolution.
public struct SpeedHistogram: Sendable, Hashable {
    /// Width of one key, in the site's unit.
    public static let resolution = 0.01

    /// The key of `counts[0]`.
    public private(set) var base: Int
    /// Counts per key, from `base` upwards.
    public private(set) var counts: [Int]
    /// Total number of speeds counted.
    public private(set) var count: Int

    /// An empty histogram.
    public init() {
        base = 0
        counts = []
        count = 0
    }

    /// A histogram of the given speeds (in the site's unit).
    public init<S: Sequence>(values: S) where S.Element == Double {
        self.init()
        for v in values { add(key: Self.key(for: v)) }
    }

    /// A histogram from (key, count) pairs, as a store keeps them.
    public init<S: Sequence>(keyCounts: S) where S.Element == (key: Int, count: Int) {
        self.init()
        for kc in keyCounts { add(key: kc.key, count: kc.count) }
    }

    /// The key of a speed in the site's unit.
    @inlinable
    public static func key(for value: Double) -> Int {
        Int((value / resolution).rounded())
    }

    /// The speed a key stands for.
    @inlinable
    public static func value(ofKey key: Int) -> Double {
        Double(key) * resolution
    }

    /// Whether nothing was counted.
    public var isEmpty: Bool { count == 0 }

    /// Adds `count` speeds with the given key.
    public mutating func add(key: Int, count n: Int = 1) {
        guard n > 0 else { return }
        if counts.isEmpty {
            base = key
            counts = [0]
        } else if key < base {
            counts.insert(contentsOf: repeatElement(0, count: base - key), at: 0)
            base = key
        } else if key >= base + counts.count {
            counts.append(contentsOf: repeatElement(0, count: key - base - counts.count + 1))
        }
        counts[key - base] += n
        count += n
    }

    /// Adds every count of `other`, `times` times (a bootstrap replicate draws a session several times).
    public mutating func merge(_ other: SpeedHistogram, times: Int = 1) {
        guard !other.isEmpty, times > 0 else { return }
        if isEmpty {
            base = other.base
            counts = other.counts
            count = other.count
            if times > 1 {
                for i in counts.indices { counts[i] *= times }
                count *= times
            }
            return
        }
        let lo = Swift.min(base, other.base)
        let hi = Swift.max(base + counts.count, other.base + other.counts.count)
        if lo < base || hi > base + counts.count {
            var grown = [Int](repeating: 0, count: hi - lo)
            for i in counts.indices { grown[base - lo + i] = counts[i] }
            counts = grown
            base = lo
        }
        let offset = other.base - base
        counts.withUnsafeMutableBufferPointer { dst in
            other.counts.withUnsafeBufferPointer { src in
                for i in 0..<src.count { dst[offset + i] &+= src[i] &* times }
            }
        }
        count += other.count * times
    }

    /// The same counts over at least keys lo..<hi, so that merges into it never grow it.
    func padded(from lo: Int, to hi: Int) -> SpeedHistogram {
        guard !isEmpty else { return self }
        var copy = self
        let newBase = Swift.min(lo, base)
        let newEnd = Swift.max(hi, base + counts.count)
        var grown = [Int](repeating: 0, count: newEnd - newBase)
        for i in counts.indices { grown[base - newBase + i] = counts[i] }
        copy.base = newBase
        copy.counts = grown
        return copy
    }

    /// (key, count) pairs with a non-zero count, in key order.
    public var nonZero: [(key: Int, count: Int)] {
        counts.indices.compactMap { counts[$0] > 0 ? (base + $0, counts[$0]) : nil }
    }

    /// The smallest and largest speed counted.
    public var range: ClosedRange<Double>? {
        guard let first = counts.firstIndex(where: { $0 > 0 }), let last = counts.lastIndex(where: { $0 > 0 }) else { return nil }
        return Self.value(ofKey: base + first)...Self.value(ofKey: base + last)
    }
}
