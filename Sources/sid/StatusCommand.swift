import ArgumentParser
import DeviceStore
import DeviceRuntime
import Foundation
import SpeedDomain

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the store's health, its sessions and any left open (for example by a power cut).")
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let configuration = try storeOptions.loadConfiguration()
        let path = storeOptions.storePath(configuration)
        let store = try storeOptions.openExistingStore(configuration)
        let integrity = try store.integrityCheck()
        let sessions = try store.sessions()
        let open = try store.openSessions()
        print("store      \(path)")
        print("integrity  \(integrity == ["ok"] ? "ok" : integrity.joined(separator: "; "))")
        print("sessions   \(sessions.count) (\(open.count) open)")
        print("readings   \(sessions.reduce(0) { $0 + $1.readingCount })")
        for stored in open {
            print("open       \(stored.session.id) at \(stored.session.siteID), \(stored.readingCount) readings so far")
        }
        if let configuration { print("device     \(configuration.deviceID) at site \(configuration.site.id), sensor \(configuration.sensor.kind)") }
    }
}
