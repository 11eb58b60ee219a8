import SpeedDomain
import SpeedStatistics

/// Where a session's readings came from.
public enum SessionSource: String, Sendable, Hashable, Codable {
    /// A signed device bundle.
    case bundle
    /// A camera-van CSV export.
    case vanCSV = "van-csv"
}

/// A session as the collector keeps it.
public struct SessionRecord: Sendable, Hashable, Codable {
    public var id: String
    public var siteID: String
    public var deviceID: String
    public var source: SessionSource
    public var phase: Phase
    public var mode: SessionMode
    public var clockSource: ClockSource
    /// Wall-clock start and end, ns since the epoch.
    public var startedAtNs: Int64
    public var endedAtNs: Int64
    /// SHA-256 of the imported content, lower-case hex.
    public var sha256: String
    /// The file it was imported from.
    public var file: String
    public var readingCount: Int

    public init(
        id: String, siteID: String, deviceID: String, source: SessionSource, phase: Phase, mode: SessionMode,
        clockSource: ClockSource, startedAtNs: Int64, endedAtNs: Int64, sha256: String, file: String, readingCount: Int
    ) {
        self.id = id
        self.siteID = siteID
        self.deviceID = deviceID
        self.source = source
        self.phase = phase
        self.mode = mode
        self.clockSource = clockSource
        self.startedAtNs = startedAtNs
        self.endedAtNs = endedAtNs
        self.sha256 = sha256
        self.file = file
        self.readingCount = readingCount
    }
}

/// One vehicle as the collector stores it: wall time and full-resolution speed.
public struct IngestReading: Sendable, Hashable {
    public var wallTimeNs: Int64
    public var speedMetresPerSecond: Double
    public var direction: Direction
    public var quality: Double
    public var flags: UInt32

    public init(wallTimeNs: Int64, speedMetresPerSecond: Double, direction: Direction, quality: Double, flags: UInt32) {
        self.wallTimeNs = wallTimeNs
        self.speedMetresPerSecond = speedMetresPerSecond
        self.direction = direction
        self.quality = quality
        self.flags = flags
    }
}

/// What happened to a session offered to the store.
public enum IngestOutcome: Sendable, Hashable {
    /// Stored, with this many readings.
    case imported(readings: Int)
    /// The same session with the same content was already stored; nothing changed.
    case alreadyImported
}

/// One clock hour of one session: enough for counts per day, the hourly
/// mean-speed profile and post-stratification of mean, compliance and the
/// over-threshold share. Speeds are histogram keys (0.01 of the site's unit).
public struct HourCell: Sendable, Hashable, Codable {
    /// Hours since the Unix epoch (UTC) at the start of the hour.
    public var hourUTC: Int64
    public var count: Int
    public var sumKeys: Int
    public var compliant: Int
    public var overThreshold: Int

    public init(hourUTC: Int64, count: Int = 0, sumKeys: Int = 0, compliant: Int = 0, overThreshold: Int = 0) {
        self.hourUTC = hourUTC
        self.count = count
        self.sumKeys = sumKeys
        self.compliant = compliant
        self.overThreshold = overThreshold
    }

    /// Adds `other`'s counts to this cell's, keeping this cell's hour: for
    /// pooling hours into strata or sessions into a period.
    public mutating func add(_ other: HourCell) {
        count += other.count
        sumKeys += other.sumKeys
        compliant += other.compliant
        overThreshold += other.overThreshold
    }
}

/// A session with its speed histogram and hourly cells, as reports read it.
public struct SessionAggregate: Sendable, Hashable {
    public var record: SessionRecord
    public var histogram: SpeedHistogram
    public var hours: [HourCell]

    public init(record: SessionRecord, histogram: SpeedHistogram, hours: [HourCell]) {
        self.record = record
        self.histogram = histogram
        self.hours = hours
    }
}

/// Counts per speed bin for one period, from a binned export (kept apart from per-vehicle data).
public struct BinnedCount: Sendable, Hashable, Codable {
    public var siteID: String
    public var phase: Phase
    /// Period start and end, ns since the epoch.
    public var periodStartNs: Int64
    public var periodEndNs: Int64
    /// Bin edges in the site's unit: [lower, upper).
    public var lower: Double
    public var upper: Double
    public var count: Int

    public init(siteID: String, phase: Phase, periodStartNs: Int64, periodEndNs: Int64, lower: Double, upper: Double, count: Int) {
        self.siteID = siteID
        self.phase = phase
        self.periodStartNs = periodStartNs
        self.periodEndNs = periodEndNs
        self.lower = lower
        self.upper = upper
        self.count = count
    }
}
