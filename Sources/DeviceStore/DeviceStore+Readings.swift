import GRDB
import GRDBSQLite
import SpeedDomain

extension DeviceStore {
    /// Appends readings to an open session in ONE transaction, numbering them
    /// on from the session's last reading, and stores each one's wall time
    /// computed from the session's clock mapping. In a session whose clock is
    /// `.unsynchronised`, each reading is stored with `.untrustedClock` added
    /// to its flags: nothing vouches for its wall time.
    ///
    /// Either every reading in `readings` is committed or none is: a power cut
    /// or a refused reading leaves the session as it was. When this returns the
    /// readings are durable (see `init(path:)` on `synchronous = FULL`).
    ///
    /// - Throws: `StoreError` `.unknownSession`, `.sessionClosed`, or
    ///   `.invalidArgument` for a reading with a non-finite or negative speed;
    ///   in every case nothing is stored.
    public func append(_ readings: [Reading], toSession id: String) throws {
        try validate(readings, session: id)
        try write("append \(readings.count) readings to session '\(id)'") { db in
            try Self.insert(readings, session: id, db: db, path: path)
        }
    }

    /// `append` on GRDB's writer queue instead of the calling thread, so an
    /// actor awaiting it does not tie up a thread of the cooperative pool
    /// during the commit's fsync. Also records `pendingDrop`, if any, in the same transaction.
    func appendOffThread(_ readings: [Reading], toSession id: String, pendingDrop: DropRecord?) async throws {
        try validate(readings, session: id)
        let path = self.path
        do {
            try await database.write { db in
                if let drop = pendingDrop {
                    try Self.insertDrop(db, path: path, session: id, atNs: drop.atNs, kind: drop.kind, count: drop.count)
                }
                try Self.insert(readings, session: id, db: db, path: path)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.databaseFailure(
                path: path, operation: "append \(readings.count) readings to session '\(id)'", underlying: error)
        }
    }

    private func validate(_ readings: [Reading], session id: String) throws {
        for (index, reading) in readings.enumerated() {
            if let (name, value) = Self.impossibleSpeed(in: reading) {
                throw StoreError.invalidArgument(
                    path: path, "reading \(index) of \(readings.count) for session '\(id)' has \(name) \(value) m/s")
            }
            guard reading.quality.isFinite else {
                throw StoreError.invalidArgument(
                    path: path, "reading \(index) of \(readings.count) for session '\(id)' has quality \(reading.quality)")
            }
            guard reading.monotonicNs <= UInt64(Int64.max), reading.durationNs <= UInt64(Int64.max) else {
                throw StoreError.invalidArgument(
                    path: path, "reading \(index) of \(readings.count) for session '\(id)' has a time beyond 2^63 ns")
            }
        }
    }

    /// The first of a reading's speeds that is negative, infinite or NaN, if any.
    private static func impossibleSpeed(in reading: Reading) -> (String, Double)? {
        func bad(_ speed: Speed) -> Bool { !(speed.metresPerSecond.isFinite && speed.metresPerSecond >= 0) }
        if bad(reading.speed) { return ("speed", reading.speed.metresPerSecond) }
        if bad(reading.firstLockSpeed) { return ("first-lock speed", reading.firstLockSpeed.metresPerSecond) }
        if bad(reading.peakSpeed) { return ("peak speed", reading.peakSpeed.metresPerSecond) }
        return nil
    }

    /// Rows per INSERT statement. Multi-row VALUES lists cut the per-row cost
    /// of stepping a statement; 32 rows × 10 columns stays far below SQLite's
    /// parameter limit.
    static let rowsPerInsert = 32

    /// Values bound per reading, in `insertSQL`'s column order.
    private static let columnsPerRow = 10

    /// `INSERT INTO readings ... VALUES (...), (...)` for `rows` rows.
    private static func insertSQL(rows: Int) -> String {
        let row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        return """
            INSERT INTO readings (
                id, monotonic_ns, wall_ns, speed_mps, first_lock_mps, peak_mps, duration_ns, direction, quality, flags
            ) VALUES \(repeatElement(row, count: rows).joined(separator: ", "))
            """
    }

    /// The statement for a full chunk of `rowsPerInsert` rows, built once.
    private static let fullInsertSQL = insertSQL(rows: rowsPerInsert)

    private static func insert(_ readings: [Reading], session id: String, db: Database, path: String) throws {
        guard let state = try sessionState(db, id: id) else { throw StoreError.unknownSession(path: path, id: id) }
        if let ended = state.endedAtNs { throw StoreError.sessionClosed(path: path, id: id, endedAtNs: ended) }
        guard !readings.isEmpty else { return }
        guard let ids = StoreSchema.readingIDs(sessionKey: state.key) else {
            throw StoreError.invalidArgument(
                path: path, "session '\(id)' has key \(state.key), outside the 0...\(StoreSchema.maxSessionKey) that readings can be keyed under")
        }

        // A session's readings are one rowid range, so its last reading is one seek.
        let last = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM readings WHERE id BETWEEN ? AND ? ORDER BY id DESC LIMIT 1"),
            arguments: [ids.lowerBound, ids.upperBound])
        var seq = last.map { $0 - ids.lowerBound + 1 } ?? 0
        guard Int64(readings.count) <= StoreSchema.maxSeq + 1 - seq else {
            throw StoreError.invalidArgument(
                path: path, "session '\(id)' holds \(seq) readings; \(readings.count) more would pass the \(StoreSchema.maxSeq + 1) a session can hold")
        }
        let addedFlags: ReadingFlags = state.clock.source == .unsynchronised ? .untrustedClock : []
        var start = readings.startIndex
        while start < readings.endIndex {
            let end = min(start + rowsPerInsert, readings.endIndex)
            let statement = try db.cachedStatement(sql: end - start == rowsPerInsert ? fullInsertSQL : insertSQL(rows: end - start))
            // Bound and stepped straight through SQLite's C API (as the
            // collector's import does): building GRDB StatementArguments boxes
            // every value in a DatabaseValue and cost more CPU per row than
            // SQLite's insert itself. The values are integers and doubles, so
            // no buffer has to outlive the call. Stepping directly skips GRDB's
            // per-statement hooks, which only feed transaction observers (the
            // store registers none); an error still throws, and `write` rolls
            // the whole transaction back.
            let handle = statement.sqliteStatement
            guard sqlite3_bind_parameter_count(handle) == CInt(columnsPerRow * (end - start)) else {
                throw DatabaseError(
                    resultCode: .SQLITE_MISUSE, message: "expected \(columnsPerRow * (end - start)) parameters", sql: statement.sql)
            }
            var column: CInt = 0
            for reading in readings[start..<end] {
                guard let wall = wallTime(of: reading.monotonicNs, clock: state.clock) else {
                    throw StoreError.invalidArgument(
                        path: path, "reading at \(reading.monotonicNs) ns is too far from session '\(id)''s clock anchor to date")
                }
                sqlite3_bind_int64(handle, column + 1, StoreSchema.readingID(sessionKey: state.key, seq: seq))
                sqlite3_bind_int64(handle, column + 2, Int64(bitPattern: reading.monotonicNs))
                sqlite3_bind_int64(handle, column + 3, wall)
                sqlite3_bind_double(handle, column + 4, reading.speed.metresPerSecond)
                sqlite3_bind_double(handle, column + 5, reading.firstLockSpeed.metresPerSecond)
                sqlite3_bind_double(handle, column + 6, reading.peakSpeed.metresPerSecond)
                sqlite3_bind_int64(handle, column + 7, Int64(bitPattern: reading.durationNs))
                sqlite3_bind_int64(handle, column + 8, StoreSchema.directionCode(reading.direction))
                sqlite3_bind_double(handle, column + 9, reading.quality)
                sqlite3_bind_int64(handle, column + 10, Int64(reading.flags.union(addedFlags).rawValue))
                column += CInt(columnsPerRow)
                seq += 1
            }
            let code = sqlite3_step(handle)
            if code != SQLITE_DONE {
                let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
                sqlite3_reset(handle)
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
            }
            sqlite3_reset(handle)
            start = end
        }
    }

