import Foundation
import SpeedDomain

/// Generates the road users of a scenario: Poisson arrivals of motor vehicles
/// in both directions, some leading platoons of close followers, plus cyclists
/// and pedestrians. Only users whose whole passage through the simulated
/// stretch of road fits inside the scenario's duration are kept, so every
/// user in the ground truth was fully simulated.
struct TrafficGenerator {
    let scenario: Scenario
    /// How far before and after the sensor a user is simulated, m.
    static let approachMetres = 220.0
    static let departMetres = 40.0

    func generate() -> [RoadUser] {
        var random = SeededRandom(seed: scenario.seed)
        var trafficRandom = random.fork()
        var walkerRandom = random.fork()
        let traffic = scenario.traffic
        let durationNs = scenario.durationSeconds * 1e9
        var users: [RoadUser] = []

        for direction in [Direction.approaching, .receding] {
            let share = direction == .approaching ? traffic.approachingShare : 1 - traffic.approachingShare
            let rate = traffic.flowPerHour * share / 3600
            guard rate > 0 else { continue }
            var lane: [RoadUser] = []
            var t = trafficRandom.exponential(mean: 1 / rate)
            while t * 1e9 < durationNs {
                lane += platoon(leaderAt: t, direction: direction, random: &trafficRandom)
                t += trafficRandom.exponential(mean: 1 / rate)
            }
            users += Self.carFollowing(lane, random: &trafficRandom)
        }
        users += walkersAndRiders(kind: .cyclist, perHour: traffic.cyclistsPerHour, random: &walkerRandom)
        users += walkersAndRiders(kind: .pedestrian, perHour: traffic.pedestriansPerHour, random: &walkerRandom)

        let kept = users.filter { fitsInside($0, durationNs: durationNs) }.sorted { $0.passNs < $1.passNs }
        return kept.enumerated().map { index, user in
            var numbered = user
            numbered.id = index + 1
            return numbered
        }
    }

    /// Vehicles in one lane cannot pass through each other: each keeps at least
    /// about a second of clear road behind the rear of the one in front (so a
    /// long HGV's follower passes later than a car's), and one that has caught up
    /// within a few seconds is held to its leader's speed, so it joins the platoon.
    static func carFollowing(_ lane: [RoadUser], random: inout SeededRandom) -> [RoadUser] {
        var ordered = lane.sorted { $0.passNs < $1.passNs }
        for index in ordered.indices.dropFirst() {
            let leader = ordered[index - 1]
            var follower = ordered[index]
            let leaderLengthSeconds = leader.kind.lengthMetres / leader.speed.metresPerSecond
            let minimumGapNs = UInt64((leaderLengthSeconds + random.uniform(0.9...1.3)) * 1e9)
            if follower.passNs < leader.passNs + minimumGapNs { follower.passNs = leader.passNs + minimumGapNs }
            if follower.passNs < leader.passNs + 4_000_000_000, follower.speedMph > leader.speedMph {
                follower.speedMph = max(8, leader.speedMph - abs(random.normal(mean: 0, sd: 0.5)))
                follower.inPlatoon = true
            }
            ordered[index] = follower
        }
        return ordered
    }

    /// A leader and, sometimes, its followers.
    private func platoon(leaderAt t: Double, direction: Direction, random: inout SeededRandom) -> [RoadUser] {
        let traffic = scenario.traffic
        let kind = pickVehicleKind(&random)
        let distribution = traffic.speedMph
        var speed = random.normal(mean: distribution.mean, sd: distribution.sd)
        speed = min(max(speed, distribution.min ?? max(8, distribution.mean - 4 * distribution.sd)), distribution.max ?? distribution.mean + 4 * distribution.sd)
        if kind == .hgv { speed = min(speed, distribution.mean + 0.5 * distribution.sd) }
        let lane = direction == .approaching ? traffic.nearLaneMetres : traffic.farLaneMetres
        var group = [vehicle(kind, direction, speed, at: t, lane: lane, random: &random, inPlatoon: false)]
        guard random.unit() < traffic.platoonShare else { return group }
        let followers = 1 + Int(random.unit() * 4)
        var time = t
        var leaderSpeed = speed
        for _ in 0..<followers {
            time += random.uniform(1.2...2.6)
            leaderSpeed = max(8, leaderSpeed - abs(random.normal(mean: 0, sd: 0.6)))
            group.append(vehicle(pickVehicleKind(&random), direction, leaderSpeed, at: time, lane: lane, random: &random, inPlatoon: true))
        }
        return group
    }

