import Collector
import CollectorStore
import Foundation
import SpeedDomain
import Testing

@Suite("Camera-van CSV and binned import")
struct VanImportTests {
    static let mappingText = """
        delimiter = ","
        speed_unit = "mph"
        time_zone = "Europe/London"

        [columns]
        date = "Date"
        time = "Time"
        speed = "Speed (mph)"
        direction = "Dir"
        vrm = "VRM"

        [formats]
        date = "dd/MM/yyyy"
        time = "HH:mm:ss"

        [directions]
        approaching = ["N"]
        receding = ["S"]
        """

    static let csv = """
        Date,Time,Speed (mph),Dir,VRM
        02/03/2026,08:00:01,23.4,N,AB12 CDE
        02/03/2026,08:00:09,-3,N,
        02/03/2026,08:00:15,400,S,
        31/02/2026,08:00:20,25,N,
        02/03/2026,08:00:31,27.5,S,"X,Y"
        02/03/2026,08:00:40,24,E,
        02/03/2026,08:01:02,19.9,N,

        """

    func files(_ dir: URL, csv: String = csv, mapping: String = mappingText) throws -> (csv: String, mapping: String) {
        let c = dir.appendingPathComponent("van.csv"), m = dir.appendingPathComponent("van.toml")
        try csv.write(to: c, atomically: true, encoding: .utf8)
        try mapping.write(to: m, atomically: true, encoding: .utf8)
        return (c.path, m.path)
    }

    @Test("rows with impossible values are skipped with their line numbers; the rest are taken; twice counts once")
    func skips() throws {
        let store = try Fixtures.store()
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (csv, mapping) = try files(dir)
        let importer = VanCSVImporter(store: store, mapping: try VanMapping.load(path: mapping))
        let target = VanCSVImporter.Target(siteID: "HIGH-ST", phase: .after, vanID: "VAN-3")
        let r = try importer.importFile(csv, into: target)
        #expect(r.taken == 3)
        #expect(r.skipped.map(\.line) == [3, 4, 5, 7])
        #expect(r.skipped[0].field == "Speed (mph)" && r.skipped[1].reason.contains("400"))
        #expect(r.skipped[2].field == "Date")
        #expect(r.skipped[3].field == "Dir")
        #expect(r.outcome == .imported(readings: 3))
        #expect(try importer.importFile(csv, into: target).outcome == .alreadyImported)
        #expect(try store.readingCount() == 3)
        // 08:00:01 London time on 2 March is 08:00:01 UTC (GMT).
        let session = try #require(try store.sessions(siteID: "HIGH-ST").first)
        #expect(session.startedAtNs == 1_772_438_401_000_000_000)
        #expect(session.source == .vanCSV && session.deviceID == "VAN-3")
    }

    @Test("the same file again for another site, phase, mode or van is refused naming where it was filed; the store is unchanged")
    func refiled() throws {
        let store = try Fixtures.store()
        try store.addSite(Site(id: "MILL-LN", name: "Mill Lane", road: "", latitude: nil, longitude: nil, limit: SpeedLimit(30), scheme: .control, isPilot: false))
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (csv, mapping) = try files(dir)
        let importer = VanCSVImporter(store: store, mapping: try VanMapping.load(path: mapping))
        #expect(try importer.importFile(csv, into: .init(siteID: "HIGH-ST", phase: .before, vanID: "VAN-3")).outcome == .imported(readings: 3))
        let error = try #require(throws: ImportError.self) { try importer.importFile(csv, into: .init(siteID: "MILL-LN", phase: .after, vanID: "VAN-3")) }
        #expect(error.file == csv)
        #expect(error.detail.contains("already imported with site HIGH-ST, phase before, not site MILL-LN, phase after"), "\(error)")
        #expect(throws: ImportError.self) { try importer.importFile(csv, into: .init(siteID: "HIGH-ST", phase: .before, mode: .displayOn, vanID: "VAN-3")) }
        #expect(try store.sessions(siteID: "MILL-LN").isEmpty)
        #expect(try store.sessions(siteID: "HIGH-ST").map(\.phase) == [.before])
        #expect(try importer.importFile(csv, into: .init(siteID: "HIGH-ST", phase: .before, vanID: "VAN-3")).outcome == .alreadyImported)
    }

