import DeviceRuntime
import DeviceStore
import EdgeSources
import Foundation
import Logging
import SpeedDomain
import Testing
import TOMLSupport
import TrafficSimulator
import VehicleDetection

let shortStreet = """
    name = "runtime-test"
    description = "short street for runtime tests"
    seed = 77
    duration-s = 90
    limit-mph = 20
    [sensor]
    kind = "doppler"
    carrier-hz = 10525000000
    mounting-angle-deg = 10
    beam-width-deg = 36
    height-m = 0.8
    car-range-m = 45
    noise = 0.45
    flicker = 0.0
    wheel-tops = 0.25
    dropouts-per-minute = 2
    [traffic]
    flow-per-hour = 200
    approaching-share = 0.5
    platoon-share = 0.1
    near-lane-m = 2.0
    far-lane-m = 5.0
    cyclists-per-hour = 0
    pedestrians-per-hour = 0
    [traffic.speed-mph]
    mean = 23
    sd = 3
    [traffic.mix]
    car = 1
    van = 0
    hgv = 0
    """

@Suite("Measuring session")
struct MeasuringSessionTests {
    func newSession(site: String = "TEST-SITE") -> Session {
        let clock = ClockMapping(monotonicAnchorNs: 5_000_000_000, wallTimeAtAnchorNs: 1_790_000_000_000_000_000, source: .simulated)
        return Session(id: UUID().uuidString, siteID: site, deviceID: "test-device", phase: .before, mode: .covert, clock: clock, startedAtNs: clock.wallTimeAtAnchorNs)
    }

    @Test("every reading the detector makes is stored once, and the session is closed")
    func pipelineStoresEverything() async throws {
        let scenario = try Scenario.parse(shortStreet)
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
