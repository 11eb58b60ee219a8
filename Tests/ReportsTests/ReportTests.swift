import CollectorStore
import Foundation
@testable import Reports
import SpeedDomain
import SpeedStatistics
import Testing

@Suite("Reports")
struct ReportTests {
    func render(_ scope: ReportRequest.Scope, _ format: ReportRequest.Format) throws -> String {
        try ReportRequest(scope: scope, format: format, options: ReportFixtures.options).render(store: ReportFixtures.store())
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("site report golden files: JSON, tidy CSV, HTML", arguments: ReportRequest.Format.allCases)
    func siteGolden(format: ReportRequest.Format) throws {
        try GoldenFile.check(try render(.site("HIGH-ST"), format), "site-HIGH-ST.\(format.rawValue)")
    }

    @Test("compare report golden files: JSON, tidy CSV, HTML", arguments: ReportRequest.Format.allCases)
    func compareGolden(format: ReportRequest.Format) throws {
        try GoldenFile.check(try render(.compare, format), "compare.\(format.rawValue)")
    }

    @Test("site JSON: before, after and change carry the promised fields; figures match the pooled speeds")
    func siteFields() throws {
        let o = try json(try render(.site("HIGH-ST"), .json))
        let before = try #require(o["before"] as? [String: Any])
        for key in ["count", "mean_mph", "median_mph", "p85_mph", "stddev_mph", "compliance_pct", "over_threshold_pct"] {
            #expect(before[key] is NSNumber, "before.\(key)")
        }
        #expect(before["count"] as? Int == 105)
        let change = try #require(o["change"] as? [String: Any])
        let mean = try #require(change["mean_mph"] as? [String: Any])
        let ci = try #require(mean["ci95"] as? [Double])
        let estimate = try #require(mean["estimate"] as? Double)
        #expect(ci.count == 2 && ci[0] <= estimate && estimate <= ci[1])
        #expect((mean["naive_ci95"] as? [Double])?.count == 2)
        #expect((change["p85_mph"] as? [String: Any])?["naive_ci95"] is NSNull)
        let dose = try #require(o["dose"] as? [String: Any])
        #expect(dose["sessions_intervention"] as? Int == 1)
    }

    @Test("a site with no after data says so: no_data and nulls, never NaN")
    func emptyPeriod() throws {
        let text = try render(.site("EMPTY"), .json)
        #expect(!text.contains("NaN") && !text.contains("nan"))
        let o = try json(text)
        let after = try #require(o["after"] as? [String: Any])
        #expect(after["count"] as? Int == 0)
        #expect(after["no_data"] as? Bool == true)
        #expect(after["mean_mph"] is NSNull && after["p85_mph"] is NSNull && after["compliance_pct"] is NSNull)
        let before = try #require(o["before"] as? [String: Any])
        #expect(before["count"] as? Int == 1)
        #expect(before["stddev_mph"] is NSNull)
        let change = try #require((o["change"] as? [String: Any])?["mean_mph"] as? [String: Any])
        #expect(change["estimate"] is NSNull)
        #expect(change["note"] as? String == "no data after")
        let csv = try render(.site("EMPTY"), .csv)
        #expect(csv.contains("EMPTY,after,mean_mph,,"))
        #expect(try render(.site("EMPTY"), .html).contains("no data"))
    }

    @Test("a km/h site: compliance against 50 km/h, figures in mph and km/h")
    func kmhSite() throws {
        let store = try ReportFixtures.store()
        let e = try SiteEvaluation(siteID: "RING-RD", store: store, options: ReportFixtures.options)
        let o = try json(JSONReport.site(e))
        let before = try #require(o["before"] as? [String: Any])
        let kmh = try #require(before["mean_kmh"] as? Double)
        let mph = try #require(before["mean_mph"] as? Double)
        #expect(abs(mph - kmh / 1.609344) < 1e-9)
        #expect(abs(kmh - e.before.figures.mean!) < 1e-12)
        let expected = 100 * Double(e.before.pooled.count(atOrBelow: 50)) / Double(e.before.pooled.count)
        #expect(before["compliance_pct"] as? Double == expected)
        #expect((o["site"] as? [String: Any])?["enforcement_threshold"] as? Int == 57)
    }

    @Test("CSV and JSON figures carry at most nine decimals: no binary noise such as -2.8000000000000007", arguments: [ReportRequest.Format.csv, .json])
    func noBinaryNoise(format: ReportRequest.Format) throws {
        for scope in [ReportRequest.Scope.site("HIGH-ST"), .compare] {
            let text = try render(scope, format)
            let longFractions = text.matches(of: /\.\d{10,}/).map { String(text[$0.range]) }
            #expect(longFractions.isEmpty, "\(scope) \(format): \(longFractions.prefix(3))")
        }
        #expect(ReportFormatting.machineRounded(-2.8000000000000007) == -2.8)
        #expect(ReportFormatting.machineRounded(-1e-12).sign == .plus)
    }

    @Test("reports rerun identically (seeded bootstrap)")
    func reproducible() throws {
        #expect(try render(.compare, .json) == render(.compare, .json))
    }

    @Test("free-flow filter and an unknown site")
    func freeFlowAndUnknown() throws {
        let store = try ReportFixtures.store()
        var options = ReportFixtures.options
        options.freeFlowGapSeconds = 60
        // Fixture vehicles are 50 s apart: only each session's first vehicle is free-flowing.
        let e = try SiteEvaluation(siteID: "HIGH-ST", store: store, options: options)
        #expect(e.before.figures.count == 3 && e.after.figures.count == 3)
        #expect(throws: CollectorStoreError.self) { try ReportRequest(scope: .site("NOPE"), format: .json).render(store: store) }
    }

    @Test("difference in differences pools pilot against control in mph")
    func did() throws {
        let store = try ReportFixtures.store()
        let c = try ComparisonEvaluation(store: store, options: ReportFixtures.options)
        let mean = try #require(c.differences.first { $0.metric == .mean }?.result)
        #expect(mean.pilotSites == 2 && mean.controlSites == 2)
        func change(_ id: String) -> Double {
            let e = c.sites.first { $0.site.id == id }!
            return e.changes.first { $0.metric == .mean }!.estimate! * e.site.limit.unit.metresPerSecond / SpeedUnit.mph.metresPerSecond
        }
        let expected = (change("HIGH-ST") + change("MILL-LN")) / 2 - (change("RING-RD") + change("STATION")) / 2
        #expect(abs(mean.estimate - expected) < 1e-9)
    }
}
