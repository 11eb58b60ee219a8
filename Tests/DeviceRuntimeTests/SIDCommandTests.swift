import DeviceStore
import Foundation
import SpeedDomain
import Testing

/// Runs the built `sid` executable as a volunteer would.
@Suite("sid command", .serialized)
struct SIDCommandTests {
    static func sid() throws -> URL {
        #if os(Linux)
        let directory = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")).deletingLastPathComponent()
        #else
        let directory = try #require(Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }).bundleURL.deletingLastPathComponent()
        #endif
        let url = directory.appendingPathComponent("sid")
        try #require(FileManager.default.isExecutableFile(atPath: url.path), "sid not built; run swift build --build-tests")
        return url
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sid-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    static func run(_ arguments: [String], in directory: URL, terminateAfter: Duration? = nil) async throws -> Result {
        let process = Process()
        process.executableURL = try sid()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        if let terminateAfter {
            try await Task.sleep(for: terminateAfter)
            process.terminate()  // SIGTERM, as systemd sends
        }
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let error = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: output, error: error)
    }

    func writeScenario(in directory: URL, seconds: Int) throws -> String {
        let path = directory.appendingPathComponent("street.toml").path
        try shortStreet(seconds: Double(seconds)).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("run, list, export: a session end to end")
    func endToEnd() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let scenario = try writeScenario(in: directory, seconds: 60)
        let run = try await Self.run(["run", "--scenario", scenario, "--store", "s.sqlite", "--site", "HIGH-ST"], in: directory)
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("vehicles"))
        #expect(run.output.contains("against the simulation's ground truth"))

        let store = try DeviceStore(path: directory.appendingPathComponent("s.sqlite").path)
        let session = try #require(try store.sessions().first)
        #expect(session.session.siteID == "HIGH-ST")
        let csv = try await Self.run(["export", session.session.id, "--store", "s.sqlite"], in: directory)
        #expect(csv.status == 0)
        let lines = csv.output.split(separator: "\n")
        #expect(lines.first?.hasPrefix("session_id,site_id,time_utc") == true)
        #expect(lines.count == session.readingCount + 1)

