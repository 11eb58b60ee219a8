import ArgumentParser
import DeviceStore
import Foundation
import SpeedDomain

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a closed session's readings as CSV, JSON, or a signed session bundle for the collector.",
        discussion: "Speeds are printed at full resolution in mph and m/s; times as UTC ISO 8601 and monotonic ns.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json, bundle }

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The session id (see 'sid session list').") var id: String
    @Option(help: "csv, json, or bundle (signed, for the collector; needs --key).") var format: Format = .csv
    @Option(name: .shortAndLong, help: "Write here instead of standard output.") var output: String?
    @Option(help: "Device signing key for --format bundle (see 'sid keygen').") var key: String?

    func run() throws {
        let configuration = try storeOptions.loadConfiguration()
        let store = try storeOptions.openExistingStore(configuration)
        guard let stored = try store.session(id: id) else { throw CommandError.unknownSession(id, store: store.path) }
        guard !stored.session.isOpen else { throw CommandError.openSession(id) }
        let readings = try store.readings(inSession: id)
        if format == .bundle {
            print("wrote \(readings.count) readings to \(try BundleExport.write(stored, readings: readings, keyPath: key, output: output))")
            return
        }
        let text = format == .csv ? ReadingExport.csv(readings, session: stored.session) : try ReadingExport.json(readings, stored: stored)
        if let output {
            do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch { throw CommandError.cannotWrite(output, underlying: error) }
            print("wrote \(readings.count) readings to \(output)")
        } else {
            print(text, terminator: "")
        }
    }
}

/// Renders readings for a person, a spreadsheet or a script.
enum ReadingExport {
    static let csvHeader = "session_id,site_id,time_utc,monotonic_ns,speed_mph,speed_mps,first_lock_mph,peak_mph,duration_ms,direction,quality,flags"

    static func csv(_ readings: [Reading], session: Session) -> String {
        var lines = [csvHeader]
        for r in readings {
            let wall = Date(timeIntervalSince1970: Double(session.clock.wallTimeNs(ofMonotonic: r.monotonicNs)) / 1e9)
            lines.append(
                [
                    session.id, session.siteID, wall.formatted(.iso8601.time(includingFractionalSeconds: true).year().month().day().dateTimeSeparator(.standard)),
                    String(r.monotonicNs), String(r.speed.mph), String(r.speed.metresPerSecond), String(r.firstLockSpeed.mph),
                    String(r.peakSpeed.mph), String(format: "%.1f", Double(r.durationNs) / 1e6), r.direction.rawValue,
                    String(format: "%.3f", r.quality), String(r.flags.rawValue),
                ].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ readings: [Reading], stored: StoredSession) throws -> String {
        struct Document: Encodable {
            var session: Session
            var sensor: SensorDescription
            var mountingAngleDegrees: Double
            var limit: SpeedLimit
            var readings: [Reading]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(Document(session: stored.session, sensor: stored.sensor, mountingAngleDegrees: stored.mountingAngleDegrees, limit: stored.limit, readings: readings))
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
