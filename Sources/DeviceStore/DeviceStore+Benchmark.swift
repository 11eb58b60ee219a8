import Foundation
import SpeedDomain

/// Measures how fast the store commits readings: appends `readings` synthetic
/// readings to a fresh session in the store at `path`, `batchSize` per
/// transaction, with the same durability settings as a device (WAL,
/// `synchronous = FULL`), and returns readings committed per second.
///
/// The store at `path` is created if absent; an existing one gains one more
/// session, named `benchmark-…`, so nothing already stored is touched.
///
/// - Throws: `StoreError` if the store cannot be opened or written, or
///   `.invalidArgument` for a count or batch size below 1.
public func benchmarkAppend(readings: Int, batchSize: Int, path: String) throws -> Double {
    guard readings >= 1, batchSize >= 1 else {
        throw StoreError.invalidArgument(path: path, "benchmark needs readings ≥ 1 and batchSize ≥ 1, got \(readings) and \(batchSize)")
    }
    let store = try DeviceStore(path: path)
    let session = Session(
        id: "benchmark-\(UUID().uuidString)", siteID: "BENCH", deviceID: "bench", phase: .before, mode: .covert,
        clock: ClockMapping(monotonicAnchorNs: 0, wallTimeAtAnchorNs: 1_700_000_000_000_000_000, source: .simulated),
        startedAtNs: 1_700_000_000_000_000_000)
    try store.openSession(
        session, sensor: SensorDescription(kind: .doppler(carrierHz: Doppler.hb100CarrierHz), pins: ["GPIO17"]),
        mountingAngleDegrees: 20, limit: SpeedLimit(30))

    // Build every batch before timing, so only the store is measured.
    let batches: [[Reading]] = stride(from: 0, to: readings, by: batchSize).map { start in
        (start..<min(start + batchSize, readings)).map { i in
            let speed = Speed.mph(20 + Double(i % 400) / 10)
            return Reading(
                monotonicNs: UInt64(i) * 1_000_000_000, speed: speed, firstLockSpeed: speed, peakSpeed: speed,
                durationNs: 900_000_000, direction: .approaching, quality: 0.9)
        }
    }
    let clock = ContinuousClock()
    let start = clock.now
    for batch in batches {
        try store.append(batch, toSession: session.id)
    }
    let elapsed = start.duration(to: clock.now)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Double(readings) / max(seconds, 1e-9)
}