    /// `ClockMapping.wallTimeNs(ofMonotonic:)` with overflow reported instead of trapping.
    static func wallTime(of monotonicNs: UInt64, clock: ClockMapping) -> Int64? {
        let (delta, overflowA) = Int64(bitPattern: monotonicNs)
            .subtractingReportingOverflow(Int64(bitPattern: clock.monotonicAnchorNs))
        let (wall, overflowB) = clock.wallTimeAtAnchorNs.addingReportingOverflow(delta)
        return overflowA || overflowB ? nil : wall
    }

    /// The session's readings in the order they were appended, at full resolution.
    ///
    /// - Throws: `StoreError` `.unknownSession`.
    public func readings(inSession id: String) throws -> [Reading] {
        try storedReadings(inSession: id).map(\.reading)
    }

    /// The session's readings with their sequence numbers and wall times, ordered by `seq`.
    ///
    /// - Parameters:
    ///   - fromSeq: The first sequence number wanted.
    ///   - limit: At most this many; nil for all.
    /// - Throws: `StoreError` `.unknownSession`.
    public func storedReadings(inSession id: String, fromSeq: Int = 0, limit: Int? = nil) throws -> [StoredReading] {
        try read("read readings of session '\(id)'") { db in
            guard let state = try Self.sessionState(db, id: id) else { throw StoreError.unknownSession(path: path, id: id) }
            guard let ids = StoreSchema.readingIDs(sessionKey: state.key), fromSeq <= StoreSchema.maxSeq else { return [] }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.readingColumns) FROM readings
                    WHERE id BETWEEN ? AND ? ORDER BY id LIMIT ?
                    """,
                arguments: [ids.lowerBound + Int64(max(fromSeq, 0)), ids.upperBound, limit ?? -1]
            ).map { try Self.storedReading(from: $0, sessionID: id) }
        }
    }

    /// How many readings the session holds.
    ///
    /// - Throws: `StoreError` `.unknownSession`.
    public func readingCount(inSession id: String) throws -> Int {
        try read("count readings of session '\(id)'") { db in
            guard let state = try Self.sessionState(db, id: id) else { throw StoreError.unknownSession(path: path, id: id) }
            guard let ids = StoreSchema.readingIDs(sessionKey: state.key) else { return 0 }
            return try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM readings WHERE id BETWEEN ? AND ?", arguments: [ids.lowerBound, ids.upperBound]) ?? 0
        }
    }

    /// The session's drop records, oldest first.
    ///
    /// - Throws: `StoreError` `.unknownSession`.
    public func drops(inSession id: String) throws -> [DropRecord] {
        try read("read drops of session '\(id)'") { db in
            guard try Self.sessionState(db, id: id) != nil else { throw StoreError.unknownSession(path: path, id: id) }
            return try Row.fetchAll(
                db, sql: "SELECT at_ns, kind, count FROM drops WHERE session_id = ? ORDER BY id", arguments: [id]
            ).map { row in
                let kindName: String = try row.decode(atIndex: 1)
                guard let kind = DropKind(rawValue: kindName) else { throw Self.unreadable(id, "drop kind '\(kindName)'") }
                return DropRecord(
                    sessionID: id, atNs: UInt64(bitPattern: try row.decode(Int64.self, atIndex: 0)),
                    kind: kind, count: try row.decode(atIndex: 2))
            }
        }
    }
}
