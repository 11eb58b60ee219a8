import Foundation
import GRDB
import StoreSupport
import SpeedDomain

/// The device's own SQLite store: sessions, the readings measured in them, and
/// a record of everything that had to be dropped.
///
/// A file store is a GRDB `DatabasePool` in WAL mode with `synchronous = FULL`,
/// so that a commit that has returned survives a power cut (see
/// `docs/device-store.md`). Every write is one transaction: an `append` either
/// lands whole or not at all. Readers see committed snapshots and never block
/// the writer.
///
/// The class is `Sendable`: GRDB serialises writes on its own queue, so any
/// task may call any method. Methods block the calling thread for the length of
/// one transaction; keep them off the measuring path (use `ReadingWriter`).
public final class DeviceStore: Sendable {
    /// The store file, or `:memory:` for an in-memory store.
    public let path: String
    let database: any DatabaseWriter

    private init(database: any DatabaseWriter, path: String) {
        self.database = database
        self.path = path
    }

    /// Creates or opens the store file at `path`, checks it, and brings its schema up to date.
    ///
    /// - Parameter path: The SQLite file. Its `-wal` and `-shm` companions live beside it.
    /// - Throws: `StoreError` `.openFailed` when the file cannot be opened,
    ///   `.corrupt` when it is not a database or `PRAGMA quick_check` finds
    ///   damage, `.migrationFailed` when the schema cannot be updated.
    public convenience init(path: String) throws {
        var configuration = Configuration()
        configuration.label = "DeviceStore"
        // Another process (a CLI export while the device measures) may hold the
        // write lock for a moment; wait rather than fail.
        configuration.busyMode = .timeout(5)

        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets `synchronous = NORMAL` when it turns WAL on, which is
            // safe against a crashing process but not against a power cut: with
            // NORMAL the WAL is only synced at checkpoints, so the last commits
            // before the cut can vanish even though `append` returned. FULL
            // syncs the WAL at every commit, so "committed" means "on the
            // medium". It costs one fsync per transaction, which is why the
            // writer batches. The setting is per connection; the pool's single
            // writer connection is the one that commits.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
        } catch {
            throw Self.classifyOpenError(error, path: path)
        }
        try Self.prepare(pool, path: path, checkIntegrity: true)
        self.init(database: pool, path: path)
    }

    /// An empty store in memory, for tests and dry runs. Nothing survives the process.
    ///
    /// - Throws: `StoreError` if SQLite cannot create the database or the schema.
    public static func inMemory() throws -> DeviceStore {
        let path = ":memory:"
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue()
        } catch {
            throw StoreError.openFailed(path: path, underlying: error)
        }
        try prepare(queue, path: path, checkIntegrity: false)
        return DeviceStore(database: queue, path: path)
    }

    private static func prepare(_ database: any DatabaseWriter, path: String, checkIntegrity: Bool) throws {
        if checkIntegrity {
            let messages: [String]
            do {
                // quick_check verifies page structure without cross-checking
                // every index against its table: O(file size), milliseconds
                // for a device-sized file, so it can run at every start.
                messages = try database.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
            } catch {
                throw classifyOpenError(error, path: path)
            }
            guard messages == ["ok"] else { throw StoreError.corrupt(path: path, messages: messages) }
        }
        let migrator = StoreSchema.migrator
        do {
            if let tables = try database.read({ db in try migrator.foreignTables(in: db) }) {
                throw StoreError.foreignDatabase(path: path, tables: tables)
            }
            try migrator.migrate(database)
        } catch {
            throw classifyOpenError(error, path: path, migrating: true)
        }
    }

    private static func classifyOpenError(_ error: any Error, path: String, migrating: Bool = false) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if let databaseError = error as? DatabaseError, databaseError.resultCode == .SQLITE_NOTADB {
            return StoreError.notADatabase(path: path)
        }
        if let databaseError = error as? DatabaseError, databaseError.resultCode == .SQLITE_CORRUPT {
            return StoreError.corrupt(path: path, messages: [databaseError.description])
        }
        return migrating
            ? StoreError.migrationFailed(path: path, underlying: error)
            : StoreError.openFailed(path: path, underlying: error)
    }

    // MARK: - Sessions

    /// Records the start of a session. Readings can be appended until it is closed.
    ///
    /// - Parameters:
    ///   - session: The session; its `endedAtNs` must be nil.
    ///   - sensor: The sensor the readings come from.
    ///   - mountingAngleDegrees: Beam-to-road angle the speeds were corrected for, 0 ≤ angle < 90.
    ///   - limit: The posted limit at the site, for compliance figures.
    /// - Throws: `StoreError` `.duplicateSession` if the id exists, `.invalidArgument` for a bad value.
    public func openSession(
        _ session: Session, sensor: SensorDescription, mountingAngleDegrees: Double, limit: SpeedLimit
    ) throws {
        guard !session.id.isEmpty else { throw StoreError.invalidArgument(path: path, "a session id is not empty") }
        guard session.endedAtNs == nil else {
            throw StoreError.invalidArgument(path: path, "session '\(session.id)' already has an end time; a session is opened without one")
        }
        guard mountingAngleDegrees.isFinite, mountingAngleDegrees >= 0, mountingAngleDegrees < 90 else {
            throw StoreError.invalidArgument(path: path, "mounting angle \(mountingAngleDegrees)° for session '\(session.id)' is outside 0..<90")
        }
        let pins: String
        do {
            pins = String(decoding: try JSONEncoder().encode(sensor.pins), as: UTF8.self)
        } catch {
            throw StoreError.invalidArgument(path: path, "sensor pins \(sensor.pins) cannot be encoded: \(error)")
        }
        let spacing: Double? = if case .timeOfFlight(let metres) = sensor.kind { metres } else { nil }
        try write("open session '\(session.id)'") { db in
            if try Self.sessionState(db, id: session.id) != nil {
                throw StoreError.duplicateSession(path: path, id: session.id)
            }
            try db.execute(
                sql: """
                    INSERT INTO sessions (
                        id, site_id, device_id, phase, mode, clock_source, monotonic_anchor_ns, wall_anchor_ns,
                        started_at_ns, ended_at_ns, sensor_kind, carrier_hz, spacing_m, pins, sensor_clock,
                        mounting_angle_deg, limit_value, limit_unit
                    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.id, session.siteID, session.deviceID, session.phase.rawValue, session.mode.rawValue,
                    session.clock.source.rawValue, Int64(bitPattern: session.clock.monotonicAnchorNs),
                    session.clock.wallTimeAtAnchorNs, session.startedAtNs, sensor.kind.name, sensor.kind.carrierHz,
                    spacing, pins, sensor.clock, mountingAngleDegrees, limit.value, limit.unit.rawValue,
                ])
        }
    }

    /// Records the end of a session. After this, appends to it are refused.
    ///
    /// - Throws: `StoreError` `.unknownSession`, `.sessionClosed` if it was
    ///   already closed, or `.invalidArgument` if the end is before the start.
    public func closeSession(id: String, endedAtNs: Int64) throws {
        try write("close session '\(id)'") { db in
            guard let state = try Self.sessionState(db, id: id) else {
                throw StoreError.unknownSession(path: path, id: id)
            }
            if let ended = state.endedAtNs { throw StoreError.sessionClosed(path: path, id: id, endedAtNs: ended) }
            guard endedAtNs >= state.startedAtNs else {
                throw StoreError.invalidArgument(
                    path: path, "session '\(id)' cannot end at \(endedAtNs) ns, before its start at \(state.startedAtNs) ns")
            }
            try db.execute(sql: "UPDATE sessions SET ended_at_ns = ? WHERE id = ?", arguments: [endedAtNs, id])
        }
    }

    /// Records that `count` edges or readings were lost, so the loss is never silent.
    ///
    /// Accepted for closed sessions too: a loss noticed while a session was
    /// being closed is still a fact about that session.
    ///
    /// - Parameters:
    ///   - atNs: Monotonic time of the loss, ns.
    ///   - count: How many were lost; at least 1.
    /// - Throws: `StoreError` `.unknownSession` or `.invalidArgument`.
    public func recordDrop(session id: String, atNs: UInt64, kind: DropKind, count: Int) throws {
        guard count > 0 else {
            throw StoreError.invalidArgument(path: path, "drop count \(count) for session '\(id)' is not positive")
        }
        try write("record \(count) dropped \(kind.rawValue) in session '\(id)'") { db in
            try Self.insertDrop(db, path: path, session: id, atNs: atNs, kind: kind, count: count)
        }
    }

    static func insertDrop(_ db: Database, path: String, session id: String, atNs: UInt64, kind: DropKind, count: Int) throws {
        guard try sessionState(db, id: id) != nil else { throw StoreError.unknownSession(path: path, id: id) }
        try db.execute(
            sql: "INSERT INTO drops (session_id, at_ns, kind, count) VALUES (?, ?, ?, ?)",
            arguments: [id, Int64(bitPattern: atNs), kind.rawValue, count])
        let column = kind == .edges ? "edges_dropped" : "readings_dropped"
        try db.execute(sql: "UPDATE sessions SET \(column) = \(column) + ? WHERE id = ?", arguments: [count, id])
    }

    /// Every session, newest start first.
    public func sessions() throws -> [StoredSession] {
        try read("list sessions") { db in
            try Row.fetchAll(db, sql: "\(Self.storedSessionSelect) ORDER BY s.started_at_ns DESC, s.id DESC")
                .map { try Self.storedSession(from: $0, path: path) }
        }
    }

    /// The session with `id`, or nil if there is none.
    public func session(id: String) throws -> StoredSession? {
        try read("read session '\(id)'") { db in try Self.storedSession(db, id: id, path: path) }
    }

    /// Sessions not yet closed, newest start first. After a power cut these are
    /// the sessions that were running; the runtime decides whether to resume or close them.
    public func openSessions() throws -> [StoredSession] {
        try read("list open sessions") { db in
            try Row.fetchAll(
                db, sql: "\(Self.storedSessionSelect) WHERE s.ended_at_ns IS NULL ORDER BY s.started_at_ns DESC, s.id DESC"
            ).map { try Self.storedSession(from: $0, path: path) }
        }
    }

    /// The result of `PRAGMA integrity_check`: `["ok"]` when the file is sound,
    /// otherwise SQLite's descriptions of what is damaged.
    public func integrityCheck() throws -> [String] {
        try read("integrity check") { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    // MARK: - Plumbing

    /// Runs `body` in one write transaction, wrapping SQLite errors with the operation and file.
    func write<T>(_ operation: @autoclosure () -> String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.databaseFailure(path: path, operation: operation(), underlying: error)
        }
    }

    /// Runs `body` on a consistent snapshot, wrapping SQLite errors with the operation and file.
    func read<T>(_ operation: @autoclosure () -> String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.databaseFailure(path: path, operation: operation(), underlying: error)
        }
    }
}

extension DeviceStore {
    /// The value of `PRAGMA name` on the connection that commits (readers have
    /// their own settings). Lets tests check the durability settings took hold.
    func writerPragma(_ name: String) throws -> String? {
        try database.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
    }
}
