import CollectorStore
import Foundation
import Reports
import SpeedDomain
import SpeedStatistics

/// A deterministic store: a 20 mph pilot site and a second pilot site, two
/// control sites (one in km/h), and a site with no data after.
enum ReportFixtures {
    /// 2026-03-02 00:00 UTC, a Monday.
    static let start: Int64 = 1_772_409_600_000_000_000
    static let hourNs: Int64 = 3_600_000_000_000

    static let sites = [
        Site(id: "HIGH-ST", name: "High Street", road: "B4044", latitude: 51.75, longitude: -1.26, limit: SpeedLimit(20), scheme: .driveSafe, isPilot: true),
        Site(id: "MILL-LN", name: "Mill Lane", road: "C1", limit: SpeedLimit(20), scheme: .cameraVan, isPilot: true),
        Site(id: "RING-RD", name: "Ring Road", road: "A40", limit: SpeedLimit(50, .kmh), scheme: .control, isPilot: false),
        Site(id: "STATION", name: "Station Road", road: "B480", limit: SpeedLimit(30), scheme: .control, isPilot: false),
        Site(id: "EMPTY", name: "New Estate", road: "", limit: SpeedLimit(20), scheme: .driveSafe, isPilot: false),
    ]

    static var options: ReportOptions {
        ReportOptions(postStratify: true, bootstrap: ClusterBootstrap(replicates: 200, seed: 7), timeZone: TimeZone(identifier: "UTC")!)
    }

    /// Sessions: (phase, day offset, hour of day, vehicles, centre speed in the site's unit).
    static func plan(_ site: String) -> [(Phase, Int, Int, Int, Double)] {
        switch site {
        case "HIGH-ST": return [(.before, 0, 8, 40, 26), (.before, 1, 17, 35, 25), (.before, 5, 11, 30, 27), (.intervention, 10, 9, 20, 22), (.after, 20, 8, 45, 22.5), (.after, 21, 17, 30, 23), (.after, 26, 11, 25, 23.5)]
        case "MILL-LN": return [(.before, 0, 7, 30, 24), (.before, 2, 15, 30, 24.5), (.after, 22, 7, 30, 22), (.after, 23, 15, 25, 21.5)]
        case "RING-RD": return [(.before, 1, 9, 30, 55), (.before, 3, 18, 30, 57), (.after, 21, 9, 30, 55), (.after, 24, 18, 30, 56)]
        case "STATION": return [(.before, 1, 10, 25, 31), (.before, 4, 16, 25, 32), (.after, 20, 10, 25, 31), (.after, 25, 16, 25, 31.5)]
        case "EMPTY": return [(.before, 2, 12, 1, 21)]
        default: return []
        }
    }

    /// Every fixture session's speeds in its site's unit, by session id.
    static var speeds: [String: [Double]] {
        var out: [String: [Double]] = [:]
        var rng = SplitMix64(seed: 2026)
        for site in sites {
            for (i, (_, _, _, n, centre)) in plan(site.id).enumerated() {
                // Speeds at 0.1 of the unit, spread ±4 around the centre, with ties.
                out["\(site.id)-\(i)"] = (0..<n).map { _ in centre + Double(rng.index(below: 81)) / 10 - 4 }
            }
        }
        return out
    }

    /// Wall time of each fixture session's first vehicle, ns; vehicles follow every 50 s.
    static var starts: [String: Int64] {
        var out: [String: Int64] = [:]
        for site in sites {
            for (i, (_, day, hour, _, _)) in plan(site.id).enumerated() {
                out["\(site.id)-\(i)"] = start + Int64(day) * 24 * hourNs + Int64(hour) * hourNs
            }
        }
        return out
    }

    static func store() throws -> SQLiteCollectorStore {
        let store = try SQLiteCollectorStore()
        let speeds = self.speeds
        for site in sites {
            try store.addSite(site)
            for (i, (phase, day, hour, n, _)) in plan(site.id).enumerated() {
                let begin = starts["\(site.id)-\(i)"]!
                precondition(begin == start + Int64(day) * 24 * hourNs + Int64(hour) * hourNs)
                let readings = speeds["\(site.id)-\(i)"]!.enumerated().map { k, v in
                    IngestReading(wallTimeNs: begin + Int64(k) * 50_000_000_000, speedMetresPerSecond: Speed(v, site.limit.unit).metresPerSecond, direction: .approaching, quality: 1, flags: 0)
                }
                let record = SessionRecord(
                    id: "\(site.id)-\(i)", siteID: site.id, deviceID: "DEV-1", source: .bundle, phase: phase, mode: i % 2 == 0 ? .displayOn : .covert,
                    clockSource: .ntp, startedAtNs: begin, endedAtNs: begin + Int64(n) * 50_000_000_000, sha256: String(repeating: "\(i)", count: 64),
                    file: "\(site.id)-\(i).swb", readingCount: n)
                _ = try store.ingest(record, readings: readings)
            }
        }
        _ = try store.ingestBinned(
            [
                BinnedCount(siteID: "MILL-LN", phase: .before, periodStartNs: start, periodEndNs: start + 24 * hourNs, lower: 15, upper: 20, count: 12),
                BinnedCount(siteID: "MILL-LN", phase: .before, periodStartNs: start, periodEndNs: start + 24 * hourNs, lower: 20, upper: 25, count: 40),
                BinnedCount(siteID: "MILL-LN", phase: .before, periodStartNs: start, periodEndNs: start + 24 * hourNs, lower: 25, upper: 30, count: 18),
            ], sha256: "bins", file: "bins.csv")
        return store
    }
}
