import Foundation
import Testing
import DeviceStore
import SpeedDomain
import SpeedStatistics
import StoreCrashFixture
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Crash safety")
struct StoreCrashTests {
    /// Where SwiftPM put the executables: the directory holding the running test binary.
    static func productsDirectory() throws -> URL {
        #if os(Linux)
        let binary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        return URL(fileURLWithPath: binary).deletingLastPathComponent()
        #else
        let bundle = try #require(Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") })
        return bundle.bundleURL.deletingLastPathComponent()
        #endif
    }

    /// The highest `committed N` among complete lines of the fixture's output (0 if none).
    static func lastCommitted(in output: String) -> Int {
        var last = 0
        for line in output.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("committed "), let n = Int(line.dropFirst("committed ".count)) { last = max(last, n) }
        }
        return last
    }

    /// Readings the fixture appends per transaction.
    static let batchSize = 50

    /// When a run's SIGKILL lands.
    enum KillPoint {
        /// This many ms after launch: may land while the store is still being opened or recovered.
        case afterLaunch(ms: Int)
        /// This many ms after the run's first append has committed: lands mid-append however
        /// slowly the machine starts processes, so the count of runs that commit is not timing-dependent.
        case afterFirstCommit(ms: Int)
    }

    /// Reads `handle` until the writer's first line (`committed N`) is complete or it closed its output.
    static func readUntilFirstCommit(_ handle: FileHandle) -> Data {
        var data = Data()
        while !data.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }  // end of file: the writer exited
            data.append(chunk)
        }
        return data
    }

    /// Runs the fixture against `path`, SIGKILLs it at `killPoint`, and returns its stdout and stderr.
    static func runAndKill(
        _ executable: URL, path: String, sessionID: String, at killPoint: KillPoint
    ) async throws -> (output: String, errors: String, killed: Bool) {
        let process = Process()
        process.executableURL = executable
        process.arguments = [path, sessionID, String(batchSize)]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        var head = Data()
        switch killPoint {
        case .afterLaunch(let ms):
            try await Task.sleep(for: .milliseconds(ms))
        case .afterFirstCommit(let ms):
            let reader = stdout.fileHandleForReading
            head = await withCheckedContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(returning: readUntilFirstCommit(reader)) }
            }
            try await Task.sleep(for: .milliseconds(ms))
        }
        let alive = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let rest = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        return (String(decoding: head + rest, as: UTF8.self), String(decoding: errors, as: UTF8.self),
                alive && process.terminationReason == .uncaughtSignal)
    }

    /// Checks the readings from `fromSeq` on are exactly what the fixture writes at those seqs.
    static func verify(_ store: DeviceStore, sessionID: String, fromSeq: Int) throws {
        let stored = try store.storedReadings(inSession: sessionID, fromSeq: fromSeq)
        for (offset, row) in stored.enumerated() {
            let seq = fromSeq + offset
            try #require(row.seq == seq, "seqs must be contiguous from 0")
            try #require(row.reading == crashFixtureReading(seq: seq), "reading \(seq) was stored half-written or wrong")
            try #require(row.wallTimeNs == crashFixtureClock.wallTimeNs(ofMonotonic: row.reading.monotonicNs))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func committedReadingsSurviveSIGKILLMidWriteAcrossManyRestarts() async throws {
        let executable = try Self.productsDirectory().appendingPathComponent("StoreCrashWriter")
        try #require(
            FileManager.default.isExecutableFile(atPath: executable.path),
            "StoreCrashWriter not built at \(executable.path); run `swift build --build-tests`")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("StoreCrashTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("device.sqlite").path
        let sessionID = "crash-session"

        var rng = SplitMix64(seed: 0x5EED_C4A5_1234)
        var verified = 0  // readings already checked in earlier runs
        for run in 0..<30 {
            // Every fifth run is killed at a random moment of its start-up; the rest mid-append.
            let killPoint: KillPoint = run % 5 == 4
                ? .afterLaunch(ms: Int.random(in: 0...60, using: &rng))
                : .afterFirstCommit(ms: Int.random(in: 0...40, using: &rng))
            let (output, errors, killed) = try await Self.runAndKill(executable, path: path, sessionID: sessionID, at: killPoint)
            let committed = Self.lastCommitted(in: output)
            #expect(killed, "run \(run): the writer was not running when killed; its stderr: \(errors)")
            if case .afterFirstCommit = killPoint {
                #expect(committed > verified, "run \(run): killed after its first commit, yet it reported none")
            }

            // Reopen as a restarting device would, then check everything since the last run.
            let store = try DeviceStore(path: path)
            #expect(try store.integrityCheck() == ["ok"], "run \(run)")
            guard try store.session(id: sessionID) != nil else {
                #expect(committed == 0, "run \(run): the fixture printed commits but the session is missing")
                continue
            }
            let count = try store.readingCount(inSession: sessionID)
            #expect(count >= committed, "run \(run): \(committed) readings were reported committed but only \(count) survived")
            #expect(count >= verified, "run \(run): readings verified in an earlier run are gone")
            #expect(count % Self.batchSize == 0, "run \(run): \(count) readings stored; a batch was stored in part")
            try Self.verify(store, sessionID: sessionID, fromSeq: verified)
            verified = count
        }

        let store = try DeviceStore(path: path)
        try Self.verify(store, sessionID: sessionID, fromSeq: 0)
        #expect(try store.readingCount(inSession: sessionID) == verified)
    }
}
