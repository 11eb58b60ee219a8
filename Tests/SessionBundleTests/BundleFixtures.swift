import Foundation
import SessionBundle
import SpeedDomain

/// A small deterministic bundle and a fixed device key for the tests.
enum BundleFixtures {
    static func key() throws -> DeviceKey { try DeviceKey(rawRepresentation: Data(repeating: 7, count: 32)) }
    static func otherKey() throws -> DeviceKey { try DeviceKey(rawRepresentation: Data(repeating: 9, count: 32)) }

    static func session(id: String = "S-1") -> Session {
        Session(
            id: id, siteID: "HIGH-ST", deviceID: "DEV-1", phase: .before, mode: .covert,
            clock: ClockMapping(monotonicAnchorNs: 1_000_000_000, wallTimeAtAnchorNs: 1_767_225_600_000_000_000, source: .ntp),
            startedAtNs: 1_767_225_600_000_000_000, endedAtNs: 1_767_229_200_000_000_000)
    }

    static func reading(_ i: Int, mph: Double) -> Reading {
        Reading(
            monotonicNs: 1_000_000_000 + UInt64(i) * 7_000_000_000, speed: .mph(mph), firstLockSpeed: .mph(mph - 0.4),
            peakSpeed: .mph(mph + 0.3), durationNs: 1_200_000_000, direction: i % 2 == 0 ? .approaching : .receding,
            quality: 0.9, flags: i == 3 ? .lowQuality : [])
    }

    static func bundle(id: String = "S-1", speeds: [Double] = [18.5, 22.25, 31.0, 19.99, 24.0]) -> SessionBundle {
        SessionBundle(
            session: session(id: id), sensor: SensorDescription(kind: .doppler(carrierHz: Doppler.hb100CarrierHz), pins: ["GPIO17"]),
            mountingAngleDegrees: 20, readings: speeds.enumerated().map { reading($0.offset, mph: $0.element) })
    }

    static func reader() throws -> SessionBundleReader { SessionBundleReader(publicKeys: ["DEV-1": try key().publicKey]) }
}
