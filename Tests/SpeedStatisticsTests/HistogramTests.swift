import Testing

@testable import SpeedStatistics

/// Figures checked against values numpy computed (np.percentile default = type 7, std ddof=1).
@Suite("Speed histogram figures")
struct HistogramTests {
    func figures(_ xs: [Double], limit: Double = 20, threshold: Double = 24) -> PeriodFigures {
        PeriodFigures(SpeedHistogram(values: xs), limit: limit, threshold: threshold)
    }

    func close(_ a: Double?, _ b: Double?, _ tol: Double = 1e-9) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (a?, b?): return abs(a - b) <= tol
        default: return false
        }
    }

    @Test("ties: 20,20,20,25,25,30")
    func ties() {
        let f = figures([20, 20, 20, 25, 25, 30])
        #expect(f.count == 6)
        #expect(close(f.mean, 23.333333333333332))
        #expect(close(f.median, 22.5))
        #expect(close(f.p85, 26.25))
        #expect(close(f.standardDeviation, 4.0824829046386295))
        #expect(close(f.compliancePercent, 50))
        #expect(close(f.overThresholdPercent, 50))
    }

    @Test("one reading: every figure is that reading; no standard deviation")
    func one() {
        let f = figures([23.4])
        #expect(f.count == 1)
        #expect(close(f.mean, 23.4))
        #expect(close(f.median, 23.4))
        #expect(close(f.p85, 23.4))
        #expect(f.standardDeviation == nil)
        #expect(close(f.compliancePercent, 0))
        #expect(close(f.overThresholdPercent, 0))
    }

    @Test("two readings interpolate linearly")
    func two() {
        let f = figures([21.0, 27.5])
        #expect(close(f.mean, 24.25))
        #expect(close(f.median, 24.25))
        #expect(close(f.p85, 26.525))
        #expect(close(f.standardDeviation, 4.596194077712559))
        #expect(close(f.overThresholdPercent, 50))
    }

    @Test("empty period: count 0 and no figures rather than NaN")
    func empty() {
        let f = figures([])
        #expect(f.count == 0)
        #expect(f.mean == nil && f.median == nil && f.p85 == nil && f.standardDeviation == nil)
        #expect(f.compliancePercent == nil && f.overThresholdPercent == nil)
    }

    @Test("a 30 limit: compliance at exactly 30, threshold 35")
    func boundaries() {
        let f = figures([30.0, 31.5, 29.99, 45.2, 50.0, 28.0, 30.0], limit: 30, threshold: 35)
        #expect(close(f.mean, 34.955714285714286))
        #expect(close(f.median, 30.0))
        #expect(close(f.p85, 45.68))
        #expect(close(f.standardDeviation, 8.806970453647985))
        #expect(close(f.compliancePercent, 400.0 / 7))
        #expect(close(f.overThresholdPercent, 200.0 / 7))
    }

    @Test("histogram percentiles equal plain type 7 on random data at 0.01 resolution", arguments: [1, 2, 3, 10, 101, 2000])
    func matchesPlainType7(n: Int) {
        var rng = SplitMix64(seed: UInt64(n))
        let xs = (0..<n).map { _ in Double(1500 + rng.index(below: 2500)) / 100 }
        let h = SpeedHistogram(values: xs)
        for p in [0.0, 0.1, 0.5, 0.85, 0.975, 1.0] {
            #expect(close(h.percentile(p), Percentile.type7(xs, p), 1e-9))
        }
    }

    @Test("merging session histograms equals one histogram of all speeds")
    func merge() {
        var rng = SplitMix64(seed: 7)
        let a = (0..<300).map { _ in Double(rng.index(below: 5000)) / 100 }
        let b = (0..<200).map { _ in Double(2000 + rng.index(below: 5000)) / 100 }
        var h = SpeedHistogram(values: a)
        h.merge(SpeedHistogram(values: b), times: 2)
        #expect(h == SpeedHistogram(values: a + b + b))
    }
}
