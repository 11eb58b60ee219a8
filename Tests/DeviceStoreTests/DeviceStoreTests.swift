import Foundation
import Testing
@testable import DeviceStore
import GRDB
import SpeedDomain
import SpeedStatistics

@Suite("Device store")
struct DeviceStoreTests {
    @Suite("Session lifecycle")
    struct Lifecycle {
        @Test func openedSessionReadsBackWithEverythingItWasOpenedWith() throws {
            let store = try DeviceStore.inMemory()
            let sensor = SensorDescription(kind: .dopplerQuadrature(carrierHz: Doppler.k24CarrierHz), pins: ["I", "Q"])
            try store.openSession(Fixture.session(), sensor: sensor, mountingAngleDegrees: 17.25, limit: SpeedLimit(50, .kmh))

            let stored = try #require(try store.session(id: "S1"))
            #expect(stored.session == Fixture.session())
            #expect(stored.sensor == sensor)
            #expect(stored.mountingAngleDegrees == 17.25)
            #expect(stored.limit == SpeedLimit(50, .kmh))
            #expect(stored.edgesDropped == 0 && stored.readingsDropped == 0 && stored.readingCount == 0)
            #expect(try store.openSessions().map(\.session.id) == ["S1"])
        }

        @Test func timeOfFlightSensorKeepsItsSpacing() throws {
            let store = try DeviceStore.inMemory()
            let sensor = SensorDescription(kind: .timeOfFlight(spacingMetres: 2.5), pins: ["A", "B"])
            try store.openSession(Fixture.session(), sensor: sensor, mountingAngleDegrees: 0, limit: SpeedLimit(20))
            #expect(try store.session(id: "S1")?.sensor == sensor)
        }

        @Test func closingEndsTheSessionOnceOnly() throws {
            let store = try Fixture.storeWithSession()
            let end = Fixture.wallAnchor + 3_600_000_000_000
            try store.closeSession(id: "S1", endedAtNs: end)

            #expect(try store.session(id: "S1")?.session.endedAtNs == end)
            #expect(try store.openSessions().isEmpty)
            let twice = #expect(throws: StoreError.self) { try store.closeSession(id: "S1", endedAtNs: end + 1) }
            #expect(twice?.code == .sessionClosed)
            #expect(try store.session(id: "S1")?.session.endedAtNs == end)
        }

        @Test func closingUnknownOrBeforeStartIsRefused() throws {
            let store = try Fixture.storeWithSession()
            let unknown = #expect(throws: StoreError.self) { try store.closeSession(id: "nope", endedAtNs: Fixture.wallAnchor) }
            #expect(unknown?.code == .unknownSession)
            #expect(unknown?.description.contains("nope") == true)
            let early = #expect(throws: StoreError.self) { try store.closeSession(id: "S1", endedAtNs: Fixture.wallAnchor - 1) }
            #expect(early?.code == .invalidArgument)
            #expect(try store.session(id: "S1")?.session.isOpen == true)
        }

