import CollectorStore
import Foundation
import SpeedDomain
import SpeedStatistics

extension SiteEvaluation {
    /// The hourly mean-speed profile (local hour of day) and counts per local day, per phase.
    static func profiles(_ aggregates: [SessionAggregate], timeZone: TimeZone) -> ([HourProfile], [DayCount]) {
        var count: [Int: [Phase: Int]] = [:]
        var sum: [Int: [Phase: Int]] = [:]
        var days: [DayKey: Int] = [:]
        for a in aggregates where a.record.phase != .intervention {
            for cell in a.hours {
                let local = LocalHour(hourUTC: cell.hourUTC, timeZone: timeZone)
                count[local.hourOfDay, default: [:]][a.record.phase, default: 0] += cell.count
                sum[local.hourOfDay, default: [:]][a.record.phase, default: 0] += cell.sumKeys
                days[DayKey(day: local.day, phase: a.record.phase), default: 0] += cell.count
            }
        }
        let hourly = (0..<24).map { h in
            var means: [Phase: Double] = [:]
            for (phase, n) in count[h] ?? [:] where n > 0 {
                means[phase] = SpeedHistogram.value(ofKey: 1) * Double(sum[h]![phase]!) / Double(n)
            }
            return HourProfile(hourOfDay: h, count: count[h] ?? [:], mean: means)
        }
        let daily = days.sorted { ($0.key.day, $0.key.phase.rawValue) < ($1.key.day, $1.key.phase.rawValue) }.map {
            DayCount(date: LocalHour.dateString(day: $0.key.day), phase: $0.key.phase, count: $0.value)
        }
        return (hourly, daily)
    }

    struct DayKey: Hashable {
        var day: Int
        var phase: Phase
    }

    /// Post-stratified after figures for mean, compliance and the over-threshold share,
    /// each with a cluster-bootstrap interval for its change.
    static func postStratify(before: Period, after: Period, timeZone: TimeZone, limit: Double, threshold: Double, bootstrap: ClusterBootstrap) -> [PostStratified] {
        let b = before.sessionHours.map { strata($0, timeZone) }
        let a = after.sessionHours.map { strata($0, timeZone) }
        let metrics: [Metric] = [.mean, .compliance, .overThreshold]
        let point = estimates(before: pool(b), after: pool(a), metrics: metrics)
        // Resample sessions exactly as ClusterBootstrap does (before draws, then after draws).
        let bs = b.filter { !$0.isEmpty }, as_ = a.filter { !$0.isEmpty }
        var replicates: [Metric: [Double]] = [:]
        if bs.count > 1, as_.count > 1, bootstrap.replicates > 1 {
            var rng = SplitMix64(seed: bootstrap.seed)
            for _ in 0..<bootstrap.replicates {
                let drawnBefore = (0..<bs.count).map { _ in bs[rng.index(below: bs.count)] }
                let drawnAfter = (0..<as_.count).map { _ in as_[rng.index(below: as_.count)] }
                for (metric, e) in estimates(before: pool(drawnBefore), after: pool(drawnAfter), metrics: metrics) {
                    replicates[metric, default: []].append(e.change)
                }
            }
        }
        return metrics.compactMap { metric in
            guard let e = point[metric] else { return nil }
            var interval: Interval?
            if let reps = replicates[metric]?.sorted(), let low = Percentile.type7(sorted: reps, 0.025), let high = Percentile.type7(sorted: reps, 0.975) {
                interval = Interval(low: low, high: high)
            }
            return PostStratified(metric: metric, after: e.after, change: e.change, interval: interval, coverage: e.coverage, strata: e.strata)
        }
    }

    /// A session's hour cells summed per stratum (local hour of day × weekday/weekend).
    static func strata(_ hours: [HourCell], _ timeZone: TimeZone) -> [Int: HourCell] {
        var out: [Int: HourCell] = [:]
        for cell in hours where cell.count > 0 {
            let local = LocalHour(hourUTC: cell.hourUTC, timeZone: timeZone)
            let s = PostStratification.stratum(hourOfDay: local.hourOfDay, weekend: local.isWeekend)
            out[s, default: HourCell(hourUTC: Int64(s))].add(cell)
        }
        return out
    }

    /// Several sessions' strata summed stratum by stratum.
    static func pool(_ sessions: [[Int: HourCell]]) -> [Int: HourCell] {
        var out: [Int: HourCell] = [:]
        for session in sessions {
            for (s, cell) in session {
                out[s, default: HourCell(hourUTC: Int64(s))].add(cell)
            }
        }
        return out
    }

    struct Estimate {
        var after: Double
        var change: Double
        var coverage: Double
        var strata: Int
    }

    /// The post-stratified after figure and its change against the (unmatched) before figure.
    static func estimates(before: [Int: HourCell], after: [Int: HourCell], metrics: [Metric]) -> [Metric: Estimate] {
        func value(_ metric: Metric, _ c: HourCell) -> Double {
            switch metric {
            case .compliance: return 100 * Double(c.compliant) / Double(c.count)
            case .overThreshold: return 100 * Double(c.overThreshold) / Double(c.count)
            default: return Double(c.sumKeys) / Double(c.count) * SpeedHistogram.resolution
            }
        }
        var total = HourCell(hourUTC: 0)
        for c in before.values { total.add(c) }
        guard total.count > 0 else { return [:] }
        var out: [Metric: Estimate] = [:]
        for metric in metrics {
            guard let ps = PostStratification.estimate(beforeCounts: before.mapValues(\.count), afterValues: after.mapValues { value(metric, $0) }) else { continue }
            out[metric] = Estimate(after: ps.estimate, change: ps.estimate - value(metric, total), coverage: ps.coverage, strata: ps.strata)
        }
        return out
    }
}
