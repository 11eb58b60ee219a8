import Foundation
import GRDB
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

    @Test(
        "a site with half a location, or one off the globe, is refused and nothing is stored",
        arguments: [
            (["--latitude", "51.75"], "--latitude and --longitude go together"),
            (["--longitude", "-1.26"], "--latitude and --longitude go together"),
            (["--latitude", "95", "--longitude", "-1.26"], "--latitude 95.0 is not between -90 and 90 degrees"),
            (["--latitude", "51.75", "--longitude", "-200"], "--longitude -200.0 is not between -180 and 180 degrees"),
        ])
    func partialLocation(location: [String], message: String) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let add = try Self.run(["sites", "add", "HIGH-ST", "--name", "High Street", "--limit", "20", "--scheme", "drivesafe"] + location, in: dir)
        #expect(add.status == 64)
        #expect(add.output.contains(message), "\(add.output)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("collector.sqlite").path))
    }

    @Test("a site without a road is shown by its name alone")
    func showWithoutRoad() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try Self.run(["sites", "add", "HIGH-ST", "--name", "High Street", "--limit", "20", "--scheme", "drivesafe"], in: dir).status == 0)
        let show = try Self.run(["sites", "show", "HIGH-ST"], in: dir)
        #expect(show.output.hasPrefix("HIGH-ST: High Street\n"), "\(show.output)")
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

extension CollectorCommandTests {
    /// A store in `dir` with HIGH-ST registered, and a binned mapping beside it.
    static func registered(in dir: URL) throws {
        let add = try run(["sites", "add", "HIGH-ST", "--name", "High Street", "--limit", "20", "--scheme", "drivesafe"], in: dir)
        try #require(add.status == 0, "\(add.output)")
        try Fixtures.binnedMapping.write(to: dir.appendingPathComponent("bins.toml"), atomically: true, encoding: .utf8)
        try "From,To,Low,High,Count\n2026-03-02 00:00,2026-03-03 00:00,25,20,4\n".write(to: dir.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
    }

    @Test(
        "a refusal that is not a usage mistake prints the error with its place, no usage text, and exits 1",
        arguments: [
            (["report", "--site", "NOPE"], "site 'NOPE' is not registered"),
            (["sites", "show", "NOPE"], "site 'NOPE': no such site"),
            (["sites", "add", "HIGH-ST", "--name", "Again", "--limit", "30", "--scheme", "control"], "site 'HIGH-ST' is already registered"),
            (["devices", "add", "DEV-1", "--key", "missing.pub"], "missing.pub: cannot read: No such file or directory"),
            (["report", "--site", "HIGH-ST", "-o", "no-such-dir/r.json"], "no-such-dir/r.json: cannot write: No such file or directory"),
            (["import-binned", "--mapping", "bins.toml", "--site", "HIGH-ST", "--phase", "before", "bad.csv"], "bad.csv:2 (field 'High')"),
            (["import-van", "--mapping", "missing.toml", "--site", "HIGH-ST", "--phase", "after", "--van", "V", "van.csv"], "missing.toml: cannot read: No such file or directory"),
        ])
    func refusalsAreNotUsageErrors(command: [String], message: String) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.registered(in: dir)
        let r = try Self.run(command, in: dir)
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains(message), "\(r.output)")
        #expect(!r.output.contains("Usage:"), "\(r.output)")
    }
}

extension CollectorCommandTests {
    @Test("import-van names each skipped row as file:line (field 'column') with the speed as the file wrote it")
    func skippedRows() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.registered(in: dir)
        try VanImportTests.mappingText.write(to: dir.appendingPathComponent("van.toml"), atomically: true, encoding: .utf8)
        try VanImportTests.csv.write(to: dir.appendingPathComponent("van.csv"), atomically: true, encoding: .utf8)
        let r = try Self.run(["import-van", "--mapping", "van.toml", "--site", "HIGH-ST", "--phase", "after", "--van", "VAN-3", "van.csv"], in: dir)
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("3 rows taken, 4 skipped"), "\(r.output)")
        #expect(r.output.contains("skipped van.csv:3 (field 'Speed (mph)'): speed -3 mph is not positive"), "\(r.output)")
        #expect(r.output.contains("skipped van.csv:4 (field 'Speed (mph)'): speed 400 mph is over the plausible maximum of 200 mph"), "\(r.output)")
        #expect(r.output.contains("skipped van.csv:7 (field 'Dir'): 'E' is not a direction the mapping names"), "\(r.output)")
    }
}

