import ArgumentParser
import DeviceRuntime
import DeviceStore
import Foundation
import SpeedDomain
import TOMLSupport

/// Options every command that touches the store shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Device configuration file (TOML).")
    var config: String?

    @Option(name: .long, help: "SQLite store path (overrides the configuration's 'store').")
    var store: String?

    /// The configuration file, if one was given.
    func loadConfiguration() throws -> DeviceConfiguration? {
        guard let config else { return nil }
        return try DeviceConfiguration.load(path: config)
    }

    /// The store path: the option, else the configuration's, else `sid.sqlite` here.
    func storePath(_ configuration: DeviceConfiguration?) -> String {
        store ?? configuration?.store ?? "sid.sqlite"
    }

    /// Opens the store, creating it if there is none (for commands that record).
    func openStore(_ configuration: DeviceConfiguration?) throws -> DeviceStore {
        try DeviceStore(path: storePath(configuration))
    }

    /// Opens a store that must already exist (for commands that read or close
    /// sessions), so a mistyped path is refused rather than created empty.
    /// - Throws: `CommandError` naming the path and where it came from when there is no such file.
    func openExistingStore(_ configuration: DeviceConfiguration?) throws -> DeviceStore {
        let path = storePath(configuration)
        guard FileManager.default.fileExists(atPath: path) else {
            let source = store != nil ? "--store" : configuration != nil ? "the 'store' of \(config ?? "the configuration")" : "the default; give --store or --config"
            throw CommandError.noStore(path: path, source: source)
        }
        return try DeviceStore(path: path)
    }
}

/// A posted limit given on the command line, checked rather than trapping.
func speedLimit(_ value: Int?, unit: String?, fallback: SpeedLimit) throws -> SpeedLimit {
    let parsedUnit: SpeedUnit?
    if let unit {
        guard let known = SpeedUnit(rawValue: unit) else { throw ValidationError("--unit must be mph or km/h, not '\(unit)'") }
        parsedUnit = known
    } else {
        parsedUnit = nil
    }
    guard let value else {
        return parsedUnit.map { SpeedLimit(fallback.value, $0) } ?? fallback
    }
    guard (5...130).contains(value) else { throw ValidationError("--limit must be a posted limit between 5 and 130, not \(value)") }
    return SpeedLimit(value, parsedUnit ?? fallback.unit)
}

extension Phase: ExpressibleByArgument {}
extension SessionMode: ExpressibleByArgument {}
extension ClockSource: ExpressibleByArgument {
    /// `simulated` is the simulator's own clock, which a session started from
    /// the command line (anchored to this machine's clocks now) never has, so
    /// it is neither offered nor accepted.
    public init?(argument: String) {
        guard let source = ClockSource(rawValue: argument), source != .simulated else { return nil }
        self = source
    }

    /// The values `--clock` offers: every source but `simulated`.
    public static var allValueStrings: [String] { allCases.filter { $0 != .simulated }.map(\.rawValue) }
}

/// Formats a session summary for a person at a terminal.
enum SummaryText {
    static func render(_ summary: SessionSummary, session: StoredSession?) -> String {
        // Figures in the site's own unit (the store keeps mph figures in the summary).
        let unit = summary.limit.unit
        func mph(_ value: Double?) -> String {
            value.map { String(format: "%.1f %@", Speed.mph($0).value(in: unit), unit.rawValue) } ?? "no data"
        }
        func pct(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0) } ?? "no data" }
        var lines: [String] = []
        if let session {
            let s = session.session
            lines.append("session \(s.id)  site \(s.siteID)  device \(s.deviceID)")
            lines.append("  phase \(s.phase.rawValue), \(s.mode.rawValue), clock \(s.clock.source.rawValue), sensor \(session.sensor.kind.name), mounting angle \(session.mountingAngleDegrees)°")
            let start = Date(timeIntervalSince1970: Double(s.startedAtNs) / 1e9)
            let end = s.endedAtNs.map { Date(timeIntervalSince1970: Double($0) / 1e9) }
            lines.append("  from \(start.formatted(.iso8601)) to \(end.map { $0.formatted(.iso8601) } ?? "(open)")")
        }
        let limit = summary.limit
        lines.append("  vehicles        \(summary.count)")
        lines.append("  mean            \(mph(summary.meanMph))")
        lines.append("  median          \(mph(summary.medianMph))")
        lines.append("  85th percentile \(mph(summary.p85Mph))")
        lines.append("  fastest         \(mph(summary.maxMph))")
        lines.append("  compliance      \(pct(summary.compliancePercent)) at or under \(limit.value) \(limit.unit.rawValue)")
        lines.append("  over threshold  \(pct(summary.overThresholdPercent)) at or over \(summary.enforcementThresholdValue) \(limit.unit.rawValue)")
        lines.append("  dropped         \(summary.edgesDropped) edges, \(summary.readingsDropped) readings")
        return lines.joined(separator: "\n")
    }
}
