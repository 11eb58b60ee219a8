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

    /// Post-stratified after figures for mean, compliance and the over-threshold share.
    static func postStratify(before: Period, after: Period, timeZone: TimeZone, limit: Double, threshold: Double) -> [PostStratified] {
        func strata(_ hours: [HourCell]) -> [Int: HourCell] {
            var out: [Int: HourCell] = [:]
            for cell in hours {
                let local = LocalHour(hourUTC: cell.hourUTC, timeZone: timeZone)
                let s = PostStratification.stratum(hourOfDay: local.hourOfDay, weekend: local.isWeekend)
                var acc = out[s] ?? HourCell(hourUTC: Int64(s))
                acc.count += cell.count
                acc.sumKeys += cell.sumKeys
                acc.compliant += cell.compliant
                acc.overThreshold += cell.overThreshold
                out[s] = acc
            }
            return out
        }
        let b = strata(before.hours)
        let a = strata(after.hours).filter { $0.value.count > 0 }
        let beforeCounts = b.mapValues(\.count)
        var result: [PostStratified] = []
        let metrics: [(Metric, (HourCell) -> Double)] = [
            (.mean, { SpeedHistogram.value(ofKey: 1) * Double($0.sumKeys) / Double($0.count) }),
            (.compliance, { 100 * Double($0.compliant) / Double($0.count) }),
            (.overThreshold, { 100 * Double($0.overThreshold) / Double($0.count) }),
        ]
        for (metric, value) in metrics {
            guard let vb = metric.value(before.pooled, limit: limit, threshold: threshold),
                let ps = PostStratification.estimate(beforeCounts: beforeCounts, afterValues: a.mapValues(value))
            else { continue }
            result.append(PostStratified(metric: metric, after: ps.estimate, change: ps.estimate - vb, coverage: ps.coverage, strata: ps.strata))
        }
        return result
    }
}
