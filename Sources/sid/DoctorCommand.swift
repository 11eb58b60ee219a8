import ArgumentParser
import DeviceHealth
import DeviceRuntime
import DeviceStore
import Foundation

/// `sid doctor`: is this device ready to measure? Checks the GPIO chip and
/// lines (present, free, permitted), libgpiod, the clock behind edge
/// timestamps, whether wall time can be trusted, free disk, and the store.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the device: GPIO chip and lines, permissions, clocks, wall time, free disk, store.",
        discussion: """
            Example: sudo -u speedwatch sid doctor --config /etc/speedwatch/device.toml
            Exits non-zero when a check fails (a warning does not), so the service can run it first.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print only warnings and failures.") var quiet = false

    func run() throws {
        let configuration = try storeOptions.loadConfiguration()
        let storePath = storeOptions.storePath(configuration)
        let storeDirectory = URL(fileURLWithPath: storePath).deletingLastPathComponent().path
        var checks: [HealthCheck] = []
        if configuration?.gpio == nil {
            checks.append(HealthCheck(
                "gpio", .warning,
                configuration == nil
                    ? "no --config given: GPIO not checked"
                    : "the configuration has no [gpio] table: only simulator and replay can run"))
        }
        checks += DeviceDoctor.run(gpio: configuration?.gpio, storeDirectory: storeDirectory) {
            Self.storeHealth(path: storePath)
        }
        for check in checks where !quiet || check.status != .ok {
            print(check)
        }
        let failed = checks.filter { $0.status == .failed }.count
        if failed > 0 {
            print("\(failed) check(s) failed")
            throw ExitCode.failure
        }
    }

    /// Opens the store (when it exists) and runs SQLite's integrity check.
    static func storeHealth(path: String) -> HealthCheck {
        guard FileManager.default.fileExists(atPath: path) else {
            return HealthCheck("store", .ok, "\(path) does not exist yet; the first run creates it")
        }
        do {
            let store = try DeviceStore(path: path)
            let report = try store.integrityCheck()
            let open = try store.openSessions().count
            guard report == ["ok"] else {
                return HealthCheck("store", .failed, "\(path): \(report.prefix(3).joined(separator: "; "))")
            }
            return HealthCheck("store", .ok, "\(path): integrity ok, \(open) open session(s)")
        } catch let error as StoreError {
            return HealthCheck("store", .failed, error.description)  // it names the file
        } catch {
            return HealthCheck("store", .failed, "\(path): \(error)")
        }
    }
}
