/// The TOML text of a short simulated street for tests: an HB100 on the kerb
/// (10° mounting, 36° beam, 45 m car range, moderate noise, no flicker),
/// or, with `kind = "time-of-flight"`, two detectors 2 m apart; traffic both
/// ways with a few platoons. Each test names what it varies, so
/// one place holds the sensor and road that the tests share.
public struct ShortStreet: Sendable {
    public var name = "test"
    public var description = "short test street"
    public var seed: UInt64 = 5
    public var seconds: Double = 150
    public var limitMph = 30
    public var kind = "doppler"
    /// Extra `[sensor]` lines, such as an unknown key for an error test.
    public var sensorExtra = ""
    public var flowPerHour: Double = 160
    public var cyclistsPerHour: Double = 0
    public var pedestriansPerHour: Double = 0
    public var speedMeanMph: Double = 30
    public var speedSDMph: Double = 4
    public var speedMinMph: Double?
    public var mix: (car: Double, van: Double, hgv: Double) = (1, 0, 0)

    public init() {}

    /// The `[sensor]` settings of the Doppler kinds (a time-of-flight scenario refuses them).
    public static let dopplerSensor = """
        carrier-hz = 10525000000
        mounting-angle-deg = 10
        beam-width-deg = 36
        height-m = 0.8
        car-range-m = 45
        noise = 0.45
        flicker = 0.0
        wheel-tops = 0.25
        dropouts-per-minute = 2
        """
    /// The `[sensor]` settings of the time-of-flight kind.
    public static let timeOfFlightSensor = "spacing-m = 2.0"

    public var toml: String {
        """
        name = "\(name)"
        description = "\(description)"
        seed = \(seed)
        duration-s = \(seconds)
        limit-mph = \(limitMph)
        [sensor]
        kind = "\(kind)"
        \(kind == "time-of-flight" ? Self.timeOfFlightSensor : Self.dopplerSensor)
        \(sensorExtra)
        [traffic]
        flow-per-hour = \(flowPerHour)
        approaching-share = 0.5
        platoon-share = 0.1
        near-lane-m = 2.0
        far-lane-m = 5.0
        cyclists-per-hour = \(cyclistsPerHour)
        pedestrians-per-hour = \(pedestriansPerHour)
        [traffic.speed-mph]
        mean = \(speedMeanMph)
        sd = \(speedSDMph)
        \(speedMinMph.map { "min = \($0)" } ?? "")
        [traffic.mix]
        car = \(mix.car)
        van = \(mix.van)
        hgv = \(mix.hgv)
        """
    }
}
