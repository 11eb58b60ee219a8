import ArgumentParser
import Foundation
import Collector
import CollectorStore
import SpeedDomain

struct Sites: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The sites registry.", subcommands: [Add.self, List.self, Show.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a site.")
        @OptionGroup var storeOption: StoreOption
        @Argument(help: "Short stable id, such as HIGH-ST-N.") var id: String
        @Option(help: "Name people know it by.") var name: String
        @Option(help: "Road.") var road = ""
        // Unconditional: west of Greenwich a longitude starts with '-' (`--longitude -1.26`), which is not an option.
        @Option(parsing: .unconditional, help: "WGS84 latitude, degrees (negative south of the equator).") var latitude: Double?
        @Option(parsing: .unconditional, help: "WGS84 longitude, degrees (negative west of Greenwich, as in most of Great Britain).") var longitude: Double?
        @Option(help: "Posted limit.") var limit: Int
        @Option(help: "mph or km/h.") var unit: SpeedUnit = .mph
        @Option(help: "drivesafe, camera-van, automated-camera or control.") var scheme: Scheme
        @Flag(help: "One of the 20mph pilot sites.") var pilot = false

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be positive") }
            guard (latitude == nil) == (longitude == nil) else {
                throw ValidationError("--latitude and --longitude go together: give both, or neither")
            }
            if let latitude, !(-90...90).contains(latitude) { throw ValidationError("--latitude \(latitude) is not between -90 and 90 degrees") }
            if let longitude, !(-180...180).contains(longitude) { throw ValidationError("--longitude \(longitude) is not between -180 and 180 degrees") }
        }

        func run() throws {
            let site = Site(id: id, name: name, road: road, latitude: latitude, longitude: longitude, limit: SpeedLimit(limit, unit), scheme: scheme, isPilot: pilot)
            do { try SiteRegistry(store: try storeOption.open()).add(site) } catch let error as ImportError { throw CommandError.refused(error.description) }
            print("registered site \(id)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the sites.")
        @OptionGroup var storeOption: StoreOption

        func run() throws {
            for s in try SiteRegistry(store: try storeOption.openExisting()).list() {
                print("\(s.id)\t\(s.name)\t\(s.road)\t\(s.limit.value) \(s.limit.unit.rawValue)\t\(s.scheme.rawValue)\(s.isPilot ? "\tpilot" : "")")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a site and its sessions.")
        @OptionGroup var storeOption: StoreOption
        @Argument var id: String

        func run() throws {
            let shown: (site: Site, sessions: [SessionRecord])
            do { shown = try SiteRegistry(store: try storeOption.openExisting()).show(id: id) } catch let error as ImportError { throw CommandError.refused(error.description) }
            let s = shown.site
            print("\(s.id): \(s.road.isEmpty ? s.name : "\(s.name), \(s.road)")")
            print("  limit \(s.limit.value) \(s.limit.unit.rawValue) (threshold \(s.limit.enforcementThresholdValue)), scheme \(s.scheme.rawValue), pilot \(s.isPilot ? "yes" : "no")")
            if let lat = s.latitude, let lon = s.longitude { print("  at \(lat), \(lon)") }
            print("  \(shown.sessions.count) sessions")
            for r in shown.sessions {
                print("  \(r.id)\t\(r.phase.rawValue)\t\(r.mode.rawValue)\t\(r.source.rawValue)\t\(r.readingCount) readings\t\(r.file)")
            }
        }
    }
}

struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Registered device keys.", subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a device's public key (the .pub file 'sid keygen' writes).")
        @OptionGroup var storeOption: StoreOption
        @Argument(help: "Device id, as in its bundles.") var id: String
        @Option(help: "Public key file (base64, one line).") var key: String

        func run() throws {
            let text: String
            do { text = try String(contentsOfFile: key, encoding: .utf8) } catch { throw CommandError.cannotRead(key, underlying: error) }
            try DeviceRegistry(store: try storeOption.open()).register(id: id, publicKey: text, file: key)
            print("registered device \(id)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered devices.")
        @OptionGroup var storeOption: StoreOption

        func run() throws {
            for (id, key) in try storeOption.openExisting().devicePublicKeys().sorted(by: { $0.key < $1.key }) { print("\(id)\t\(key)") }
        }
    }
}
