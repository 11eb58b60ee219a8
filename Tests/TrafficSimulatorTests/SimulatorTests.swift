import Foundation
import ScenarioFixtures
import SpeedDomain
import Testing
import TOMLSupport
import TrafficSimulator
import VehicleDetection

/// A short scenario, small enough for a debug build, with cyclists and pedestrians (see `ShortStreet`).
func shortScenario(kind: String = "doppler", seed: UInt64 = 5, seconds: Double = 150, flow: Double = 160, extra: String = "") -> String {
    var street = ShortStreet()
    street.kind = kind
    street.seed = seed
    street.seconds = seconds
    street.flowPerHour = flow
    street.sensorExtra = extra
    street.cyclistsPerHour = 10
    street.pedestriansPerHour = 20
    street.speedMinMph = 15
    street.mix = (car: 0.9, van: 0.1, hgv: 0)
    return street.toml
}

@Suite("Simulator")
struct SimulatorTests {
    @Test("the same seed gives the same edges and truth; another seed does not")
    func determinism() throws {
        let scenario = try Scenario.parse(shortScenario(seconds: 40))
        var a = Simulation(scenario: scenario)
        var b = Simulation(scenario: scenario)
        let edgesA = a.allEdges()
        #expect(!edgesA.isEmpty)
        #expect(edgesA == b.allEdges())
        #expect(a.groundTruth == b.groundTruth)
        var other = Simulation(scenario: try Scenario.parse(shortScenario(seed: 6, seconds: 40)))
        #expect(other.allEdges() != edgesA)
    }

    @Test("edges come in time order, on the sensor's channels")
    func ordered() throws {
        var simulation = Simulation(scenario: try Scenario.parse(shortScenario(kind: "doppler-iq", seconds: 30)))
        let edges = simulation.allEdges()
        #expect(zip(edges, edges.dropFirst()).allSatisfy { $0.timestampNs <= $1.timestampNs })
        #expect(Set(edges.map(\.channel)) == [0, 1])
    }

    @Test("the detector finds the simulated vehicles at their true speeds", arguments: ["doppler", "time-of-flight"])
    func detectsSimulatedTraffic(kind: String) throws {
        let scenario = try Scenario.parse(shortScenario(kind: kind))
        var simulation = Simulation(scenario: scenario)
        let edges = simulation.allEdges()
        var detector = try VehicleDetector(sensor: scenario.sensorKind, settings: DetectorSettings(mountingAngleDegrees: scenario.sensor.mountingAngleDegrees))
        var readings: [Reading] = []
        detector.process(EdgeBatch(edges: edges), into: &readings)
        detector.finish(into: &readings)
        let score = DetectionScore(readings: readings, truth: simulation.groundTruth, floorMph: 10)
        #expect(score.vehicles >= 3)
        #expect(score.detectedPercent >= 75, "\(score)")
        #expect(score.p95AbsoluteErrorMph <= 1.5, "\(score)")
        // Each reading and each road user is in at most one pair, and every detection is a pair.
        #expect(Set(score.pairs.map(\.reading)).count == score.pairs.count)
        #expect(Set(score.pairs.map(\.id)).count == score.pairs.count)
        #expect(score.pairs.count >= score.detected && score.pairs.count <= readings.count)
    }

    @Test("car following: no vehicle in a lane runs into the rear of the one in front")
    func carFollowing() throws {
        let scenario = try Scenario.parse(shortScenario(seconds: 600, flow: 900))
        let users = Simulation(scenario: scenario).users.filter(\.kind.isMotorVehicle)
        for direction in [Direction.approaching, .receding] {
            let lane = users.filter { $0.direction == direction }.sorted { $0.passNs < $1.passNs }
            for (leader, follower) in zip(lane, lane.dropFirst()) {
                // At least 0.9 s of clear road behind the leader's rear bumper.
                let clearNs = Double(follower.passNs - leader.passNs) - leader.kind.lengthMetres / leader.speed.metresPerSecond * 1e9
                #expect(clearNs >= 850_000_000, "\(leader.kind) then \(follower.kind): \(clearNs / 1e9) s clear")
                if follower.passNs - leader.passNs < 4_000_000_000 { #expect(follower.speedMph <= leader.speedMph) }
            }
        }
    }

    @Test("bad scenario values are refused, naming the field")
    func validation() {
        func field(_ text: String) -> String? {
            do {
                _ = try Scenario.parse(text, file: "bad.toml")
                return nil
            } catch {
                return error.field
            }
        }
        #expect(field(shortScenario().replacingOccurrences(of: "kind = \"doppler\"", with: "kind = \"sonar\"")) == "sensor.kind")
        #expect(field(shortScenario().replacingOccurrences(of: "duration-s = 150.0", with: "duration-s = -1")) == "duration-s")
        #expect(field(shortScenario().replacingOccurrences(of: "mean = 30.0", with: "mean = \"thirty\"")) == "traffic.speed-mph.mean")
        #expect(field(shortScenario(extra: "beam-colour = 3")) == "sensor.beam-colour")
    }

    @Test("each sensor kind takes only its own settings, and needs all of them")
    func settingsBelongToTheirKind() throws {
        func error(_ text: String) -> ConfigurationError? {
            do {
                _ = try Scenario.parse(text, file: "kind.toml")
                return nil
            } catch {
                return error
            }
        }
        // Time of flight: no Doppler settings are needed, and one given is refused by name.
        let tubes = try Scenario.parse(shortScenario(kind: "time-of-flight"))
        #expect(tubes.sensor.spacingMetres == 2 && tubes.sensor.noise == 0)
        let stray = error(shortScenario(kind: "time-of-flight", extra: "noise = 0.3"))
        #expect(stray?.field == "sensor.noise")
        #expect(stray?.description.contains("applies to Doppler sensors only") == true, "\(String(describing: stray))")
        #expect(error(shortScenario(kind: "time-of-flight", extra: "carrier-hz = 10525000000"))?.field == "sensor.carrier-hz")
        // Doppler: a time-of-flight setting is refused, and a missing Doppler one is named.
        let spacing = error(shortScenario(extra: "spacing-m = 2.0"))
        #expect(spacing?.field == "sensor.spacing-m")
        #expect(spacing?.description.contains("applies to time-of-flight sensors only") == true, "\(String(describing: spacing))")
        let missing = error(shortScenario().replacingOccurrences(of: "noise = 0.45\n", with: ""))
        #expect(missing?.field == "sensor.noise" && missing?.detail == "is missing", "\(String(describing: missing))")
    }

    @Test("every bundled scenario loads")
    func bundled() throws {
        let names = Scenario.bundledScenarioNames()
        #expect(names.count >= 2)
        for name in names { _ = try Scenario.resolve(name) }
    }

    @Test("the ground truth CSV has a row per road user")
    func truthCSV() throws {
        var simulation = Simulation(scenario: try Scenario.parse(shortScenario(seconds: 60)))
        _ = simulation.allEdges()
        let lines = simulation.groundTruth.csv().split(separator: "\n")
        #expect(lines.first == "id,kind,direction,speed_mph,pass_ns,lateral_m,in_platoon,visible_from_ns,visible_to_ns,peak_amplitude,dominant_s")
        #expect(lines.count == simulation.users.count + 1)
    }
}
