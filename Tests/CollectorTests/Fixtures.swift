import Collector
import CollectorStore
import Foundation
import SessionBundle
import SpeedDomain

/// Deterministic sites, keys and bundles for the collector tests.
enum Fixtures {
    static func key() throws -> DeviceKey { try DeviceKey(rawRepresentation: Data(repeating: 3, count: 32)) }
    static func strangerKey() throws -> DeviceKey { try DeviceKey(rawRepresentation: Data(repeating: 4, count: 32)) }
    /// 2026-01-05 00:00:00 UTC, a Monday.
    static let monday: Int64 = 1_767_571_200_000_000_000

    /// A binned-count mapping (TOML) for files with columns From, To, Low, High, Count, speeds in mph.
    static let binnedMapping = """
        speed_unit = "mph"
        datetime_format = "yyyy-MM-dd HH:mm"
        [columns]
        period_start = "From"
        period_end = "To"
        bin_low = "Low"
        bin_high = "High"
        count = "Count"
        """

    static let highStreet = Site(id: "HIGH-ST", name: "High Street", road: "B4044", latitude: 51.75, longitude: -1.26, limit: SpeedLimit(20), scheme: .driveSafe, isPilot: true)

    /// A store with the site and the device key registered.
    static func store() throws -> SQLiteCollectorStore {
        let store = try SQLiteCollectorStore()
        try store.addSite(highStreet)
        try store.registerDevice(id: "DEV-1", publicKeyBase64: try key().publicKeyBase64)
        return store
    }

    static func bundle(id: String, phase: Phase = .before, speeds: [Double], startNs: Int64 = monday + 8 * 3_600_000_000_000, gapSeconds: UInt64 = 5) -> SessionBundle {
        let session = Session(
            id: id, siteID: "HIGH-ST", deviceID: "DEV-1", phase: phase, mode: .displayOn,
            clock: ClockMapping(monotonicAnchorNs: 0, wallTimeAtAnchorNs: startNs, source: .ntp),
            startedAtNs: startNs, endedAtNs: startNs + Int64(speeds.count) * Int64(gapSeconds) * 1_000_000_000 + 1)
        let readings = speeds.enumerated().map { i, mph in
            Reading(
                monotonicNs: UInt64(i) * gapSeconds * 1_000_000_000, speed: .mph(mph), firstLockSpeed: .mph(mph), peakSpeed: .mph(mph),
                durationNs: 1_000_000_000, direction: .approaching, quality: 0.9)
        }
        return SessionBundle(session: session, sensor: SensorDescription(kind: .doppler(carrierHz: Doppler.hb100CarrierHz), pins: ["GPIO17"]), mountingAngleDegrees: 15, readings: readings)
    }

    /// Writes a bundle into a fresh temporary directory and returns its path.
    static func write(_ bundle: SessionBundle, key: DeviceKey? = nil, name: String? = nil, in dir: URL) throws -> String {
        let key = try key ?? Self.key()
        let path = dir.appendingPathComponent(name ?? "\(bundle.session.id).swb").path
        try bundle.write(to: path, signingWith: key)
        return path
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("collector-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
