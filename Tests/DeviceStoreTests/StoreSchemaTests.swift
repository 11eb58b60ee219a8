import Foundation
import GRDB
import Testing
@testable import DeviceStore
import SpeedDomain
import SpeedStatistics

@Suite("Store schema")
struct StoreSchemaTests {
    static let v1 = "v1: sessions, readings, drops"

    /// A fresh directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("StoreSchemaTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A file at `path` with only the v1 migration applied: the schema a device
    /// running the first release would have left behind.
    static func makeV1File(at path: String, _ fill: (Database) throws -> Void) throws {
        let queue = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(queue, upTo: v1)
        try queue.write(fill)
        try queue.close()
    }

    /// Inserts a session row as v1 (and v2) store it, with `Fixture.session(id)`'s clock.
    static func insertSession(_ db: Database, key: Int64, id: String) throws {
        let session = Fixture.session(id)
        try db.execute(
            sql: """
                INSERT INTO sessions (
                    key, id, site_id, device_id, phase, mode, clock_source, monotonic_anchor_ns, wall_anchor_ns,
                    started_at_ns, sensor_kind, carrier_hz, pins, sensor_clock, mounting_angle_deg, limit_value, limit_unit
                ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'doppler', ?, '["GPIO17"]', 'monotonic', 12.5, 30, 'mph')
                """,
            arguments: [
                key, id, session.siteID, session.deviceID, session.phase.rawValue, session.mode.rawValue,
                session.clock.source.rawValue, Int64(bitPattern: session.clock.monotonicAnchorNs),
                session.clock.wallTimeAtAnchorNs, session.startedAtNs, Doppler.hb100CarrierHz,
            ])
    }

