/// Which way a vehicle was travelling relative to the sensor.
public enum Direction: String, Sendable, Codable, CaseIterable {
    /// Coming towards the sensor.
    case approaching
    /// Going away from the sensor.
    case receding
    /// The sensor cannot tell (a single-pin Doppler sensor).
    case unknown
}

/// Notes a reading carries so a report can include or exclude it knowingly.
public struct ReadingFlags: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The lock was short or unsteady; the speed is less certain than usual.
    public static let lowQuality = ReadingFlags(rawValue: 1 << 0)
    /// Events were dropped by the kernel or the reader during this pass.
    public static let edgesDropped = ReadingFlags(rawValue: 1 << 1)
    /// Wall time came from an untrusted clock.
    public static let untrustedClock = ReadingFlags(rawValue: 1 << 2)
    /// The pass overlapped another vehicle's; the reading may belong to either.
    public static let overlapping = ReadingFlags(rawValue: 1 << 3)
    /// Speed came from the peak of the track because the lock was too short for a plateau.
    public static let peakOnly = ReadingFlags(rawValue: 1 << 4)
    /// The tone fell away at the end of the pass, as an approaching vehicle's
    /// does when the widening angle takes its cosine down at the sensor.
    public static let sagAtEnd = ReadingFlags(rawValue: 1 << 5)
    /// The tone climbed at the start of the pass, as a receding vehicle's
    /// does when it emerges beside the sensor and its cosine grows.
    public static let riseAtStart = ReadingFlags(rawValue: 1 << 6)
}

/// One vehicle pass as measured by a device.
public struct Reading: Sendable, Hashable, Codable {
    /// Monotonic time of the pass, ns (the end of the locked tone).
    public var monotonicNs: UInt64
    /// The speed the device reports for the vehicle, corrected for the mounting angle.
    public var speed: Speed
    /// The speed at first lock (far from the sensor, least cosine error).
    public var firstLockSpeed: Speed
    /// The highest steady speed seen during the pass.
    public var peakSpeed: Speed
    /// How long the tone stayed locked, ns.
    public var durationNs: UInt64
    public var direction: Direction
    /// 0 (worthless) to 1 (a long, steady tone).
    public var quality: Double
    public var flags: ReadingFlags

    public init(
        monotonicNs: UInt64, speed: Speed, firstLockSpeed: Speed, peakSpeed: Speed,
        durationNs: UInt64, direction: Direction, quality: Double, flags: ReadingFlags = []
    ) {
        self.monotonicNs = monotonicNs
        self.speed = speed
        self.firstLockSpeed = firstLockSpeed
        self.peakSpeed = peakSpeed
        self.durationNs = durationNs
        self.direction = direction
        self.quality = quality
        self.flags = flags
    }

    /// The direction as measured (I/Q, two detectors) or, when the sensor
    /// cannot tell, as the tone's shape suggests: a pass with only a sag at
    /// its end was approaching, one with only a rise at its start receding.
    /// In the simulator the shape agrees with the truth for about 98% of the
    /// one-pin passes that show one, not all, so `direction` stays `.unknown`
    /// for them and a consumer opts in here.
    public var likelyDirection: Direction {
        guard direction == .unknown else { return direction }
        switch (flags.contains(.sagAtEnd), flags.contains(.riseAtStart)) {
        case (true, false): return .approaching
        case (false, true): return .receding
        default: return .unknown
        }
    }
}
