import Foundation
import ScenarioFixtures
import Testing

/// The whole path as people run it: `sid keygen`, `sid run` on the simulator,
/// `sid export --format bundle`, then `collector sites add`, `devices add`,
/// `import` (twice, and a tampered copy) and `report`, with the built executables.
@Suite("Device to report, end to end", .serialized)
struct DeviceToReportTests {
    static let street = {
        var street = ShortStreet()
        street.name = "collector-e2e"
        street.description = "short street for the collector end-to-end test"
        street.seed = 91
        street.seconds = 120
        street.limitMph = 20
        street.flowPerHour = 300
        street.speedMeanMph = 24
        street.speedSDMph = 3
        // After the change the street is slower, on other days.
        return street.toml + """

            [phase.after]
            seed = 92
            [phase.after.speed-mph]
            mean = 20
            sd = 3
            """
    }()

    static func executable(_ name: String) throws -> URL {
        #if os(Linux)
        let directory = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")).deletingLastPathComponent()
        #else
        let directory = try #require(Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }).bundleURL.deletingLastPathComponent()
        #endif
        let url = directory.appendingPathComponent(name)
        try #require(FileManager.default.isExecutableFile(atPath: url.path), "\(name) not built; run swift build --build-tests")
        return url
    }

    @discardableResult
    static func run(_ name: String, _ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try executable(name)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test("keygen, run, export a bundle, import it (twice, and tampered), report")
    func deviceToReport() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.street.write(to: dir.appendingPathComponent("street.toml"), atomically: true, encoding: .utf8)
        #expect(try Self.run("sid", ["keygen", "--key", "dev.key"], in: dir).status == 0)
        var bundles: [String] = []
        for phase in ["before", "after"] {
            let run = try Self.run("sid", ["run", "--scenario", "street.toml", "--store", "dev.sqlite", "--site", "HIGH-ST", "--device-id", "DEV-1", "--phase", phase], in: dir)
            try #require(run.status == 0, "\(run.output)")
        }
        let list = try Self.run("sid", ["session", "list", "--store", "dev.sqlite"], in: dir)
        let ids = list.output.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }.filter { UUID(uuidString: $0) != nil }
        try #require(ids.count == 2, "\(list.output)")
        for id in ids {
            let export = try Self.run("sid", ["export", id, "--store", "dev.sqlite", "--format", "bundle", "--key", "dev.key", "-o", "\(id).swb"], in: dir)
            try #require(export.status == 0, "\(export.output)")
            bundles.append("\(id).swb")
        }

        let store = ["--store", "c.sqlite"]
        #expect(try Self.run("collector", ["sites", "add", "HIGH-ST", "--name", "High Street", "--limit", "20", "--scheme", "drivesafe", "--pilot"] + store, in: dir).status == 0)
        #expect(try Self.run("collector", ["devices", "add", "DEV-1", "--key", "dev.key.pub"] + store, in: dir).status == 0)
        let first = try Self.run("collector", ["import"] + bundles + store, in: dir)
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.components(separatedBy: "imported session").count == 3)
        let again = try Self.run("collector", ["import"] + bundles + store, in: dir)
        #expect(again.status == 0 && again.output.components(separatedBy: "already imported").count == 3)

        var tampered = try String(contentsOf: dir.appendingPathComponent(bundles[0]), encoding: .utf8)
        let rows = tampered.split(separator: "\n", omittingEmptySubsequences: false)
        tampered = (rows.prefix(3) + rows.dropFirst(4)).joined(separator: "\n")  // one reading removed
        try tampered.write(to: dir.appendingPathComponent("tampered.swb"), atomically: true, encoding: .utf8)
        let refused = try Self.run("collector", ["import", "tampered.swb"] + store, in: dir)
        #expect(refused.status != 0)
        #expect(refused.output.contains("tampered.swb") && refused.output.contains("SHA-256"))

        let report = try Self.run("collector", ["report", "--site", "HIGH-ST", "--replicates", "50"] + store, in: dir)
        try #require(report.status == 0, "\(report.output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any])
        let before = try #require(json["before"] as? [String: Any]), after = try #require(json["after"] as? [String: Any])
        #expect((before["count"] as? Int ?? 0) > 5 && (after["count"] as? Int ?? 0) > 5)
        #expect(before["p85_mph"] is Double && after["mean_mph"] is Double)
        // The scenario's "after" phase is 4 mph slower; the report shows the fall.
        let fall = try #require(before["mean_mph"] as? Double) - (try #require(after["mean_mph"] as? Double))
        #expect(fall > 2.5 && fall < 5.5, "before − after mean: \(fall) mph")
    }
}