    private func vehicle(
        _ kind: RoadUserKind, _ direction: Direction, _ speed: Double, at t: Double, lane: Double,
        random: inout SeededRandom, inPlatoon: Bool
    ) -> RoadUser {
        RoadUser(
            id: 0, kind: kind, direction: direction, speedMph: speed, passNs: UInt64(t * 1e9),
            lateralOffsetMetres: lane + random.normal(mean: 0, sd: 0.25),
            wobbleDepth: 0, wobbleHz: 0, wobblePhase: 0, inPlatoon: inPlatoon)
    }

    private func walkersAndRiders(kind: RoadUserKind, perHour: Double, random: inout SeededRandom) -> [RoadUser] {
        guard perHour > 0 else { return [] }
        var users: [RoadUser] = []
        let rate = perHour / 3600
        var t = random.exponential(mean: 1 / rate)
        while t < scenario.durationSeconds {
            let direction: Direction = random.unit() < 0.5 ? .approaching : .receding
            let speed: Double
            let offset: Double
            let wobble: (depth: Double, hz: Double)
            if kind == .cyclist {
                speed = min(max(random.normal(mean: 12, sd: 3.5), 5), 24)
                offset = direction == .approaching ? scenario.traffic.nearLaneMetres - 0.8 : scenario.traffic.farLaneMetres + 0.8
                wobble = (random.uniform(0.02...0.06), random.uniform(0.8...1.4))
            } else {
                speed = min(max(random.normal(mean: 3.1, sd: 0.5), 1.5), 5)
                // On the footway on the far side of the device from the road.
                offset = -random.uniform(0.8...2.0)
                wobble = (random.uniform(0.15...0.3), random.uniform(1.6...2.2))
            }
            users.append(
                RoadUser(
                    id: 0, kind: kind, direction: direction, speedMph: speed, passNs: UInt64(t * 1e9),
                    lateralOffsetMetres: offset, wobbleDepth: wobble.depth, wobbleHz: wobble.hz,
                    wobblePhase: random.uniform(0...(2 * .pi)), inPlatoon: false))
            t += random.exponential(mean: 1 / rate)
        }
        return users
    }

    private func pickVehicleKind(_ random: inout SeededRandom) -> RoadUserKind {
        let mix = scenario.traffic.mix
        let shares: [(RoadUserKind, Double)] = [(.car, mix.car), (.van, mix.van), (.hgv, mix.hgv), (.motorcycle, mix.motorcycle ?? 0)]
        var pick = random.unit() * shares.reduce(0) { $0 + $1.1 }
        for (kind, share) in shares {
            if pick < share { return kind }
            pick -= share
        }
        return .car
    }

    /// The time span a user is simulated: from `approachMetres` before the
    /// sensor (or after, for receding users, whose beam view is ahead of them)
    /// until it is out of view.
    static func activeSpanNs(of user: RoadUser) -> (start: Double, end: Double) {
        let metresPerSecond = user.speed.metresPerSecond
        let before = (user.direction == .approaching ? approachMetres : departMetres) / metresPerSecond
        let after = (user.direction == .approaching ? departMetres : approachMetres) / metresPerSecond
        // Walkers: their views are short; cap the span so a pedestrian is not simulated for minutes.
        let cap = user.kind == .pedestrian ? 30.0 : .infinity
        return (Double(user.passNs) - min(before, cap) * 1e9, Double(user.passNs) + min(after, cap) * 1e9)
    }

    private func fitsInside(_ user: RoadUser, durationNs: Double) -> Bool {
        let span = Self.activeSpanNs(of: user)
        return span.start >= 0 && span.end <= durationNs
    }
}
