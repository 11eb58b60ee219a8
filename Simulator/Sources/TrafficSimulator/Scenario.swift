import Foundation
public import SpeedDomain
import TOMLSupport

/// A simulated deployment: a road, its traffic, and the sensor watching it.
/// Scenarios are TOML files in `Simulator/Scenarios/`; see its README for every
/// field. Everything is deterministic for a given `seed`.
public struct Scenario: Sendable, Hashable, Codable {
    public var name: String
    public var description: String
    public var seed: UInt64
    /// Simulated time, seconds.
    public var durationSeconds: Double
    /// The posted limit at the simulated site, mph.
    public var limitMph: Int
    public var sensor: SensorModel
    public var traffic: Traffic
    /// What changes in an evaluation phase (`[phase.after]`, …), by phase
    /// name; a phase not listed is simulated as the scenario itself. See `inPhase(_:)`.
    public var phases: [String: PhaseSettings]?

    enum CodingKeys: String, CodingKey {
        case name, description, seed, sensor, traffic
        case durationSeconds = "duration-s"
        case limitMph = "limit-mph"
        case phases = "phase"
    }

    /// A site's traffic in one evaluation phase, where it differs from the
    /// scenario's own: after a 20mph limit comes in, the posted limit and the
    /// speeds change, and each phase is measured on other days (another seed).
    public struct PhaseSettings: Sendable, Hashable, Codable {
        public var seed: UInt64?
        public var limitMph: Int?
        public var flowPerHour: Double?
        public var speedMph: SpeedDistribution?

        public init(seed: UInt64? = nil, limitMph: Int? = nil, flowPerHour: Double? = nil, speedMph: SpeedDistribution? = nil) {
            self.seed = seed
            self.limitMph = limitMph
            self.flowPerHour = flowPerHour
            self.speedMph = speedMph
        }

        enum CodingKeys: String, CodingKey {
            case seed
            case limitMph = "limit-mph"
            case flowPerHour = "flow-per-hour"
            case speedMph = "speed-mph"
        }
    }

    /// The scenario as a session in `phase` measures it: the phase's seed,
    /// limit, flow and speed distribution where `[phase.NAME]` gives them,
    /// the scenario's own otherwise.
    public func inPhase(_ phase: Phase) -> Scenario {
        guard let settings = phases?[phase.rawValue] else { return self }
        var scenario = self
        if let seed = settings.seed { scenario.seed = seed }
        if let limit = settings.limitMph { scenario.limitMph = limit }
        if let flow = settings.flowPerHour { scenario.traffic.flowPerHour = flow }
        if let speed = settings.speedMph { scenario.traffic.speedMph = speed }
        return scenario
    }

    /// The sensor and its surroundings. Each kind takes only the settings it
    /// uses: a Doppler setting in a time-of-flight scenario (or the reverse)
    /// is refused when the file is read, not silently ignored.
    public struct SensorModel: Sendable, Hashable, Codable {
        /// `doppler`, `doppler-iq` or `time-of-flight`.
        public var kind: String
        public var carrierHz: Double?

        // Doppler kinds only (0 for time-of-flight, which does not use them).

        /// Angle between the beam axis and the road, degrees.
        public var mountingAngleDegrees: Double = 0
        /// Full azimuth width of the beam at half power, degrees.
        public var beamWidthDegrees: Double = 0
        /// Height of the sensor above the vehicles' reflecting centre, m.
        public var heightMetres: Double = 0
        /// Range on the beam axis at which a car's return is twice the comparator hysteresis, m.
        public var carRangeMetres: Double = 0
        /// RMS of the band-limited receiver noise, relative to the comparator hysteresis.
        public var noise: Double = 0
        /// Amplitude of 100 Hz lighting flicker after the IF filter, relative to the hysteresis.
        public var flicker: Double = 0
        /// Amplitude of wheel-top returns relative to the body's.
        public var wheelTops: Double = 0
        /// Brief fades of a vehicle's return (occlusion, multipath nulls), per minute it is simulated.
        public var dropoutsPerMinute: Double = 0

        // Time-of-flight only (nil for the Doppler kinds).

        /// Detector spacing for the time-of-flight kind, m.
        public var spacingMetres: Double?
        /// Timing jitter of a time-of-flight detector, microseconds (rms).
        public var timingJitterMicroseconds: Double?
        /// Whether a time-of-flight detector fires per axle (tubes) rather than per vehicle (beams).
        public var perAxle: Bool?
        /// Spurious time-of-flight triggers per hour per detector.
        public var spuriousPerHour: Double?

        /// Whether this is one of the Doppler kinds (rather than time-of-flight).
        public var isDoppler: Bool { kind != "time-of-flight" }

        enum CodingKeys: String, CodingKey {
            case kind
            case carrierHz = "carrier-hz"
            case mountingAngleDegrees = "mounting-angle-deg"
            case beamWidthDegrees = "beam-width-deg"
            case heightMetres = "height-m"
            case carRangeMetres = "car-range-m"
            case noise, flicker
            case wheelTops = "wheel-tops"
            case dropoutsPerMinute = "dropouts-per-minute"
            case spacingMetres = "spacing-m"
            case timingJitterMicroseconds = "timing-jitter-us"
            case perAxle = "per-axle"
            case spuriousPerHour = "spurious-per-hour"
        }

