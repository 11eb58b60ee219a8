import Foundation
import Testing

/// The collector command line as OPCC staff type it: options, refusals and
/// what is left in the store, run through the built executable.
@Suite("collector command line")
struct CollectorCommandTests {
    static func run(_ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        try DeviceToReportTests.run("collector", arguments, in: directory)
    }

    @Test("sites add takes a negative longitude after a space, as docs/collector-import.md shows")
    func negativeLongitude() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let add = try Self.run(
            ["sites", "add", "HIGH-ST", "--name", "High Street", "--road", "B4044", "--latitude", "51.75", "--longitude", "-1.26", "--limit", "20", "--scheme", "drivesafe", "--pilot"],
            in: dir)
        #expect(add.status == 0, "\(add.output)")
        let show = try Self.run(["sites", "show", "HIGH-ST"], in: dir)
        #expect(show.output.contains("at 51.75, -1.26"), "\(show.output)")
        #expect(show.output.contains("pilot yes"))
    }
}

extension CollectorCommandTests {
    @Test(
        "commands that list, import or report refuse a store path with no store instead of creating one",
        arguments: [
            ["sites", "list"], ["sites", "show", "HIGH-ST"], ["devices", "list"], ["import", "x.swb"],
            ["import-van", "--mapping", "van.toml", "--site", "HIGH-ST", "--phase", "after", "--van", "V", "van.csv"],
            ["import-binned", "--mapping", "bins.toml", "--site", "HIGH-ST", "--phase", "after", "bins.csv"],
            ["report", "--site", "HIGH-ST"], ["report", "--compare"],
        ])
    func missingStore(command: [String]) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.run(command + ["--store", "typo.sqlite"], in: dir)
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains("no collector store at typo.sqlite (--store)"), "\(r.output)")
        #expect(!r.output.contains("Usage:"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
