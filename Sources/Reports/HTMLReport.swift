import CollectorStore
import Foundation
import SpeedDomain
import SpeedStatistics

/// Self-contained HTML reports with inline SVG charts: the speed histogram and
/// cumulative distribution before against after, the hourly mean-speed profile
/// and counts per day. Figures print with one decimal.
public enum HTMLReport {
    static let beforeColour = "#4e79a7"
    static let afterColour = "#e15759"

    public static func site(_ e: SiteEvaluation) -> String {
        page(title: "Speed report: \(e.site.name) (\(e.site.id))", body: siteBody(e) + methods(e.options, site: e.site))
    }

    public static func compare(_ c: ComparisonEvaluation) -> String {
        var body = "<h2>Difference in differences (pilot minus control)</h2>\n<table><tr><th>figure</th><th>estimate</th><th>95% interval</th><th>pilot sites</th><th>control sites</th><th>note</th></tr>\n"
        for d in c.differences {
            body += "<tr><td>\(d.metric.field())</td><td>\(one(d.result?.estimate))</td><td>\(range(d.result?.interval))</td><td>\(d.result?.pilotSites ?? 0)</td><td>\(d.result?.controlSites ?? 0)</td><td>\(html(d.note ?? ""))</td></tr>\n"
        }
        body += "</table>\n"
        for e in c.sites { body += "<hr>\n" + siteBody(e) }
        return page(title: "Pilot against control sites", body: body + methods(c.options, site: nil))
    }

    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(html(title))</title>
        <style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}th:first-child,td:first-child{text-align:left}.note{color:#666;font-size:.9em}</style>
        </head><body>
        <h1>\(html(title))</h1>
        \(body)
        </body></html>

        """
    }

    static func one(_ v: Double?) -> String { v.map { String(format: "%.1f", $0) } ?? "no data" }
    static func range(_ i: Interval?) -> String { i.map { String(format: "%.1f to %.1f", $0.low, $0.high) } ?? "—" }

    static func siteBody(_ e: SiteEvaluation) -> String {
        let u = e.site.limit.unit
        let unit = u.rawValue
        func c(_ v: Double?) -> String { one(v) }
        var s = "<h2>\(html(e.site.name)) — \(html(e.site.road)) (\(html(e.site.id)))</h2>\n"
        s += "<p>Limit \(e.site.limit.value) \(unit), enforcement threshold \(e.site.limit.enforcementThresholdValue) \(unit); scheme \(e.site.scheme.rawValue)\(e.site.isPilot ? ", pilot site" : ""). "
        s += "Before: \(e.before.sessions.count) sessions \(when(e.before)); after: \(e.after.sessions.count) sessions \(when(e.after)).</p>\n"
        s += "<table><tr><th>figure (\(unit))</th><th>before</th><th>after</th><th>change</th><th>95% interval (cluster bootstrap)</th><th>naive 95% (Welch)</th></tr>\n"
        s += "<tr><td>vehicles</td><td>\(e.before.figures.count)</td><td>\(e.after.figures.count)</td><td></td><td></td><td></td></tr>\n"
        let rows: [(String, Metric?, Double?, Double?)] = [
            ("mean", .mean, e.before.figures.mean, e.after.figures.mean), ("median", .median, e.before.figures.median, e.after.figures.median),
            ("85th percentile", .p85, e.before.figures.p85, e.after.figures.p85),
            ("standard deviation", nil, e.before.figures.standardDeviation, e.after.figures.standardDeviation),
            ("compliance %", .compliance, e.before.figures.compliancePercent, e.after.figures.compliancePercent),
            ("over threshold %", .overThreshold, e.before.figures.overThresholdPercent, e.after.figures.overThresholdPercent),
        ]
        for (name, metric, b, a) in rows {
            let ch = metric.flatMap { m in e.changes.first { $0.metric == m } }
            s += "<tr><td>\(name)</td><td>\(c(b))</td><td>\(c(a))</td><td>\(ch == nil ? "" : one(ch?.estimate))</td><td>\(ch == nil ? "" : range(ch?.interval))</td><td>\(ch == nil ? "" : range(ch?.naiveInterval))</td></tr>\n"
        }
        s += "</table>\n"
        if let note = e.changes.compactMap(\.note).first { s += "<p class=\"note\">\(html(note))</p>\n" }
        if !e.postStratified.isEmpty {
            s += "<p>Time-matched (after period reweighted to the before period's hour × weekday/weekend mix): "
            s += e.postStratified.map { "\($0.metric.field(u)) after \(one($0.after)), change \(one($0.change)) (95% \(range($0.interval)))" }.joined(separator: "; ")
            s += String(format: "; coverage %.0f%% of before vehicles.</p>\n", 100 * (e.postStratified.first?.coverage ?? 0))
        }
        s += String(format: "<p>Dose: %d sessions before, %d during, %d after; display on %.1f h, covert %.1f h.</p>\n",
            e.dose.sessionsByPhase[.before] ?? 0, e.dose.sessionsByPhase[.intervention] ?? 0, e.dose.sessionsByPhase[.after] ?? 0, e.dose.displayOnHours, e.dose.covertHours)
        for b in e.binned {
            s += "<p>Binned \(b.phase.rawValue) data (grouped-data formula, reported apart): \(b.data.count) vehicles, median \(one(b.data.percentile(0.5))), 85th percentile \(one(b.data.percentile(0.85))), compliance \(one(b.data.percent(atOrBelow: e.limit)))%.</p>\n"
        }
        s += charts(e)
        return s
    }

    static func when(_ p: SiteEvaluation.Period) -> String {
        guard let from = p.from, let to = p.to else { return "(no data)" }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "d MMM yyyy"
        return "(\(f.string(from: Date(timeIntervalSince1970: Double(from) / 1e9))) to \(f.string(from: Date(timeIntervalSince1970: Double(to) / 1e9))))"
    }

    static func charts(_ e: SiteEvaluation) -> String {
        let unit = e.site.limit.unit.rawValue
        func shares(_ h: SpeedHistogram) -> [(x: Double, y: Double)] {
            var bins: [Int: Int] = [:]
            for kc in h.nonZero { bins[Int((SpeedHistogram.value(ofKey: kc.key)).rounded(.down)), default: 0] += kc.count }
            return bins.keys.sorted().map { (Double($0) + 0.5, 100 * Double(bins[$0]!) / Double(h.count)) }
        }
        func cumulative(_ h: SpeedHistogram) -> [(x: Double, y: Double)] {
            var seen = 0
            return h.nonZero.map { kc in
                seen += kc.count
                return (SpeedHistogram.value(ofKey: kc.key), 100 * Double(seen) / Double(h.count))
            }
        }
        var s = SVGChart(title: "Speed distribution", xLabel: "speed (\(unit))", yLabel: "% of vehicles").render(
            bars: [.init(name: "before", colour: beforeColour, points: shares(e.before.pooled)), .init(name: "after", colour: afterColour, points: shares(e.after.pooled))]) + "\n"
        s += SVGChart(title: "Cumulative distribution", xLabel: "speed (\(unit))", yLabel: "% at or under").render(
            lines: [.init(name: "before", colour: beforeColour, points: cumulative(e.before.pooled)), .init(name: "after", colour: afterColour, points: cumulative(e.after.pooled))]) + "\n"
        func hourly(_ phase: Phase) -> [(x: Double, y: Double)] { e.hourly.compactMap { h in h.mean[phase].map { (Double(h.hourOfDay), $0) } } }
        s += SVGChart(title: "Mean speed by hour of day (\(e.options.timeZone.identifier))", xLabel: "hour", yLabel: "mean (\(unit))").render(
            lines: [.init(name: "before", colour: beforeColour, points: hourly(.before)), .init(name: "after", colour: afterColour, points: hourly(.after))], xDomain: 0...23) + "\n"
        let dates = Array(Set(e.daily.map(\.date))).sorted()
        func daily(_ phase: Phase) -> [(x: Double, y: Double)] {
            e.daily.filter { $0.phase == phase }.map { d in (Double(dates.firstIndex(of: d.date)!), Double(d.count)) }
        }
        s += SVGChart(title: "Vehicles per day", xLabel: "date", yLabel: "vehicles").render(
            bars: [.init(name: "before", colour: beforeColour, points: daily(.before)), .init(name: "after", colour: afterColour, points: daily(.after))], xCategories: dates) + "\n"
        return s
    }

    static func methods(_ options: ReportOptions, site: Site?) -> String {
        let m = ReportFormatting.methods(options, site: site)
        var s = "<h2>Methods</h2>\n<table>\n"
        for key in m.keys.sorted() { s += "<tr><td>\(html(key))</td><td style=\"text-align:left\">\(html("\(m[key]!)"))</td></tr>\n" }
        return s + "</table>\n"
    }
}
