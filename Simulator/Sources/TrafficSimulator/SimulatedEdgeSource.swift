public import EdgeSources
public import SpeedDomain
import Synchronization

/// The simulator as an `EdgeSource`: the same pipeline that reads a real pin
/// reads the simulated one. Runs as fast as the consumer pulls, or paced to
/// real time when `realTime` is set (a demonstration on a screen).
public final class SimulatedEdgeSource: EdgeSource {
    public let scenario: Scenario
    public let sensor: SensorDescription
    public let realTime: Bool
    private let state: Mutex<Simulation>

    public init(scenario: Scenario, realTime: Bool = false) {
        self.scenario = scenario
        self.sensor = scenario.sensorDescription
        self.realTime = realTime
        self.state = Mutex(Simulation(scenario: scenario))
    }

    /// The ground truth so far (complete once the stream has finished).
    public var groundTruth: GroundTruth { state.withLock { $0.groundTruth } }

    public func batches() -> AsyncThrowingStream<EdgeBatch, any Error> {
        let realTime = self.realTime
        let chunkNs: UInt64 = realTime ? 50_000_000 : 200_000_000
        return AsyncThrowingStream { [self] in
            guard let edges = self.state.withLock({ $0.nextChunk(chunkNs: chunkNs) }) else { return nil }
            if realTime { try await Task.sleep(for: .nanoseconds(Int64(chunkNs))) }
            return EdgeBatch(edges: edges)
        }
    }
}
