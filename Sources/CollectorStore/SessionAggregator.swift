import SpeedDomain
import SpeedStatistics

/// Turns a session's readings into what reports read: a histogram at 0.01 of
/// the site's unit and per-hour cells. Every backend stores the same aggregates.
public struct SessionAggregator: Sendable {
    public var limit: SpeedLimit

    public init(limit: SpeedLimit) { self.limit = limit }

    /// The histogram key of a speed in m/s, in the site's unit.
    @inlinable
    public func key(metresPerSecond: Double) -> Int {
        SpeedHistogram.key(for: metresPerSecond / limit.unit.metresPerSecond)
    }

    /// Aggregates `(wall time ns, speed m/s)` pairs.
    public func aggregate<S: Sequence>(_ readings: S) -> (histogram: SpeedHistogram, hours: [HourCell])
    where S.Element == (wallTimeNs: Int64, metresPerSecond: Double) {
        let limitKey = limit.value * 100
        let thresholdKey = limit.enforcementThresholdValue * 100
        var histogram = SpeedHistogram()
        var cells: [Int64: HourCell] = [:]
        var current = HourCell(hourUTC: .min)
        for r in readings {
            let k = key(metresPerSecond: r.metresPerSecond)
            histogram.add(key: k)
            let hour = Self.hour(ofNs: r.wallTimeNs)
            if hour != current.hourUTC {
                if current.hourUTC != .min { cells[current.hourUTC] = current }
                current = cells[hour] ?? HourCell(hourUTC: hour)
            }
            current.count += 1
            current.sumKeys += k
            if k <= limitKey { current.compliant += 1 }
            if k >= thresholdKey { current.overThreshold += 1 }
        }
        if current.hourUTC != .min { cells[current.hourUTC] = current }
        return (histogram, cells.values.sorted { $0.hourUTC < $1.hourUTC })
    }

    /// Hours since the epoch of a wall time in ns (floored, also before 1970).
    @inlinable
    public static func hour(ofNs ns: Int64) -> Int64 {
        let perHour: Int64 = 3_600_000_000_000
        return ns >= 0 ? ns / perHour : (ns - perHour + 1) / perHour
    }

    /// Seconds since the previous vehicle in the same direction (a single-pin
    /// Doppler sensor's `unknown` counts as one direction); nil for the first.
    public static func headways(_ readings: [IngestReading]) -> [Double?] {
        var last: (Int64?, Int64?, Int64?) = (nil, nil, nil)
        return readings.map { r in
            switch r.direction {
            case .approaching:
                defer { last.0 = r.wallTimeNs }
                return last.0.map { Double(r.wallTimeNs - $0) / 1e9 }
            case .receding:
                defer { last.1 = r.wallTimeNs }
                return last.1.map { Double(r.wallTimeNs - $0) / 1e9 }
            case .unknown:
                defer { last.2 = r.wallTimeNs }
                return last.2.map { Double(r.wallTimeNs - $0) / 1e9 }
            }
        }
    }
}
