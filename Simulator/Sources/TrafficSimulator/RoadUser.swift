public import SpeedDomain

/// The kinds of road user the simulator produces, with the radar cross-section
/// (relative to a car) and axle layout each brings.
public enum RoadUserKind: String, Sendable, Hashable, Codable, CaseIterable {
    case car, van, hgv, motorcycle, cyclist, pedestrian

    /// Amplitude of the radar return relative to a car's (square root of the cross-section ratio).
    var returnAmplitude: Double {
        switch self {
        case .car: return 1.0
        case .van: return 1.3
        case .hgv: return 1.8
        case .motorcycle: return 0.55
        case .cyclist: return 0.35
        case .pedestrian: return 0.2
        }
    }

    /// Distances of each axle behind the front axle, m (for per-axle detectors).
    var axleOffsets: [Double] {
        switch self {
        case .car: return [0, 2.7]
        case .van: return [0, 3.5]
        case .hgv: return [0, 3.8, 10.2, 11.5]
        case .motorcycle: return [0, 1.45]
        case .cyclist: return [0, 1.05]
        case .pedestrian: return []
        }
    }

    /// Overall length, m: front axle to rear bumper plus the front overhang,
    /// which is what a follower must keep clear of.
    public var lengthMetres: Double {
        switch self {
        case .car: return 4.5
        case .van: return 5.5
        case .hgv: return 16.5
        case .motorcycle: return 2.2
        case .cyclist: return 1.8
        case .pedestrian: return 0.5
        }
    }

    /// Whether a road user of this kind is a motor vehicle.
    public var isMotorVehicle: Bool { self != .cyclist && self != .pedestrian }
}

/// One simulated road user: who, which way, how fast, and when it passes the sensor.
public struct RoadUser: Sendable, Hashable, Codable {
    public var id: Int
    public var kind: RoadUserKind
    public var direction: Direction
    /// The true mean speed, mph.
    public var speedMph: Double
    /// Simulation time at which it is level with the sensor, ns from the start.
    public var passNs: UInt64
    /// Lateral distance of its path from the sensor, m.
    public var lateralOffsetMetres: Double
    /// Relative depth of the speed wobble of walkers and riders (0 for vehicles).
    public var wobbleDepth: Double
    public var wobbleHz: Double
    public var wobblePhase: Double
    /// Whether it follows closely behind another (in a platoon).
    public var inPlatoon: Bool

    public var speed: Speed { .mph(speedMph) }
}
