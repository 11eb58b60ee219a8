import Foundation
import SpeedDomain
import TOMLSupport

extension Scenario {
    /// Loads and checks a scenario file.
    /// - Throws: `ConfigurationError` naming the file and the line or field at fault.
    public static func load(path: String) throws(ConfigurationError) -> Scenario {
        try TOMLFile.decode(Scenario.self, path: path).validated(file: path)
    }

    /// Decodes and checks scenario text (tests, built-in scenarios).
    public static func parse(_ text: String, file: String = "<scenario>") throws(ConfigurationError) -> Scenario {
        try TOMLFile.decode(Scenario.self, from: text, file: file).validated(file: file)
    }

    /// Refuses values that would make a meaningless or endless simulation.
    public func validated(file: String) throws(ConfigurationError) -> Scenario {
        func check(_ ok: Bool, _ field: String, _ detail: String) throws(ConfigurationError) {
            if !ok { throw ConfigurationError(file: file, line: nil, field: field, detail: detail) }
        }
        try check(durationSeconds > 0 && durationSeconds <= 7 * 86_400, "duration-s", "must be more than 0 and at most a week")
        try Self.checkLimit(limitMph, field: "limit-mph", with: check)
        try check(SensorKind.names.contains(sensor.kind), "sensor.kind", "must be doppler, doppler-iq or time-of-flight")
        if sensor.isDoppler {
            try check((sensor.carrierHz ?? 0) > 1e9, "sensor.carrier-hz", "must be set to the radar carrier in Hz, such as 10525000000")
            try check((0..<80).contains(sensor.mountingAngleDegrees), "sensor.mounting-angle-deg", "must be at least 0 and under 80")
            try check(sensor.beamWidthDegrees > 1 && sensor.beamWidthDegrees < 120, "sensor.beam-width-deg", "must be between 1 and 120")
            try check(sensor.carRangeMetres > 2, "sensor.car-range-m", "must be more than 2 m")
            try check(sensor.noise >= 0 && sensor.noise < 5, "sensor.noise", "must be at least 0 and under 5")
            try check(sensor.flicker >= 0, "sensor.flicker", "must not be negative")
            try check(sensor.wheelTops >= 0 && sensor.wheelTops < 1, "sensor.wheel-tops", "must be at least 0 and under 1")
            try check(sensor.dropoutsPerMinute >= 0, "sensor.dropouts-per-minute", "must not be negative")
        } else {
            try check((sensor.spacingMetres ?? 0) > 0.1, "sensor.spacing-m", "must be set and more than 0.1 m for time-of-flight")
        }
        try Self.checkFlow(traffic.flowPerHour, field: "traffic.flow-per-hour", with: check)
        try check((0...1).contains(traffic.approachingShare), "traffic.approaching-share", "must be between 0 and 1")
        try check((0...0.9).contains(traffic.platoonShare), "traffic.platoon-share", "must be between 0 and 0.9")
        try check(traffic.nearLaneMetres > 0 && traffic.farLaneMetres > 0, "traffic.near-lane-m", "lane offsets must be positive")
        try check(traffic.cyclistsPerHour >= 0 && traffic.pedestriansPerHour >= 0, "traffic.cyclists-per-hour", "must not be negative")
        try Self.checkSpeeds(traffic.speedMph, field: "traffic.speed-mph", with: check)
        let shares = [traffic.mix.car, traffic.mix.van, traffic.mix.hgv, traffic.mix.motorcycle ?? 0]
        try check(shares.allSatisfy { $0 >= 0 } && shares.reduce(0, +) > 0, "traffic.mix", "shares must not be negative and must not all be 0")
        for (name, settings) in (phases ?? [:]).sorted(by: { $0.key < $1.key }) {
            try check(Phase(rawValue: name) != nil, "phase.\(name)", "is not an evaluation phase (before, intervention or after)")
            if let limit = settings.limitMph { try Self.checkLimit(limit, field: "phase.\(name).limit-mph", with: check) }
            if let flow = settings.flowPerHour { try Self.checkFlow(flow, field: "phase.\(name).flow-per-hour", with: check) }
            if let speeds = settings.speedMph { try Self.checkSpeeds(speeds, field: "phase.\(name).speed-mph", with: check) }
        }
        return self
    }

    private typealias Check = (Bool, String, String) throws(ConfigurationError) -> Void

    // The rules a value follows wherever it is given: the scenario's own, or a phase's.
    private static func checkLimit(_ mph: Int, field: String, with check: Check) throws(ConfigurationError) {
        try check(mph >= 5 && mph <= 90, field, "must be a posted limit between 5 and 90")
    }

    private static func checkFlow(_ perHour: Double, field: String, with check: Check) throws(ConfigurationError) {
        try check(perHour >= 0 && perHour <= 3000, field, "must be 0 to 3000")
    }

    private static func checkSpeeds(_ speeds: SpeedDistribution, field: String, with check: Check) throws(ConfigurationError) {
        try check(speeds.mean > 5 && speeds.mean < 120, "\(field).mean", "must be between 5 and 120")
        try check(speeds.sd >= 0 && speeds.sd < 30, "\(field).sd", "must be between 0 and 30")
    }

    /// The scenario files shipped in `Simulator/Scenarios`, found from the
    /// working directory or the source tree.
    public static func bundledScenarioDirectory() -> String? {
        var candidates = [FileManager.default.currentDirectoryPath + "/Simulator/Scenarios"]
        if let env = ProcessInfo.processInfo.environment["SPEEDWATCH_SCENARIOS"] { candidates.insert(env, at: 0) }
        let source = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scenarios").path
        candidates.append(source)
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Resolves a scenario given as a path or as the name of a bundled scenario.
    public static func resolve(_ nameOrPath: String) throws(ConfigurationError) -> Scenario {
        if FileManager.default.fileExists(atPath: nameOrPath) { return try load(path: nameOrPath) }
        if let directory = bundledScenarioDirectory() {
            let path = "\(directory)/\(nameOrPath).toml"
            if FileManager.default.fileExists(atPath: path) { return try load(path: path) }
        }
        let known = bundledScenarioNames().joined(separator: ", ")
        throw ConfigurationError(file: nameOrPath, line: nil, field: nil, detail: "no such scenario file or bundled scenario (bundled: \(known))")
    }

    /// Names of the bundled scenarios.
    public static func bundledScenarioNames() -> [String] {
        guard let directory = bundledScenarioDirectory(),
            let files = try? FileManager.default.contentsOfDirectory(atPath: directory)
        else { return [] }
        return files.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
    }
}
