import Logging
import Testing
import DeviceStore
import SpeedDomain

@Suite("Reading writer")
struct ReadingWriterTests {
    static let logger = Logger(label: "DeviceStoreTests.ReadingWriter")

    static func readings(_ count: Int, from start: Int = 0) -> [Reading] {
        (start..<(start + count)).map { Fixture.reading(mph: 20 + Double($0) / 10, at: 6_000_000_000 + UInt64($0)) }
    }

    @Test func flushCommitsInBatchesOfAtMostBatchSizeInOrder() async throws {
        let store = try Fixture.storeWithSession()
        let writer = ReadingWriter(store: store, sessionID: "S1", batchSize: 4, logger: Self.logger)
        let all = Self.readings(10)
        await writer.submit(Array(all[0..<3]))
        await writer.submit(Array(all[3..<10]))
        try await writer.flush()

        #expect(try store.readings(inSession: "S1") == all)
        #expect(try store.storedReadings(inSession: "S1").map(\.seq) == Array(0..<10))
        let stats = await writer.statistics
        #expect(stats.committedReadings == 10)
        #expect(stats.committedBatches == 3)  // 4 + 4 + 2: never more than batchSize per transaction
        #expect(stats.queued == 0 && stats.droppedReadings == 0)
    }

    @Test func aFullBatchIsCommittedWithoutAnyoneAskingForAFlush() async throws {
        let store = try Fixture.storeWithSession()
        let writer = ReadingWriter(store: store, sessionID: "S1", batchSize: 8, logger: Self.logger)
        await writer.submit(Self.readings(8))
        #expect(try await eventually { try store.readingCount(inSession: "S1") == 8 })
    }

    @Test func aFullQueueDropsTheOldestAndRecordsTheDrop() async throws {
        let store = try Fixture.storeWithSession()
        let writer = ReadingWriter(store: store, sessionID: "S1", batchSize: 100, maxQueued: 5, logger: Self.logger)
        let all = Self.readings(8)
        await writer.submit(all)
        let beforeFlush = await writer.statistics
        #expect(beforeFlush.queued == 5 && beforeFlush.droppedReadings == 3)
        try await writer.flush()

        #expect(try store.readings(inSession: "S1") == Array(all[3...]))
        #expect(try store.drops(inSession: "S1") == [
            DropRecord(sessionID: "S1", atNs: all[2].monotonicNs, kind: .readings, count: 3)
        ])
        #expect(try store.session(id: "S1")?.readingsDropped == 3)
        #expect(try store.summary(ofSession: "S1").readingsDropped == 3)
    }

    @Test func aFailedCommitKeepsItsReadingsQueuedAndReportsTheError() async throws {
        let store = try Fixture.storeWithSession()
        try store.closeSession(id: "S1", endedAtNs: Fixture.wallAnchor + 1)
        let writer = ReadingWriter(store: store, sessionID: "S1", batchSize: 4, logger: Self.logger)
        await writer.submit(Self.readings(3))
        let error = await #expect(throws: StoreError.self) { try await writer.flush() }
        #expect(error?.code == .sessionClosed)
        #expect(await writer.statistics.queued == 3)
        #expect(try store.readingCount(inSession: "S1") == 0)
    }

    @Test func runFlushesOnEachTickOfItsClockAndTheRestWhenCancelled() async throws {
        let store = try Fixture.storeWithSession()
        let writer = ReadingWriter(store: store, sessionID: "S1", batchSize: 512, logger: Self.logger)
        let clock = ManualClock()
        let running = Task { try await writer.run(clock: clock, every: .milliseconds(250)) }

        #expect(await eventually { clock.sleepCalls == 1 })
        await writer.submit(Self.readings(10))
        clock.advance(by: .milliseconds(249))
        #expect(try store.readingCount(inSession: "S1") == 0)  // below a batch, before the tick: still queued

        clock.advance(by: .milliseconds(1))
        #expect(await eventually { clock.sleepCalls == 2 })  // woke, flushed, went back to sleep
        #expect(try store.readingCount(inSession: "S1") == 10)

        await writer.submit(Self.readings(5, from: 10))
        running.cancel()
        try await running.value
        #expect(try store.readings(inSession: "S1") == Self.readings(15))
    }
}
