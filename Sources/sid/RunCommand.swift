import ArgumentParser
import DeviceRuntime
import DeviceStore
import EdgeSources
import Foundation
import Logging
import SpeedDomain
import TrafficSimulator
import VehicleDetection

/// Which backend a run or a capture reads.
enum BackendName: String, ExpressibleByArgument, CaseIterable {
    case simulator, replay, gpio

    /// The GPIO backend's source, from the configuration's `[gpio]` table.
    static func gpioBackend(_ configuration: DeviceConfiguration?) throws -> Backend {
        guard let configuration else {
            throw ValidationError("--backend gpio needs the device configuration: --config FILE with a [gpio] table")
        }
        guard let gpio = configuration.gpio else {
            throw ValidationError("--backend gpio needs a [gpio] table in the configuration (chip, lines); see Hardware/INSTALL.md")
        }
        return .gpio(gpio, kind: configuration.sensorKind)
    }

    /// Whether edges come from this machine's pins, timed by its own monotonic clock.
    var isLive: Bool { self == .gpio }
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure: read edges from a backend, detect vehicles, store readings in a session.",
        discussion: """
            Examples:
              sid run --backend simulator --scenario quiet-20mph
              sid run --backend replay capture.edges --site HIGH-ST --limit 20
              sid run --backend gpio --config /etc/speedwatch/device.toml
            With the simulator, the session is compared with the simulation's ground truth at the end.
            SIGINT or SIGTERM stops measuring cleanly: queued readings are committed and the session closed.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Where edges come from: \(BackendName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var backend: BackendName = .simulator

    @Argument(help: "The capture file for --backend replay, or the scenario for the simulator (instead of --scenario).")
    var input: String?

    @Option(help: "Simulator scenario: a bundled name (\(Scenario.bundledScenarioNames().joined(separator: ", "))) or a .toml path (default: \(BackendName.defaultScenario)).")
    var scenario: String?

    @Flag(help: "Pace the simulator to real time instead of running as fast as possible.")
    var realtime = false

    @Option(help: "Site id (overrides the configuration).") var site: String?
    @Option(help: "Posted limit at the site (overrides the configuration).") var limit: Int?
    @Option(help: "Unit of the limit: mph or km/h.") var unit: String?
    @Option(help: "Device id (overrides the configuration).") var deviceId: String?
    @Option(help: "Evaluation phase: before, intervention or after. The simulator runs the scenario's traffic in that phase ([phase.NAME] in the scenario).") var phase: Phase = .before
    @Option(help: "display-on or covert.") var mode: SessionMode = .covert
    @Option(help: "Angle between beam and road, degrees (overrides the configuration).") var mountingAngle: Double?
    @Option(help: "With --backend gpio only: record into this already started session (see 'sid session start') instead of a new one.") var session: String?
    @Flag(help: "Print each vehicle as it is measured.") var live = false
    @Flag(help: "Log every commit of readings (for diagnosing the store).") var verbose = false

    func run() async throws {
        let configuration = try storeOptions.loadConfiguration()
        var logger = Logger(label: "sid")
        logger.logLevel = verbose ? .debug : .warning
        let source = try makeSource(configuration)
        let limit = try resolvedLimit(configuration)
        // Everything is checked before the store is opened, so a refused run leaves no store behind.
        let settings = try detectorSettings(configuration, sensor: source)
        let store = try storeOptions.openStore(configuration)

        let (sessionRecord, isNew) = try resolveSession(store: store, configuration: configuration, source: source)
        let unitLabel = limit.unit
        var measuring = MeasuringSession(
            source: source, store: store, session: sessionRecord, limit: limit, detectorSettings: settings, logger: logger)
        if live {
            measuring.onReadings = { readings in Self.printLive(readings, unit: unitLabel) }
        }
        let finalMeasuring = measuring
        let outcome = try await SignalHandling.runCancellingOnSignal {
            // A session started with 'sid session start' stays open until 'sid session stop'.
            try await finalMeasuring.run(openSession: isNew, closeWhenDone: isNew)
        }

        print(SummaryText.render(outcome.summary, session: try store.session(id: outcome.sessionID)))
        print("  edges           \(outcome.edges) read, \(outcome.writer.committedBatches) batched commits")
        print("  store           \(storeOptions.storePath(configuration))")
        if let simulated = source as? SimulatedEdgeSource {
            let readings = try store.readings(inSession: outcome.sessionID)
            print(Self.groundTruthLine(readings: readings, truth: simulated.groundTruth, outcome: outcome, floorMph: settings.minimumSpeedMph))
        }
    }

    /// The run scored against the simulation's ground truth. A run stopped early
    /// is scored only against the road users that passed the sensor before its
    /// last edge, and the line says so.
    private static func groundTruthLine(readings: [Reading], truth: GroundTruth, outcome: MeasuringSession.Outcome, floorMph: Double) -> String {
        var scored = truth
        var scope = ""
        if outcome.stoppedEarly {
            scored = truth.passed(byNs: outcome.lastEdgeNs ?? 0)
            scope = " (stopped early: only the \(scored.entries.count) of \(truth.entries.count) road users that passed the sensor before the stop)"
        }
        let score = DetectionScore(readings: readings, truth: scored, floorMph: floorMph)
        return "  against the simulation's ground truth\(scope): \(score.description.replacingOccurrences(of: "accuracy: ", with: ""))"
    }

    private func makeSource(_ configuration: DeviceConfiguration?) throws -> any EdgeSource {
        switch backend {
        case .simulator:
            return try Backend.simulator(scenario: scenarioName, phase: phase, realTime: realtime).makeSource()
        case .replay:
            guard let input else { throw ValidationError("--backend replay needs the capture file: sid run --backend replay FILE") }
            return try Backend.replay(path: input).makeSource()
        case .gpio:
            return try BackendName.gpioBackend(configuration).makeSource()
        }
    }

    /// The detector's settings for this run, checked against the source's sensor.
    /// - Throws: `ValidationError` naming `--mounting-angle` when that option is at fault,
    ///   else the `DetectorConfigurationError`.
    private func detectorSettings(_ configuration: DeviceConfiguration?, sensor source: any EdgeSource) throws -> DetectorSettings {
        var settings = configuration?.detector ?? DetectorSettings()
        if let simulated = source as? SimulatedEdgeSource, configuration == nil {
            settings.mountingAngleDegrees = simulated.scenario.sensor.mountingAngleDegrees
        }
        if let mountingAngle { settings.mountingAngleDegrees = mountingAngle }
        do {
            _ = try VehicleDetector(sensor: source.sensor.kind, settings: settings)
        } catch {
            if error.field == "mounting-angle-deg", let mountingAngle {
                throw ValidationError("--mounting-angle \(mountingAngle.formatted()): \(error.detail)")
            }
            throw error
        }
        return settings
    }

    private func resolvedLimit(_ configuration: DeviceConfiguration?) throws -> SpeedLimit {
        var fallback = configuration?.site.speedLimit ?? SpeedLimit(30)
        if configuration == nil, backend == .simulator, let scenario = try? Scenario.resolve(scenarioName) { fallback = scenario.inPhase(phase).limit }
        return try speedLimit(limit, unit: unit, fallback: fallback)
    }

    /// The session to record into: an existing open one, or a new one anchored now.
    /// The simulator's scenario: `<input>`, else `--scenario`, else the default.
    private var scenarioName: String { input ?? scenario ?? BackendName.defaultScenario }

    func validate() throws {
        try backend.checkSourceOptions(input: input, scenario: scenario, realtime: realtime)
        if let id = session, !backend.isLive {
            // A started session's clock is anchored to this machine's monotonic clock,
            // which only a live backend shares; a simulation or a replay has its own.
            throw ValidationError("--session \(id): only a live sensor run records into a session started with 'sid session start'; simulator and replay runs make their own session")
        }
    }

    private func resolveSession(store: DeviceStore, configuration: DeviceConfiguration?, source: any EdgeSource) throws -> (Session, Bool) {
        if let id = session {
            guard let stored = try store.session(id: id) else { throw ValidationError("no session '\(id)' in the store") }
            guard stored.session.isOpen else { throw ValidationError("session '\(id)' is already closed") }
            return (stored.session, false)
        }
        let clock: ClockMapping
        if let simulated = source as? SimulatedEdgeSource {
            clock = SessionClock.anchored(firstEdgeNs: Simulation(scenario: simulated.scenario).clockOffsetNs, wallStart: Date(), source: .simulated)
        } else if let replay = source as? ReplayEdgeSource, let first = replay.firstEdgeNs {
            clock = SessionClock.anchored(firstEdgeNs: first, wallStart: Date(), source: .unsynchronised)
        } else {
            clock = SessionClock.now(source: .unsynchronised)
        }
        let record = Session(
            id: UUID().uuidString.lowercased(), siteID: site ?? configuration?.site.id ?? "SIM-SITE",
            deviceID: deviceId ?? configuration?.deviceID ?? ProcessInfo.processInfo.hostName,
            phase: phase, mode: mode, clock: clock, startedAtNs: clock.wallTimeAtAnchorNs)
        return (record, true)
    }

    private static func printLive(_ readings: [Reading], unit: SpeedUnit) {
        for reading in readings {
            print(String(format: "  %6.1f %@  %@  quality %.2f", reading.speed.value(in: unit), unit.rawValue, reading.direction.rawValue, reading.quality))
        }
    }
}
