import GRDB
import SpeedDomain

/// The device store's schema, as an ordered list of GRDB migrations.
///
/// Migrations only ever get appended: a device in the field may open a file
/// written by any earlier version, and the migrator brings it up to date inside
/// one transaction, so a power cut during a migration leaves the old schema.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1: sessions, readings, drops") { db in
            // One row per recording. Monotonic times are kernel CLOCK_MONOTONIC
            // nanoseconds stored as the bit pattern of an Int64 (SQLite integers
            // are signed); wall times are ns since the Unix epoch.
            try db.execute(sql: """
                CREATE TABLE sessions (
                    key INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    site_id TEXT NOT NULL,
                    device_id TEXT NOT NULL,
                    phase TEXT NOT NULL,
                    mode TEXT NOT NULL,
                    clock_source TEXT NOT NULL,
                    monotonic_anchor_ns INTEGER NOT NULL,
                    wall_anchor_ns INTEGER NOT NULL,
                    started_at_ns INTEGER NOT NULL,
                    ended_at_ns INTEGER,
                    sensor_kind TEXT NOT NULL,
                    carrier_hz REAL,
                    spacing_m REAL,
                    pins TEXT NOT NULL,
                    sensor_clock TEXT NOT NULL,
                    mounting_angle_deg REAL NOT NULL,
                    limit_value INTEGER NOT NULL CHECK (limit_value > 0),
                    limit_unit TEXT NOT NULL,
                    edges_dropped INTEGER NOT NULL DEFAULT 0,
                    readings_dropped INTEGER NOT NULL DEFAULT 0
                )
                """)
            try db.execute(sql: "CREATE INDEX sessions_started ON sessions(started_at_ns)")

            // One row per vehicle pass, numbered 0, 1, 2... within its session.
            // Rows point at their session by its small integer key rather than
            // repeating the 36-character id: the key is what every reading's
            // b-tree entry carries, so it decides bytes written per reading.
            // WITHOUT ROWID makes (session_key, seq) the table's own b-tree, so
            // an append touches one b-tree instead of a table plus a unique index.
            try db.execute(sql: """
                CREATE TABLE readings (
                    session_key INTEGER NOT NULL REFERENCES sessions(key),
                    seq INTEGER NOT NULL CHECK (seq >= 0),
                    monotonic_ns INTEGER NOT NULL,
                    wall_ns INTEGER NOT NULL,
                    speed_mps REAL NOT NULL,
                    first_lock_mps REAL NOT NULL,
                    peak_mps REAL NOT NULL,
                    duration_ns INTEGER NOT NULL,
                    direction TEXT NOT NULL CHECK (direction IN ('approaching', 'receding', 'unknown')),
                    quality REAL NOT NULL,
                    flags INTEGER NOT NULL,
                    PRIMARY KEY (session_key, seq)
                ) WITHOUT ROWID
                """)

            // One row per loss event, so a report can say what is missing and when.
            try db.execute(sql: """
                CREATE TABLE drops (
                    id INTEGER PRIMARY KEY,
                    session_id TEXT NOT NULL REFERENCES sessions(id),
                    at_ns INTEGER NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('edges', 'readings')),
                    count INTEGER NOT NULL CHECK (count > 0)
                )
                """)
            try db.execute(sql: "CREATE INDEX drops_session ON drops(session_id)")
        }

        migrator.registerMigration("v2: readings keyed by rowid session_key << 32 | seq, direction as an integer code") { db in
            // v1's readings cost about 3 µs of SQLite CPU per row, most of it
            // not in the b-tree: the foreign key's lookup into `sessions`, and
            // `direction IN (...)` (SQLite evaluates an IN list by building a
            // small ephemeral table per row). v2 keeps what those protected in
            // the store's own transaction (the session is looked up and must be
            // open before any reading is inserted; sessions are never deleted)
            // and checks direction with a plain range test.
            //
            // The key becomes the table's INTEGER PRIMARY KEY, `session_key << 32 | seq`:
            // an append lands at the right edge of the rowid b-tree, SQLite's
            // cheapest insert, and a session's readings are one rowid range.
            // `session_key` and `seq` remain as virtual generated columns (not
            // stored, computed when read) so the file still reads naturally,
            // but a query must select a session by `id BETWEEN` its range to
            // use the key (see `readingIDs(sessionKey:)`).
            let misfits = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM readings
                WHERE session_key NOT BETWEEN 0 AND \(maxSessionKey) OR seq NOT BETWEEN 0 AND \(maxSeq)
                """) ?? 0
            guard misfits == 0 else {
                throw MigrationRefused(
                    "\(misfits) reading(s) have a session key outside 0...\(maxSessionKey) or a seq outside 0...\(maxSeq), "
                        + "which the v2 key session_key << 32 | seq cannot hold")
            }
            try db.execute(sql: """
                CREATE TABLE readings_v2 (
                    id INTEGER PRIMARY KEY,
                    session_key INTEGER GENERATED ALWAYS AS (id >> 32) VIRTUAL,
                    seq INTEGER GENERATED ALWAYS AS (id & \(maxSeq)) VIRTUAL,
                    monotonic_ns INTEGER NOT NULL,
                    wall_ns INTEGER NOT NULL,
                    speed_mps REAL NOT NULL,
                    first_lock_mps REAL NOT NULL,
                    peak_mps REAL NOT NULL,
                    duration_ns INTEGER NOT NULL,
                    direction INTEGER NOT NULL CHECK (direction BETWEEN 0 AND 2),
                    quality REAL NOT NULL,
                    flags INTEGER NOT NULL
                )
                """)
            try db.execute(sql: """
                INSERT INTO readings_v2 (
                    id, monotonic_ns, wall_ns, speed_mps, first_lock_mps, peak_mps, duration_ns, direction, quality, flags
                )
                SELECT
                    session_key << 32 | seq, monotonic_ns, wall_ns, speed_mps, first_lock_mps, peak_mps, duration_ns,
                    CASE direction WHEN 'unknown' THEN 0 WHEN 'approaching' THEN 1 WHEN 'receding' THEN 2 END,
                    quality, flags
                FROM readings ORDER BY session_key, seq
                """)
            try db.execute(sql: "DROP TABLE readings")
            try db.execute(sql: "ALTER TABLE readings_v2 RENAME TO readings")
        }

        return migrator
    }

    // MARK: - The readings key (v2)

    /// The largest session key whose readings can be keyed: `key << 32` must fit in an `Int64`.
    static let maxSessionKey = Int64(Int32.max)

    /// The largest `seq`: the low 32 bits of a reading's id. 4.3 billion passes per session.
    static let maxSeq = Int64(UInt32.max)

    /// A reading's rowid: its session's key in the high 32 bits, its `seq` in the low 32.
    /// The caller has checked both against `maxSessionKey` and `maxSeq`.
    static func readingID(sessionKey: Int64, seq: Int64) -> Int64 {
        sessionKey << 32 | seq
    }

    /// The rowids a session's readings can have (seq 0 through `maxSeq`), or nil
    /// for a key outside 0...`maxSessionKey`, which the store never gives readings.
    static func readingIDs(sessionKey: Int64) -> ClosedRange<Int64>? {
        guard (0...maxSessionKey).contains(sessionKey) else { return nil }
        return readingID(sessionKey: sessionKey, seq: 0)...readingID(sessionKey: sessionKey, seq: maxSeq)
    }

    /// `readings.direction` as stored: 0 unknown, 1 approaching, 2 receding
    /// (the collector's `reading.direction` uses the same codes).
    static func directionCode(_ direction: Direction) -> Int64 {
        switch direction {
        case .unknown: 0
        case .approaching: 1
        case .receding: 2
        }
    }

    /// The direction stored as `code`, or nil for a code `directionCode` never writes.
    static func direction(code: Int64) -> Direction? {
        switch code {
        case 0: .unknown
        case 1: .approaching
        case 2: .receding
        default: nil
        }
    }

    /// A migration that cannot carry the data it finds over to the new schema.
    /// The migrator rolls back, so the file keeps its old schema and every row.
    struct MigrationRefused: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