    @Test("a CSV without a mapped column is refused naming the column; the store is unchanged")
    func missingColumn() throws {
        let store = try Fixtures.store()
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (csv, mapping) = try files(dir, csv: "Date,Time,Dir\n02/03/2026,08:00:01,N\n")
        let importer = VanCSVImporter(store: store, mapping: try VanMapping.load(path: mapping))
        let error = try #require(throws: ImportError.self) { try importer.importFile(csv, into: .init(siteID: "HIGH-ST", phase: .after, vanID: "V")) }
        #expect(error.line == 1 && error.field == "Speed (mph)")
        #expect(error.description.contains("missing column 'Speed (mph)'"))
        #expect(try store.readingCount() == 0)
    }

    @Test("a mapping with an unknown key or a bad unit is refused naming the field")
    func badMapping() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, mapping) = try files(dir, mapping: Self.mappingText.replacingOccurrences(of: "speed_unit = \"mph\"", with: "speed_unit = \"knots\""))
        let error = try #require(throws: ImportError.self) { try VanMapping.load(path: mapping) }
        #expect(error.field == "speed_unit")
    }

    @Test(
        "a binned mapping with an unknown time zone, unit or a long delimiter is refused naming the field",
        arguments: [("time_zone = \"Mars/Base\"", "time_zone"), ("speed_unit = \"knots\"", "speed_unit"), ("delimiter = \";;\"", "delimiter")])
    func badBinnedMapping(line: String, field: String) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let mapping = dir.appendingPathComponent("bins.toml")
        let text = Fixtures.binnedMapping
        let lines = text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix(field) }
        try ([line] + lines).joined(separator: "\n").write(to: mapping, atomically: true, encoding: .utf8)
        let error = try #require(throws: ImportError.self) { try BinnedImporter.Mapping.load(path: mapping.path) }
        #expect(error.field == field && error.file == mapping.path, "\(error)")
    }

    @Test("binned export: stored apart, counted once, a bad row refuses the file naming line and column")
    func binned() throws {
        let store = try Fixtures.store()
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let mapping = dir.appendingPathComponent("bins.toml")
        try Fixtures.binnedMapping.write(to: mapping, atomically: true, encoding: .utf8)
        let good = dir.appendingPathComponent("bins.csv"), bad = dir.appendingPathComponent("bad.csv")
        try "From,To,Low,High,Count\n2026-03-02 00:00,2026-03-03 00:00,15,20,12\n2026-03-02 00:00,2026-03-03 00:00,20,25,40\n".write(to: good, atomically: true, encoding: .utf8)
        try "From,To,Low,High,Count\n2026-03-02 00:00,2026-03-03 00:00,15,20,12\n2026-03-02 00:00,2026-03-03 00:00,25,20,4\n".write(to: bad, atomically: true, encoding: .utf8)
        let importer = BinnedImporter(store: store, mapping: try BinnedImporter.Mapping.load(path: mapping.path))
        #expect(try importer.importFile(good.path, siteID: "HIGH-ST", phase: .before) == .imported(readings: 52))
        #expect(try importer.importFile(good.path, siteID: "HIGH-ST", phase: .before) == .alreadyImported)
        let error = try #require(throws: ImportError.self) { try importer.importFile(bad.path, siteID: "HIGH-ST", phase: .before) }
        #expect(error.line == 3 && error.field == "High")
        #expect(try store.binnedCounts(siteID: "HIGH-ST").count == 2)
        // The same file for the after phase is another import.
        #expect(try importer.importFile(good.path, siteID: "HIGH-ST", phase: .after) == .imported(readings: 52))
        #expect(try store.binnedCounts(siteID: "HIGH-ST").count == 4)
        #expect(try store.readingCount() == 0)
    }
}