extension CollectorCommandTests {
    @Test(
        "a file that cannot be read or written is refused with the system's reason, not Foundation's wording",
        arguments: [
            (["import", "x.swb"], "x.swb: cannot read: No such file or directory"),
            (["import", "."], ".: cannot read: Is a directory"),
            (["import-van", "--mapping", "van.toml", "--site", "HIGH-ST", "--phase", "after", "--van", "V", "van.csv"], "van.csv: cannot read: No such file or directory"),
            (["import-binned", "--mapping", "bins.toml", "--site", "HIGH-ST", "--phase", "after", "bins.csv"], "bins.csv: cannot read: No such file or directory"),
            (["import-binned", "--mapping", "missing.toml", "--site", "HIGH-ST", "--phase", "after", "bad.csv"], "missing.toml: cannot read: No such file or directory"),
            (["devices", "add", "DEV-1", "--key", "."], ".: cannot read: Is a directory"),
        ])
    func fileReasons(command: [String], message: String) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.registered(in: dir)
        try VanImportTests.mappingText.write(to: dir.appendingPathComponent("van.toml"), atomically: true, encoding: .utf8)
        let r = try Self.run(command, in: dir)
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains(message), "\(r.output)")
        #expect(!r.output.contains("The operation could not be completed"), "\(r.output)")
    }
}

extension CollectorCommandTests {
    @Test(
        "a --store that is not an SQLite database is refused in words, and the file is left as it was",
        arguments: [
            ["sites", "list"], ["sites", "add", "HIGH-ST", "--name", "High Street", "--limit", "20", "--scheme", "drivesafe"],
            ["devices", "list"], ["import", "x.swb"], ["report", "--site", "HIGH-ST"],
        ])
    func storeNotADatabase(command: [String]) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let junk = Data(String(repeating: "site,limit\nHIGH-ST,20\n", count: 200).utf8)
        try junk.write(to: dir.appendingPathComponent("junk.sqlite"))
        let r = try Self.run(command + ["--store", "junk.sqlite"], in: dir)
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output == "Error: junk.sqlite is not a collector store (not an SQLite database)\n", "\(r.output)")
        #expect(try Data(contentsOf: dir.appendingPathComponent("junk.sqlite")) == junk)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["junk.sqlite"])
    }
}

extension CollectorCommandTests {
    @Test("a device store given as --store is refused, and gets none of the collector's tables")
    func deviceStoreIsNoCollectorStore() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let start = try DeviceToReportTests.run("sid", ["session", "start", "--store", "dev.sqlite", "--site", "HIGH-ST"], in: dir)
        try #require(start.status == 0, "\(start.output)")
        let tablesBefore = try Self.tables(in: dir.appendingPathComponent("dev.sqlite"))
        for command in [["sites", "list"], ["sites", "add", "HIGH-ST", "--name", "High Street", "--limit", "20", "--scheme", "drivesafe"]] {
            let r = try Self.run(command + ["--store", "dev.sqlite"], in: dir)
            #expect(r.status == 1, "\(r.output)")
            #expect(r.output.hasPrefix("Error: dev.sqlite is not a collector store (an SQLite database with other tables: "), "\(r.output)")
        }
        #expect(try Self.tables(in: dir.appendingPathComponent("dev.sqlite")) == tablesBefore)
        #expect(!tablesBefore.contains("site"))
    }

    /// The table names in an SQLite file.
    static func tables(in url: URL) throws -> [String] {
        try DatabaseQueue(path: url.path).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
    }
}
