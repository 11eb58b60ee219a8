/// Where a session sits in an evaluation: before the scheme, during it, after it.
public enum Phase: String, Sendable, Codable, CaseIterable {
    case before
    case intervention
    case after
}

/// Whether drivers could see their speed during the session.
public enum SessionMode: String, Sendable, Codable, CaseIterable {
    /// The sign showed drivers their speed.
    case displayOn = "display-on"
    /// Data only; nothing shown, so drivers were not influenced.
    case covert
}

/// Where the wall-clock time of a session came from. A device without a
/// real-time clock keeps kernel monotonic time and maps it to wall time from
/// one of these at session start, and records which.
public enum ClockSource: String, Sendable, Codable, CaseIterable {
    /// Time synchronised by NTP (the kernel reported the clock as synchronised).
    case ntp
    /// A GPS receiver's time.
    case gps
    /// The volunteer's phone sent its clock when starting the session.
    case phone
    /// A battery-backed real-time clock.
    case rtc
    /// The system clock with no evidence it is right; readings are flagged.
    case unsynchronised
    /// Simulated time (simulator and tests).
    case simulated
}

/// Maps the kernel's monotonic nanoseconds to wall time, fixed at session start.
public struct ClockMapping: Sendable, Hashable, Codable {
    /// Monotonic time, in ns, at the moment of `wallTimeAtAnchor`.
    public var monotonicAnchorNs: UInt64
    /// Wall time at the anchor, in ns since the Unix epoch (UTC).
    public var wallTimeAtAnchorNs: Int64
    public var source: ClockSource

    public init(monotonicAnchorNs: UInt64, wallTimeAtAnchorNs: Int64, source: ClockSource) {
        self.monotonicAnchorNs = monotonicAnchorNs
        self.wallTimeAtAnchorNs = wallTimeAtAnchorNs
        self.source = source
    }

    /// Wall time, ns since the epoch, of a monotonic timestamp.
    public func wallTimeNs(ofMonotonic ns: UInt64) -> Int64 {
        wallTimeAtAnchorNs + (Int64(bitPattern: ns) - Int64(bitPattern: monotonicAnchorNs))
    }
}

/// One contiguous recording at one site by one device.
public struct Session: Sendable, Hashable, Codable, Identifiable {
    /// A globally unique id (a UUID string), stable across export and import.
    public var id: String
    public var siteID: String
    public var deviceID: String
    public var phase: Phase
    public var mode: SessionMode
    public var clock: ClockMapping
    /// Wall-clock start, ns since the epoch.
    public var startedAtNs: Int64
    /// Wall-clock end, ns since the epoch; nil while the session is open.
    public var endedAtNs: Int64?

    public init(
        id: String, siteID: String, deviceID: String, phase: Phase, mode: SessionMode,
        clock: ClockMapping, startedAtNs: Int64, endedAtNs: Int64? = nil
    ) {
        self.id = id
        self.siteID = siteID
        self.deviceID = deviceID
        self.phase = phase
        self.mode = mode
        self.clock = clock
        self.startedAtNs = startedAtNs
        self.endedAtNs = endedAtNs
    }

    public var isOpen: Bool { endedAtNs == nil }
}
