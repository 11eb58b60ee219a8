import SpeedDomain

/// The header line of a bundle (`#meta {…}`): everything needed to interpret
/// the readings without any other file. JSON keys are snake_case.
struct BundleHeader: Codable, Sendable, Hashable {
    static let formatName = "speedwatch-session-bundle"
    static let version = 1
    static let columns = [
        "monotonic_ns", "speed_mps", "first_lock_mps", "peak_mps", "duration_ns", "direction", "quality", "flags",
    ]

    struct Sensor: Codable, Sendable, Hashable {
        var kind: String
        var carrier_hz: Double?
        var spacing_metres: Double?
        var pins: [String]
        var clock: String
    }

    struct Clock: Codable, Sendable, Hashable {
        var source: ClockSource
        var monotonic_anchor_ns: UInt64
        var wall_time_at_anchor_ns: Int64
    }

    struct Units: Codable, Sendable, Hashable {
        var speed = "m/s"
        var time = "ns"
        var mounting_angle = "degrees"
    }

    var format = formatName
    var version = BundleHeader.version
    var session_id: String
    var site_id: String
    var device_id: String
    var phase: Phase
    var mode: SessionMode
    var clock: Clock
    var started_at_ns: Int64
    var ended_at_ns: Int64?
    var sensor: Sensor
    var mounting_angle_degrees: Double
    var units = Units()
    var columns = BundleHeader.columns
    var reading_count: Int

    init(session: Session, sensor: SensorDescription, mountingAngleDegrees: Double, readingCount: Int) {
        session_id = session.id
        site_id = session.siteID
        device_id = session.deviceID
        phase = session.phase
        mode = session.mode
        clock = Clock(source: session.clock.source, monotonic_anchor_ns: session.clock.monotonicAnchorNs, wall_time_at_anchor_ns: session.clock.wallTimeAtAnchorNs)
        started_at_ns = session.startedAtNs
        ended_at_ns = session.endedAtNs
        var spacing: Double?
        if case .timeOfFlight(let s) = sensor.kind { spacing = s }
        self.sensor = Sensor(kind: sensor.kind.name, carrier_hz: sensor.kind.carrierHz, spacing_metres: spacing, pins: sensor.pins, clock: sensor.clock)
        mounting_angle_degrees = mountingAngleDegrees
        reading_count = readingCount
    }

    var session: Session {
        Session(
            id: session_id, siteID: site_id, deviceID: device_id, phase: phase, mode: mode,
            clock: ClockMapping(monotonicAnchorNs: clock.monotonic_anchor_ns, wallTimeAtAnchorNs: clock.wall_time_at_anchor_ns, source: clock.source),
            startedAtNs: started_at_ns, endedAtNs: ended_at_ns)
    }

    /// The sensor description, or the name of the field that does not make one.
    func sensorDescription() -> Result<SensorDescription, FieldProblem> {
        let kind: SensorKind
        switch sensor.kind {
        case "doppler", "doppler-iq":
            guard let f = sensor.carrier_hz, f > 0 else { return .failure(FieldProblem(field: "sensor.carrier_hz", detail: "a Doppler sensor needs a positive carrier frequency")) }
            kind = sensor.kind == "doppler" ? .doppler(carrierHz: f) : .dopplerQuadrature(carrierHz: f)
        case "time-of-flight":
            guard let s = sensor.spacing_metres, s > 0 else { return .failure(FieldProblem(field: "sensor.spacing_metres", detail: "a time-of-flight sensor needs a positive spacing")) }
            kind = .timeOfFlight(spacingMetres: s)
        default:
            return .failure(FieldProblem(field: "sensor.kind", detail: "unknown sensor kind '\(sensor.kind)' (doppler, doppler-iq, time-of-flight)"))
        }
        return .success(SensorDescription(kind: kind, pins: sensor.pins, clock: sensor.clock))
    }

    struct FieldProblem: Error { var field: String; var detail: String }
}
