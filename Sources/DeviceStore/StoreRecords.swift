import SpeedDomain

/// What was lost: edges the sensor reader could not keep, or readings the
/// store writer could not queue.
public enum DropKind: String, Sendable, Hashable, Codable, CaseIterable {
    case edges
    case readings
}

/// A session as the store holds it: the session itself plus how it was
/// measured and what it contains.
public struct StoredSession: Sendable, Hashable {
    public var session: Session
    public var sensor: SensorDescription
    /// Angle between the radar beam and the road, degrees; speeds are already corrected for it.
    public var mountingAngleDegrees: Double
    /// The posted limit at the site when the session was recorded.
    public var limit: SpeedLimit
    /// Edges lost during the session, summed over its drop records.
    public var edgesDropped: Int
    /// Readings lost during the session, summed over its drop records.
    public var readingsDropped: Int
    /// Readings stored for the session.
    public var readingCount: Int

    public init(
        session: Session, sensor: SensorDescription, mountingAngleDegrees: Double, limit: SpeedLimit,
        edgesDropped: Int, readingsDropped: Int, readingCount: Int
    ) {
        self.session = session
        self.sensor = sensor
        self.mountingAngleDegrees = mountingAngleDegrees
        self.limit = limit
        self.edgesDropped = edgesDropped
        self.readingsDropped = readingsDropped
        self.readingCount = readingCount
    }
}

/// A reading with what the store added to it: its place in the session and
/// its wall time, computed from the session's clock mapping when it was stored.
public struct StoredReading: Sendable, Hashable {
    /// Position within the session: 0, 1, 2... with no gaps.
    public var seq: Int
    /// Wall time of the pass, ns since the Unix epoch.
    public var wallTimeNs: Int64
    public var reading: Reading

    public init(seq: Int, wallTimeNs: Int64, reading: Reading) {
        self.seq = seq
        self.wallTimeNs = wallTimeNs
        self.reading = reading
    }
}

/// One loss event, as recorded by `DeviceStore.recordDrop`.
public struct DropRecord: Sendable, Hashable, Codable {
    public var sessionID: String
    /// Monotonic time of the loss, ns (for the writer: the newest reading dropped).
    public var atNs: UInt64
    public var kind: DropKind
    public var count: Int

    public init(sessionID: String, atNs: UInt64, kind: DropKind, count: Int) {
        self.sessionID = sessionID
        self.atNs = atNs
        self.kind = kind
        self.count = count
    }
}
