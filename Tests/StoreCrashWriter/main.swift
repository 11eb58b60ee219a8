// Test fixture for DeviceStoreTests' crash-safety test: appends batches of
// readings to a store file forever, printing `committed <total>` after every
// append returns, until the test kills it with SIGKILL.
//
// Usage: StoreCrashWriter <store path> <session id> [batch size]
//
// Reading content is a pure function of its seq (`crashFixtureReading`, in the
// StoreCrashFixture target the test shares), so the test can tell a whole
// reading from a torn one.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DeviceStore
import SpeedDomain
import StoreCrashFixture

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
            clock: crashFixtureClock,
            startedAtNs: 1_750_000_000_000_000_000)
        try store.openSession(
            session, sensor: SensorDescription(kind: .doppler(carrierHz: Doppler.hb100CarrierHz), pins: ["GPIO17"]),
            mountingAngleDegrees: 15, limit: SpeedLimit(30))
    }
    var total = try store.readingCount(inSession: sessionID)
    while true {
        let batch = (total..<(total + batchSize)).map(crashFixtureReading(seq:))
        try store.append(batch, toSession: sessionID)
        total += batchSize
        writeLine("committed \(total)", to: 1)
    }
} catch {
    fail("\(error)")
}
