import Logging
import SpeedDomain

/// Sits between the measuring path and the store: takes readings without
/// waiting for storage, and commits them in batches, one transaction each.
///
/// Why it looks like this:
/// - `submit` only appends to an in-memory queue, so the detector never waits
///   for an fsync. When a full batch is queued it starts a background drain and
///   returns at once.
/// - A single drain runs at a time and takes batches from the head of the
///   queue, so readings are committed in the order they were submitted. The
///   transaction runs on GRDB's writer queue, not on the actor, so `submit`
///   keeps answering while a commit is syncing.
/// - The queue is bounded by `maxQueued`. When storage falls behind, the oldest
///   excess readings are dropped (the newest are the ones a volunteer is
///   watching), and the drop is recorded in the same transaction as the next
///   batch, so loss is never silent and never recorded without the data around it.
/// - If a commit fails, its batch goes back to the head of the queue and the
///   error is logged and thrown to whoever awaited the flush; the next flush retries.
/// - `run(clock:every:)` flushes on a timer so a quiet road still gets its few
///   readings committed promptly, and flushes the rest when cancelled.
public actor ReadingWriter {
    /// Counters for logs and the status page.
    public struct Statistics: Sendable, Hashable {
        /// Readings waiting in memory (not counting a batch being committed).
        public var queued: Int
        /// Readings committed by this writer.
        public var committedReadings: Int
        /// Transactions committed by this writer.
        public var committedBatches: Int
        /// Readings this writer dropped because the queue was full.
        public var droppedReadings: Int
    }

    private let store: DeviceStore
    /// The session every submitted reading belongs to.
    public nonisolated let sessionID: String
    private let batchSize: Int
    private let maxQueued: Int
    private let logger: Logger

    /// Queued readings are `queue[head...]`; the consumed prefix is compacted away lazily.
    private var queue: [Reading] = []
    private var head = 0
    /// Readings dropped but not yet recorded in the store.
    private var pendingDrop: DropRecord?
    private var drain: Task<Void, any Error>?
    private var stats = Statistics(queued: 0, committedReadings: 0, committedBatches: 0, droppedReadings: 0)

    /// - Parameters:
    ///   - store: Where readings go.
    ///   - sessionID: The open session they belong to.
    ///   - batchSize: Most readings per transaction; at least 1.
    ///   - maxQueued: Most readings held in memory; beyond this the oldest are dropped. At least 1.
    ///   - logger: Where commit failures and drops are reported, and (at debug level) each commit.
    public init(store: DeviceStore, sessionID: String, batchSize: Int = 512, maxQueued: Int = 100_000, logger: Logger) {
        precondition(batchSize >= 1, "a batch holds at least one reading")
        precondition(maxQueued >= 1, "the queue holds at least one reading")
        self.store = store
        self.sessionID = sessionID
        self.batchSize = batchSize
        self.maxQueued = maxQueued
        self.logger = logger
    }

    /// The writer's counters now.
    public var statistics: Statistics {
        var copy = stats
        copy.queued = queuedCount
        return copy
    }

    private var queuedCount: Int { queue.count - head }

    /// Queues readings for storage. Never waits for storage: at most it copies
    /// the readings and starts a background commit.
    public func submit(_ readings: [Reading]) {
        guard !readings.isEmpty else { return }
        queue.append(contentsOf: readings)
        trimToBound()
        if queuedCount >= batchSize { _ = startDrainIfIdle() }
    }

    /// Commits everything queued, in batches of at most `batchSize`, and
    /// returns when the queue is empty.
    ///
    /// - Throws: The `StoreError` of a failed commit; the failed batch stays queued.
    public func flush() async throws {
        while queuedCount > 0 || pendingDrop != nil || drain != nil {
            try await startDrainIfIdle().value
        }
    }

    /// Flushes every `interval` of `clock` until the task is cancelled, then
    /// flushes whatever is left. A failed periodic flush is logged and retried
    /// at the next tick (measuring goes on; the queue bound limits memory).
    ///
    /// - Throws: The error of the final flush, if it fails.
    public func run(clock: any Clock<Duration> = ContinuousClock(), every interval: Duration = .milliseconds(250)) async throws {
        while !Task.isCancelled {
            do {
                try await clock.sleep(for: interval)
            } catch {
                break  // cancelled while sleeping
            }
            do {
                try await flush()
            } catch {
                logger.error(
                    "periodic flush failed; readings stay queued",
                    metadata: ["session": "\(sessionID)", "queued": "\(queuedCount)", "error": "\(error)"])
            }
        }
        try await flush()
    }

    private func startDrainIfIdle() -> Task<Void, any Error> {
        if let drain { return drain }
        let task = Task { try await self.drainQueue() }
        drain = task
        return task
    }

    private func drainQueue() async throws {
        defer { drain = nil }
        while queuedCount > 0 || pendingDrop != nil {
            let batch = takeBatch()
            let drop = pendingDrop
            do {
                try await store.appendOffThread(batch, toSession: sessionID, pendingDrop: drop)
            } catch {
                putBack(batch)
                logger.error(
                    "committing readings failed",
                    metadata: ["session": "\(sessionID)", "batch": "\(batch.count)", "error": "\(error)"])
                throw error
            }
            if let drop { settle(drop) }
            stats.committedReadings += batch.count
            stats.committedBatches += 1
            // After the commit, on the writer's task: the measuring path never waits for this line.
            logger.debug("committed readings", metadata: ["session": "\(sessionID)", "readings": "\(batch.count)"])
        }
    }

    private func takeBatch() -> [Reading] {
        let count = min(batchSize, queuedCount)
        let batch = Array(queue[head..<(head + count)])
        head += count
        compact()
        return batch
    }

    private func putBack(_ batch: [Reading]) {
        queue.removeFirst(head)
        head = 0
        queue.insert(contentsOf: batch, at: 0)
        trimToBound()
    }

    /// Drops the oldest readings beyond `maxQueued`, remembering them for the next commit.
    private func trimToBound() {
        let excess = queuedCount - maxQueued
        guard excess > 0 else { return }
        let newestDropped = queue[head + excess - 1].monotonicNs
        head += excess
        compact()
        stats.droppedReadings += excess
        if var drop = pendingDrop {
            drop.count += excess
            drop.atNs = max(drop.atNs, newestDropped)
            pendingDrop = drop
        } else {
            pendingDrop = DropRecord(sessionID: sessionID, atNs: newestDropped, kind: .readings, count: excess)
        }
        logger.warning(
            "store queue full; dropped oldest readings",
            metadata: ["session": "\(sessionID)", "dropped": "\(excess)", "maxQueued": "\(maxQueued)"])
    }

    /// Forgets the part of the pending drop that a commit has just recorded.
    private func settle(_ recorded: DropRecord) {
        guard var drop = pendingDrop else { return }
        drop.count -= recorded.count
        pendingDrop = drop.count > 0 ? drop : nil
    }

    /// Reclaims the consumed prefix once it is empty or at least half the storage.
    private func compact() {
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 4096, head * 2 >= queue.count {
            queue.removeFirst(head)
            head = 0
        }
    }
}
