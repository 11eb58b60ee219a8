import Foundation
public import EdgeSources
public import GPIOEdges
public import SpeedDomain
import TrafficSimulator

/// Where a run's edges come from.
public enum Backend: Sendable {
    /// The simulator, running a scenario (a bundled name or a file path) as
    /// it is in an evaluation phase (`Scenario.inPhase(_:)`).
    case simulator(scenario: String, phase: Phase = .before, realTime: Bool)
    /// A recorded capture file.
    case replay(path: String)
    /// Real pins through libgpiod, as the configuration's `[gpio]` table names them.
    case gpio(GPIOSettings, kind: SensorKind)

    /// Makes the edge source, checking its input first.
    /// - Throws: `ConfigurationError` for a bad scenario, `CaptureError` for a bad capture, `GPIOError`
    ///   for pins that cannot be read (no chip, line busy, permission), naming the place.
    public func makeSource() throws -> any EdgeSource {
        switch self {
        case .simulator(let name, let phase, let realTime):
            return SimulatedEdgeSource(scenario: try Scenario.resolve(name).inPhase(phase), realTime: realTime)
        case .replay(let path):
            return try ReplayEdgeSource(path: path)
        case .gpio(let settings, let kind):
            return try GPIOEdgeSource(settings: settings, kind: kind)
        }
    }
}

/// Times for a new session: monotonic and wall clock now, and which clock vouches for the wall time.
public enum SessionClock {
    /// A clock mapping anchored now, from the system clocks.
    public static func now(source: ClockSource) -> ClockMapping {
        var monotonic = timespec()
        clock_gettime(CLOCK_MONOTONIC, &monotonic)
        let wall = Date().timeIntervalSince1970
        return ClockMapping(
            monotonicAnchorNs: UInt64(monotonic.tv_sec) * 1_000_000_000 + UInt64(monotonic.tv_nsec),
            wallTimeAtAnchorNs: Int64(wall * 1e9), source: source)
    }

    /// A mapping for edges whose clock starts at `firstEdgeNs` (a simulation or a replay), anchored at `wallStart`.
    public static func anchored(firstEdgeNs: UInt64, wallStart: Date, source: ClockSource) -> ClockMapping {
        ClockMapping(monotonicAnchorNs: firstEdgeNs, wallTimeAtAnchorNs: Int64(wallStart.timeIntervalSince1970 * 1e9), source: source)
    }
}
