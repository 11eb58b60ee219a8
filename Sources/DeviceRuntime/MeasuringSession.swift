import Foundation
public import DeviceStore
public import EdgeSources
public import Logging
public import SpeedDomain
public import VehicleDetection

/// One recording: edges from a source, through the detector, into the store.
///
/// The detector runs synchronously on each batch as it arrives; readings go
/// to a `ReadingWriter` that commits them in batched transactions on its own
/// schedule, so measuring never waits on the disk. Dropped edges reported by
/// the source are recorded in the store. When the source ends (or the task is
/// cancelled, as on SIGTERM) the last passes are reported, everything queued
/// is committed and the session is closed.
public struct MeasuringSession: Sendable {
    public let source: any EdgeSource
    public let store: DeviceStore
    public let session: Session
    public let limit: SpeedLimit
    public let detectorSettings: DetectorSettings
    public let logger: Logger
    /// Called with each batch of new readings (a live display, the phone page).
    public var onReadings: (@Sendable ([Reading]) -> Void)?

    public init(
        source: any EdgeSource, store: DeviceStore, session: Session, limit: SpeedLimit,
        detectorSettings: DetectorSettings, logger: Logger, onReadings: (@Sendable ([Reading]) -> Void)? = nil
    ) {
        self.source = source
        self.store = store
        self.session = session
        self.limit = limit
        self.detectorSettings = detectorSettings
        self.logger = logger
        self.onReadings = onReadings
    }

    /// What a finished run did.
    public struct Outcome: Sendable {
        public var sessionID: String
        public var edges: UInt64
        public var readings: Int
        public var edgesDropped: UInt64
        public var lastEdgeNs: UInt64?
        /// Whether the run was cancelled (SIGINT, SIGTERM) before its source ended.
        public var stoppedEarly: Bool
        public var writer: ReadingWriter.Statistics
        public var summary: SessionSummary
    }

    /// Runs until the source ends or the task is cancelled, then closes the session.
    /// - Parameter openSession: false when the session was opened earlier (`sid session start`).
    /// - Throws: a detector configuration error, a source's read error, or a store error.
    public func run(openSession: Bool = true, closeWhenDone: Bool = true) async throws -> Outcome {
        var detector = try VehicleDetector(sensor: source.sensor.kind, settings: detectorSettings)
        if openSession {
            try store.openSession(session, sensor: source.sensor, mountingAngleDegrees: detectorSettings.mountingAngleDegrees, limit: limit)
        }
        let writer = ReadingWriter(store: store, sessionID: session.id, logger: logger)
        let flusher = Task { try await writer.run() }
        var edges: UInt64 = 0
        var readingsCount = 0
        var dropped: UInt64 = 0
        var lastEdgeNs: UInt64?
        var failure: (any Error)?
        logger.info("session started", metadata: ["session": "\(session.id)", "sensor": "\(source.sensor.kind.name)"])

        do {
            for try await batch in source.batches() {
                var readings: [Reading] = []
                detector.process(batch, into: &readings)
                edges += UInt64(batch.edges.count)
                if let last = batch.edges.last?.timestampNs { lastEdgeNs = last }
                if batch.droppedBefore > 0 {
                    dropped += batch.droppedBefore
                    try store.recordDrop(session: session.id, atNs: lastEdgeNs ?? 0, kind: .edges, count: Int(batch.droppedBefore))
                    logger.warning("edges dropped", metadata: ["count": "\(batch.droppedBefore)"])
                }
                if !readings.isEmpty {
                    readingsCount += readings.count
                    await writer.submit(readings)
                    onReadings?(readings)
                }
                if Task.isCancelled { break }
            }
        } catch is CancellationError {
            logger.info("measuring stopped")
        } catch {
            failure = error
        }

        let stoppedEarly = Task.isCancelled
        var last: [Reading] = []
        detector.finish(into: &last)
        if !last.isEmpty {
            readingsCount += last.count
            await writer.submit(last)
            onReadings?(last)
        }
        flusher.cancel()
        _ = try? await flusher.value
        try await writer.flush()
        if let failure {
            logger.error("source failed; readings so far are stored", metadata: ["error": "\(failure)"])
            throw failure
        }
        if closeWhenDone {
            let endNs = lastEdgeNs.map { session.clock.wallTimeNs(ofMonotonic: $0) } ?? session.startedAtNs
            try store.closeSession(id: session.id, endedAtNs: max(endNs, session.startedAtNs))
        }
        let statistics = await writer.statistics
        logger.info("session finished", metadata: ["readings": "\(readingsCount)", "edges": "\(edges)"])
        return Outcome(
            sessionID: session.id, edges: edges, readings: readingsCount, edgesDropped: dropped, lastEdgeNs: lastEdgeNs,
            stoppedEarly: stoppedEarly, writer: statistics, summary: try store.summary(ofSession: session.id))
    }
}
