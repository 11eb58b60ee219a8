/// Figures from binned data (counts per speed bin), for devices and vans that
/// export only bins. Percentiles use the grouped-data formula
/// P = L + w·(p·N − F_below)/f_bin, where L is the lower edge of the bin that
/// holds the p·N-th vehicle, w its width, F_below the count below it and f_bin its count.
public struct GroupedData: Sendable, Hashable {
    /// One bin: speeds in [lower, upper), and how many.
    public struct Bin: Sendable, Hashable, Codable {
        public var lower: Double
        public var upper: Double
        public var count: Int

        public init(lower: Double, upper: Double, count: Int) {
            self.lower = lower
            self.upper = upper
            self.count = count
        }
    }

    /// Bins in ascending order, counts of identical edges added together.
    public private(set) var bins: [Bin]

    public init(_ bins: [Bin]) {
        var merged: [Bin] = []
        for b in bins.sorted(by: { ($0.lower, $0.upper) < ($1.lower, $1.upper) }) {
            if let last = merged.last, last.lower == b.lower, last.upper == b.upper {
                merged[merged.count - 1].count += b.count
            } else {
                merged.append(b)
            }
        }
        self.bins = merged
    }

    public var count: Int { bins.reduce(0) { $0 + $1.count } }

    /// The grouped-data percentile; nil when there is no vehicle.
    public func percentile(_ p: Double) -> Double? {
        let n = count
        guard n > 0 else { return nil }
        let target = p * Double(n)
        var below = 0
        for b in bins where b.count > 0 {
            if Double(below + b.count) >= target {
                return b.lower + (b.upper - b.lower) * (target - Double(below)) / Double(b.count)
            }
            below += b.count
        }
        return bins.last(where: { $0.count > 0 })?.upper
    }

    /// Mean taking each vehicle at its bin's midpoint; nil when empty.
    public var mean: Double? {
        let n = count
        guard n > 0 else { return nil }
        return bins.reduce(0.0) { $0 + Double($1.count) * ($1.lower + $1.upper) / 2 } / Double(n)
    }

    /// Share (0–100) of vehicles at or under `value`, spreading each bin's vehicles
    /// evenly across it (exact when `value` is a bin edge).
    public func percent(atOrBelow value: Double) -> Double? {
        let n = count
        guard n > 0 else { return nil }
        var below = 0.0
        for b in bins {
            if b.upper <= value {
                below += Double(b.count)
            } else if b.lower < value {
                below += Double(b.count) * (value - b.lower) / (b.upper - b.lower)
            }
        }
        return 100 * below / Double(n)
    }

    /// Share (0–100) of vehicles at or over `value`, spread as in `percent(atOrBelow:)`.
    public func percent(atOrAbove value: Double) -> Double? {
        percent(atOrBelow: value).map { 100 - $0 }
    }
}