        @Test func duplicateAndInvalidSessionsAreRefused() throws {
            let store = try Fixture.storeWithSession()
            let duplicate = #expect(throws: StoreError.self) {
                try store.openSession(Fixture.session(), sensor: Fixture.hb100, mountingAngleDegrees: 0, limit: SpeedLimit(30))
            }
            #expect(duplicate?.code == .duplicateSession)
            var ended = Fixture.session("S2")
            ended.endedAtNs = Fixture.wallAnchor + 1
            #expect(throws: StoreError.self) {
                try store.openSession(ended, sensor: Fixture.hb100, mountingAngleDegrees: 0, limit: SpeedLimit(30))
            }
            #expect(throws: StoreError.self) {
                try store.openSession(Fixture.session("S3"), sensor: Fixture.hb100, mountingAngleDegrees: 90, limit: SpeedLimit(30))
            }
            #expect(try store.sessions().map(\.session.id) == ["S1"])
        }

        @Test func sessionsAreListedNewestFirst() throws {
            let store = try DeviceStore.inMemory()
            for (id, offset) in [("mid", 2), ("old", 1), ("new", 3)] {
                try store.openSession(
                    Fixture.session(id, startedAtNs: Fixture.wallAnchor + Int64(offset) * 1_000_000_000),
                    sensor: Fixture.hb100, mountingAngleDegrees: 10, limit: SpeedLimit(30))
            }
            try store.closeSession(id: "mid", endedAtNs: Fixture.wallAnchor + 10_000_000_000)
            #expect(try store.sessions().map(\.session.id) == ["new", "mid", "old"])
            #expect(try store.openSessions().map(\.session.id) == ["new", "old"])
        }
    }

    @Suite("Readings")
    struct Readings {
        @Test func readingsRoundTripAtFullResolutionWithContiguousSeqAndWallTime() throws {
            let store = try Fixture.storeWithSession()
            var rng = SplitMix64(seed: 0xD1CE)
            let first = Fixture.randomReadings(37, using: &rng)
            let second = Fixture.randomReadings(5, startNs: first.last!.monotonicNs, using: &rng)
            try store.append(first, toSession: "S1")
            try store.append(second, toSession: "S1")

            #expect(try store.readings(inSession: "S1") == first + second)
            #expect(try store.readingCount(inSession: "S1") == 42)
            let stored = try store.storedReadings(inSession: "S1")
            let clock = Fixture.session().clock
            #expect(stored.map(\.seq) == Array(0..<42))
            #expect(stored.map(\.wallTimeNs) == (first + second).map { clock.wallTimeNs(ofMonotonic: $0.monotonicNs) })
            #expect(try store.storedReadings(inSession: "S1", fromSeq: 40).map(\.seq) == [40, 41])
            #expect(try store.storedReadings(inSession: "S1", fromSeq: 10, limit: 3).map(\.seq) == [10, 11, 12])
            #expect(try store.session(id: "S1")?.readingCount == 42)
        }

        @Test(arguments: ClockSource.allCases)
        func readingsOfAnUnsynchronisedSessionAreFlaggedUntrustedClock(source: ClockSource) throws {
            let store = try DeviceStore.inMemory()
            try store.openSession(Fixture.session(source: source), sensor: Fixture.hb100, mountingAngleDegrees: 0, limit: SpeedLimit(30))
            var dropped = Fixture.reading(mph: 31)
            dropped.flags = .edgesDropped
            try store.append([Fixture.reading(mph: 28), dropped], toSession: "S1")

            let flags = try store.readings(inSession: "S1").map(\.flags)
            let added: ReadingFlags = source == .unsynchronised ? .untrustedClock : []
            #expect(flags == [added, added.union(.edgesDropped)])
        }

        @Test func appendsToClosedOrUnknownSessionsAreRefusedAndChangeNothing() throws {
            let store = try Fixture.storeWithSession()
            let kept = [Fixture.reading(mph: 27)]
            try store.append(kept, toSession: "S1")
            try store.closeSession(id: "S1", endedAtNs: Fixture.wallAnchor + 1)

            let closed = #expect(throws: StoreError.self) { try store.append([Fixture.reading(mph: 31)], toSession: "S1") }
            #expect(closed?.code == .sessionClosed)
            let unknown = #expect(throws: StoreError.self) { try store.append([Fixture.reading(mph: 31)], toSession: "S9") }
            #expect(unknown?.code == .unknownSession)
            #expect(try store.readings(inSession: "S1") == kept)
            #expect(throws: StoreError.self) { try store.readings(inSession: "S9") }
        }

        @Test(arguments: [Double.nan, -1, .infinity])
        func aBatchWithAnImpossibleSpeedIsRefusedWhole(bad: Double) throws {
            let store = try Fixture.storeWithSession()
            var batch = [Fixture.reading(mph: 20), Fixture.reading(mph: 25), Fixture.reading(mph: 30)]
            batch[1].peakSpeed = Speed(metresPerSecond: bad)
            let error = #expect(throws: StoreError.self) { try store.append(batch, toSession: "S1") }
            #expect(error?.code == .invalidArgument)
            #expect(error?.description.contains("reading 1") == true)
            #expect(try store.readingCount(inSession: "S1") == 0)
        }
    }

    @Suite("Drops")
    struct Drops {
        @Test func dropsAreRecordedAndSummedPerKind() throws {
            let store = try Fixture.storeWithSession()
            try store.recordDrop(session: "S1", atNs: 7_000, kind: .edges, count: 5)
            try store.recordDrop(session: "S1", atNs: 8_000, kind: .readings, count: 2)
            try store.recordDrop(session: "S1", atNs: 9_000, kind: .edges, count: 3)

            let stored = try #require(try store.session(id: "S1"))
            #expect(stored.edgesDropped == 8)
            #expect(stored.readingsDropped == 2)
            #expect(try store.drops(inSession: "S1") == [
                DropRecord(sessionID: "S1", atNs: 7_000, kind: .edges, count: 5),
                DropRecord(sessionID: "S1", atNs: 8_000, kind: .readings, count: 2),
                DropRecord(sessionID: "S1", atNs: 9_000, kind: .edges, count: 3),
            ])
            let summary = try store.summary(ofSession: "S1")
            #expect(summary.edgesDropped == 8 && summary.readingsDropped == 2)
        }

        @Test func emptyOrUnknownDropsAreRefused() throws {
            let store = try Fixture.storeWithSession()
            let zero = #expect(throws: StoreError.self) { try store.recordDrop(session: "S1", atNs: 1, kind: .edges, count: 0) }
            #expect(zero?.code == .invalidArgument)
            let unknown = #expect(throws: StoreError.self) { try store.recordDrop(session: "S9", atNs: 1, kind: .edges, count: 1) }
            #expect(unknown?.code == .unknownSession)
            #expect(try store.drops(inSession: "S1").isEmpty)
        }
    }

    @Suite("Files")
    struct Files {
        /// A fresh directory, removed by the caller.
        static func temporaryDirectory() throws -> URL {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("DeviceStoreTests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return url
        }

        @Test func fileStoreIsDurableWALAndSurvivesReopening() throws {
            let dir = try Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let path = dir.appendingPathComponent("device.sqlite").path
            var rng = SplitMix64(seed: 42)
            let readings = Fixture.randomReadings(100, using: &rng)
            do {
                let store = try DeviceStore(path: path)
                #expect(try store.writerPragma("journal_mode") == "wal")
                #expect(try store.writerPragma("synchronous") == "2")  // FULL
                try store.openSession(Fixture.session(), sensor: Fixture.hb100, mountingAngleDegrees: 5, limit: SpeedLimit(30))
                try store.append(readings, toSession: "S1")
            }
            let reopened = try DeviceStore(path: path)
            #expect(try reopened.integrityCheck() == ["ok"])
            #expect(try reopened.readings(inSession: "S1") == readings)
            #expect(try reopened.openSessions().map(\.session.id) == ["S1"])
        }

        @Test func aFileThatIsNotADatabaseIsReportedAsCorruptByName() throws {
            let dir = try Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let path = dir.appendingPathComponent("garbage.sqlite").path
            try Data(repeating: 0xA5, count: 8192).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: StoreError.self) { try DeviceStore(path: path) }
            #expect(error?.code == .corrupt)
            #expect(error?.description == "\(path) is not a device store (not an SQLite database)")
        }

        @Test func anotherProgramsDatabaseIsRefusedAndGetsNoTables() throws {
            let dir = try Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let path = dir.appendingPathComponent("collector.sqlite").path
            // Another program's SQLite file (a collector store given as --store by mistake).
            try DatabasePool(path: path).write { db in
                try db.execute(sql: "CREATE TABLE site (id TEXT PRIMARY KEY); CREATE TABLE session (id TEXT PRIMARY KEY)")
            }
            let error = #expect(throws: StoreError.self) { try DeviceStore(path: path) }
            #expect(error?.code == .openFailed)
            #expect(error?.description == "\(path) is not a device store (an SQLite database with other tables: session, site)")
            let tables = try DatabaseQueue(path: path).read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            }
            #expect(tables == ["session", "site"])
            // An empty SQLite file is not another program's: it becomes a store.
            let empty = dir.appendingPathComponent("empty.sqlite").path
            _ = try DatabaseQueue(path: empty)
            #expect(try DeviceStore(path: empty).integrityCheck() == ["ok"])
        }

        @Test func damagedPagesAreReportedAsCorruptByName() throws {
            let dir = try Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let path = dir.appendingPathComponent("damaged.sqlite").path
            do {
                let store = try DeviceStore(path: path)
                try store.openSession(Fixture.session(), sensor: Fixture.hb100, mountingAngleDegrees: 5, limit: SpeedLimit(30))
                var rng = SplitMix64(seed: 7)
                try store.append(Fixture.randomReadings(2_000, using: &rng), toSession: "S1")
            }  // closing the last connection checkpoints the WAL into the main file
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            let size = try handle.seekToEnd()
            #expect(size > 16 * 4096)
            // Scribble over the middle of the file, past the header and schema pages.
            try handle.seek(toOffset: size / 2)
            try handle.write(contentsOf: Data(repeating: 0x5A, count: 3 * 4096))
            try handle.close()

            let error = #expect(throws: StoreError.self) { try DeviceStore(path: path) }
            #expect(error?.code == .corrupt)
            #expect(error?.description.contains(path) == true)
        }
    }
}
