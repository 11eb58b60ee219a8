import Foundation
import SpeedDomain

/// One road user as the radar sees it, advanced sample by sample.
///
/// Geometry, amplitude and frequency are recomputed every few samples (the
/// target moves millimetres in between); each sample then only rotates the
/// body's and the wheel tops' phasors, which gives I and Q at once.
struct Target {
    let user: RoadUser
    private let sensor: Scenario.SensorModel
    private let carrierHz: Double
    private let sampleRate: Double
    private var random: SeededRandom

    // Body and wheel-top phasors (cos, sin) and their per-sample rotations.
    private var body = (c: 1.0, s: 0.0)
    private var bodyStep = (c: 1.0, s: 0.0)
    private var wheel = (c: 1.0, s: 0.0)
    private var wheelStep = (c: 1.0, s: 0.0)
    private var amplitude = 0.0
    private var wheelAmplitude = 0.0
    /// +1 when Q lags I (approaching), −1 when it leads (receding).
    private let quadratureSign: Double

    // Slow processes.
    private var logScintillation = 0.0
    private var wheelFactor: Double
    private var fadeRemaining = 0.0
    private let fadeRatePerSecond: Double

    init(user: RoadUser, sensor: Scenario.SensorModel, carrierHz: Double, sampleRate: Double, random: SeededRandom) {
        self.user = user
        self.sensor = sensor
        self.carrierHz = carrierHz
        self.sampleRate = sampleRate
        self.random = random
        self.quadratureSign = user.direction == .approaching ? 1 : -1
        self.wheelFactor = 1.6
        self.fadeRatePerSecond = sensor.dropoutsPerMinute / 60
        let phase = self.random.uniform(0...(2 * .pi))
        body = (cos(phase), sin(phase))
    }

    /// Position along the road at time t: positive in front of the sensor.
    private func position(at t: Double) -> Double {
        let metresPerSecond = user.speed.metresPerSecond
        let sinceLevel = t - Double(user.passNs) / 1e9
        var travelled = metresPerSecond * sinceLevel
        if user.wobbleDepth > 0 {
            // Integral of v·depth·sin(2πft + φ): the walker's or rider's surge and lag.
            let w = 2 * .pi * user.wobbleHz
            travelled -= metresPerSecond * user.wobbleDepth / w * (cos(w * t + user.wobblePhase) - cos(user.wobblePhase))
        }
        return user.direction == .approaching ? -travelled : travelled
    }

    /// Instantaneous speed along the road, m/s.
    private func speedAlongRoad(at t: Double) -> Double {
        let base = user.speed.metresPerSecond
        guard user.wobbleDepth > 0 else { return base }
        return base * (1 + user.wobbleDepth * sin(2 * .pi * user.wobbleHz * t + user.wobblePhase))
    }

