/// The unit a site posts its limit in and a report prints speeds in.
public enum SpeedUnit: String, Sendable, Codable, CaseIterable {
    case mph
    case kmh = "km/h"

    /// Metres per second in one of this unit.
    public var metresPerSecond: Double {
        switch self {
        case .mph: return 0.44704
        case .kmh: return 1.0 / 3.6
        }
    }
}

/// A speed kept at full resolution in metres per second, so that a reading
/// never loses precision by being converted back and forth between units.
public struct Speed: Sendable, Hashable, Comparable, Codable {
    /// The speed in metres per second.
    public var metresPerSecond: Double

    public init(metresPerSecond: Double) {
        self.metresPerSecond = metresPerSecond
    }

    public init(_ value: Double, _ unit: SpeedUnit) {
        self.metresPerSecond = value * unit.metresPerSecond
    }

    public static func mph(_ value: Double) -> Speed { Speed(value, .mph) }
    public static func kmh(_ value: Double) -> Speed { Speed(value, .kmh) }

    /// The speed expressed in `unit`.
    public func value(in unit: SpeedUnit) -> Double { metresPerSecond / unit.metresPerSecond }

    public var mph: Double { value(in: .mph) }
    public var kmh: Double { value(in: .kmh) }

    public static func < (lhs: Speed, rhs: Speed) -> Bool { lhs.metresPerSecond < rhs.metresPerSecond }
}

/// A posted speed limit and the thresholds every report derives from it.
public struct SpeedLimit: Sendable, Hashable, Codable {
    /// The posted limit as signed, in `unit` (20 for a 20mph zone).
    public var value: Int
    public var unit: SpeedUnit

    public init(_ value: Int, _ unit: SpeedUnit = .mph) {
        precondition(value > 0, "a speed limit is positive")
        self.value = value
        self.unit = unit
    }

    /// The limit as a speed.
    public var speed: Speed { Speed(Double(value), unit) }

    /// The enforcement threshold in the limit's unit: limit + 10% + 2, as the
    /// guidance rounds it (24 in a 20, 35 in a 30, 46 in a 40). The guidance
    /// rounds the 10% down to a whole unit, so a 25 limit gives 29.
    public var enforcementThresholdValue: Int {
        value + value / 10 + 2
    }

    /// The enforcement threshold as a speed.
    public var enforcementThreshold: Speed { Speed(Double(enforcementThresholdValue), unit) }

    /// Whether `speed` complies with the limit (at or under it).
    public func isCompliant(_ speed: Speed) -> Bool {
        speed.value(in: unit) <= Double(value)
    }

    /// Whether `speed` is at or over the enforcement threshold.
    public func isOverEnforcementThreshold(_ speed: Speed) -> Bool {
        speed.value(in: unit) >= Double(enforcementThresholdValue)
    }
}
