public import SpeedDomain

/// The replay capture format, version 1: a text file a person can read.
///
/// ```
/// # sid-edge-capture 1
/// sensor: doppler
/// carrier-hz: 10525000000
/// pins: GPIO17
/// clock: CLOCK_MONOTONIC
/// ---
/// 1000000000
/// 1000312500
/// ```
///
/// A header of `key: value` lines names the sensor, then `---`, then one rising
/// edge per line: its timestamp in ns and, when the sensor has two pins, the
/// pin's name. Blank lines and lines starting with `#` are ignored anywhere.
/// See docs/capture-format.md.
public enum CaptureFormat {
    public static let magic = "# sid-edge-capture"
    public static let version = 1

    /// The header text for a sensor, ending with the `---` separator line.
    public static func header(for sensor: SensorDescription, comments: [String] = []) -> String {
        var lines = ["\(magic) \(version)"]
        lines += comments.map { "# \($0)" }
        lines.append("sensor: \(sensor.kind.name)")
        switch sensor.kind {
        case .doppler(let hz), .dopplerQuadrature(let hz):
            lines.append("carrier-hz: \(formatNumber(hz))")
        case .timeOfFlight(let metres):
            lines.append("spacing-m: \(formatNumber(metres))")
        }
        lines.append("pins: \(sensor.pins.joined(separator: " "))")
        lines.append("clock: \(sensor.clock)")
        lines.append("---")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One edge line (without the newline).
    public static func line(for edge: Edge, sensor: SensorDescription) -> String {
        if sensor.pins.count == 1 { return String(edge.timestampNs) }
        return "\(edge.timestampNs) \(sensor.pins[Int(edge.channel)])"
    }

    static func formatNumber(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e18 { return String(Int64(value)) }
        return String(value)
    }

    /// Parses a header block (the lines before `---`) into a sensor description.
    static func parseHeader(_ fields: [(key: String, value: String, line: Int)], file: String) throws(CaptureError) -> SensorDescription {
        func field(_ key: String) throws(CaptureError) -> (value: String, line: Int) {
            guard let found = fields.last(where: { $0.key == key }) else {
                throw CaptureError(.missingField, file: file, line: 0, "header has no '\(key):' field")
            }
            return (found.value, found.line)
        }
        func number(_ key: String) throws(CaptureError) -> Double {
            let (text, line) = try field(key)
            guard let value = Double(text), value.isFinite, value > 0 else {
                throw CaptureError(.badField, file: file, line: line, "'\(key)' must be a positive number, found '\(text)'")
            }
            return value
        }
        let (kindName, kindLine) = try field("sensor")
        let kind: SensorKind
        switch kindName {
        case "doppler": kind = .doppler(carrierHz: try number("carrier-hz"))
        case "doppler-iq": kind = .dopplerQuadrature(carrierHz: try number("carrier-hz"))
        case "time-of-flight": kind = .timeOfFlight(spacingMetres: try number("spacing-m"))
        default:
            throw CaptureError(
                .unknownSensorKind, file: file, line: kindLine,
                "unknown sensor kind '\(kindName)' (expected doppler, doppler-iq or time-of-flight)")
        }
        if let problem = kind.parameterProblem {
            let (text, line) = try field(kind.parameterName)
            throw CaptureError(.badField, file: file, line: line, "'\(kind.parameterName)' \(problem), found '\(text)'")
        }
        let (pinsText, pinsLine) = try field("pins")
        let pins = pinsText.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard pins.count == kind.channelCount, Set(pins).count == pins.count else {
            throw CaptureError(
                .badField, file: file, line: pinsLine,
                "sensor '\(kind.name)' needs \(kind.channelCount) distinct pin name(s), found '\(pinsText)'")
        }
        let clock = (try? field("clock"))?.value ?? "CLOCK_MONOTONIC"
        return SensorDescription(kind: kind, pins: pins, clock: clock)
    }
}
