/// One rising edge on one of the sensor's pins.
///
/// Timestamps are the kernel's CLOCK_MONOTONIC nanoseconds (or the simulator's
/// equivalent), which never jump when wall time is set.
public struct Edge: Sendable, Hashable, Codable {
    /// Monotonic time of the rising edge, ns.
    public var timestampNs: UInt64
    /// Which of the sensor's pins: 0 for the only pin, or I / detector A;
    /// 1 for Q / detector B.
    public var channel: UInt8

    @inlinable
    public init(timestampNs: UInt64, channel: UInt8 = 0) {
        self.timestampNs = timestampNs
        self.channel = channel
    }
}

/// A batch of edges as a source delivers them, in time order, with an honest
/// count of any the source knows it lost since the previous batch.
public struct EdgeBatch: Sendable, Hashable {
    public var edges: [Edge]
    /// Events the source knows it dropped before this batch (kernel buffer
    /// overflow seen through sequence numbers, a full queue). Zero when none
    /// were lost or the backend cannot tell.
    public var droppedBefore: UInt64
    /// The source vouches that no further edge happened up to this monotonic
    /// time, ns (a live reader's wait ended with nothing new). Lets a quiet
    /// pass be reported without waiting for the next edge; nil when unknown.
    public var observedUntilNs: UInt64?

    public init(edges: [Edge], droppedBefore: UInt64 = 0, observedUntilNs: UInt64? = nil) {
        self.edges = edges
        self.droppedBefore = droppedBefore
        self.observedUntilNs = observedUntilNs
    }
}

/// What a capture or a live source says about the sensor behind its edges.
public struct SensorDescription: Sendable, Hashable, Codable {
    public var kind: SensorKind
    /// Pin names in channel order (for example `["GPIO17"]`, or `["I", "Q"]`).
    public var pins: [String]
    /// The clock the timestamps come from, such as `CLOCK_MONOTONIC`.
    public var clock: String

    public init(kind: SensorKind, pins: [String], clock: String = "CLOCK_MONOTONIC") {
        self.kind = kind
        self.pins = pins
        self.clock = clock
    }
}