        let missing = directory.appendingPathComponent("missing/dir/x.csv").path
        let unwritable = try await Self.run(["export", session.session.id, "--store", "s.sqlite", "-o", missing], in: directory)
        #expect(unwritable.status == 1)
        #expect(unwritable.error == "Error: \(missing): cannot write: No such file or directory\n", "\(unwritable.error)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("missing").path))
    }

    @Test("SIGTERM stops a run cleanly: readings so far committed, the session closed")
    func terminateGracefully() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let scenario = try writeScenario(in: directory, seconds: 3600)
        let run = try await Self.run(["run", "--scenario", scenario, "--store", "s.sqlite", "--realtime"], in: directory, terminateAfter: .seconds(4))
        #expect(run.status == 0, "\(run.error)")
        let store = try DeviceStore(path: directory.appendingPathComponent("s.sqlite").path)
        let session = try #require(try store.sessions().first)
        #expect(!session.session.isOpen)
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test("a bad capture is refused with its line, and nothing is stored")
    func badCapture() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "# sid-edge-capture 1\nsensor: doppler\ncarrier-hz: 10525000000\npins: A\n---\n100\n2x0\n".write(
            to: directory.appendingPathComponent("bad.edges"), atomically: true, encoding: .utf8)
        let run = try await Self.run(["run", "--backend", "replay", "bad.edges", "--store", "s.sqlite"], in: directory)
        #expect(run.status != 0)
        #expect(run.error.contains("bad.edges:7"))
        let store = try DeviceStore(path: directory.appendingPathComponent("s.sqlite").path)
        #expect(try store.sessions().isEmpty)
    }

    @Test(
        "a command that reads the store refuses a store file that does not exist, and creates none",
        arguments: [["status"], ["session", "list"], ["export", "abc"], ["session", "stop", "abc"]])
    func missingStore(command: [String]) async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await Self.run(command + ["--store", "nosuchstore.sqlite"], in: directory)
        #expect(run.status == 1)
        #expect(run.error.contains("no store at nosuchstore.sqlite (--store)"), "\(run.error)")
        #expect(!run.error.contains("Usage"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test(
        "a run refused for its capture header or its settings names the place and leaves no store behind",
        arguments: [
            (["p9.edges"], "p9.edges:3: 'carrier-hz' must be a radar carrier"),
            (["good.edges", "--mounting-angle", "85"], "--mounting-angle 85: must be at least 0 and under 80 degrees"),
            (["good.edges", "--session", "abc"], "--session abc: only a live sensor run"),
        ])
    func refusedRunLeavesNoStore(arguments: [String], message: String) async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, carrier) in [("p9.edges", "1000"), ("good.edges", "10525000000")] {
            try "# sid-edge-capture 1\nsensor: doppler\ncarrier-hz: \(carrier)\npins: A\n---\n100\n200\n".write(
                to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let run = try await Self.run(["run", "--backend", "replay"] + arguments + ["--store", "fresh.sqlite"], in: directory)
        #expect(run.status != 0)
        #expect(run.error.contains(message), "\(run.error)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("fresh.sqlite").path))
    }

    @Test("unknown, open and closed sessions are plain errors in words, without usage text or internal names")
    func sessionErrors() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let start = try await Self.run(["session", "start", "--site", "HIGH-ST", "--store", "s.sqlite"], in: directory)
        #expect(start.status == 0, "\(start.error)")
        let id = start.output.trimmingCharacters(in: .whitespacesAndNewlines)

        let open = try await Self.run(["export", id, "--store", "s.sqlite"], in: directory)
        #expect(open.status == 1)
        #expect(open.error == "Error: session '\(id)' is still open; stop it first ('sid session stop \(id)')\n")
        let unknown = try await Self.run(["export", "bogus", "--store", "s.sqlite"], in: directory)
        #expect(unknown.status == 1)
        #expect(unknown.error == "Error: no session 'bogus' in s.sqlite (see 'sid session list')\n")
        let stopUnknown = try await Self.run(["session", "stop", "bogus", "--store", "s.sqlite"], in: directory)
        #expect(stopUnknown.status == 1)
        #expect(stopUnknown.error == "Error: device store s.sqlite: no session 'bogus'\n")

        #expect(try await Self.run(["session", "stop", id, "--store", "s.sqlite"], in: directory).status == 0)
        let again = try await Self.run(["session", "stop", id, "--store", "s.sqlite"], in: directory)
        #expect(again.status == 1)
        let closedAt = try #require(try DeviceStore(path: directory.appendingPathComponent("s.sqlite").path).session(id: id)?.session.endedAtNs)
        let iso = Date(timeIntervalSince1970: Double(closedAt) / 1e9).formatted(.iso8601)
        #expect(again.error == "Error: device store s.sqlite: session '\(id)' is already closed (at \(iso))\n", "\(again.error)")
    }

    @Test("run --verbose logs each committed batch: its readings and session, one line per commit")
    func verboseLogsCommits() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let scenario = try writeScenario(in: directory, seconds: 60)
        let run = try await Self.run(["run", "--scenario", scenario, "--store", "s.sqlite", "--verbose"], in: directory)
        #expect(run.status == 0, "\(run.error)")
        let session = try #require(try DeviceStore(path: directory.appendingPathComponent("s.sqlite").path).sessions().first)
        let commits = run.error.split(separator: "\n").filter { $0.contains("committed readings") && $0.contains("session=\(session.session.id)") }
        let logged = commits.compactMap { line in line.split(separator: " ").first { $0.hasPrefix("readings=") }.flatMap { Int($0.dropFirst(9)) } }
        #expect(!commits.isEmpty)
        #expect(logged.count == commits.count)
        #expect(logged.reduce(0, +) == session.readingCount)
        #expect(run.output.contains("\(commits.count) batched commits"))

        let quiet = try await Self.run(["run", "--scenario", scenario, "--store", "s.sqlite"], in: directory)
        #expect(!quiet.error.contains("committed readings"))
    }

    @Test(
        "options a backend would ignore, or a scenario given twice, are refused naming them",
        arguments: [
            (["run", "rural-60mph", "--scenario", "quiet-20mph"], "as <input> 'rural-60mph' and --scenario 'quiet-20mph'"),
            (["run", "--backend", "replay", "q.edges", "--scenario", "rural-60mph"], "--scenario 'rural-60mph' is for --backend simulator"),
            (["run", "--backend", "replay", "q.edges", "--realtime"], "--realtime paces the simulator; --backend replay"),
            (["run", "--backend", "gpio", "q.edges"], "--backend gpio takes no <input> ('q.edges')"),
            (["capture", "rural-60mph", "--scenario", "quiet-20mph", "-o", "out.edges"], "as <input> 'rural-60mph' and --scenario 'quiet-20mph'"),
            (["capture", "--backend", "replay", "q.edges", "--truth", "q2.csv", "-o", "out.edges"], "--truth 'q2.csv' is the simulator's ground truth; --backend replay"),
            (["capture", "--backend", "replay", "q.edges", "--phase", "after", "-o", "out.edges"], "--phase after picks a simulator scenario's traffic; --backend replay"),
        ])
    func ignoredOptionsRefused(arguments: [String], message: String) async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "# sid-edge-capture 1\nsensor: doppler\ncarrier-hz: 10525000000\npins: A\n---\n100\n200\n".write(
            to: directory.appendingPathComponent("q.edges"), atomically: true, encoding: .utf8)
        let run = try await Self.run(arguments + (arguments[0] == "run" ? ["--store", "s.sqlite"] : []), in: directory)
        #expect(run.status == 64)
        #expect(run.error.contains(message), "\(run.error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["q.edges"])
    }

    @Test("run and capture help say <input> is a capture file or a scenario, and that --session is for gpio runs")
    func inputHelp() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for command in ["run", "capture"] {
            let help = try await Self.run([command, "--help"], in: directory)
            let flat = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(flat.contains("<input> The capture file for --backend replay, or the scenario for the simulator (instead of --scenario)."), "\(help.output)")
        }
        let run = try await Self.run(["run", "--help"], in: directory)
        let flat = run.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("--session <session> With --backend gpio only: record into this already started session"), "\(run.output)")
    }

    @Test("session start's --clock offers and accepts the same five clocks; the simulator's own is refused")
    func sessionClockValues() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let help = try await Self.run(["session", "start", "--help"], in: directory)
        let flat = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("(values: ntp, gps, phone, rtc, unsynchronised; default: unsynchronised)"), "\(help.output)")
        let simulated = try await Self.run(["session", "start", "--clock", "simulated", "--site", "X", "--store", "s.sqlite"], in: directory)
        #expect(simulated.status == 64)
        #expect(simulated.error.contains("The value 'simulated' is invalid for '--clock <clock>'"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        let phone = try await Self.run(["session", "start", "--clock", "phone", "--site", "X", "--store", "s.sqlite"], in: directory)
        #expect(phone.status == 0, "\(phone.error)")
    }

    @Test("a run stopped early is scored only against the road users that passed before the stop, and says so")
    func stoppedRunScoresWhatPassed() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let scenario = try writeScenario(in: directory, seconds: 3600)
        let run = try await Self.run(["run", "--scenario", scenario, "--store", "s.sqlite"], in: directory, terminateAfter: .seconds(2))
        #expect(run.status == 0, "\(run.error)")
        let line = try #require(run.output.split(separator: "\n").first { $0.contains("against the simulation's ground truth") })
        let match = try #require(line.firstMatch(of: #/stopped early: only the (\d+) of (\d+) road users that passed the sensor before the stop\): vehicles=(\d+) /#))
        let (passed, total, scored) = (Int(match.1)!, Int(match.2)!, Int(match.3)!)
        #expect(passed < total)
        #expect(scored <= passed)
    }
}

