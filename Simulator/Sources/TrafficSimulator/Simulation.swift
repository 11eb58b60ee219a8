public import SpeedDomain

/// A running simulation of one scenario: produces edges chunk by chunk, as a
/// real pin would deliver them, and the ground truth once it has finished.
public struct Simulation: Sendable {
    public let scenario: Scenario
    public let users: [RoadUser]
    /// Monotonic time of simulated t = 0, ns (a device that booted 5 s earlier).
    public let clockOffsetNs: UInt64 = 5_000_000_000
    private var engine: Engine
    private var finished = false

    private enum Engine: Sendable {
        case doppler(DopplerSensorModel)
        case timeOfFlight(pending: [Edge], next: Int, visibility: [Int: Visibility])
    }

    public init(scenario: Scenario) {
        self.scenario = scenario
        let users = TrafficGenerator(scenario: scenario).generate()
        self.users = users
        switch scenario.sensorKind {
        case .doppler, .dopplerQuadrature:
            engine = .doppler(DopplerSensorModel(scenario: scenario, users: users, clockOffsetNs: 5_000_000_000))
        case .timeOfFlight:
            let model = TimeOfFlightSensorModel(scenario: scenario, users: users, clockOffsetNs: 5_000_000_000)
            let (edges, visibility) = model.edges()
            engine = .timeOfFlight(pending: edges, next: 0, visibility: visibility)
        }
    }

    public var sensor: SensorDescription { scenario.sensorDescription }

    /// Simulated duration, ns.
    public var durationNs: UInt64 { UInt64(scenario.durationSeconds * 1e9) }

    /// The next chunk of edges covering up to `chunkNs` of simulated time, or nil when the scenario is over.
    public mutating func nextChunk(chunkNs: UInt64 = 100_000_000) -> [Edge]? {
        guard !finished else { return nil }
        var edges: [Edge] = []
        switch engine {
        case .doppler(var model):
            let end = min(model.nowNs + chunkNs, durationNs)
            model.run(untilNs: end, into: &edges)
            finished = end >= durationNs
            engine = .doppler(model)
        case .timeOfFlight(let pending, var next, let visibility):
            let end = (pending.indices.contains(next) ? pending[next].timestampNs : clockOffsetNs + durationNs) + chunkNs
            while next < pending.count, pending[next].timestampNs < end {
                edges.append(pending[next])
                next += 1
            }
            finished = next >= pending.count
            engine = .timeOfFlight(pending: pending, next: next, visibility: visibility)
        }
        return edges
    }

    /// Runs the whole scenario and returns every edge (tests and benchmarks).
    public mutating func allEdges() -> [Edge] {
        var all: [Edge] = []
        while let chunk = nextChunk(chunkNs: 1_000_000_000) { all += chunk }
        return all
    }

    /// The ground truth: complete once the simulation has run to the end.
    public var groundTruth: GroundTruth {
        let visibility: [Int: Visibility]
        switch engine {
        case .doppler(let model): visibility = model.visibility
        case .timeOfFlight(_, _, let seen): visibility = seen
        }
        return GroundTruth(
            entries: users.map { user in
                let seen = visibility[user.id]
                return GroundTruth.Entry(
                    user: user, passMonotonicNs: clockOffsetNs + user.passNs,
                    visibleFromNs: seen?.fromNs, visibleToNs: seen?.toNs, peakAmplitude: seen?.peakAmplitude ?? 0,
                    dominantSeconds: seen?.dominantSeconds ?? 0)
            })
    }
}
