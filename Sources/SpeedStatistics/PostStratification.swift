/// Standardises the after period to the before period's mix of strata (hour of
/// day × weekday/weekend), because speeds vary through the day and the week.
///
/// The estimate is Σ wₛ·mₛ over strata s observed in both periods, where mₛ is
/// the after period's figure in stratum s and wₛ the before period's share of
/// vehicles in s, renormalised over those strata. `coverage` is the share of
/// before vehicles in strata the after period also has (1 when fully matched).
public enum PostStratification {
    /// A stratum key: hour of day (0–23) plus 24 on a weekend day.
    public static func stratum(hourOfDay: Int, weekend: Bool) -> Int { hourOfDay + (weekend ? 24 : 0) }

    public struct Result: Sendable, Hashable, Codable {
        public var estimate: Double
        public var coverage: Double
        public var strata: Int
    }

    /// - Parameters:
    ///   - beforeCounts: vehicles per stratum in the before period.
    ///   - afterValues: the after period's figure per stratum (strata with no after vehicles left out).
    /// - Returns: nil when no stratum is shared.
    public static func estimate(beforeCounts: [Int: Int], afterValues: [Int: Double]) -> Result? {
        let total = beforeCounts.values.reduce(0, +)
        let shared = beforeCounts.filter { $0.value > 0 && afterValues[$0.key] != nil }
        let sharedTotal = shared.values.reduce(0, +)
        guard sharedTotal > 0, total > 0 else { return nil }
        var estimate = 0.0
        for (s, n) in shared.sorted(by: { $0.key < $1.key }) {
            estimate += Double(n) / Double(sharedTotal) * afterValues[s]!
        }
        return Result(estimate: estimate, coverage: Double(sharedTotal) / Double(total), strata: shared.count)
    }
}