extension SIDCommandTests {
    @Test(
        "a file that cannot be read or written is refused with the system's reason, without usage text",
        arguments: [
            (["run", "--backend", "replay", "missing.edges", "--store", "s.sqlite"], "Error: missing.edges: cannot read: No such file or directory\n"),
            (["run", "--config", "missing.toml", "--store", "s.sqlite"], "Error: missing.toml: cannot read: No such file or directory\n"),
            (["capture", "--backend", "replay", ".", "-o", "out.edges"], "Error: .: cannot read: Is a directory\n"),
            (["capture", "street.toml", "-o", "no-such-dir/out.edges"], "Error: no-such-dir/out.edges: cannot write 'no-such-dir/out.edges.partial': No such file or directory\n"),
            (["keygen", "--key", "no-such-dir/device.key"], "Error: no-such-dir/device.key: cannot write: No such file or directory\n"),
        ])
    func fileReasons(command: [String], message: String) async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try writeScenario(in: directory, seconds: 5)
        let run = try await Self.run(command, in: directory)
        #expect(run.status == 1, "\(run.error)")
        #expect(run.error == message, "\(run.error)")
    }

    @Test("a missing signing key and an unwritable bundle or ground truth name the system's reason")
    func exportAndTruthReasons() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let start = try await Self.run(["session", "start", "--site", "HIGH-ST", "--store", "s.sqlite"], in: directory)
        let id = start.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await Self.run(["session", "stop", id, "--store", "s.sqlite"], in: directory).status == 0)
        let noKey = try await Self.run(["export", id, "--store", "s.sqlite", "--format", "bundle", "--key", "missing.key"], in: directory)
        #expect(noKey.status == 1)
        #expect(noKey.error == "Error: missing.key: cannot read: No such file or directory\n", "\(noKey.error)")

        #expect(try await Self.run(["keygen", "--key", "dev.key"], in: directory).status == 0)
        let bundle = try await Self.run(["export", id, "--store", "s.sqlite", "--format", "bundle", "--key", "dev.key", "-o", "no-such-dir/s.swb"], in: directory)
        #expect(bundle.status == 1)
        #expect(bundle.error == "Error: no-such-dir/s.swb: cannot write: No such file or directory\n", "\(bundle.error)")

        let scenario = try writeScenario(in: directory, seconds: 5)
        let truth = try await Self.run(["capture", scenario, "-o", "out.edges", "--truth", "no-such-dir/t.csv"], in: directory)
        #expect(truth.status == 1)
        #expect(truth.error == "Error: no-such-dir/t.csv: cannot write: No such file or directory\n", "\(truth.error)")
        // Refused before recording: no capture written without its truth.
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out.edges").path))
        #expect(!truth.output.contains("wrote"))

        let good = try await Self.run(["capture", scenario, "-o", "out.edges", "--truth", "t.csv"], in: directory)
        #expect(good.status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.contains("out.edges") && files.contains("t.csv"))
        #expect(!files.contains { $0.hasSuffix(".partial") }, "\(files)")
    }
}

extension SIDCommandTests {
    @Test(
        "a --store that is not an SQLite database is refused in words, and the file is left as it was",
        arguments: [["status"], ["session", "list"], ["export", "abc"], ["session", "start", "--site", "HIGH-ST"], ["run", "street.toml"]])
    func storeNotADatabase(command: [String]) async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try writeScenario(in: directory, seconds: 5)
        let junk = Data(String(repeating: "not a database\n", count: 400).utf8)
        try junk.write(to: directory.appendingPathComponent("junk.sqlite"))
        let run = try await Self.run(command + ["--store", "junk.sqlite"], in: directory)
        #expect(run.status == 1)
        #expect(run.error == "Error: junk.sqlite is not a device store (not an SQLite database)\n", "\(run.error)")
        #expect(try Data(contentsOf: directory.appendingPathComponent("junk.sqlite")) == junk)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["junk.sqlite", "street.toml"])
    }
}