        /// The Doppler kinds' required numbers, each with its key: decoded,
        /// encoded and refused for time-of-flight from this one list.
        static let dopplerNumbers: [(key: CodingKeys, field: any WritableKeyPath<SensorModel, Double> & Sendable)] = [
            (.mountingAngleDegrees, \.mountingAngleDegrees), (.beamWidthDegrees, \.beamWidthDegrees),
            (.heightMetres, \.heightMetres), (.carRangeMetres, \.carRangeMetres), (.noise, \.noise),
            (.flicker, \.flicker), (.wheelTops, \.wheelTops), (.dropoutsPerMinute, \.dropoutsPerMinute),
        ]
        static let dopplerKeys: [CodingKeys] = [.carrierHz] + dopplerNumbers.map(\.key)
        static let timeOfFlightKeys: [CodingKeys] = [.spacingMetres, .timingJitterMicroseconds, .perAxle, .spuriousPerHour]

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let kind = try container.decode(String.self, forKey: .kind)
            guard SensorKind.names.contains(kind) else {
                throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "must be doppler, doppler-iq or time-of-flight")
            }
            let timeOfFlight = kind == "time-of-flight"
            let (foreign, usedBy) = timeOfFlight ? (Self.dopplerKeys, "Doppler") : (Self.timeOfFlightKeys, "time-of-flight")
            if let stray = foreign.first(where: container.contains) {
                throw DecodingError.dataCorruptedError(
                    forKey: stray, in: container, debugDescription: "applies to \(usedBy) sensors only; kind = \"\(kind)\" does not use it")
            }
            self.kind = kind
            carrierHz = try container.decodeIfPresent(Double.self, forKey: .carrierHz)
            if !timeOfFlight {
                for (key, field) in Self.dopplerNumbers { self[keyPath: field] = try container.decode(Double.self, forKey: key) }
            }
            spacingMetres = try container.decodeIfPresent(Double.self, forKey: .spacingMetres)
            timingJitterMicroseconds = try container.decodeIfPresent(Double.self, forKey: .timingJitterMicroseconds)
            perAxle = try container.decodeIfPresent(Bool.self, forKey: .perAxle)
            spuriousPerHour = try container.decodeIfPresent(Double.self, forKey: .spuriousPerHour)
        }

        /// Writes the settings this kind takes (the same keys a file of it may hold).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(kind, forKey: .kind)
            if isDoppler {
                try container.encodeIfPresent(carrierHz, forKey: .carrierHz)
                for (key, field) in Self.dopplerNumbers { try container.encode(self[keyPath: field], forKey: key) }
            } else {
                try container.encodeIfPresent(spacingMetres, forKey: .spacingMetres)
                try container.encodeIfPresent(timingJitterMicroseconds, forKey: .timingJitterMicroseconds)
                try container.encodeIfPresent(perAxle, forKey: .perAxle)
                try container.encodeIfPresent(spuriousPerHour, forKey: .spuriousPerHour)
            }
        }
    }

    /// Who uses the road, and how fast.
    public struct Traffic: Sendable, Hashable, Codable {
        /// Motor vehicles per hour, both directions together.
        public var flowPerHour: Double
        /// Share of motor vehicles coming towards the sensor.
        public var approachingShare: Double
        /// Share of arrivals that lead a platoon of followers.
        public var platoonShare: Double
        /// Lateral offset of the approaching lane's centre from the sensor, m.
        public var nearLaneMetres: Double
        /// Lateral offset of the receding lane's centre, m.
        public var farLaneMetres: Double
        public var cyclistsPerHour: Double
        public var pedestriansPerHour: Double
        /// Free-flow speed of motor vehicles, mph (normal, truncated).
        public var speedMph: SpeedDistribution
        /// Shares of cars, vans, heavy goods vehicles and motorcycles.
        public var mix: VehicleMix

        enum CodingKeys: String, CodingKey {
            case flowPerHour = "flow-per-hour"
            case approachingShare = "approaching-share"
            case platoonShare = "platoon-share"
            case nearLaneMetres = "near-lane-m"
            case farLaneMetres = "far-lane-m"
            case cyclistsPerHour = "cyclists-per-hour"
            case pedestriansPerHour = "pedestrians-per-hour"
            case speedMph = "speed-mph"
            case mix
        }
    }

    public struct SpeedDistribution: Sendable, Hashable, Codable {
        public var mean: Double
        public var sd: Double
        public var min: Double?
        public var max: Double?

        public init(mean: Double, sd: Double, min: Double? = nil, max: Double? = nil) {
            self.mean = mean
            self.sd = sd
            self.min = min
            self.max = max
        }
    }

    public struct VehicleMix: Sendable, Hashable, Codable {
        public var car: Double
        public var van: Double
        public var hgv: Double
        public var motorcycle: Double?
    }

    /// The sensor kind this scenario simulates.
    public var sensorKind: SensorKind {
        // `validated(file:)` has checked the name and the parameter it needs.
        SensorKind.named(sensor.kind, carrierHz: sensor.carrierHz ?? Doppler.hb100CarrierHz, spacingMetres: sensor.spacingMetres ?? 2)
            ?? .doppler(carrierHz: sensor.carrierHz ?? Doppler.hb100CarrierHz)
    }

    /// What a capture of this scenario says about its sensor.
    public var sensorDescription: SensorDescription {
        let pins: [String]
        switch sensorKind {
        case .doppler: pins = ["SIM0"]
        case .dopplerQuadrature: pins = ["I", "Q"]
        case .timeOfFlight: pins = ["A", "B"]
        }
        return SensorDescription(kind: sensorKind, pins: pins, clock: "SIMULATED_MONOTONIC")
    }

    public var limit: SpeedLimit { SpeedLimit(limitMph, .mph) }
}
