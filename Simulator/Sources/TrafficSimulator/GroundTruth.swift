import Foundation
import SpeedDomain

/// What really happened in a simulation: every road user, its true speed, and
/// when its return was strong enough to be seen. Kept beside the edges so the
/// detector can be scored against it.
public struct GroundTruth: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var user: RoadUser
        /// Monotonic time (the edges' clock) at which it was level with the sensor, ns.
        public var passMonotonicNs: UInt64
        /// Monotonic span during which its return was at least half the comparator's hysteresis
        /// (`Visibility.threshold`: with noise, enough to toggle it); nil if never.
        public var visibleFromNs: UInt64?
        public var visibleToNs: UInt64?
        /// Largest return amplitude relative to the hysteresis.
        public var peakAmplitude: Double
        /// Seconds during which it was the dominant return (above the hysteresis and at
        /// least twice any other): the time a single comparator could have followed it.
        public var dominantSeconds: Double
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The road users level with the sensor at or before `ns` (the edges' monotonic
    /// clock): all a run stopped at that time could have measured.
    public func passed(byNs ns: UInt64) -> GroundTruth {
        GroundTruth(entries: entries.filter { $0.passMonotonicNs <= ns })
    }

    /// The ground truth as CSV, one road user per line, for a person or a script to read.
    public func csv() -> String {
        var lines = ["id,kind,direction,speed_mph,pass_ns,lateral_m,in_platoon,visible_from_ns,visible_to_ns,peak_amplitude,dominant_s"]
        for entry in entries {
            let user = entry.user
            lines.append(
                [
                    String(user.id), user.kind.rawValue, user.direction.rawValue, String(format: "%.4f", user.speedMph),
                    String(entry.passMonotonicNs), String(format: "%.2f", user.lateralOffsetMetres), user.inPlatoon ? "1" : "0",
                    entry.visibleFromNs.map(String.init) ?? "", entry.visibleToNs.map(String.init) ?? "",
                    String(format: "%.3f", entry.peakAmplitude), String(format: "%.3f", entry.dominantSeconds),
                ].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
