import Testing

@testable import SpeedStatistics

@Suite("Intervals, bootstrap, difference in differences, post-stratification, bins")
struct IntervalTests {
    @Test("Student t quantiles match scipy.stats.t.ppf(0.975, df)")
    func tQuantiles() {
        let expected: [(Double, Double)] = [(1, 12.70620474), (2, 4.30265273), (5.5, 2.50185862), (30, 2.04227246), (1000, 1.96233908)]
        for (df, q) in expected {
            #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: df) - q) < 1e-7)
        }
    }

    @Test("Welch's interval matches scipy ttest_ind(equal_var=False).confidence_interval()")
    func welch() throws {
        let before = SpeedHistogram(values: [20, 22, 25, 27, 30, 31.5])
        let after = SpeedHistogram(values: [18, 19.5, 21, 22, 24])
        let mb = try #require(Welch.Moments(.mean, of: before, limit: 20, threshold: 24))
        let ma = try #require(Welch.Moments(.mean, of: after, limit: 20, threshold: 24))
        let ci = try #require(Welch.interval95(before: mb, after: ma))
        #expect(abs(ci.low - -9.886157784268644) < 1e-8)
        #expect(abs(ci.high - -0.14717554906469577) < 1e-8)
    }

    func sessions(seed: UInt64, count: Int, centre: Int) -> [SpeedHistogram] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let shift = rng.index(below: 300)
            return SpeedHistogram(values: (0..<50).map { _ in Double(centre + shift + rng.index(below: 800)) / 100 })
        }
    }

    @Test("the cluster bootstrap gives the same interval for the same seed, another for another seed")
    func bootstrapReproducible() throws {
        let before = sessions(seed: 1, count: 5, centre: 2400)
        let after = sessions(seed: 2, count: 4, centre: 2200)
        let boot = ClusterBootstrap(replicates: 400, seed: 42)
        let a = try #require(boot.interval95(before: before, after: after, metric: .p85, limit: 20, threshold: 24))
        let b = try #require(boot.interval95(before: before, after: after, metric: .p85, limit: 20, threshold: 24))
        #expect(a == b)
        let c = try #require(ClusterBootstrap(replicates: 400, seed: 43).interval95(before: before, after: after, metric: .p85, limit: 20, threshold: 24))
        #expect(a != c)
        #expect(a.low < a.high)
    }

    @Test("one session in a period: no cluster interval")
    func bootstrapNeedsClusters() {
        let before = sessions(seed: 1, count: 1, centre: 2400)
        let after = sessions(seed: 2, count: 3, centre: 2200)
        #expect(ClusterBootstrap().interval95(before: before, after: after, metric: .mean, limit: 20, threshold: 24) == nil)
    }

    @Test("difference in differences: estimate and the need for two sites per group")
    func did() throws {
        let r = try #require(DifferenceInDifferences.estimate(pilotChanges: [-2, -3, -1.5], controlChanges: [-0.5, 0.2]))
        #expect(abs(r.estimate - (-6.5 / 3 - -0.15)) < 1e-12)
        #expect(r.interval != nil)
        let single = try #require(DifferenceInDifferences.estimate(pilotChanges: [-2], controlChanges: [0.1, 0.3]))
        #expect(single.interval == nil)
        #expect(DifferenceInDifferences.estimate(pilotChanges: [], controlChanges: [1]) == nil)
    }

    @Test("post-stratification weights after strata by before shares, over shared strata")
    func postStratification() throws {
        let r = try #require(PostStratification.estimate(beforeCounts: [8: 30, 17: 10, 30: 60], afterValues: [8: 22, 17: 26]))
        #expect(abs(r.estimate - (0.75 * 22 + 0.25 * 26)) < 1e-12)
        #expect(abs(r.coverage - 0.4) < 1e-12)
        #expect(r.strata == 2)
        #expect(PostStratification.estimate(beforeCounts: [1: 5], afterValues: [2: 3]) == nil)
    }

    @Test("grouped-data percentile P = L + w·(pN − F_below)/f")
    func grouped() throws {
        let g = GroupedData([.init(lower: 15, upper: 20, count: 10), .init(lower: 20, upper: 25, count: 30), .init(lower: 25, upper: 30, count: 10)])
        // N = 50; p85: 42.5 falls in [25,30): 25 + 5·(42.5 − 40)/10 = 26.25.
        #expect(g.percentile(0.85) == 26.25)
        // median: 25 in [20,25): 20 + 5·(25 − 10)/30 = 22.5.
        #expect(g.percentile(0.5) == 22.5)
        #expect(g.mean == (10 * 17.5 + 30 * 22.5 + 10 * 27.5) / 50)
        #expect(g.percent(atOrBelow: 20) == 20)
        #expect(GroupedData([]).percentile(0.5) == nil)
    }
}

@Suite("Bootstrap over several metrics")
struct MultiMetricBootstrapTests {
    @Test("intervals95 equals interval95 called per metric with the same seed")
    func sameDraws() {
        var rng = SplitMix64(seed: 3)
        func sessions(_ n: Int, _ centre: Int) -> [SpeedHistogram] {
            (0..<n).map { _ in SpeedHistogram(values: (0..<30).map { _ in Double(centre + rng.index(below: 900)) / 100 }) }
        }
        let before = sessions(4, 2200), after = sessions(3, 2000)
        let boot = ClusterBootstrap(replicates: 150, seed: 11)
        let all = boot.intervals95(before: before, after: after, metrics: Metric.allCases, limit: 20, threshold: 24)
        for metric in Metric.allCases {
            #expect(all[metric] == boot.interval95(before: before, after: after, metric: metric, limit: 20, threshold: 24))
        }
    }
}
