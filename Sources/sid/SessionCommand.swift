import ArgumentParser
import DeviceRuntime
import DeviceStore
import Foundation
import SpeedDomain
import VehicleDetection

struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Start, stop and list recording sessions.",
        subcommands: [Start.self, Stop.self, List.self])

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a session; 'sid run --session ID' then records into it.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "Site id.") var site: String?
        @Option(help: "Posted limit.") var limit: Int?
        @Option(help: "mph or km/h.") var unit: String?
        @Option(help: "before, intervention or after.") var phase: Phase = .before
        @Option(help: "display-on or covert.") var mode: SessionMode = .covert
        @Option(help: "Which clock vouches for wall time now: ntp, gps, phone, rtc or unsynchronised.") var clock: ClockSource = .unsynchronised
        @Option(help: "Sensor kind: doppler, doppler-iq or time-of-flight (default: the configuration's).") var sensor: String?
        @Option(help: "Carrier Hz for Doppler sensors (default: the configuration's, else an HB100's 10525000000).") var carrierHz: Double?
        @Option(help: "Detector spacing in metres for time of flight (default: the configuration's).") var spacing: Double?
        @Option(help: "Angle between beam and road, degrees.") var mountingAngle: Double?

        func run() throws {
            let configuration = try storeOptions.loadConfiguration()
            let store = try storeOptions.openStore(configuration)
            let kind: SensorKind
            let name = sensor ?? configuration?.sensor.kind ?? "doppler"
            let metres = spacing ?? configuration?.sensor.spacingMetres
            if name == "time-of-flight", metres == nil {
                throw ValidationError("time of flight needs --spacing (metres between the detectors) or [sensor] spacing-m")
            }
            let carrier = carrierHz ?? configuration?.sensor.carrierHz ?? Doppler.hb100CarrierHz
            guard let named = SensorKind.named(name, carrierHz: carrier, spacingMetres: metres ?? 0) else {
                throw ValidationError("unknown sensor kind '\(name)' (\(SensorKind.names.joined(separator: ", ")))")
            }
            kind = named
            guard let siteID = site ?? configuration?.site.id else { throw ValidationError("give --site or a configuration with [site] id") }
            let speedLimit = try speedLimit(limit, unit: unit, fallback: configuration?.site.speedLimit ?? SpeedLimit(30))
            let mapping = SessionClock.now(source: clock)
            let session = Session(
                id: UUID().uuidString.lowercased(), siteID: siteID,
                deviceID: configuration?.deviceID ?? ProcessInfo.processInfo.hostName, phase: phase, mode: mode,
                clock: mapping, startedAtNs: mapping.wallTimeAtAnchorNs)
            let pins = kind.channelCount == 1 ? ["PIN0"] : ["PIN0", "PIN1"]
            try store.openSession(
                session, sensor: SensorDescription(kind: kind, pins: pins), mountingAngleDegrees: mountingAngle ?? configuration?.detector.mountingAngleDegrees ?? 0,
                limit: speedLimit)
            print(session.id)
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close an open session.")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The session id.") var id: String

        func run() throws {
            let configuration = try storeOptions.loadConfiguration()
            let store = try storeOptions.openExistingStore(configuration)
            try store.closeSession(id: id, endedAtNs: Int64(Date().timeIntervalSince1970 * 1e9))
            print(SummaryText.render(try store.summary(ofSession: id), session: try store.session(id: id)))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sessions, newest first.")
        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let configuration = try storeOptions.loadConfiguration()
            let store = try storeOptions.openExistingStore(configuration)
            let sessions = try store.sessions()
            if sessions.isEmpty { print("no sessions in \(storeOptions.storePath(configuration))") }
            for stored in sessions {
                let s = stored.session
                let start = Date(timeIntervalSince1970: Double(s.startedAtNs) / 1e9).formatted(.iso8601)
                print("\(s.id)  \(s.siteID)  \(s.phase.rawValue)  \(s.mode.rawValue)  \(start)  \(s.isOpen ? "open" : "closed")  \(stored.readingCount) readings")
            }
        }
    }
}