    /// Inserts readings the way v1 stored them: `(session_key, seq)` key, direction as text.
    static func insertV1Readings(_ db: Database, sessionKey: Int64, id: String, _ readings: [Reading], firstSeq: Int64 = 0) throws {
        let clock = Fixture.session(id).clock
        for (offset, r) in readings.enumerated() {
            try db.execute(
                sql: """
                    INSERT INTO readings (
                        session_key, seq, monotonic_ns, wall_ns, speed_mps, first_lock_mps, peak_mps,
                        duration_ns, direction, quality, flags
                    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    sessionKey, firstSeq + Int64(offset), Int64(bitPattern: r.monotonicNs), clock.wallTimeNs(ofMonotonic: r.monotonicNs),
                    r.speed.metresPerSecond, r.firstLockSpeed.metresPerSecond, r.peakSpeed.metresPerSecond,
                    Int64(bitPattern: r.durationNs), r.direction.rawValue, r.quality, Int64(r.flags.rawValue),
                ])
        }
    }

    @Test func aV1FileWithReadingsMigratesAndKeepsEveryReading() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("v1.sqlite").path
        var rng = SplitMix64(seed: 0x51)
        var first = Fixture.randomReadings(700, using: &rng)
        first[699].flags = ReadingFlags(rawValue: UInt32.max)
        let second = Fixture.randomReadings(45, using: &rng)
        try Self.makeV1File(at: path) { db in
            try Self.insertSession(db, key: 1, id: "A")
            try Self.insertSession(db, key: 2, id: "B")
            try Self.insertSession(db, key: 3, id: "empty")
            try db.execute(sql: "UPDATE sessions SET ended_at_ns = started_at_ns + 1 WHERE key = 2")
            try Self.insertV1Readings(db, sessionKey: 2, id: "B", second)
            try Self.insertV1Readings(db, sessionKey: 1, id: "A", first)
            try db.execute(
                sql: "INSERT INTO drops (session_id, at_ns, kind, count) VALUES ('A', 7, 'edges', 3)")
            try db.execute(sql: "UPDATE sessions SET edges_dropped = 3 WHERE key = 1")
        }

        let store = try DeviceStore(path: path)
        #expect(try store.integrityCheck() == ["ok"])
        #expect(try store.readings(inSession: "A") == first)
        #expect(try store.readings(inSession: "B") == second)
        #expect(try store.readings(inSession: "empty").isEmpty)
        let clock = Fixture.session("A").clock
        let stored = try store.storedReadings(inSession: "A")
        #expect(stored.map(\.seq) == Array(0..<700))
        #expect(stored.map(\.wallTimeNs) == first.map { clock.wallTimeNs(ofMonotonic: $0.monotonicNs) })
        #expect(try store.storedReadings(inSession: "A", fromSeq: 698).map(\.seq) == [698, 699])
        #expect(try store.readingCount(inSession: "A") == 700)
        #expect(try store.sessions().map(\.readingCount).sorted() == [0, 45, 700])
        #expect(try store.summary(ofSession: "B").count == 45)
        #expect(try store.drops(inSession: "A") == [DropRecord(sessionID: "A", atNs: 7, kind: .edges, count: 3)])
        #expect(try store.session(id: "A")?.edgesDropped == 3)
        #expect(try store.openSessions().map(\.session.id).sorted() == ["A", "empty"])

        // Appends carry on from the migrated readings' seqs.
        let more = Fixture.randomReadings(3, startNs: first.last!.monotonicNs, using: &rng)
        try store.append(more, toSession: "A")
        #expect(try store.storedReadings(inSession: "A", fromSeq: 699).map(\.seq) == [699, 700, 701, 702])
        #expect(try store.readings(inSession: "A") == first + more)
        #expect(try store.readings(inSession: "B") == second)
    }

    @Test func aV1FileWhoseReadingsDoNotFitTheV2KeyIsRefusedAndLeftAsItWas() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("v1.sqlite").path
        let tooFar = StoreSchema.maxSeq + 1
        try Self.makeV1File(at: path) { db in
            try Self.insertSession(db, key: 1, id: "A")
            try Self.insertV1Readings(db, sessionKey: 1, id: "A", [Fixture.reading(mph: 20)])
            try Self.insertV1Readings(db, sessionKey: 1, id: "A", [Fixture.reading(mph: 21)], firstSeq: tooFar)
        }

        let error = #expect(throws: StoreError.self) { try DeviceStore(path: path) }
        #expect(error?.code == .migrationFailed)
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("1 reading(s)") == true)

        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        #expect(try queue.read { db in try StoreSchema.migrator.appliedIdentifiers(db) } == [Self.v1])
        #expect(try queue.read { db in try Int64.fetchAll(db, sql: "SELECT seq FROM readings ORDER BY seq") } == [0, tooFar])
    }

    @Test func readingsOfInterleavedSessionsStayApart() throws {
        let store = try DeviceStore.inMemory()
        for id in ["A", "B"] {
            try store.openSession(Fixture.session(id), sensor: Fixture.hb100, mountingAngleDegrees: 5, limit: SpeedLimit(30))
        }
        var rng = SplitMix64(seed: 0xAB)
        var expected: [String: [Reading]] = ["A": [], "B": []]
        // Chunks of 1, 31, 32, 33 and 100 readings: around the rows-per-INSERT boundary.
        for (round, count) in [1, 31, 32, 33, 100, 64].enumerated() {
            let id = round.isMultiple(of: 2) ? "A" : "B"
            let batch = Fixture.randomReadings(count, startNs: expected[id]!.last?.monotonicNs ?? 5_000_000_000, using: &rng)
            try store.append(batch, toSession: id)
            expected[id]! += batch
        }
        for id in ["A", "B"] {
            #expect(try store.readings(inSession: id) == expected[id]!)
            #expect(try store.storedReadings(inSession: id).map(\.seq) == Array(0..<expected[id]!.count))
            #expect(try store.readingCount(inSession: id) == expected[id]!.count)
            #expect(try store.summary(ofSession: id).count == expected[id]!.count)
        }
        #expect(try store.sessions().map(\.readingCount).sorted() == [expected["B"]!.count, expected["A"]!.count].sorted())
        #expect(try store.storedReadings(inSession: "A", fromSeq: -5, limit: 2).map(\.seq) == [0, 1])
        #expect(try store.storedReadings(inSession: "A", fromSeq: Int.max).isEmpty)
    }

    @Test func aSessionKeyBeyondTheReadingKeyIsRefusedNotTrapped() throws {
        let store = try Fixture.storeWithSession()
        try store.database.write { db in
            try db.execute(sql: "UPDATE sessions SET key = ? WHERE id = 'S1'", arguments: [StoreSchema.maxSessionKey + 1])
        }
        let error = #expect(throws: StoreError.self) { try store.append([Fixture.reading(mph: 30)], toSession: "S1") }
        #expect(error?.code == .invalidArgument)
        #expect(error?.description.contains("S1") == true)
        #expect(try store.readingCount(inSession: "S1") == 0)
        #expect(try store.storedReadings(inSession: "S1").isEmpty)
        #expect(try store.session(id: "S1")?.readingCount == 0)
        #expect(try store.summary(ofSession: "S1").count == 0)
    }

    @Test func aSessionThatWouldPassTwoToThe32ReadingsIsRefusedWhole() throws {
        let store = try Fixture.storeWithSession()
        // One reading at the last seq a session can hold, written directly.
        try store.database.write { db in
            let key = try #require(try Int64.fetchOne(db, sql: "SELECT key FROM sessions WHERE id = 'S1'"))
            try db.execute(
                sql: """
                    INSERT INTO readings (id, monotonic_ns, wall_ns, speed_mps, first_lock_mps, peak_mps, duration_ns, direction, quality, flags)
                    VALUES (?, 6000000000, 0, 10, 10, 10, 1, 0, 0.5, 0)
                    """,
                arguments: [StoreSchema.readingID(sessionKey: key, seq: StoreSchema.maxSeq)])
        }
        #expect(try store.storedReadings(inSession: "S1").map(\.seq) == [Int(StoreSchema.maxSeq)])
        let error = #expect(throws: StoreError.self) { try store.append([Fixture.reading(mph: 30)], toSession: "S1") }
        #expect(error?.code == .invalidArgument)
        #expect(try store.readingCount(inSession: "S1") == 1)
    }

    @Test func anInsertFailingInALaterChunkLeavesNothingOfTheAppendAndTheStoreCarriesOn() throws {
        let store = try Fixture.storeWithSession()
        try store.append([Fixture.reading(mph: 20)], toSession: "S1")
        // A trigger refusing seq 40 makes the second 32-row INSERT of a
        // 64-reading append (seqs 1...64) fail after the first has gone in.
        try store.database.write { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse_seq_40 BEFORE INSERT ON readings WHEN NEW.id & 4294967295 = 40
                BEGIN SELECT RAISE(ABORT, 'seq 40 refused by the test'); END
                """)
        }
        var rng = SplitMix64(seed: 0x40)
        let batch = Fixture.randomReadings(64, startNs: 7_000_000_000, using: &rng)
        let error = #expect(throws: StoreError.self) { try store.append(batch, toSession: "S1") }
        #expect(error?.code == .databaseFailure)
        #expect(error?.description.contains("append 64 readings to session 'S1'") == true)
        #expect(error?.description.contains("seq 40 refused by the test") == true)
        #expect(try store.readingCount(inSession: "S1") == 1)

        try store.database.write { db in try db.execute(sql: "DROP TRIGGER refuse_seq_40") }
        try store.append(batch, toSession: "S1")
        #expect(try store.readings(inSession: "S1") == [Fixture.reading(mph: 20)] + batch)
        #expect(try store.storedReadings(inSession: "S1").map(\.seq) == Array(0...64))
    }

    @Test func directionCodesRoundTripAndUnknownCodesAreRefused() throws {
        for direction in Direction.allCases {
            #expect(StoreSchema.direction(code: StoreSchema.directionCode(direction)) == direction)
        }
        #expect(StoreSchema.direction(code: 3) == nil)
        let store = try Fixture.storeWithSession()
        try store.append([Fixture.reading(mph: 30)], toSession: "S1")
        // The CHECK keeps codes the reader cannot decode out of the file.
        #expect(throws: DatabaseError.self) {
            try store.database.write { db in try db.execute(sql: "UPDATE readings SET direction = 3") }
        }
    }
}
