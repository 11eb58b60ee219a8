import Foundation
import SpeedDomain
import SpeedStatistics

/// Shared helpers of the renderers: units, times, method names.
enum ReportFormatting {
    /// A speed in `from` expressed in `to`.
    static func convert(_ v: Double, from: SpeedUnit, to: SpeedUnit) -> Double {
        from == to ? v : v * from.metresPerSecond / to.metresPerSecond
    }

    /// The units a site's speeds are printed in: mph always, and km/h too for a km/h site.
    static func units(_ site: Site) -> [SpeedUnit] { site.limit.unit == .mph ? [.mph] : [.mph, .kmh] }

    static func iso(_ ns: Int64?) -> Any {
        guard let ns else { return NSNull() }
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date(timeIntervalSince1970: Double(ns) / 1e9))
    }

    static func methods(_ options: ReportOptions, site: Site?) -> [String: Any] {
        var m: [String: Any] = [
            "percentile": "Hyndman & Fan type 7 (linear interpolation between closest ranks; numpy and R default)",
            "speed_resolution": "speeds counted at 0.01 of the site's unit; every figure is exact for speeds at that resolution",
            "standard_deviation": "sample standard deviation (n - 1)",
            "compliance": "share of vehicles with speed <= the posted limit",
            "over_threshold": "share of vehicles with speed >= limit + 10% + 2 (10% rounded down)",
            "interval": "95% seeded cluster bootstrap over sessions within site and period, percentile method (\(options.bootstrap.replicates) replicates, seed \(options.bootstrap.seed)); needs two or more sessions in each period",
            "naive_interval": "Welch's t interval treating vehicles as independent (means and shares only), shown beside the bootstrap as the naive one",
            "free_flow": options.freeFlowGapSeconds.map { "vehicles at least \($0) s behind the vehicle in front, same direction (the first vehicle of a session counts)" } ?? "off",
            "post_stratification": options.postStratify ? "after period reweighted to the before period's mix of hour of day x weekday/weekend (\(options.timeZone.identifier)); mean, compliance and over-threshold only; change intervals by the same cluster bootstrap, leaving out replicates that share no stratum" : "off",
            "time_zone": options.timeZone.identifier,
            "binned": "binned exports reported apart: percentiles by the grouped-data formula P = L + w(pN - F_below)/f_bin, mean at bin midpoints, shares spreading each bin evenly",
        ]
        if let site { m["enforcement_threshold"] = "\(site.limit.enforcementThresholdValue) \(site.limit.unit.rawValue)" }
        return m
    }

    /// Decimal places the machine-readable reports (CSV, JSON) keep. Nine is far
    /// finer than any speed or share needs, and coarse enough to drop binary
    /// rounding noise: a change of `-2.8000000000000007` mph is written `-2.8`.
    static let machineDecimals = 9

    /// `value` rounded to ``machineDecimals`` places, so that CSV and JSON carry
    /// the figure and not the noise of subtracting two binary fractions.
    static func machineRounded(_ value: Double) -> Double {
        guard value.isFinite else { return value }
        let scale = pow(10, Double(machineDecimals))
        let rounded = (value * scale).rounded() / scale
        return rounded == 0 ? 0 : rounded
    }

    /// A CSV cell: the rounded figure, or empty when there is none.
    static func csvCell(_ value: Double?) -> String {
        value.map { "\(machineRounded($0))" } ?? ""
    }

    /// JSON text with sorted keys, for stable golden files; every number rounded
    /// by ``machineRounded(_:)``.
    static func json(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: machineRounded(object: object), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// `object` with every `Double` inside it, at any depth, rounded.
    static func machineRounded(object: Any) -> Any {
        switch object {
        case let value as Double: machineRounded(value)
        case let dictionary as [String: Any]: dictionary.mapValues { machineRounded(object: $0) }
        case let array as [Any]: array.map { machineRounded(object: $0) }
        default: object
        }
    }

    /// A number or JSON null.
    static func number(_ v: Double?) -> Any { v ?? NSNull() }

    static func interval(_ i: Interval?, scale: Double = 1) -> Any {
        guard let i else { return NSNull() }
        return [i.low * scale, i.high * scale]
    }
}
