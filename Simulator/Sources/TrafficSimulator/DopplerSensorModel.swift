import Foundation
import SpeedDomain

/// The physics of a CW Doppler radar at the roadside, sampled in time, ending
/// in the hysteresis comparator whose rising edges a GPIO pin would see.
///
/// Geometry: the sensor stands at the kerb at the origin, its beam pointed
/// along the road (+x) at `mountingAngleDegrees` towards the lanes. A target at
/// (x, d, h) moving along x returns a tone at 2·v·cos(ψ)·f0/c, where ψ is the
/// angle between its path and the line of sight; cos(ψ) = |x|/R, so the tone
/// sags as the target nears the sensor. Its amplitude falls with 1/R² and
/// with the beam's two-way pattern off the beam axis, wanders slowly
/// (scintillation), fades briefly (dropouts), and carries a weaker wheel-top
/// component at 1.3–2× the body's frequency. Band-limited receiver noise and
/// 100 Hz lighting flicker are added, and the sum drives a comparator with
/// hysteresis ±1 (all amplitudes are relative to the hysteresis). With I/Q, the
/// Q channel lags I by a quarter cycle for approaching targets and leads it for
/// receding ones, with its own noise.
struct DopplerSensorModel {
    let scenario: Scenario
    let users: [RoadUser]
    let carrierHz: Double
    let quadrature: Bool
    let sampleRate: Double
    let dt: Double
    /// Samples between updates of geometry, amplitude and frequency.
    static let updateEvery = 16

    private var random: SeededRandom
    private var nextUser = 0
    private var active: [Target] = []
    private var sampleIndex: Int64 = 0
    private var noise: [BandLimitedNoise]
    private var comparators: [Comparator]
    private(set) var visibility: [Int: Visibility] = [:]
    private let flickerStep: Double
    private var flickerPhase = 0.0

    /// Monotonic time of the simulation's start, ns (as if the device booted a while ago).
    let clockOffsetNs: UInt64

    init(scenario: Scenario, users: [RoadUser], clockOffsetNs: UInt64) {
        self.scenario = scenario
        self.users = users
        self.clockOffsetNs = clockOffsetNs
        carrierHz = scenario.sensorKind.carrierHz ?? Doppler.hb100CarrierHz
        quadrature = scenario.sensor.kind == "doppler-iq"
        let hzPerMph = Doppler.hertz(per: .mph, carrierHz: carrierHz)
        let rate = min(max(16 * 100 * hzPerMph, 40_000), 160_000)
        sampleRate = rate
        dt = 1 / rate
        var random = SeededRandom(seed: scenario.seed ^ 0x5EED_0F_5E45)
        let band = (low: 5 * hzPerMph, high: 100 * hzPerMph)
        noise = (0..<(quadrature ? 2 : 1)).map { _ in
            BandLimitedNoise(rms: scenario.sensor.noise, band: band, sampleRate: rate, random: random.fork())
        }
        comparators = Array(repeating: Comparator(), count: quadrature ? 2 : 1)
        flickerStep = 2 * .pi * 100 / rate
        self.random = random
    }

    /// Simulation time of the last sample produced, ns.
    var nowNs: UInt64 { UInt64(Double(sampleIndex) * dt * 1e9) }

    /// Runs the simulation up to `endNs` (simulation time), appending edges.
    mutating func run(untilNs endNs: UInt64, into edges: inout [Edge]) {
        let endSample = Int64((Double(endNs) / 1e9 * sampleRate).rounded(.down))
        let firstNew = edges.count
        defer {
            // I and Q can both cross within one sample, their interpolated times in either order.
            if quadrature { edges[firstNew...].sort { ($0.timestampNs, $0.channel) < ($1.timestampNs, $1.channel) } }
        }
        while sampleIndex < endSample {
            let t = Double(sampleIndex) * dt
            if sampleIndex % Int64(Self.updateEvery) == 0 { updateTargets(at: t) }
            var i = 0.0
            var q = 0.0
            for index in active.indices { active[index].step(i: &i, q: &q) }
            if scenario.sensor.flicker > 0 {
                flickerPhase += flickerStep
                if flickerPhase > 2 * .pi { flickerPhase -= 2 * .pi }
                i += scenario.sensor.flicker * cos(flickerPhase)
                q += scenario.sensor.flicker * sin(flickerPhase + 0.7)
            }
            i += noise[0].next()
            emit(channel: 0, value: i, t: t, into: &edges)
            if quadrature {
                q += noise[1].next()
                emit(channel: 1, value: q, t: t, into: &edges)
            }
            sampleIndex += 1
        }
    }

