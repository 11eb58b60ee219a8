import Foundation
import Testing

@testable import SpeedStatistics

/// Writes fixed inputs and the figures this package computes for them to
/// `.build/oracle/statistics.json`; `Tests/Oracle/statistics_oracle.py`
/// (run by `scripts/test` after `swift test`) recomputes every figure with
/// numpy and scipy and fails on any mismatch.
@Suite("Oracle export")
struct OracleExportTests {
    static var outputURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/oracle/statistics.json")
    }

    func sample(_ seed: UInt64, n: Int, low: Int, span: Int) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in Double(low + rng.index(below: span)) / 100 }
    }

    func figuresCase(_ name: String, _ xs: [Double], limit: Double, threshold: Double) -> [String: Any] {
        let f = PeriodFigures(SpeedHistogram(values: xs), limit: limit, threshold: threshold)
        func v(_ d: Double?) -> Any { d ?? NSNull() }
        return [
            "name": name, "values": xs, "limit": limit, "threshold": threshold,
            "swift": [
                "count": f.count, "mean": v(f.mean), "median": v(f.median), "p85": v(f.p85), "sd": v(f.standardDeviation),
                "compliance_pct": v(f.compliancePercent), "over_threshold_pct": v(f.overThresholdPercent),
            ] as [String: Any],
        ]
    }

    @Test("export figures for the numpy/scipy oracle")
    func export() throws {
        var figures: [[String: Any]] = []
        figures.append(figuresCase("ties", [20, 20, 20, 25, 25, 30, 30, 30, 30, 24, 24], limit: 20, threshold: 24))
        figures.append(figuresCase("one", [23.4], limit: 20, threshold: 24))
        figures.append(figuresCase("two", [19.99, 35.0], limit: 30, threshold: 35))
        figures.append(figuresCase("empty", [], limit: 20, threshold: 24))
        figures.append(figuresCase("random-500", sample(11, n: 500, low: 1200, span: 2600), limit: 20, threshold: 24))
        figures.append(figuresCase("kmh-site", sample(12, n: 333, low: 2000, span: 3000), limit: 30, threshold: 35))

        var welch: [[String: Any]] = []
        let wb = sample(21, n: 80, low: 1800, span: 1500), wa = sample(22, n: 95, low: 1600, span: 1400)
        for metric in [Metric.mean, .compliance, .overThreshold] {
            let hb = SpeedHistogram(values: wb), ha = SpeedHistogram(values: wa)
            let mb = try #require(Welch.Moments(metric, of: hb, limit: 20, threshold: 24))
            let ma = try #require(Welch.Moments(metric, of: ha, limit: 20, threshold: 24))
            let ci = try #require(Welch.interval95(before: mb, after: ma))
            welch.append(["metric": metric.rawValue, "before": wb, "after": wa, "limit": 20.0, "threshold": 24.0, "swift": [ci.low, ci.high]])
        }

        var bootstrap: [[String: Any]] = []
        let before = (0..<4).map { sample(100 + UInt64($0), n: 20 + 7 * $0, low: 2000 + 100 * $0, span: 900) }
        let after = (0..<3).map { sample(200 + UInt64($0), n: 25 + 5 * $0, low: 1900 + 80 * $0, span: 800) }
        for metric in Metric.allCases {
            let boot = ClusterBootstrap(replicates: 300, seed: 99)
            let ci = try #require(boot.interval95(
                before: before.map { SpeedHistogram(values: $0) }, after: after.map { SpeedHistogram(values: $0) },
                metric: metric, limit: 20, threshold: 24))
            bootstrap.append([
                "metric": metric.rawValue, "before": before, "after": after, "seed": 99, "replicates": 300,
                "limit": 20.0, "threshold": 24.0, "swift": [ci.low, ci.high],
            ])
        }

        let pilot = [-2.1, -3.4, -0.7, -1.9], control = [0.3, -0.4, 0.1]
        let did = try #require(DifferenceInDifferences.estimate(pilotChanges: pilot, controlChanges: control, replicates: 500, seed: 5))
        let didCase: [String: Any] = [
            "pilot": pilot, "control": control, "seed": 5, "replicates": 500,
            "swift": ["estimate": did.estimate, "ci95": [did.interval!.low, did.interval!.high]],
        ]

        let beforeCounts = [7: 120, 8: 300, 17: 250, 31: 90, 40: 15]
        let afterValues = [7: 21.5, 8: 22.25, 17: 23.0, 31: 25.5]
        let ps = try #require(PostStratification.estimate(beforeCounts: beforeCounts, afterValues: afterValues))
        let psCase: [String: Any] = [
            "before_counts": Dictionary(uniqueKeysWithValues: beforeCounts.map { (String($0.key), $0.value) }),
            "after_values": Dictionary(uniqueKeysWithValues: afterValues.map { (String($0.key), $0.value) }),
            "swift": ["estimate": ps.estimate, "coverage": ps.coverage],
        ]

        let bins: [GroupedData.Bin] = [.init(lower: 10, upper: 15, count: 4), .init(lower: 15, upper: 20, count: 31), .init(lower: 20, upper: 25, count: 52), .init(lower: 25, upper: 30, count: 17), .init(lower: 30, upper: 40, count: 3)]
        let g = GroupedData(bins)
        let groupedCase: [String: Any] = [
            "bins": bins.map { [$0.lower, $0.upper, Double($0.count)] },
            "swift": ["p50": g.percentile(0.5)!, "p85": g.percentile(0.85)!, "p10": g.percentile(0.1)!, "mean": g.mean!, "pct_le_20": g.percent(atOrBelow: 20)!, "pct_le_22": g.percent(atOrBelow: 22)!],
        ]

        let tq: [[Double]] = [1, 2.5, 7, 19.3, 120].map { [$0, StudentT.quantile(0.975, degreesOfFreedom: $0)] }

        let document: [String: Any] = [
            "figures": figures, "welch": welch, "bootstrap": bootstrap, "did": didCase,
            "post_stratification": psCase, "grouped": groupedCase, "t_quantile_975": tq,
        ]
        let url = Self.outputURL
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted]).write(to: url)
        #expect(FileManager.default.fileExists(atPath: url.path))
    }
}
