import CollectorStore
import Foundation
import SpeedDomain
import SpeedStatistics

/// The JSON reports. Every field is described in `docs/reports.md`.
public enum JSONReport {
    /// A site report: `before`, `after`, `change` and the rest.
    public static func site(_ e: SiteEvaluation) -> String { ReportFormatting.json(siteObject(e, withMethods: true)) }

    /// The pilot against control report.
    public static func compare(_ c: ComparisonEvaluation) -> String {
        let did: [String: Any] = Dictionary(uniqueKeysWithValues: c.differences.map { d in
            var o: [String: Any] = ["estimate": ReportFormatting.number(d.result?.estimate), "ci95": ReportFormatting.interval(d.result?.interval)]
            o["pilot_sites"] = d.result?.pilotSites ?? 0
            o["control_sites"] = d.result?.controlSites ?? 0
            o["note"] = d.note ?? NSNull()
            return (d.metric.field(), o as Any)
        })
        let object: [String: Any] = [
            "report": "compare", "format_version": 1,
            "methods": ReportFormatting.methods(c.options, site: nil).merging(["difference_in_differences": "mean change at pilot sites minus mean change at control sites (speeds in mph); 95% interval by resampling sites within each group (percentile method)"]) { a, _ in a },
            "sites": c.sites.map { siteObject($0, withMethods: false) },
            "difference_in_differences": did,
        ]
        return ReportFormatting.json(object)
    }

    static func siteInfo(_ s: Site) -> [String: Any] {
        [
            "id": s.id, "name": s.name, "road": s.road, "latitude": ReportFormatting.number(s.latitude), "longitude": ReportFormatting.number(s.longitude),
            "limit": s.limit.value, "unit": s.limit.unit.rawValue, "enforcement_threshold": s.limit.enforcementThresholdValue,
            "scheme": s.scheme.rawValue, "pilot": s.isPilot,
        ]
    }

    static func figures(_ f: PeriodFigures, site: Site) -> [String: Any] {
        var o: [String: Any] = ["count": f.count, "no_data": f.count == 0]
        for unit in ReportFormatting.units(site) {
            func c(_ v: Double?) -> Any { ReportFormatting.number(v.map { ReportFormatting.convert($0, from: site.limit.unit, to: unit) }) }
            o[Metric.mean.field(unit)] = c(f.mean)
            o[Metric.median.field(unit)] = c(f.median)
            o[Metric.p85.field(unit)] = c(f.p85)
            o[unit == .mph ? "stddev_mph" : "stddev_kmh"] = c(f.standardDeviation)
        }
        o["compliance_pct"] = ReportFormatting.number(f.compliancePercent)
        o["over_threshold_pct"] = ReportFormatting.number(f.overThresholdPercent)
        return o
    }

    static func changeObject(_ e: SiteEvaluation) -> [String: Any] {
        var o: [String: Any] = [:]
        for ch in e.changes {
            let units: [SpeedUnit] = ch.metric.isSpeed ? ReportFormatting.units(e.site) : [.mph]
            for unit in units {
                let scale = ch.metric.isSpeed ? ReportFormatting.convert(1, from: e.site.limit.unit, to: unit) : 1
                o[ch.metric.field(unit)] = [
                    "estimate": ReportFormatting.number(ch.estimate.map { $0 * scale }),
                    "ci95": ReportFormatting.interval(ch.interval, scale: scale),
                    "ci95_method": ch.interval == nil ? NSNull() : "cluster-bootstrap",
                    "naive_ci95": ReportFormatting.interval(ch.naiveInterval, scale: scale),
                    "naive_method": ch.naiveInterval == nil ? NSNull() : "welch",
                    "count_before": ch.countBefore, "count_after": ch.countAfter,
                    "note": ch.note ?? NSNull(),
                ] as [String: Any]
            }
        }
        return o
    }

    static func siteObject(_ e: SiteEvaluation, withMethods: Bool) -> [String: Any] {
        func period(_ p: SiteEvaluation.Period) -> [String: Any] {
            ["from": ReportFormatting.iso(p.from), "to": ReportFormatting.iso(p.to), "sessions": p.sessions.count, "session_ids": p.sessions.map(\.id)]
        }
        var o: [String: Any] = [
            "site": siteInfo(e.site),
            "periods": ["before": period(e.before), "after": period(e.after)],
            "before": figures(e.before.figures, site: e.site),
            "after": figures(e.after.figures, site: e.site),
            "change": changeObject(e),
            "dose": [
                "sessions_before": e.dose.sessionsByPhase[.before] ?? 0, "sessions_intervention": e.dose.sessionsByPhase[.intervention] ?? 0,
                "sessions_after": e.dose.sessionsByPhase[.after] ?? 0, "display_on_hours": e.dose.displayOnHours, "covert_hours": e.dose.covertHours,
            ] as [String: Any],
            "post_stratified": e.postStratified.isEmpty ? NSNull() : Dictionary(uniqueKeysWithValues: e.postStratified.map { p in
                let scale = p.metric.isSpeed ? ReportFormatting.convert(1, from: e.site.limit.unit, to: .mph) : 1
                return (p.metric.field(), ["after": p.after * scale, "change": p.change * scale, "ci95": ReportFormatting.interval(p.interval, scale: scale), "coverage": p.coverage, "strata": p.strata] as Any)
            }),
            "binned": binnedObject(e),
        ]
        if withMethods {
            o["report"] = "site"
            o["format_version"] = 1
            o["methods"] = ReportFormatting.methods(e.options, site: e.site)
            o["hourly"] = e.hourly.map { h in
                var row: [String: Any] = ["hour": h.hourOfDay]
                for phase in [Phase.before, .after] {
                    row["count_\(phase.rawValue)"] = h.count[phase] ?? 0
                    row["mean_mph_\(phase.rawValue)"] = ReportFormatting.number(h.mean[phase].map { ReportFormatting.convert($0, from: e.site.limit.unit, to: .mph) })
                }
                return row
            }
            o["daily"] = e.daily.map { ["date": $0.date, "period": $0.phase.rawValue, "count": $0.count] as [String: Any] }
        }
        return o
    }

    static func binnedObject(_ e: SiteEvaluation) -> Any {
        guard !e.binned.isEmpty else { return NSNull() }
        var o: [String: Any] = [:]
        for b in e.binned {
            let u = e.site.limit.unit
            func c(_ v: Double?) -> Any { ReportFormatting.number(v.map { ReportFormatting.convert($0, from: u, to: .mph) }) }
            o[b.phase.rawValue] = [
                "from": ReportFormatting.iso(b.from), "to": ReportFormatting.iso(b.to), "count": b.data.count,
                "mean_mph": c(b.data.mean), "median_mph": c(b.data.percentile(0.5)), "p85_mph": c(b.data.percentile(0.85)),
                "compliance_pct": ReportFormatting.number(b.data.percent(atOrBelow: e.limit)),
                "over_threshold_pct": ReportFormatting.number(b.data.percent(atOrAbove: e.threshold)),
                "bin_edges_unit": u.rawValue,
                "bins": b.data.bins.map { [$0.lower, $0.upper, Double($0.count)] },
                "method": "grouped-data",
            ] as [String: Any]
        }
        return o
    }
}
