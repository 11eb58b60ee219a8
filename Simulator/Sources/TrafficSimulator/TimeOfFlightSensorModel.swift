import SpeedDomain

/// Two detectors a known distance apart across the road (pressure tubes,
/// light beams or loops): detector A at the sensor, detector B `spacing`
/// metres further along the approaching traffic's path. Each fires once per
/// axle (tubes) or once per vehicle (beams), with timing jitter, an occasional
/// missed trigger, and spurious triggers.
struct TimeOfFlightSensorModel {
    let scenario: Scenario
    let users: [RoadUser]
    let clockOffsetNs: UInt64

    /// Chance that a detector misses one trigger.
    static let missProbability = 0.002

    /// Every edge of the whole scenario, in time order, and each user's visibility.
    func edges() -> (edges: [Edge], visibility: [Int: Visibility]) {
        var random = SeededRandom(seed: scenario.seed ^ 0x70F)
        let spacing = scenario.sensor.spacingMetres ?? 2
        let jitterNs = (scenario.sensor.timingJitterMicroseconds ?? 50) * 1000
        let perAxle = scenario.sensor.perAxle ?? true
        var edges: [Edge] = []
        var visibility: [Int: Visibility] = [:]
        for user in users where user.kind != .pedestrian {
            let metresPerSecond = user.speed.metresPerSecond
            let offsets = perAxle ? user.kind.axleOffsets : [0]
            // Approaching traffic crosses A then B; receding traffic B then A.
            let bDelay = (user.direction == .approaching ? 1.0 : -1.0) * spacing / metresPerSecond
            for offset in offsets {
                let front = Double(user.passNs) + offset / metresPerSecond * 1e9
                for (channel, at) in [(UInt8(0), front), (UInt8(1), front + bDelay * 1e9)] {
                    guard random.unit() >= Self.missProbability else { continue }
                    let t = max(0, at + random.normal() * jitterNs)
                    let ns = clockOffsetNs + UInt64(t)
                    edges.append(Edge(timestampNs: ns, channel: channel))
                    visibility[user.id, default: Visibility()].see(at: ns, amplitude: 1)
                    visibility[user.id, default: Visibility()].dominantSeconds = 1
                }
            }
        }
        let spuriousPerSecond = (scenario.sensor.spuriousPerHour ?? 2) / 3600
        if spuriousPerSecond > 0 {
            for channel in [UInt8(0), 1] {
                var t = random.exponential(mean: 1 / spuriousPerSecond)
                while t < scenario.durationSeconds {
                    edges.append(Edge(timestampNs: clockOffsetNs + UInt64(t * 1e9), channel: channel))
                    t += random.exponential(mean: 1 / spuriousPerSecond)
                }
            }
        }
        edges.sort { ($0.timestampNs, $0.channel) < ($1.timestampNs, $1.channel) }
        return (edges, visibility)
    }
}