    /// Recomputes amplitude and frequency for the coming samples; returns the body's amplitude.
    mutating func update(at t: Double, updateInterval: Double) -> Double {
        let x = position(at: t)
        let d = user.lateralOffsetMetres
        let h = sensor.heightMetres
        let range = (x * x + d * d + h * h).squareRoot()
        // Angle off the beam axis, in the horizontal plane; behind the sensor it is beyond 90°.
        let azimuth = atan2(d, x) * 180 / .pi
        let offAxis = azimuth - sensor.mountingAngleDegrees
        let halfPowerRatio = offAxis / sensor.beamWidthDegrees
        // Two-way power pattern: Gaussian with the given half-power width, applied going out and coming back.
        let pattern = exp(-4 * M_LN2 * halfPowerRatio * halfPowerRatio)
        let rangeFactor = (sensor.carRangeMetres / max(range, 0.5)) * (sensor.carRangeMetres / max(range, 0.5))

        // Scintillation: log-amplitude wanders with a ~100 ms time constant and ±2 dB spread.
        let rho = exp(-updateInterval / 0.1)
        logScintillation = rho * logScintillation + 0.23 * (1 - rho * rho).squareRoot() * random.normal()
        var fade = 1.0
        if fadeRemaining > 0 {
            fadeRemaining -= updateInterval
            fade = 0.05
        } else if random.unit() < fadeRatePerSecond * updateInterval {
            fadeRemaining = random.uniform(0.02...0.08)
        }
        amplitude = 2 * user.kind.returnAmplitude * pattern * rangeFactor * exp(logScintillation) * fade

        // The radar sees the speed along the line of sight: v·cos(ψ), cos(ψ) = |x| / R.
        let radial = speedAlongRoad(at: t) * abs(x) / range
        let hz = 2 * radial * carrierHz / Doppler.speedOfLight
        let step = 2 * .pi * hz / sampleRate
        bodyStep = (cos(step), sin(step))

        // Wheel tops move at up to twice the body's speed; their return wanders between 1.3 and 2×.
        wheelFactor = min(2.0, max(1.3, wheelFactor + 0.02 * random.normal()))
        let wheelStepAngle = step * wheelFactor
        wheelStep = (cos(wheelStepAngle), sin(wheelStepAngle))
        let wheelBurst = 0.5 + 0.5 * sin(2 * .pi * 3 * t + Double(user.id))
        wheelAmplitude = user.kind.isMotorVehicle ? amplitude * sensor.wheelTops * wheelBurst : 0

        // Renormalise the phasors so rounding never lets them grow or shrink.
        let bodyNorm = (body.c * body.c + body.s * body.s).squareRoot()
        body = (body.c / bodyNorm, body.s / bodyNorm)
        let wheelNorm = (wheel.c * wheel.c + wheel.s * wheel.s).squareRoot()
        wheel = (wheel.c / wheelNorm, wheel.s / wheelNorm)
        return amplitude
    }

    /// Advances one sample, adding this target's I and Q to the sums.
    @inline(__always)
    mutating func step(i: inout Double, q: inout Double) {
        body = (body.c * bodyStep.c - body.s * bodyStep.s, body.s * bodyStep.c + body.c * bodyStep.s)
        wheel = (wheel.c * wheelStep.c - wheel.s * wheelStep.s, wheel.s * wheelStep.c + wheel.c * wheelStep.s)
        i += amplitude * body.c + wheelAmplitude * wheel.c
        // Q = A·cos(φ − 90°) = A·sin(φ) when lagging (approaching); −A·sin(φ) when leading.
        q += quadratureSign * (amplitude * body.s + wheelAmplitude * wheel.s)
    }
}

/// White Gaussian noise through the IF amplifier's band-pass (one-pole high-
/// and low-pass), scaled to the requested RMS after filtering.
struct BandLimitedNoise {
    private var random: SeededRandom
    private let highPass: Double
    private let lowPass: Double
    private var lowState = 0.0
    private var highState = 0.0
    private var previousLow = 0.0
    private var scale = 1.0

    init(rms: Double, band: (low: Double, high: Double), sampleRate: Double, random: SeededRandom) {
        self.random = random
        lowPass = 1 - exp(-2 * .pi * band.high / sampleRate)
        highPass = exp(-2 * .pi * band.low / sampleRate)
        guard rms > 0 else {
            scale = 0
            return
        }
        // Calibrate: measure the filter's output RMS for unit input, then scale.
        var calibration = self
        calibration.scale = 1
        var sum = 0.0
        let n = 40_000
        for _ in 0..<n {
            let v = calibration.next()
            sum += v * v
        }
        scale = rms / (sum / Double(n)).squareRoot()
    }

    @inline(__always)
    mutating func next() -> Double {
        guard scale > 0 else { return 0 }
        let white = random.normal()
        lowState += lowPass * (white - lowState)
        highState = highPass * (highState + lowState - previousLow)
        previousLow = lowState
        return highState * scale
    }
}
