/// A seeded bootstrap that resamples whole sessions (clusters) within a period,
/// because vehicles in one session share weather, time and platoons.
///
/// Each replicate draws, with replacement, as many sessions as the before
/// period holds from the before sessions (in order: all before draws, then all
/// after draws, each `SplitMix64.index(below:)`), pools their speeds, does the
/// same for after, and records metric(after) − metric(before). The interval is
/// the type-7 2.5th and 97.5th percentiles of the replicates (the percentile
/// method). The same seed always gives the same interval.
public struct ClusterBootstrap: Sendable, Hashable {
    public var replicates: Int
    public var seed: UInt64

    public init(replicates: Int = 1000, seed: UInt64 = 20_250_101) {
        self.replicates = replicates
        self.seed = seed
    }

    /// The 95% interval for metric(after) − metric(before); nil unless each
    /// period holds at least two non-empty sessions (one cluster cannot be resampled).
    public func interval95(
        before: [SpeedHistogram], after: [SpeedHistogram], metric: Metric, limit: Double, threshold: Double
    ) -> Interval? {
        let b = before.filter { !$0.isEmpty }
        let a = after.filter { !$0.isEmpty }
        guard b.count > 1, a.count > 1, replicates > 1 else { return nil }
        var rng = SplitMix64(seed: seed)
        var diffs: [Double] = []
        diffs.reserveCapacity(replicates)
        for _ in 0..<replicates {
            let pooledBefore = Self.draw(b, &rng)
            let pooledAfter = Self.draw(a, &rng)
            guard let vb = metric.value(pooledBefore, limit: limit, threshold: threshold),
                let va = metric.value(pooledAfter, limit: limit, threshold: threshold)
            else { continue }
            diffs.append(va - vb)
        }
        diffs.sort()
        guard let low = Percentile.type7(sorted: diffs, 0.025), let high = Percentile.type7(sorted: diffs, 0.975) else { return nil }
        return Interval(low: low, high: high)
    }

    /// One resample of the clusters, pooled.
    static func draw(_ clusters: [SpeedHistogram], _ rng: inout SplitMix64) -> SpeedHistogram {
        var times = [Int](repeating: 0, count: clusters.count)
        for _ in clusters.indices { times[rng.index(below: clusters.count)] += 1 }
        var pooled = SpeedHistogram()
        for (i, h) in clusters.enumerated() where times[i] > 0 { pooled.merge(h, times: times[i]) }
        return pooled
    }
}

extension ClusterBootstrap {
    /// Intervals for several metrics from the same replicates: identical to calling
    /// `interval95` once per metric with this seed (the draws do not depend on the
    /// metric), at the cost of one resampling.
    public func intervals95(
        before: [SpeedHistogram], after: [SpeedHistogram], metrics: [Metric], limit: Double, threshold: Double
    ) -> [Metric: Interval] {
        var b = before.filter { !$0.isEmpty }
        var a = after.filter { !$0.isEmpty }
        guard b.count > 1, a.count > 1, replicates > 1 else { return [:] }
        // One common key range, so that pooling a replicate only adds counts.
        let lo = (a + b).map(\.base).min()!
        let hi = (a + b).map { $0.base + $0.counts.count }.max()!
        b = b.map { $0.padded(from: lo, to: hi) }
        a = a.map { $0.padded(from: lo, to: hi) }
        var rng = SplitMix64(seed: seed)
        var diffs: [Metric: [Double]] = [:]
        for _ in 0..<replicates {
            let pooledBefore = Self.draw(b, &rng)
            let pooledAfter = Self.draw(a, &rng)
            for metric in metrics {
                if let vb = metric.value(pooledBefore, limit: limit, threshold: threshold), let va = metric.value(pooledAfter, limit: limit, threshold: threshold) {
                    diffs[metric, default: []].append(va - vb)
                }
            }
        }
        var out: [Metric: Interval] = [:]
        for (metric, values) in diffs {
            let sorted = values.sorted()
            if let low = Percentile.type7(sorted: sorted, 0.025), let high = Percentile.type7(sorted: sorted, 0.975) {
                out[metric] = Interval(low: low, high: high)
            }
        }
        return out
    }
}
