import GRDB
import GRDBSQLite
import SpeedDomain
import SpeedStatistics

extension SQLiteCollectorStore {
    public func ingest(_ record: SessionRecord, readings: [IngestReading]) throws(CollectorStoreError) -> IngestOutcome {
        let path = self.path
        guard readings.count < 1 << 32 else { throw .invalidArgument(path, "session '\(record.id)' has more than 2³² readings") }
        guard record.readingCount == readings.count else {
            throw .invalidArgument(path, "session '\(record.id)' says \(record.readingCount) readings but \(readings.count) were given")
        }
        return try write("import session '\(record.id)'") { db in
            if let stored = try Row.fetchOne(db, sql: "SELECT * FROM session WHERE id = ?", arguments: [record.id]) {
                let sha: String = stored["sha256"]
                guard sha == record.sha256 else { throw CollectorStoreError.conflictingSession(path, record.id, stored: sha, offered: record.sha256) }
                // The same content filed elsewhere (another site, phase, mode or device) is not "counted once": say where it is.
                let was = Self.session(stored)
                let differences = [
                    ("site", was.siteID, record.siteID), ("phase", was.phase.rawValue, record.phase.rawValue),
                    ("mode", was.mode.rawValue, record.mode.rawValue), ("device", was.deviceID, record.deviceID),
                ].filter { $0.1 != $0.2 }
                guard differences.isEmpty else {
                    throw CollectorStoreError.refiledSession(
                        path, record.id, stored: differences.map { "\($0.0) \($0.1)" }.joined(separator: ", "),
                        offered: differences.map { "\($0.0) \($0.2)" }.joined(separator: ", "))
                }
                return .alreadyImported
            }
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM site WHERE id = ?", arguments: [record.siteID]) else {
                throw CollectorStoreError.unknownSite(path, record.siteID)
            }
            let site = Self.site(row)
            try db.execute(
                sql: """
                    INSERT INTO session (id, site_id, device_id, source, phase, mode, clock_source, started_at_ns, ended_at_ns, sha256, file, reading_count)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.id, record.siteID, record.deviceID, record.source.rawValue, record.phase.rawValue, record.mode.rawValue,
                    record.clockSource.rawValue, record.startedAtNs, record.endedAtNs, record.sha256, record.file, record.readingCount,
                ])
            let key = db.lastInsertedRowID
            let headways = SessionAggregator.headways(readings)
            try Self.insertReadings(db, key: key, readings: readings, headways: headways)
            let aggregates = SessionAggregator(limit: site.limit).aggregate(readings.lazy.map { ($0.wallTimeNs, $0.speedMetresPerSecond) })
            try Self.insertAggregates(db, key: key, histogram: aggregates.histogram, hours: aggregates.hours)
            return .imported(readings: readings.count)
        }
    }

    /// Inserts readings binding SQLite parameters directly: the hot loop of an import
    /// (millions of rows), where building GRDB argument arrays per row would dominate.
    static func insertReadings(_ db: Database, key: Int64, readings: [IngestReading], headways: [Double?]) throws {
        let insert = try db.makeStatement(
            sql: "INSERT INTO reading (id, wall_ns, speed_mps, direction, quality, flags, headway_s) VALUES (?, ?, ?, ?, ?, ?, ?)")
        let statement = insert.sqliteStatement
        for (i, r) in readings.enumerated() {
            sqlite3_bind_int64(statement, 1, CollectorSchema.readingID(sessionKey: key, seq: i))
            sqlite3_bind_int64(statement, 2, r.wallTimeNs)
            sqlite3_bind_double(statement, 3, r.speedMetresPerSecond)
            sqlite3_bind_int64(statement, 4, CollectorSchema.directionCode(r.direction))
            sqlite3_bind_double(statement, 5, r.quality)
            sqlite3_bind_int64(statement, 6, Int64(r.flags))
            if let h = headways[i] { sqlite3_bind_double(statement, 7, h) } else { sqlite3_bind_null(statement, 7) }
            let code = sqlite3_step(statement)
            sqlite3_reset(statement)
            guard code == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
        }
    }

    static func insertAggregates(_ db: Database, key: Int64, histogram: SpeedHistogram, hours: [HourCell]) throws {
        let h = try db.makeStatement(sql: "INSERT INTO speed_histogram (session_key, speed_key, count) VALUES (?, ?, ?)")
        for kc in histogram.nonZero {
            h.setUncheckedArguments([key, kc.key, kc.count])
            try h.execute()
        }
        let c = try db.makeStatement(
            sql: "INSERT INTO hour_cell (session_key, hour_utc, count, sum_keys, compliant, over_threshold) VALUES (?, ?, ?, ?, ?, ?)")
        for cell in hours {
            c.setUncheckedArguments([key, cell.hourUTC, cell.count, cell.sumKeys, cell.compliant, cell.overThreshold])
            try c.execute()
        }
    }

    public func ingestBinned(_ counts: [BinnedCount], sha256: String, file: String) throws(CollectorStoreError) -> IngestOutcome {
        let path = self.path
        return try write("import binned counts from \(file)") { db in
            // The same export for the same site and phase counts once.
            let targets = Set(counts.map { [$0.siteID, $0.phase.rawValue] })
            var fresh = false
            for t in targets {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM site WHERE id = ?", arguments: [t[0]]) == true else {
                    throw CollectorStoreError.unknownSite(path, t[0])
                }
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM binned_import WHERE sha256 = ? AND site_id = ? AND phase = ?", arguments: [sha256, t[0], t[1]]) != true {
                    fresh = true
                }
            }
            guard fresh else { return .alreadyImported }
            guard targets.count == 1 else { throw CollectorStoreError.invalidArgument(path, "one binned import is for one site and phase") }
            try db.execute(
                sql: "INSERT INTO binned_import (sha256, site_id, phase, file) VALUES (?, ?, ?, ?)",
                arguments: [sha256, counts[0].siteID, counts[0].phase.rawValue, file])
            let insert = try db.makeStatement(
                sql: "INSERT INTO binned_count (import_sha256, site_id, phase, period_start_ns, period_end_ns, lower, upper, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            for c in counts {
                insert.setUncheckedArguments([sha256, c.siteID, c.phase.rawValue, c.periodStartNs, c.periodEndNs, c.lower, c.upper, c.count])
                try insert.execute()
            }
            return .imported(readings: counts.reduce(0) { $0 + $1.count })
        }
    }
}
