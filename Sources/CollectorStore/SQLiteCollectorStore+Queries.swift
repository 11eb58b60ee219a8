import GRDB
import SpeedDomain
import SpeedStatistics

extension SQLiteCollectorStore {
    static func session(_ row: Row) -> SessionRecord {
        SessionRecord(
            id: row["id"], siteID: row["site_id"], deviceID: row["device_id"], source: SessionSource(rawValue: row["source"]) ?? .bundle,
            phase: Phase(rawValue: row["phase"]) ?? .before, mode: SessionMode(rawValue: row["mode"]) ?? .covert,
            clockSource: ClockSource(rawValue: row["clock_source"]) ?? .unsynchronised, startedAtNs: row["started_at_ns"],
            endedAtNs: row["ended_at_ns"], sha256: row["sha256"], file: row["file"], readingCount: row["reading_count"])
    }

    public func sessions(siteID: String) throws(CollectorStoreError) -> [SessionRecord] {
        try read("list sessions at '\(siteID)'") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM session WHERE site_id = ? ORDER BY started_at_ns, id", arguments: [siteID]).map(Self.session)
        }
    }

    public func aggregates(siteID: String, minimumHeadwaySeconds: Double?) throws(CollectorStoreError) -> [SessionAggregate] {
        let path = self.path
        return try read("read aggregates at '\(siteID)'") { db in
            guard let siteRow = try Row.fetchOne(db, sql: "SELECT * FROM site WHERE id = ?", arguments: [siteID]) else {
                throw CollectorStoreError.unknownSite(path, siteID)
            }
            let site = Self.site(siteRow)
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM session WHERE site_id = ? ORDER BY started_at_ns, id", arguments: [siteID])
            var result: [SessionAggregate] = []
            for row in rows {
                let key: Int64 = row["key"]
                let record = Self.session(row)
                if let gap = minimumHeadwaySeconds {
                    let cursor = try Row.fetchCursor(
                        db, sql: "SELECT wall_ns, speed_mps FROM reading WHERE id BETWEEN ? AND ? AND (headway_s IS NULL OR headway_s >= ?) ORDER BY id",
                        arguments: [CollectorSchema.readingID(sessionKey: key, seq: 0), CollectorSchema.readingID(sessionKey: key + 1, seq: 0) - 1, gap])
                    var pairs: [(wallTimeNs: Int64, metresPerSecond: Double)] = []
                    while let r = try cursor.next() { pairs.append((r[0], r[1])) }
                    let a = SessionAggregator(limit: site.limit).aggregate(pairs)
                    result.append(SessionAggregate(record: record, histogram: a.histogram, hours: a.hours))
                } else {
                    var histogram = SpeedHistogram()
                    let h = try Row.fetchCursor(db, sql: "SELECT speed_key, count FROM speed_histogram WHERE session_key = ? ORDER BY speed_key", arguments: [key])
                    while let r = try h.next() { histogram.add(key: r[0], count: r[1]) }
                    let hours = try Row.fetchAll(
                        db, sql: "SELECT hour_utc, count, sum_keys, compliant, over_threshold FROM hour_cell WHERE session_key = ? ORDER BY hour_utc",
                        arguments: [key]
                    ).map { HourCell(hourUTC: $0[0], count: $0[1], sumKeys: $0[2], compliant: $0[3], overThreshold: $0[4]) }
                    result.append(SessionAggregate(record: record, histogram: histogram, hours: hours))
                }
            }
            return result
        }
    }

    public func binnedCounts(siteID: String) throws(CollectorStoreError) -> [BinnedCount] {
        try read("read binned counts at '\(siteID)'") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM binned_count WHERE site_id = ? ORDER BY period_start_ns, lower", arguments: [siteID]).map {
                BinnedCount(
                    siteID: $0["site_id"], phase: Phase(rawValue: $0["phase"]) ?? .before, periodStartNs: $0["period_start_ns"],
                    periodEndNs: $0["period_end_ns"], lower: $0["lower"], upper: $0["upper"], count: $0["count"])
            }
        }
    }
}
