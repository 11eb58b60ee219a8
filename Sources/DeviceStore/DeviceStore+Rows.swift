import Foundation
import GRDB
import SpeedDomain

/// Turning rows into domain values, refusing rows that do not make sense
/// with an error naming the session, rather than trapping.
extension DeviceStore {
    /// The facts a write needs about a session before touching it.
    struct SessionState {
        /// The integer key readings refer to the session by.
        var key: Int64
        var clock: ClockMapping
        var startedAtNs: Int64
        var endedAtNs: Int64?
    }

    static func sessionState(_ db: Database, id: String) throws -> SessionState? {
        guard let row = try Row.fetchOne(
            db,
            sql: """
                SELECT monotonic_anchor_ns, wall_anchor_ns, clock_source, started_at_ns, ended_at_ns, key
                FROM sessions WHERE id = ?
                """,
            arguments: [id])
        else { return nil }
        let sourceName: String = try row.decode(atIndex: 2)
        guard let source = ClockSource(rawValue: sourceName) else {
            throw unreadable(id, "clock source '\(sourceName)'")
        }
        return SessionState(
            key: try row.decode(atIndex: 5),
            clock: ClockMapping(
                monotonicAnchorNs: UInt64(bitPattern: try row.decode(Int64.self, atIndex: 0)),
                wallTimeAtAnchorNs: try row.decode(atIndex: 1),
                source: source),
            startedAtNs: try row.decode(atIndex: 3),
            endedAtNs: try row.decode(atIndex: 4))
    }

    static let storedSessionSelect = """
        SELECT s.*, (
            SELECT COUNT(*) FROM readings r
            WHERE s.key BETWEEN 0 AND \(StoreSchema.maxSessionKey)
                AND r.id BETWEEN s.key << 32 AND (s.key << 32) + \(StoreSchema.maxSeq)
        ) AS reading_count
        FROM sessions s
        """

    static func storedSession(_ db: Database, id: String, path: String) throws -> StoredSession? {
        try Row.fetchOne(db, sql: "\(storedSessionSelect) WHERE s.id = ?", arguments: [id])
            .map { try storedSession(from: $0, path: path) }
    }

    static func storedSession(from row: Row, path: String) throws -> StoredSession {
        let id: String = try row.decode(forColumn: "id")
        do {
            return try decodeStoredSession(row, id: id)
        } catch let error as UnreadableRow {
            throw StoreError.databaseFailure(path: path, operation: "read session '\(id)'", underlying: error)
        }
    }

    private static func decodeStoredSession(_ row: Row, id: String) throws -> StoredSession {
        func decodeEnum<E: RawRepresentable<String>>(_ type: E.Type, _ column: String) throws -> E {
            let raw: String = try row.decode(forColumn: column)
            guard let value = E(rawValue: raw) else { throw unreadable(id, "\(column) '\(raw)'") }
            return value
        }
        let kindName: String = try row.decode(forColumn: "sensor_kind")
        let carrierHz: Double? = try row.decode(forColumn: "carrier_hz")
        let spacing: Double? = try row.decode(forColumn: "spacing_m")
        let kind: SensorKind
        switch (kindName, carrierHz, spacing) {
        case ("doppler", let hz?, _): kind = .doppler(carrierHz: hz)
        case ("doppler-iq", let hz?, _): kind = .dopplerQuadrature(carrierHz: hz)
        case ("time-of-flight", _, let metres?): kind = .timeOfFlight(spacingMetres: metres)
        default: throw unreadable(id, "sensor kind '\(kindName)' with carrier \(String(describing: carrierHz)) and spacing \(String(describing: spacing))")
        }
        let pinsJSON: String = try row.decode(forColumn: "pins")
        guard let pins = try? JSONDecoder().decode([String].self, from: Data(pinsJSON.utf8)) else {
            throw unreadable(id, "pins '\(pinsJSON)'")
        }
        let limitValue: Int = try row.decode(forColumn: "limit_value")
        guard limitValue > 0 else { throw unreadable(id, "limit \(limitValue)") }

        let session = Session(
            id: id,
            siteID: try row.decode(forColumn: "site_id"),
            deviceID: try row.decode(forColumn: "device_id"),
            phase: try decodeEnum(Phase.self, "phase"),
            mode: try decodeEnum(SessionMode.self, "mode"),
            clock: ClockMapping(
                monotonicAnchorNs: UInt64(bitPattern: try row.decode(Int64.self, forColumn: "monotonic_anchor_ns")),
                wallTimeAtAnchorNs: try row.decode(forColumn: "wall_anchor_ns"),
                source: try decodeEnum(ClockSource.self, "clock_source")),
            startedAtNs: try row.decode(forColumn: "started_at_ns"),
            endedAtNs: try row.decode(forColumn: "ended_at_ns"))
        return StoredSession(
            session: session,
            sensor: SensorDescription(kind: kind, pins: pins, clock: try row.decode(forColumn: "sensor_clock")),
            mountingAngleDegrees: try row.decode(forColumn: "mounting_angle_deg"),
            limit: SpeedLimit(limitValue, try decodeEnum(SpeedUnit.self, "limit_unit")),
            edgesDropped: try row.decode(forColumn: "edges_dropped"),
            readingsDropped: try row.decode(forColumn: "readings_dropped"),
            readingCount: try row.decode(forColumn: "reading_count"))
    }

    /// The columns `StoredReading` is decoded from, in index order.
    static let readingColumns = """
        seq, monotonic_ns, wall_ns, speed_mps, first_lock_mps, peak_mps, duration_ns, direction, quality, flags
        """

    static func storedReading(from row: Row, sessionID: String) throws -> StoredReading {
        let seq: Int = try row.decode(atIndex: 0)
        let directionCode: Int64 = try row.decode(atIndex: 7)
        guard let direction = StoreSchema.direction(code: directionCode) else {
            throw unreadable(sessionID, "direction code \(directionCode) of reading \(seq)")
        }
        let flags: Int64 = try row.decode(atIndex: 9)
        guard let flagBits = UInt32(exactly: flags) else {
            throw unreadable(sessionID, "flags \(flags) of reading \(seq)")
        }
        let reading = Reading(
            monotonicNs: UInt64(bitPattern: try row.decode(Int64.self, atIndex: 1)),
            speed: Speed(metresPerSecond: try row.decode(atIndex: 3)),
            firstLockSpeed: Speed(metresPerSecond: try row.decode(atIndex: 4)),
            peakSpeed: Speed(metresPerSecond: try row.decode(atIndex: 5)),
            durationNs: UInt64(bitPattern: try row.decode(Int64.self, atIndex: 6)),
            direction: direction,
            quality: try row.decode(atIndex: 8),
            flags: ReadingFlags(rawValue: flagBits))
        return StoredReading(seq: seq, wallTimeNs: try row.decode(atIndex: 2), reading: reading)
    }

    static func unreadable(_ sessionID: String, _ what: String) -> UnreadableRow {
        UnreadableRow(sessionID: sessionID, what: what)
    }
}

/// A stored value the current code cannot interpret (a hand-edited file, or
/// one written by a newer version). Wrapped in a `StoreError` before it leaves the store.
struct UnreadableRow: Error, CustomStringConvertible {
    var sessionID: String
    var what: String
    var description: String { "session '\(sessionID)' has an unreadable \(what)" }
}
