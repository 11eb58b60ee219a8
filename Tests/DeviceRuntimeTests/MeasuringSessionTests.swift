import DeviceRuntime
import DeviceStore
import EdgeSources
import Foundation
import Logging
import ScenarioFixtures
import SpeedDomain
import Testing
import TOMLSupport
import TrafficSimulator
import VehicleDetection

/// The short street the runtime tests measure (see `ShortStreet`).
func shortStreet(seconds: Double = 90) -> String {
    var street = ShortStreet()
    street.name = "runtime-test"
    street.description = "short street for runtime tests"
    street.seed = 77
    street.seconds = seconds
    street.limitMph = 20
    street.flowPerHour = 200
    street.speedMeanMph = 23
    street.speedSDMph = 3
    return street.toml
}

@Suite("Measuring session")
struct MeasuringSessionTests {
    func newSession(site: String = "TEST-SITE") -> Session {
        let clock = ClockMapping(monotonicAnchorNs: 5_000_000_000, wallTimeAtAnchorNs: 1_790_000_000_000_000_000, source: .simulated)
        return Session(id: UUID().uuidString, siteID: site, deviceID: "test-device", phase: .before, mode: .covert, clock: clock, startedAtNs: clock.wallTimeAtAnchorNs)
    }

    @Test("every reading the detector makes is stored once, and the session is closed")
    func pipelineStoresEverything() async throws {
        let scenario = try Scenario.parse(shortStreet())
        let settings = DetectorSettings(mountingAngleDegrees: 10)
        // What the detector alone makes of the same edges.
        var simulation = Simulation(scenario: scenario)
        var detector = try VehicleDetector(sensor: scenario.sensorKind, settings: settings)
        var expected: [Reading] = []
        detector.process(EdgeBatch(edges: simulation.allEdges()), into: &expected)
        detector.finish(into: &expected)
        #expect(expected.count >= 2)

        let store = try DeviceStore.inMemory()
        let session = newSession()
        let outcome = try await MeasuringSession(
            source: SimulatedEdgeSource(scenario: scenario), store: store, session: session, limit: SpeedLimit(20),
            detectorSettings: settings, logger: Logger(label: "test")
        ).run()
        #expect(try store.readings(inSession: session.id) == expected)
        #expect(outcome.readings == expected.count)
        #expect(outcome.summary.count == expected.count)
        let stored = try #require(try store.session(id: session.id))
        #expect(!stored.session.isOpen)
        #expect(stored.session.endedAtNs! > stored.session.startedAtNs)
    }

    @Test("a bad capture is refused before any session is opened")
    func badReplayStoresNothing() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).edges").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "# sid-edge-capture 1\nsensor: doppler\ncarrier-hz: 10525000000\npins: A\n---\n100\n50\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: CaptureError.self) { _ = try Backend.replay(path: path).makeSource() }
    }
}

@Suite("Device configuration")
struct DeviceConfigurationTests {
    let good = """
        device-id = "sid-0001"
        store = "/var/lib/sid/sid.sqlite"
        [site]
        id = "HIGH-ST-N"
        limit = 20
        unit = "mph"
        [sensor]
        kind = "doppler"
        carrier-hz = 10525000000
        [detector]
        mounting-angle-deg = 12
        """

    @Test("a complete configuration loads, with detector defaults filled in")
    func loads() throws {
        let configuration = try DeviceConfiguration.parse(good)
        #expect(configuration.site.speedLimit == SpeedLimit(20))
        #expect(configuration.detector.mountingAngleDegrees == 12)
        #expect(configuration.detector.minimumSpeedMph == 10)
        #expect(configuration.sensorKind == .doppler(carrierHz: 10.525e9))
    }

    @Test("bad values are refused, naming the field", arguments: [
        ("unit = \"mph\"", "unit = \"furlongs\"", "site.unit"),
        ("kind = \"doppler\"", "kind = \"sonar\"", "sensor.kind"),
        ("carrier-hz = 10525000000", "carrier-hz = 5", "sensor.carrier-hz"),
        ("mounting-angle-deg = 12", "mounting-angle-deg = 85", "detector.mounting-angle-deg"),
        ("limit = 20", "limit = 20\nlimt = 30", "site.limt"),
    ])
    func refused(find: String, replace: String, field: String) {
        do {
            _ = try DeviceConfiguration.parse(good.replacingOccurrences(of: find, with: replace), file: "device.toml")
            Issue.record("accepted \(replace)")
        } catch {
            #expect(error.field == field)
            #expect(error.description.hasPrefix("device.toml"))
        }
    }
}
