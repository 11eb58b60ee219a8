import Foundation
public import GPIOEdges
public import SpeedDomain
import TOMLSupport
public import VehicleDetection

/// A device's configuration file (TOML): who it is, where it stands, what
/// sensor is wired, and how the detector treats it. See docs/device-configuration.md.
///
/// ```toml
/// device-id = "sid-0001"
/// store = "/var/lib/sid/sid.sqlite"
///
/// [site]
/// id = "HIGH-ST-N"
/// limit = 20
/// unit = "mph"
///
/// [sensor]
/// kind = "doppler"
/// carrier-hz = 10525000000
///
/// [detector]
/// mounting-angle-deg = 10
/// minimum-speed-mph = 10
///
/// [gpio]                     # real pins, for `sid run --backend gpio`
/// chip = "gpiochip0"
/// lines = ["GPIO17"]
/// ```
public struct DeviceConfiguration: Sendable, Hashable, Codable {
    public var deviceID: String
    /// Path of the device's SQLite store.
    public var store: String
    public var site: SiteSettings
    public var sensor: SensorSettings
    public var detector: DetectorSettings
    /// The pins the sensor is wired to, for the GPIO backend; absent on a
    /// device that only simulates or replays. See docs/gpio-backend.md.
    public var gpio: GPIOSettings?

    enum CodingKeys: String, CodingKey {
        case deviceID = "device-id"
        case store, site, sensor, detector, gpio
    }

    public struct SiteSettings: Sendable, Hashable, Codable {
        public var id: String
        /// The posted limit, in `unit`.
        public var limit: Int
        /// `mph` or `km/h`.
        public var unit: String

        public init(id: String, limit: Int, unit: String = "mph") {
            self.id = id
            self.limit = limit
            self.unit = unit
        }

        enum CodingKeys: String, CodingKey { case id, limit, unit }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            limit = try container.decode(Int.self, forKey: .limit)
            unit = try container.decodeIfPresent(String.self, forKey: .unit) ?? "mph"
        }

        public var speedLimit: SpeedLimit { SpeedLimit(limit, SpeedUnit(rawValue: unit) ?? .mph) }
    }

    public struct SensorSettings: Sendable, Hashable, Codable {
        /// `doppler`, `doppler-iq` or `time-of-flight`.
        public var kind: String
        public var carrierHz: Double?
        public var spacingMetres: Double?

        enum CodingKeys: String, CodingKey {
            case kind
            case carrierHz = "carrier-hz"
            case spacingMetres = "spacing-m"
        }

        public init(kind: String, carrierHz: Double? = nil, spacingMetres: Double? = nil) {
            self.kind = kind
            self.carrierHz = carrierHz
            self.spacingMetres = spacingMetres
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        deviceID = try container.decode(String.self, forKey: .deviceID)
        store = try container.decode(String.self, forKey: .store)
        site = try container.decode(SiteSettings.self, forKey: .site)
        sensor = try container.decode(SensorSettings.self, forKey: .sensor)
        // Every detector setting has a default, so the table may be left out.
        detector = try container.decodeIfPresent(DetectorSettings.self, forKey: .detector) ?? DetectorSettings()
        gpio = try container.decodeIfPresent(GPIOSettings.self, forKey: .gpio)
    }

    public init(deviceID: String, store: String, site: SiteSettings, sensor: SensorSettings, detector: DetectorSettings) {
        self.deviceID = deviceID
        self.store = store
        self.site = site
        self.sensor = sensor
        self.detector = detector
    }

    /// Loads and checks a configuration file.
    /// - Throws: `ConfigurationError` naming the file and the line or field at fault.
    public static func load(path: String) throws(ConfigurationError) -> DeviceConfiguration {
        try TOMLFile.decode(DeviceConfiguration.self, path: path).validated(file: path)
    }

    /// Decodes and checks configuration text.
    public static func parse(_ text: String, file: String = "<configuration>") throws(ConfigurationError) -> DeviceConfiguration {
        try TOMLFile.decode(DeviceConfiguration.self, from: text, file: file).validated(file: file)
    }

    /// The sensor kind the configuration describes.
    public var sensorKind: SensorKind {
        // `validated(file:)` has checked the name and the parameter it needs.
        SensorKind.named(sensor.kind, carrierHz: sensor.carrierHz ?? Doppler.hb100CarrierHz, spacingMetres: sensor.spacingMetres ?? 0)
            ?? .doppler(carrierHz: sensor.carrierHz ?? Doppler.hb100CarrierHz)
    }

    /// Refuses settings the device cannot work with, naming the field.
    public func validated(file: String) throws(ConfigurationError) -> DeviceConfiguration {
        func fail(_ field: String, _ detail: String) -> ConfigurationError {
            ConfigurationError(file: file, line: nil, field: field, detail: detail)
        }
        guard !deviceID.isEmpty, deviceID.count <= 64 else { throw fail("device-id", "must be 1 to 64 characters") }
        guard !store.isEmpty else { throw fail("store", "must be the path of the SQLite store") }
        guard !site.id.isEmpty else { throw fail("site.id", "must not be empty") }
        guard (5...130).contains(site.limit) else { throw fail("site.limit", "must be a posted limit between 5 and 130") }
        guard SpeedUnit(rawValue: site.unit) != nil else { throw fail("site.unit", "must be \"mph\" or \"km/h\"") }
        switch sensor.kind {
        case "doppler", "doppler-iq":
            guard let hz = sensor.carrierHz, hz > 1e9 else { throw fail("sensor.carrier-hz", "must be the radar carrier in Hz, such as 10525000000") }
        case "time-of-flight":
            guard let metres = sensor.spacingMetres, metres > 0.1 else { throw fail("sensor.spacing-m", "must be the detector spacing in metres, more than 0.1") }
        default:
            throw fail("sensor.kind", "must be doppler, doppler-iq or time-of-flight")
        }
        if let gpio {
            do {
                try gpio.validate()
            } catch {
                throw fail("gpio", error.detail)
            }
            guard gpio.lines.count == sensorKind.channelCount else {
                throw fail("gpio.lines", "a \(sensor.kind) sensor reads \(sensorKind.channelCount) line(s); gpio.lines has \(gpio.lines.count)")
            }
        }
        do {
            _ = try VehicleDetector(sensor: sensorKind, settings: detector)
        } catch {
            throw fail("detector.\(error.field)", error.detail)
        }
        return self
    }
}
