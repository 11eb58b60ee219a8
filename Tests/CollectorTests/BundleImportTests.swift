import Collector
import CollectorStore
import Foundation
import SessionBundle
import SpeedDomain
import SpeedStatistics
import Testing

@Suite("Bundle import")
struct BundleImportTests {
    @Test("a bundle imports once; the same bundle again counts once")
    func idempotent() throws {
        let store = try Fixtures.store()
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try Fixtures.write(Fixtures.bundle(id: "S-1", speeds: [18, 21.5, 25, 19]), in: dir)
        let importer = BundleImporter(store: store)
        let first = try importer.importFiles([path])
        #expect(first[0].outcome == .success(.imported(readings: 4)))
        let second = try importer.importFiles([path])
        #expect(second[0].outcome == .success(.alreadyImported))
        #expect(try store.readingCount() == 4)
        #expect(try store.sessions(siteID: "HIGH-ST").count == 1)
    }

    @Test("a changed bundle with a stored session id is refused, the store unchanged")
    func conflicting() throws {
        let store = try Fixtures.store()
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let importer = BundleImporter(store: store)
        _ = try importer.importFiles([try Fixtures.write(Fixtures.bundle(id: "S-1", speeds: [18, 21.5]), in: dir)])
        let changed = try Fixtures.write(Fixtures.bundle(id: "S-1", speeds: [18, 21.5, 40]), name: "changed.swb", in: dir)
        let result = try importer.importFiles([changed])
        guard case .failure(let error) = result[0].outcome else { Issue.record("accepted a conflicting bundle"); return }
        #expect(error.detail.contains("already imported with different content"))
        #expect(try store.readingCount() == 2)
    }

    @Test("bad signature, truncation, impossible speed, unknown site: each refused with its place; nothing stored")
    func refusals() throws {
        let store = try Fixtures.store()
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let forged = try Fixtures.write(Fixtures.bundle(id: "F", speeds: [20]), key: Fixtures.strangerKey(), in: dir)
        let good = try Fixtures.write(Fixtures.bundle(id: "T", speeds: [20, 22, 24]), in: dir)
        let truncated = dir.appendingPathComponent("truncated.swb").path
        try Data(try Data(contentsOf: URL(fileURLWithPath: good)).prefix(500)).write(to: URL(fileURLWithPath: truncated))
        let fast = try Fixtures.write(Fixtures.bundle(id: "X", speeds: [20, 400]), in: dir)
        let negative = try Fixtures.write(Fixtures.bundle(id: "N", speeds: [-3]), in: dir)
        var elsewhere = Fixtures.bundle(id: "E", speeds: [20])
        elsewhere.session.siteID = "NOWHERE"
        let unknownSite = try Fixtures.write(elsewhere, in: dir)

        let results = try BundleImporter(store: store).importFiles([forged, truncated, fast, negative, unknownSite])
        let errors = results.map { r -> ImportError? in if case .failure(let e) = r.outcome { return e } else { return nil } }
        #expect(errors.allSatisfy { $0 != nil })
        #expect(errors[0]!.detail.contains("signature does not verify"))
        #expect(errors[1]!.detail.contains("truncated"))
        #expect(errors[2]!.line == 5 && errors[2]!.field == "speed_mps" && errors[2]!.detail.contains("400"))
        #expect(errors[3]!.line == 4 && errors[3]!.field == "speed_mps")
        #expect(errors[4]!.field == "site_id")
        #expect(errors[1]!.description.hasPrefix(truncated))
        #expect(try store.readingCount() == 0)
        #expect(try store.sessions(siteID: "HIGH-ST").isEmpty)
    }

    @Test("aggregates: histogram and hour cells match the readings; wall time from the clock mapping")
    func aggregates() throws {
        let store = try Fixtures.store()
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // 720 readings 10 s apart from 08:00: two clock hours.
        let speeds = (0..<720).map { 15 + Double($0 % 17) * 0.75 }
        _ = try BundleImporter(store: store).importFiles([try Fixtures.write(Fixtures.bundle(id: "A", speeds: speeds, gapSeconds: 10), in: dir)])
        let agg = try #require(try store.aggregates(siteID: "HIGH-ST", minimumHeadwaySeconds: nil).first)
        #expect(agg.histogram == SpeedHistogram(values: speeds))
        #expect(agg.hours.map(\.count) == [360, 360])
        #expect(agg.hours[0].hourUTC == (Fixtures.monday / 3_600_000_000_000) + 8)
        #expect(agg.hours.map(\.compliant).reduce(0, +) == speeds.filter { $0 <= 20 }.count)
        #expect(agg.hours.map(\.overThreshold).reduce(0, +) == speeds.filter { $0 >= 24 }.count)
    }

    @Test("free-flow filter keeps vehicles with at least the gap to the one in front")
    func freeFlow() throws {
        let store = try Fixtures.store()
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try BundleImporter(store: store).importFiles([try Fixtures.write(Fixtures.bundle(id: "A", speeds: [20, 21, 22, 23], gapSeconds: 3), in: dir)])
        let all = try store.aggregates(siteID: "HIGH-ST", minimumHeadwaySeconds: nil)[0]
        #expect(all.histogram.count == 4)
        // Headways: none (kept), 3, 3, 3 s.
        #expect(try store.aggregates(siteID: "HIGH-ST", minimumHeadwaySeconds: 3)[0].histogram.count == 4)
        #expect(try store.aggregates(siteID: "HIGH-ST", minimumHeadwaySeconds: 4)[0].histogram.count == 1)
    }
}

@Suite("Sites registry")
struct SiteRegistryTests {
    @Test("add, list, show; a duplicate id and impossible fields are refused naming the field")
    func registry() throws {
        let store = try SQLiteCollectorStore()
        let registry = SiteRegistry(store: store)
        try registry.add(Fixtures.highStreet)
        let control = Site(id: "RING-RD", name: "Ring Road", road: "A40", limit: SpeedLimit(50, .kmh), scheme: .control, isPilot: false)
        try registry.add(control)
        #expect(try registry.list().map(\.id) == ["HIGH-ST", "RING-RD"])
        #expect(try registry.show(id: "RING-RD").site == control)
        let duplicate = try #require(throws: ImportError.self) { try registry.add(Fixtures.highStreet) }
        #expect(duplicate.detail.contains("already registered"))
        var far = Fixtures.highStreet
        far.id = "FAR"
        far.latitude = 123
        #expect(try #require(throws: ImportError.self) { try registry.add(far) }.field == "latitude")
        var pilotControl = control
        pilotControl.id = "PC"
        pilotControl.isPilot = true
        #expect(try #require(throws: ImportError.self) { try registry.add(pilotControl) }.field == "pilot")
        #expect(throws: ImportError.self) { try registry.show(id: "NOPE") }
        #expect(try registry.list().count == 2)
    }
}
