import GRDB
import SpeedDomain

/// The collector's SQLite schema, as GRDB migrations (append new ones; never edit a shipped one).
enum CollectorSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE site (
                        id TEXT PRIMARY KEY, name TEXT NOT NULL, road TEXT NOT NULL, latitude REAL, longitude REAL,
                        limit_value INTEGER NOT NULL, limit_unit TEXT NOT NULL, scheme TEXT NOT NULL, pilot INTEGER NOT NULL);
                    CREATE TABLE device (id TEXT PRIMARY KEY, public_key TEXT NOT NULL);
                    CREATE TABLE session (
                        key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, site_id TEXT NOT NULL REFERENCES site(id),
                        device_id TEXT NOT NULL, source TEXT NOT NULL, phase TEXT NOT NULL, mode TEXT NOT NULL,
                        clock_source TEXT NOT NULL, started_at_ns INTEGER NOT NULL, ended_at_ns INTEGER NOT NULL,
                        sha256 TEXT NOT NULL, file TEXT NOT NULL, reading_count INTEGER NOT NULL,
                        imported_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
                    CREATE INDEX session_site ON session(site_id);
                    CREATE TABLE reading (
                        id INTEGER PRIMARY KEY, wall_ns INTEGER NOT NULL, speed_mps REAL NOT NULL,
                        direction INTEGER NOT NULL, quality REAL NOT NULL, flags INTEGER NOT NULL, headway_s REAL);
                    CREATE TABLE speed_histogram (
                        session_key INTEGER NOT NULL, speed_key INTEGER NOT NULL, count INTEGER NOT NULL,
                        PRIMARY KEY (session_key, speed_key)) WITHOUT ROWID;
                    CREATE TABLE hour_cell (
                        session_key INTEGER NOT NULL, hour_utc INTEGER NOT NULL, count INTEGER NOT NULL, sum_keys INTEGER NOT NULL,
                        compliant INTEGER NOT NULL, over_threshold INTEGER NOT NULL,
                        PRIMARY KEY (session_key, hour_utc)) WITHOUT ROWID;
                    CREATE TABLE binned_import (
                        sha256 TEXT NOT NULL, site_id TEXT NOT NULL REFERENCES site(id), phase TEXT NOT NULL, file TEXT NOT NULL,
                        imported_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (sha256, site_id, phase));
                    CREATE TABLE binned_count (
                        import_sha256 TEXT NOT NULL, site_id TEXT NOT NULL REFERENCES site(id),
                        phase TEXT NOT NULL, period_start_ns INTEGER NOT NULL, period_end_ns INTEGER NOT NULL,
                        lower REAL NOT NULL, upper REAL NOT NULL, count INTEGER NOT NULL);
                    CREATE INDEX binned_count_site ON binned_count(site_id);
                    """)
        }
        return migrator
    }

    /// `reading.id` of a session's reading: session key × 2³² + sequence number, so
    /// that a session's readings are one contiguous rowid range and appending
    /// them is SQLite's fastest insert (no separate key index).
    static func readingID(sessionKey: Int64, seq: Int) -> Int64 { sessionKey << 32 | Int64(seq) }

    /// `reading.direction` as stored: 0 unknown, 1 approaching, 2 receding (an
    /// integer keeps rows small; the store holds millions).
    static func directionCode(_ d: Direction) -> Int64 {
        switch d {
        case .unknown: return 0
        case .approaching: return 1
        case .receding: return 2
        }
    }
}
