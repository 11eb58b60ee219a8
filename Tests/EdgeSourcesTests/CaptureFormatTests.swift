import EdgeSources
import Foundation
import SpeedDomain
import Testing

@Suite("Replay capture format")
struct CaptureFormatTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sid-capture-\(UUID().uuidString)-\(name)").path
    }

    func read(_ text: String) throws -> [Edge] {
        try CaptureReader(.bytes(Array(text.utf8), name: "test.edges")).readAll().edges
    }

    func failure(_ text: String) -> CaptureError? {
        do {
            _ = try CaptureReader(.bytes(Array(text.utf8), name: "test.edges")).validate()
            return nil
        } catch {
            return error as? CaptureError
        }
    }

    let header = "# sid-edge-capture 1\nsensor: doppler\ncarrier-hz: 10525000000\npins: GPIO17\nclock: CLOCK_MONOTONIC\n---\n"

    @Test("what the writer writes, the reader reads back exactly", arguments: [
        SensorDescription(kind: .doppler(carrierHz: 10.525e9), pins: ["GPIO17"]),
        SensorDescription(kind: .dopplerQuadrature(carrierHz: 24.125e9), pins: ["I", "Q"]),
        SensorDescription(kind: .timeOfFlight(spacingMetres: 1.5), pins: ["A", "B"]),
    ])
    func roundTrip(sensor: SensorDescription) throws {
        var random = SystemRandomNumberGenerator()
        var t: UInt64 = 123_456_789
        let edges = (0..<250_000).map { _ -> Edge in
            t += UInt64.random(in: 1...2_000_000, using: &random)
            return Edge(timestampNs: t, channel: UInt8(sensor.pins.count == 1 ? 0 : Int.random(in: 0...1, using: &random)))
        }
        let path = temporaryPath("roundtrip.edges")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try CaptureWriter(path: path, sensor: sensor, comments: ["test"])
        try writer.append(Array(edges[..<1000]))
        try writer.append(Array(edges[1000...]))
        try writer.finish()
        // Larger than one read chunk, so lines cross chunk boundaries.
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int > 1 << 20)
        let back = try CaptureReader(path: path, batchSize: 777).readAll()
        #expect(back.sensor == sensor)
        #expect(back.edges == edges)
    }

    @Test("blank lines, comments and CRLF line ends are accepted")
    func lenient() throws {
        #expect(try read(header + "100\r\n\n# note\n200 GPIO17\n") == [Edge(timestampNs: 100), Edge(timestampNs: 200)])
    }

    @Test("a malformed line is refused, naming its line")
    func malformed() {
        let error = failure(header + "100\n2x0\n")
        #expect(error?.code == .malformedEdge)
        #expect(error?.line == 8)
        #expect(error?.description.hasPrefix("test.edges:8:") == true)
    }

    @Test("timestamps going backwards are refused, naming the line")
    func backwards() {
        let error = failure(header + "100\n300\n200\n")
        #expect(error?.code == .timestampWentBackwards)
        #expect(error?.line == 9)
    }

    @Test("an unknown sensor kind is refused, naming the header line")
    func unknownKind() {
        let error = failure("# sid-edge-capture 1\nsensor: lidar\npins: A\n---\n100\n")
        #expect(error?.code == .unknownSensorKind)
        #expect(error?.line == 2)
    }

    @Test("a carrier or spacing no real sensor has is refused, naming the header line")
    func impossibleSensorParameter() {
        let carrier = failure("# sid-edge-capture 1\nsensor: doppler\ncarrier-hz: 1000\npins: A\n---\n100\n")
        #expect(carrier?.code == .badField)
        #expect(carrier?.description.hasPrefix("test.edges:3: 'carrier-hz' must be a radar carrier") == true, "\(String(describing: carrier))")
        let spacing = failure("# sid-edge-capture 1\nsensor: time-of-flight\npins: A B\nspacing-m: 0.05\n---\n")
        #expect(spacing?.line == 4)
    }

    @Test("other bad headers and pins are refused clearly")
    func otherErrors() {
        #expect(failure("hello\n")?.code == .missingHeader)
        #expect(failure("# sid-edge-capture 9\n")?.code == .unknownVersion)
        #expect(failure("# sid-edge-capture 1\nsensor: doppler\npins: A\n---\n")?.code == .missingField)
        #expect(failure("# sid-edge-capture 1\nsensor: doppler-iq\ncarrier-hz: 1e10\npins: I\n---\n")?.code == .badField)
        #expect(failure("# sid-edge-capture 1\nsensor: doppler-iq\ncarrier-hz: 1e10\npins: I Q\n---\n100 X\n")?.code == .unknownChannel)
        #expect(failure(header + "100\n")?.code == nil)
        #expect(failure("# sid-edge-capture 1\nsensor: doppler\ncarrier-hz: 1e10\npins: A\n")?.code == .missingHeader)
    }

    @Test("a replay source refuses a bad file before delivering anything")
    func replayValidatesFirst() throws {
        let path = temporaryPath("bad.edges")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try (header + "100\n200\n" + String(repeating: "300\n", count: 10_000) + "250\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: CaptureError.self) { _ = try ReplayEdgeSource(path: path) }
    }

    @Test("a replay source delivers every edge in order")
    func replayDelivers() async throws {
        let path = temporaryPath("good.edges")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = (1...10_000).map { String($0 * 1000) }.joined(separator: "\n")
        try (header + lines + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let source = try ReplayEdgeSource(path: path, batchSize: 300)
        #expect(source.edgeCount == 10_000)
        var all: [Edge] = []
        for try await batch in source.batches() { all += batch.edges }
        #expect(all.map(\.timestampNs) == (1...10_000).map { UInt64($0 * 1000) })
    }

    @Test("an unfinished capture never appears under its final name")
    func atomicWrite() throws {
        let path = temporaryPath("partial.edges")
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: path + ".partial")
        }
        let writer = try CaptureWriter(path: path, sensor: SensorDescription(kind: .doppler(carrierHz: 1e10), pins: ["A"]))
        try writer.append([Edge(timestampNs: 5)])
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(throws: CaptureError.self) { try writer.append([Edge(timestampNs: 4)]) }
        try writer.finish()
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
