// Test fixture for DeviceStoreTests' crash-safety test: appends batches of
// readings to a store file forever, printing `committed <total>` after every
// append returns, until the test kills it with SIGKILL.
//
// Usage: StoreCrashWriter <store path> <session id> [batch size]
//
// Reading content is a pure function of its seq (see `expectedReading` below
// and its twin in the test), so the test can tell a whole reading from a torn one.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DeviceStore
import SpeedDomain

/// The reading the fixture stores at `seq`. Must match the copy in StoreCrashTests.swift.
func expectedReading(seq: Int) -> Reading {
    let s = UInt64(seq)
    let directions: [Direction] = [.approaching, .receding, .unknown]
    return Reading(
        monotonicNs: 1_000_000_000 + s * 1_000_003,
        speed: Speed(metresPerSecond: 5 + Double(seq % 997) * 0.012_345_678_9),
        firstLockSpeed: Speed(metresPerSecond: 4 + Double(seq % 991) * 0.011_111_111_1),
        peakSpeed: Speed(metresPerSecond: 6 + Double(seq % 983) * 0.013_131_313_1),
        durationNs: 100_000_000 + (s * 7_919) % 900_000_000,
        direction: directions[seq % 3],
        quality: Double(seq % 101) / 100,
        flags: ReadingFlags(rawValue: UInt32(seq % 32)))
}

/// Writes a line straight to a file descriptor: unbuffered, so a line is out
/// the moment the append before it has returned.
func writeLine(_ line: String, to fd: Int32) {
    var bytes = Array((line + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if written <= 0 { exit(3) }
        offset += written
    }
}

func fail(_ message: String) -> Never {
    writeLine("StoreCrashWriter: \(message)", to: 2)
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { fail("usage: StoreCrashWriter <store path> <session id> [batch size]") }
let path = arguments[1]
let sessionID = arguments[2]
let batchSize = arguments.count > 3 ? Int(arguments[3]) ?? 0 : 50
guard batchSize > 0 else { fail("batch size must be a positive integer") }

do {
    let store = try DeviceStore(path: path)
    if try store.session(id: sessionID) == nil {
        let session = Session(
            id: sessionID, siteID: "CRASH-TEST", deviceID: "fixture", phase: .before, mode: .covert,
            clock: ClockMapping(monotonicAnchorNs: 1_000_000_000, wallTimeAtAnchorNs: 1_750_000_000_000_000_000, source: .simulated),
            startedAtNs: 1_750_000_000_000_000_000)
        try store.openSession(
            session, sensor: SensorDescription(kind: .doppler(carrierHz: Doppler.hb100CarrierHz), pins: ["GPIO17"]),
            mountingAngleDegrees: 15, limit: SpeedLimit(30))
    }
    var total = try store.readingCount(inSession: sessionID)
    while true {
        let batch = (total..<(total + batchSize)).map(expectedReading(seq:))
        try store.append(batch, toSession: sessionID)
        total += batchSize
        writeLine("committed \(total)", to: 1)
    }
} catch {
    fail("\(error)")
}
