/// The difference in differences: the mean change (after − before) over pilot
/// sites minus the mean change over control sites, with a 95% interval from a
/// seeded bootstrap that resamples sites with replacement within each group
/// (pilot draws first, then control, per replicate; percentile method).
public enum DifferenceInDifferences {
    public struct Result: Sendable, Hashable, Codable {
        public var estimate: Double
        /// Nil unless each group has at least two sites.
        public var interval: Interval?
        public var pilotSites: Int
        public var controlSites: Int
    }

    /// - Parameters:
    ///   - pilotChanges: after − before at each pilot site with data in both periods.
    ///   - controlChanges: the same at each control site.
    /// - Returns: nil when either group has no site.
    public static func estimate(
        pilotChanges: [Double], controlChanges: [Double], replicates: Int = 1000, seed: UInt64 = 20_250_101
    ) -> Result? {
        guard !pilotChanges.isEmpty, !controlChanges.isEmpty else { return nil }
        func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
        let estimate = mean(pilotChanges) - mean(controlChanges)
        var interval: Interval?
        if pilotChanges.count > 1, controlChanges.count > 1, replicates > 1 {
            var rng = SplitMix64(seed: seed)
            var reps: [Double] = []
            reps.reserveCapacity(replicates)
            for _ in 0..<replicates {
                var p = 0.0
                for _ in pilotChanges.indices { p += pilotChanges[rng.index(below: pilotChanges.count)] }
                var c = 0.0
                for _ in controlChanges.indices { c += controlChanges[rng.index(below: controlChanges.count)] }
                reps.append(p / Double(pilotChanges.count) - c / Double(controlChanges.count))
            }
            reps.sort()
            if let low = Percentile.type7(sorted: reps, 0.025), let high = Percentile.type7(sorted: reps, 0.975) {
                interval = Interval(low: low, high: high)
            }
        }
        return Result(estimate: estimate, interval: interval, pilotSites: pilotChanges.count, controlSites: controlChanges.count)
    }
}
