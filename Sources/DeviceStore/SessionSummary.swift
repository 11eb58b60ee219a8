import SpeedDomain

/// The figures every report starts from, for one session, computed exactly as
/// DESIGN.md's metrics say so an evaluator can reproduce them.
///
/// Speed figures are in mph at full resolution (reports round to one decimal).
/// Every figure is nil for an empty session rather than NaN; the standard
/// deviation needs two readings.
public struct SessionSummary: Sendable, Hashable, Codable {
    public var sessionID: String
    /// The posted limit the compliance figures are against.
    public var limit: SpeedLimit
    /// Limit + 10% + 2 in the limit's unit (24 in a 20), the over-threshold line.
    public var enforcementThresholdValue: Int
    /// Readings in the session.
    public var count: Int
    public var meanMph: Double?
    /// The 50th percentile, type 7.
    public var medianMph: Double?
    /// The 85th percentile (V85), type 7: linear interpolation between closest ranks.
    public var p85Mph: Double?
    public var maxMph: Double?
    /// Sample standard deviation (n − 1); nil with fewer than two readings.
    public var standardDeviationMph: Double?
    /// Share of readings at or under the limit, 0–100.
    public var compliancePercent: Double?
    /// Share of readings at or over the enforcement threshold, 0–100.
    public var overThresholdPercent: Double?
    /// Edges the session lost (from its drop records).
    public var edgesDropped: Int
    /// Readings the session lost (from its drop records).
    public var readingsDropped: Int

    /// Computes the figures from a session's speeds.
    ///
    /// - Parameters:
    ///   - speeds: Every reading's speed, in any order.
    public init(sessionID: String, limit: SpeedLimit, speeds: [Speed], edgesDropped: Int, readingsDropped: Int) {
        self.sessionID = sessionID
        self.limit = limit
        self.enforcementThresholdValue = limit.enforcementThresholdValue
        self.count = speeds.count
        self.edgesDropped = edgesDropped
        self.readingsDropped = readingsDropped

        let mph = speeds.map(\.mph).sorted()
        guard !mph.isEmpty else { return }
        let n = Double(mph.count)
        let mean = mph.reduce(0, +) / n
        meanMph = mean
        medianMph = Self.percentile(sortedAscending: mph, 0.5)
        p85Mph = Self.percentile(sortedAscending: mph, 0.85)
        maxMph = mph.last
        if mph.count >= 2 {
            let squares = mph.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            standardDeviationMph = (squares / (n - 1)).squareRoot()
        }
        let compliant = speeds.count(where: limit.isCompliant)
        let over = speeds.count(where: limit.isOverEnforcementThreshold)
        compliancePercent = 100 * Double(compliant) / n
        overThresholdPercent = 100 * Double(over) / n
    }

    /// The `p` quantile (0...1) of sorted values by Hyndman & Fan type 7, the
    /// default of R's `quantile` and numpy's `percentile`: h = (n − 1)·p,
    /// x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]). Nil for no values.
    public static func percentile(sortedAscending values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty, p >= 0, p <= 1 else { return nil }
        let h = Double(values.count - 1) * p
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, values.count - 1)
        return values[lower] + (h - Double(lower)) * (values[upper] - values[lower])
    }
}
