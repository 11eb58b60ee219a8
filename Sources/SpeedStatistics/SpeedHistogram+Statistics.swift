extension SpeedHistogram {
    /// Arithmetic mean; nil when empty.
    public var mean: Double? {
        guard count > 0 else { return nil }
        var sum = 0
        for i in counts.indices { sum += (base + i) * counts[i] }
        return Double(sum) / Double(count) * Self.resolution
    }

    /// Sample standard deviation (n − 1 in the denominator, numpy's `ddof=1`);
    /// nil with fewer than two speeds, where it is undefined.
    public var standardDeviation: Double? {
        guard count > 1, let mean else { return nil }
        let m = mean / Self.resolution
        var ss = 0.0
        for i in counts.indices where counts[i] > 0 {
            let d = Double(base + i) - m
            ss += Double(counts[i]) * d * d
        }
        return (ss / Double(count - 1)).squareRoot() * Self.resolution
    }

    /// The speed at 0-based rank `rank` in sorted order.
    func value(atRank rank: Int) -> Double {
        var seen = 0
        for i in counts.indices {
            seen += counts[i]
            if seen > rank { return Self.value(ofKey: base + i) }
        }
        return Self.value(ofKey: base + counts.count - 1)
    }

    /// Hyndman & Fan type 7 percentile (numpy's default): with h = (n − 1)·p,
    /// x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) on the sorted speeds. Nil when empty.
    /// - Parameter p: the fraction, 0...1 (0.85 for V85).
    public func percentile(_ p: Double) -> Double? {
        guard count > 0 else { return nil }
        let h = Double(count - 1) * p
        let j = Int(h.rounded(.down))
        let g = h - Double(j)
        // One scan finds both x[j] and x[j + 1].
        var seen = 0
        var lower: Double?
        for i in counts.indices where counts[i] > 0 {
            seen += counts[i]
            let v = Self.value(ofKey: base + i)
            if lower == nil, seen > j {
                lower = v
                if seen > j + 1 || g == 0 || j + 1 >= count { return v }
                continue
            }
            if let lower, seen > j + 1 { return lower + g * (v - lower) }
        }
        return lower
    }

    /// Number of speeds at or under `value` (the limit, for compliance).
    public func count(atOrBelow value: Double) -> Int {
        let k = Self.key(for: value)
        var n = 0
        for i in counts.indices where base + i <= k { n += counts[i] }
        return n
    }

    /// Number of speeds at or over `value` (the enforcement threshold).
    public func count(atOrAbove value: Double) -> Int {
        let k = Self.key(for: value)
        var n = 0
        for i in counts.indices where base + i >= k { n += counts[i] }
        return n
    }
}
