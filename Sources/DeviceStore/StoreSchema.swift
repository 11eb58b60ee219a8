import GRDB

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

        return migrator
    }
}
