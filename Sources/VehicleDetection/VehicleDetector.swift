public import SpeedDomain

/// Settings a device's configuration gives the detector, whatever the sensor.
public struct DetectorSettings: Sendable, Hashable, Codable {
    /// Angle between the beam and the road, degrees (Doppler only).
    public var mountingAngleDegrees: Double
    /// Slower passes are not vehicles (pedestrians, slow cyclists), mph.
    public var minimumSpeedMph: Double
    /// Faster passes are impossible, mph.
    public var maximumSpeedMph: Double
    /// With I/Q: whether Q lagging I means approaching (swap if wired the other way).
    public var quadratureLagMeansApproaching: Bool

    enum CodingKeys: String, CodingKey {
        case mountingAngleDegrees = "mounting-angle-deg"
        case minimumSpeedMph = "minimum-speed-mph"
        case maximumSpeedMph = "maximum-speed-mph"
        case quadratureLagMeansApproaching = "q-lag-means-approaching"
    }

    public init(
        mountingAngleDegrees: Double = 0, minimumSpeedMph: Double = 10, maximumSpeedMph: Double = 150,
        quadratureLagMeansApproaching: Bool = true
    ) {
        self.mountingAngleDegrees = mountingAngleDegrees
        self.minimumSpeedMph = minimumSpeedMph
        self.maximumSpeedMph = maximumSpeedMph
        self.quadratureLagMeansApproaching = quadratureLagMeansApproaching
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = DetectorSettings()
        mountingAngleDegrees = try c.decodeIfPresent(Double.self, forKey: .mountingAngleDegrees) ?? defaults.mountingAngleDegrees
        minimumSpeedMph = try c.decodeIfPresent(Double.self, forKey: .minimumSpeedMph) ?? defaults.minimumSpeedMph
        maximumSpeedMph = try c.decodeIfPresent(Double.self, forKey: .maximumSpeedMph) ?? defaults.maximumSpeedMph
        quadratureLagMeansApproaching = try c.decodeIfPresent(Bool.self, forKey: .quadratureLagMeansApproaching) ?? defaults.quadratureLagMeansApproaching
    }
}

/// The detector for whatever sensor is wired: Doppler (one pin or I/Q) or
/// two-detector time of flight. One type so the pipeline need not care.
public struct VehicleDetector: Sendable {
    // Exactly one is set; optionals (rather than an enum) let each mutate in place.
    private var doppler: DopplerDetector?
    private var timeOfFlight: TimeOfFlightDetector?

    /// Makes the detector for `sensor` with the device's settings.
    /// - Throws: `DetectorConfigurationError` naming a setting that cannot work.
    public init(sensor: SensorKind, settings: DetectorSettings) throws(DetectorConfigurationError) {
        switch sensor {
        case .doppler(let carrier), .dopplerQuadrature(let carrier):
            let configuration = try DopplerConfiguration(
                carrierHz: carrier, mountingAngleDegrees: settings.mountingAngleDegrees,
                minimumSpeed: .mph(settings.minimumSpeedMph), maximumSpeed: .mph(settings.maximumSpeedMph),
                quadratureLagMeansApproaching: settings.quadratureLagMeansApproaching
            ).validated()
            doppler = DopplerDetector(configuration: configuration)
        case .timeOfFlight(let spacing):
            guard spacing > 0.1 else { throw DetectorConfigurationError(field: "spacing-m", detail: "must be more than 0.1 m") }
            guard settings.minimumSpeedMph > 0, settings.maximumSpeedMph > settings.minimumSpeedMph else {
                throw DetectorConfigurationError(field: "minimum-speed-mph", detail: "must be positive and below the maximum")
            }
            timeOfFlight = TimeOfFlightDetector(
                configuration: .init(spacingMetres: spacing, minimumSpeed: .mph(settings.minimumSpeedMph), maximumSpeed: .mph(settings.maximumSpeedMph)))
        }
    }

    /// The speed floor below which passes are not reported.
    public var floor: Speed {
        doppler?.configuration.minimumSpeed ?? timeOfFlight!.configuration.minimumSpeed
    }

    /// Feeds a batch; readings for vehicles whose pass ended are appended.
    public mutating func process(_ batch: EdgeBatch, into readings: inout [Reading]) {
        if doppler != nil { doppler!.process(batch, into: &readings) } else { timeOfFlight!.process(batch, into: &readings) }
        if let quietUntil = batch.observedUntilNs { advance(toNs: quietUntil, into: &readings) }
    }

    /// Time has moved on with no edges: report passes that have gone quiet.
    public mutating func advance(toNs nowNs: UInt64, into readings: inout [Reading]) {
        if doppler != nil { doppler!.advance(toNs: nowNs, into: &readings) } else { timeOfFlight!.advance(toNs: nowNs, into: &readings) }
    }

    /// The input has ended: report what is still open.
    public mutating func finish(into readings: inout [Reading]) {
        if doppler != nil { doppler!.finish(into: &readings) } else { timeOfFlight!.finish(into: &readings) }
    }
}