    @inline(__always)
    private mutating func emit(channel: Int, value: Double, t: Double, into edges: inout [Edge]) {
        if let fraction = comparators[channel].feed(value) {
            let edgeTime = t - dt * (1 - fraction)
            edges.append(Edge(timestampNs: clockOffsetNs + UInt64(max(0, edgeTime) * 1e9), channel: UInt8(channel)))
        }
    }

    /// Admits users whose span has begun, retires finished ones, and updates each target's geometry.
    private mutating func updateTargets(at t: Double) {
        let tNs = t * 1e9
        while nextUser < users.count, TrafficGenerator.activeSpanNs(of: users[nextUser]).start <= tNs {
            let user = users[nextUser]
            active.append(Target(user: user, sensor: scenario.sensor, carrierHz: carrierHz, sampleRate: sampleRate, random: random.fork()))
            nextUser += 1
        }
        var index = 0
        let interval = dt * Double(Self.updateEvery)
        var strongest: (id: Int, amplitude: Double)?
        var runnerUp = 0.0
        while index < active.count {
            if tNs > TrafficGenerator.activeSpanNs(of: active[index].user).end {
                active.remove(at: index)
                continue
            }
            let amplitude = active[index].update(at: t, updateInterval: interval)
            let id = active[index].user.id
            if amplitude >= Visibility.threshold { visibility[id, default: Visibility()].see(at: clockOffsetNs + UInt64(tNs), amplitude: amplitude) }
            if amplitude > strongest?.amplitude ?? 0 {
                runnerUp = strongest?.amplitude ?? 0
                strongest = (id, amplitude)
            } else {
                runnerUp = max(runnerUp, amplitude)
            }
            index += 1
        }
        // A comparator follows the strongest return; it can only resolve a
        // target that clearly dominates (here: above the hysteresis and at least twice the next).
        if let strongest, strongest.amplitude >= 1, strongest.amplitude >= 2 * runnerUp {
            visibility[strongest.id, default: Visibility()].dominantSeconds += interval
        }
    }
}

/// When a user's return was strong enough to drive the comparator.
struct Visibility: Sendable, Hashable {
    /// Amplitude (relative to the hysteresis) from which, with noise, a return can toggle the comparator.
    static let threshold = 0.5

    var fromNs: UInt64 = .max
    var toNs: UInt64 = 0
    var peakAmplitude = 0.0
    /// Time during which this target was the one return the comparator could follow, s.
    var dominantSeconds = 0.0

    mutating func see(at ns: UInt64, amplitude: Double) {
        fromNs = min(fromNs, ns)
        toNs = max(toNs, ns)
        peakAmplitude = max(peakAmplitude, amplitude)
    }
}

/// A comparator with hysteresis ±1: it goes high above +1 and low below −1.
struct Comparator {
    private var high = false
    private var previous = 0.0

    /// Feeds a sample; on a rising edge returns where between the previous
    /// sample and this one the threshold was crossed (0...1).
    @inline(__always)
    mutating func feed(_ value: Double) -> Double? {
        defer { previous = value }
        if high {
            if value < -1 { high = false }
            return nil
        }
        guard value > 1 else { return nil }
        high = true
        let span = value - previous
        return span > 0 ? min(1, max(0, (1 - previous) / span)) : 1
    }
}
