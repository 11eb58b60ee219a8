public import SpeedDomain
import Synchronization

/// Replays a capture file as an edge source. The whole file is checked when
/// the source is made, so a run never starts on a file that fails part way.
public struct ReplayEdgeSource: EdgeSource {
    public let reader: CaptureReader
    public let sensor: SensorDescription
    /// The number of edges in the file.
    public let edgeCount: Int
    /// Timestamp of the first edge, ns; nil for an empty capture.
    public let firstEdgeNs: UInt64?

    /// Opens and validates the capture at `path`.
    /// - Throws: `CaptureError` naming the file and line of the first problem.
    public init(path: String, batchSize: Int = 4096) throws {
        let reader = CaptureReader(path: path, batchSize: batchSize)
        let summary = try reader.validate()
        self.reader = reader
        self.sensor = summary.sensor
        self.edgeCount = summary.edgeCount
        self.firstEdgeNs = summary.firstNs
    }

    /// Batches pulled from the file as the consumer asks for them (no buffer to overflow).
    public func batches() -> AsyncThrowingStream<EdgeBatch, any Error> {
        let reader = self.reader
        let cursor = Mutex<CaptureCursor?>(nil)
        return AsyncThrowingStream {
            try cursor.withLock { cursor in
                if cursor == nil { cursor = try reader.makeCursor() }
                return try cursor?.nextBatch().map { EdgeBatch(edges: $0) }
            }
        }
    }
}
