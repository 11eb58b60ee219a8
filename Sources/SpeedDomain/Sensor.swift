/// The physical kind of sensor wired to the device. Interfaces take this rather
/// than assuming Doppler, because a two-detector (time-of-flight) sensor measures
/// speed from the time between two edges instead of from a tone.
public enum SensorKind: Sendable, Hashable, Codable {
    /// Continuous-wave Doppler radar, IF squared to logic on one pin.
    case doppler(carrierHz: Double)
    /// Doppler radar with I and Q outputs on two pins; their phase order gives direction.
    case dopplerQuadrature(carrierHz: Double)
    /// Two detectors (beams, tubes, loops) a known distance apart along the road.
    case timeOfFlight(spacingMetres: Double)

    /// The kind called `name` in capture files and configuration (`doppler`,
    /// `doppler-iq`, `time-of-flight`), with its parameter; nil for an unknown name.
    public static func named(_ name: String, carrierHz: Double, spacingMetres: Double) -> SensorKind? {
        switch name {
        case "doppler": return .doppler(carrierHz: carrierHz)
        case "doppler-iq": return .dopplerQuadrature(carrierHz: carrierHz)
        case "time-of-flight": return .timeOfFlight(spacingMetres: spacingMetres)
        default: return nil
        }
    }

    /// The names `named(_:carrierHz:spacingMetres:)` knows.
    public static let names = ["doppler", "doppler-iq", "time-of-flight"]

    /// The name used in capture files and configuration.
    public var name: String {
        switch self {
        case .doppler: return "doppler"
        case .dopplerQuadrature: return "doppler-iq"
        case .timeOfFlight: return "time-of-flight"
        }
    }

    /// How many pins the kind reads.
    public var channelCount: Int {
        switch self {
        case .doppler: return 1
        case .dopplerQuadrature, .timeOfFlight: return 2
        }
    }

    /// The parameter's name in capture files and configuration: `carrier-hz` or `spacing-m`.
    public var parameterName: String {
        switch self {
        case .doppler, .dopplerQuadrature: return "carrier-hz"
        case .timeOfFlight: return "spacing-m"
        }
    }

    /// Why the parameter cannot be a real sensor's (a carrier that is not a
    /// radar band, detectors closer than 10 cm), or nil when it can. Capture
    /// files and configuration check it where they read it, so the error can
    /// name the line; the detector refuses the same values.
    public var parameterProblem: String? {
        switch self {
        case .doppler(let hz), .dopplerQuadrature(let hz):
            return hz.isFinite && hz > 1e9 ? nil : "must be a radar carrier in Hz, such as 10525000000"
        case .timeOfFlight(let metres):
            return metres.isFinite && metres > 0.1 ? nil : "must be the detector spacing in metres, more than 0.1"
        }
    }

    /// The carrier frequency for Doppler kinds.
    public var carrierHz: Double? {
        switch self {
        case .doppler(let f), .dopplerQuadrature(let f): return f
        case .timeOfFlight: return nil
        }
    }
}

/// Doppler physics: f = 2·v·f0/c.
public enum Doppler {
    /// Speed of light in air, m/s (the vacuum value; air differs by 0.03%).
    public static let speedOfLight = 299_792_458.0

    /// The HB100 module's carrier, 10.525 GHz.
    public static let hb100CarrierHz = 10.525e9
    /// The CDM324 / IPM-165 modules' carrier, 24.125 GHz.
    public static let k24CarrierHz = 24.125e9

    /// Doppler shift in Hz for a radial speed.
    public static func shiftHz(radial speed: Speed, carrierHz: Double) -> Double {
        2 * speed.metresPerSecond * carrierHz / speedOfLight
    }

    /// Radial speed for a Doppler shift in Hz.
    public static func radialSpeed(shiftHz: Double, carrierHz: Double) -> Speed {
        Speed(metresPerSecond: shiftHz * speedOfLight / (2 * carrierHz))
    }

    /// Hz per unit of speed, for documentation and sanity checks (31.39 Hz per mph at 10.525 GHz).
    public static func hertz(per unit: SpeedUnit, carrierHz: Double) -> Double {
        shiftHz(radial: Speed(1, unit), carrierHz: carrierHz)
    }
}
