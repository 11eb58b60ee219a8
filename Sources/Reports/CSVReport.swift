import Foundation
import CollectorStore
import SpeedDomain
import SpeedStatistics

/// Tidy CSV: one row per site × period × metric, ready for R or pandas.
///
/// Columns: `site_id,period,metric,value,ci95_low,ci95_high,naive_ci95_low,naive_ci95_high,n,method`.
/// `period` is `before`, `after`, `change`, `post_stratified_after`, `post_stratified_change`,
/// `binned_before`, `binned_after`, or `did` (site `ALL`) in the compare report. Empty cells are missing values.
public enum CSVReport {
    public static let header = "site_id,period,metric,value,ci95_low,ci95_high,naive_ci95_low,naive_ci95_high,n,method"

    public static func site(_ e: SiteEvaluation) -> String {
        ([header] + rows(e)).joined(separator: "\n") + "\n"
    }

    public static func compare(_ c: ComparisonEvaluation) -> String {
        var lines = [header]
        for e in c.sites { lines += rows(e) }
        for d in c.differences {
            let n = d.result.map { "\($0.pilotSites + $0.controlSites)" } ?? "0"
            lines.append(row("ALL", "did", d.metric.field(), d.result?.estimate, d.result?.interval, nil, n, "difference-in-differences; site resampling"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func rows(_ e: SiteEvaluation) -> [String] {
        var lines: [String] = []
        let id = e.site.id
        let u = e.site.limit.unit
        for p in [e.before, e.after] {
            let f = p.figures
            let n = "\(f.count)"
            lines.append(row(id, p.phase.rawValue, "count", Double(f.count), nil, nil, n, "count"))
            for unit in ReportFormatting.units(e.site) {
                func c(_ v: Double?) -> Double? { v.map { ReportFormatting.convert($0, from: u, to: unit) } }
                lines.append(row(id, p.phase.rawValue, Metric.mean.field(unit), c(f.mean), nil, nil, n, "mean"))
                lines.append(row(id, p.phase.rawValue, Metric.median.field(unit), c(f.median), nil, nil, n, "type-7 percentile"))
                lines.append(row(id, p.phase.rawValue, Metric.p85.field(unit), c(f.p85), nil, nil, n, "type-7 percentile"))
                lines.append(row(id, p.phase.rawValue, unit == .mph ? "stddev_mph" : "stddev_kmh", c(f.standardDeviation), nil, nil, n, "sample sd"))
            }
            lines.append(row(id, p.phase.rawValue, "compliance_pct", f.compliancePercent, nil, nil, n, "share <= limit"))
            lines.append(row(id, p.phase.rawValue, "over_threshold_pct", f.overThresholdPercent, nil, nil, n, "share >= threshold"))
        }
        for ch in e.changes {
            for unit in ch.metric.isSpeed ? ReportFormatting.units(e.site) : [.mph] {
                let s = ch.metric.isSpeed ? ReportFormatting.convert(1, from: u, to: unit) : 1
                let method = ch.interval == nil ? "no cluster interval" : "cluster bootstrap"
                lines.append(row(id, "change", ch.metric.field(unit), ch.estimate.map { $0 * s }, ch.interval.map { Interval(low: $0.low * s, high: $0.high * s) },
                    ch.naiveInterval.map { Interval(low: $0.low * s, high: $0.high * s) }, "\(ch.countBefore + ch.countAfter)", method + (ch.naiveInterval == nil ? "" : "; naive Welch")))
            }
        }
        for p in e.postStratified {
            let s = p.metric.isSpeed ? ReportFormatting.convert(1, from: u, to: .mph) : 1
            lines.append(row(id, "post_stratified_after", p.metric.field(), p.after * s, nil, nil, "", "post-stratified (coverage \(ReportFormatting.machineRounded(p.coverage)))"))
            lines.append(row(id, "post_stratified_change", p.metric.field(), p.change * s, p.interval.map { Interval(low: $0.low * s, high: $0.high * s) }, nil, "", "post-stratified (coverage \(ReportFormatting.machineRounded(p.coverage))); cluster bootstrap"))
        }
        for b in e.binned {
            let n = "\(b.data.count)"
            func c(_ v: Double?) -> Double? { v.map { ReportFormatting.convert($0, from: u, to: .mph) } }
            lines.append(row(id, "binned_\(b.phase.rawValue)", "count", Double(b.data.count), nil, nil, n, "bins"))
            lines.append(row(id, "binned_\(b.phase.rawValue)", "mean_mph", c(b.data.mean), nil, nil, n, "bin midpoints"))
            lines.append(row(id, "binned_\(b.phase.rawValue)", "median_mph", c(b.data.percentile(0.5)), nil, nil, n, "grouped-data percentile"))
            lines.append(row(id, "binned_\(b.phase.rawValue)", "p85_mph", c(b.data.percentile(0.85)), nil, nil, n, "grouped-data percentile"))
            lines.append(row(id, "binned_\(b.phase.rawValue)", "compliance_pct", b.data.percent(atOrBelow: e.limit), nil, nil, n, "bins spread evenly"))
            lines.append(row(id, "binned_\(b.phase.rawValue)", "over_threshold_pct", b.data.percent(atOrAbove: e.threshold), nil, nil, n, "bins spread evenly"))
        }
        return lines
    }

    static func row(_ site: String, _ period: String, _ metric: String, _ value: Double?, _ ci: Interval?, _ naive: Interval?, _ n: String, _ method: String) -> String {
        let v = ReportFormatting.csvCell
        let shown = metric == "count" ? value.map { String(Int($0)) } ?? "" : v(value)
        return [quote(site), period, metric, shown, v(ci?.low), v(ci?.high), v(naive?.low), v(naive?.high), n, quote(method)].joined(separator: ",")
    }

    static func quote(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
