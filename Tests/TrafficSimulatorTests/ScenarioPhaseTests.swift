import SpeedDomain
import Testing
import TOMLSupport
import TrafficSimulator

/// A scenario's evaluation phases: a 20mph pilot street measured before,
/// during and after the change, each phase with its own limit, speeds and days.
@Suite("Scenario phases")
struct ScenarioPhaseTests {
    /// `shortScenario` (limit 30, mean 30 mph, sd 4) with an "after" phase under a 20 limit.
    static let pilot = shortScenario(seconds: 3600, flow: 600) + """

        [phase.after]
        seed = 77
        limit-mph = 20
        flow-per-hour = 500

        [phase.after.speed-mph]
        mean = 24
        sd = 3
        """

    @Test("a phase replaces the seed, limit, flow and speeds it gives; a phase not given is the scenario itself")
    func overrides() throws {
        let scenario = try Scenario.parse(Self.pilot)
        let after = scenario.inPhase(.after)
        #expect(after.seed == 77 && after.limitMph == 20 && after.traffic.flowPerHour == 500)
        #expect(after.traffic.speedMph == Scenario.SpeedDistribution(mean: 24, sd: 3))
        #expect(after.sensor == scenario.sensor && after.durationSeconds == scenario.durationSeconds)
        #expect(scenario.inPhase(.before) == scenario)
        #expect(scenario.inPhase(.intervention) == scenario)
    }

    @Test("the simulated traffic follows the phase's speeds")
    func trafficFollowsPhase() throws {
        let scenario = try Scenario.parse(Self.pilot)
        func meanSpeed(_ phase: Phase) -> Double {
            let speeds = Simulation(scenario: scenario.inPhase(phase)).users.filter(\.kind.isMotorVehicle).map(\.speedMph)
            return speeds.reduce(0, +) / Double(speeds.count)
        }
        // About 500–600 vehicles an hour: the sample mean lies within about 0.3 mph of
        // the distribution's (followers a little slower than their leaders).
        let (before, after) = (meanSpeed(.before), meanSpeed(.after))
        #expect(abs(before - 30) < 1.0, "before \(before)")
        #expect(abs(after - 24) < 1.0, "after \(after)")
        #expect(Simulation(scenario: scenario.inPhase(.after)).users.map(\.passNs) != Simulation(scenario: scenario).users.map(\.passNs))
    }

    @Test(
        "a phase that is not one, or a bad value in a phase, is refused naming its field",
        arguments: [
            ("[phase.later]\nseed = 3", "phase.later"),
            ("[phase.after]\nlimit-mph = 200", "phase.after.limit-mph"),
            ("[phase.after]\nflow-per-hour = -5", "phase.after.flow-per-hour"),
            ("[phase.after.speed-mph]\nmean = 200\nsd = 3", "phase.after.speed-mph.mean"),
            ("[phase.after]\nspeed-limit = 20", "phase.after.speed-limit"),
        ])
    func refused(table: String, field: String) {
        #expect {
            _ = try Scenario.parse(shortScenario() + "\n" + table + "\n", file: "pilot.toml")
        } throws: { error in
            (error as? ConfigurationError)?.field == field && (error as? ConfigurationError)?.file == "pilot.toml"
        }
    }
}
