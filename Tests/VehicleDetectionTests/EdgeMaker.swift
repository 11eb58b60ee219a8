import Foundation
import SpeedDomain
import SpeedStatistics

/// Builds hand-made edge sequences: tones at chosen speeds, noise, flicker.
struct EdgeMaker {
    static let carrier = Doppler.hb100CarrierHz
    var random: TestRandom
    var edges: [Edge] = []
    var now: UInt64

    init(seed: UInt64, startNs: UInt64 = 1_000_000_000) {
        random = TestRandom(seed: seed)
        now = startNs
    }

    static func hz(mph: Double) -> Double { Doppler.shiftHz(radial: .mph(mph), carrierHz: carrier) }

    /// A steady tone at the radial speed `mph(t)` (t in seconds from the tone's start), with
    /// relative period jitter `jitter` (standard deviation as a fraction of the period).
    mutating func tone(seconds: Double, jitter: Double = 0.01, mph: (Double) -> Double) {
        let start = now
        while Double(now - start) / 1e9 < seconds {
            let t = Double(now - start) / 1e9
            let period = 1e9 / Self.hz(mph: mph(t))
            let jittered = period * (1 + jitter * random.normal())
            now += UInt64(max(1000, jittered))
            edges.append(Edge(timestampNs: now))
        }
    }

    mutating func tone(mph: Double, seconds: Double, jitter: Double = 0.01) {
        tone(seconds: seconds, jitter: jitter) { _ in mph }
    }

    /// The tone of a vehicle at `mph` passing `lateralMetres` from the sensor:
    /// the radar hears v·cos ψ, cos ψ = x / sqrt(x² + d²), as x (metres along
    /// the road, at least 0.5) goes from `fromMetres` at `metresPerSecond`
    /// (negative while approaching, so the tone sags; positive receding, so it climbs).
    mutating func passingTone(mph: Double, lateralMetres d: Double, fromMetres: Double, metresPerSecond: Double, seconds: Double, jitter: Double) {
        tone(seconds: seconds, jitter: jitter) { t in
            let x = max(0.5, fromMetres + metresPerSecond * t)
            return mph * x / (x * x + d * d).squareRoot()
        }
    }

    /// A cyclist approaching at `mph`, `lateralMetres` out, from `fromMetres`
    /// away, his speed wobbling by `depth` once a second as he pedals,
    /// `phase` into the wobble at the start (−π/2: at the bottom of one).
    mutating func wobblingRider(mph: Double, lateralMetres d: Double, fromMetres: Double, seconds: Double, depth: Double, phase: Double) {
        let metresPerSecond = Speed.mph(mph).metresPerSecond
        tone(seconds: seconds, jitter: 0.02) { t in
            let x = max(0.5, fromMetres - metresPerSecond * t)
            return mph * (1 + depth * sin(2 * .pi * t + phase)) * x / (x * x + d * d).squareRoot()
        }
    }

    /// Comparator toggling on noise alone: periods scattered widely (exponential, CV about 1).
    mutating func noise(seconds: Double, meanPeriodMs: Double = 1.5) {
        let end = now + UInt64(seconds * 1e9)
        while now < end {
            now += UInt64(max(50_000, random.exponential(mean: meanPeriodMs * 1e6)))
            edges.append(Edge(timestampNs: now))
        }
    }

    /// No edges at all for a while.
    mutating func silence(seconds: Double) { now += UInt64(seconds * 1e9) }
}

/// SplitMix64 (SpeedStatistics') with the draws the edge makers need, so tests are deterministic.
struct TestRandom: RandomNumberGenerator {
    private var base: SplitMix64
    init(seed: UInt64) { base = SplitMix64(seed: seed) }
    mutating func next() -> UInt64 { base.next() }
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    mutating func normal() -> Double {
        let u = max(unit(), 1e-300), v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
    mutating func exponential(mean: Double) -> Double { -mean * log(1 - unit()) }
}
