/// The figures a report gives for one period at one site, in the site's unit.
///
/// Every figure but `count` is nil when the period holds no speeds, so a report
/// prints "no data" instead of NaN; `standardDeviation` is also nil for one speed.
public struct PeriodFigures: Sendable, Hashable, Codable {
    public var count: Int
    public var mean: Double?
    public var median: Double?
    public var p85: Double?
    public var standardDeviation: Double?
    /// Percentage (0–100) at or under the limit.
    public var compliancePercent: Double?
    /// Percentage (0–100) at or over the enforcement threshold.
    public var overThresholdPercent: Double?

    /// Computes the figures of `histogram` against a limit and an enforcement threshold in the same unit.
    public init(_ histogram: SpeedHistogram, limit: Double, threshold: Double) {
        count = histogram.count
        mean = histogram.mean
        median = histogram.percentile(0.5)
        p85 = histogram.percentile(0.85)
        standardDeviation = histogram.standardDeviation
        compliancePercent = Metric.compliance.value(histogram, limit: limit, threshold: threshold)
        overThresholdPercent = Metric.overThreshold.value(histogram, limit: limit, threshold: threshold)
    }
}

/// A figure that can be compared before and after, and resampled.
public enum Metric: String, Sendable, Hashable, CaseIterable, Codable {
    case mean
    case median
    case p85
    case compliance
    case overThreshold

    /// The figure for a histogram; nil when it is empty.
    public func value(_ h: SpeedHistogram, limit: Double, threshold: Double) -> Double? {
        guard h.count > 0 else { return nil }
        switch self {
        case .mean: return h.mean
        case .median: return h.percentile(0.5)
        case .p85: return h.percentile(0.85)
        case .compliance: return 100 * Double(h.count(atOrBelow: limit)) / Double(h.count)
        case .overThreshold: return 100 * Double(h.count(atOrAbove: threshold)) / Double(h.count)
        }
    }

    /// Whether the figure is a mean of per-vehicle values (of speed, or of a 0/1
    /// indicator), so that Welch's interval on vehicles applies to it.
    public var isMeanOfVehicles: Bool {
        switch self {
        case .mean, .compliance, .overThreshold: return true
        case .median, .p85: return false
        }
    }
}
