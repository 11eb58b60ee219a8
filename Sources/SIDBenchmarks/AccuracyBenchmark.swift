import Foundation
import SpeedDomain
import TrafficSimulator
import VehicleDetection

/// Runs the detector over simulator scenarios and scores it against ground truth.
struct AccuracyBenchmark {
    /// Scenarios covering quiet 20mph streets, busy 30mph roads with platoons,
    /// both directions, cyclists and pedestrians, noise, flicker, 24 GHz and I/Q,
    /// and a residential street in a 20mph pilot (its "before" phase), the
    /// kind of road community speed watch groups stand beside most.
    static let defaultScenarios = [
        "quiet-20mph", "busy-30mph-platoons", "noisy-30mph-flicker", "k-band-40mph-iq", "rural-60mph", "tubes-30mph",
        "pilot-20mph",
    ]

    var scenarioNames: [String]
    var verbose: Bool
    /// Added to every scenario's seed (`SID_BENCH_SEED_OFFSET`): the same
    /// streets with other traffic, to check that the detector's settings,
    /// tuned on the default seeds, hold on traffic they were not tuned on.
    var seedOffset: UInt64 = ProcessInfo.processInfo.environment["SID_BENCH_SEED_OFFSET"].flatMap { UInt64($0) } ?? 0

    func run() throws {
        let names = scenarioNames.isEmpty ? Self.defaultScenarios : scenarioNames
        var total = DetectionScore()
        for name in names {
            var scenario = try Scenario.resolve(name)
            scenario.seed &+= seedOffset
            let started = Date()
            var simulation = Simulation(scenario: scenario)
            let edges = simulation.allEdges()
            let simulated = Date().timeIntervalSince(started)
            var detector = try VehicleDetector(sensor: scenario.sensorKind, settings: DetectorSettings(mountingAngleDegrees: scenario.sensor.mountingAngleDegrees))
            var readings: [Reading] = []
            detector.process(EdgeBatch(edges: edges), into: &readings)
            detector.finish(into: &readings)
            if let dump = ProcessInfo.processInfo.environment["SID_BENCH_DUMP"] {
                try simulation.groundTruth.csv().write(toFile: "\(dump)/\(name).truth.csv", atomically: true, encoding: .utf8)
                let lines = ["end_ns,duration_ns,speed_mph,first_mph,peak_mph,quality,direction,flags"] + readings.map {
                    "\($0.monotonicNs),\($0.durationNs),\($0.speed.mph),\($0.firstLockSpeed.mph),\($0.peakSpeed.mph),\($0.quality),\($0.direction.rawValue),\($0.flags.rawValue)"
                }
                try lines.joined(separator: "\n").write(toFile: "\(dump)/\(name).readings.csv", atomically: true, encoding: .utf8)
            }
            let score = DetectionScore(readings: readings, truth: simulation.groundTruth, floorMph: detector.floor.mph)
            if let dump = ProcessInfo.processInfo.environment["SID_BENCH_DUMP"] {
                let missed = ["id,kind,speed_mph,in_platoon"] + score.missed.map { "\($0.id),\($0.kind),\($0.mph),\($0.inPlatoon ? 1 : 0)" }
                try missed.joined(separator: "\n").write(toFile: "\(dump)/\(name).missed.csv", atomically: true, encoding: .utf8)
                let falses = ["start_s,end_s,speed_mph,why"] + score.falseReadings.map { "\($0.start),\($0.end),\($0.mph),\($0.why)" }
                try falses.joined(separator: "\n").write(toFile: "\(dump)/\(name).false.csv", atomically: true, encoding: .utf8)
                let paired = ["reading,id"] + score.pairs.sorted { $0.reading < $1.reading }.map { "\($0.reading),\($0.id)" }
                try paired.joined(separator: "\n").write(toFile: "\(dump)/\(name).pairs.csv", atomically: true, encoding: .utf8)
            }
            print(
                "\(name): edges=\(edges.count) simulated_s=\(String(format: "%.1f", simulated)) bias_mph=\(String(format: "%+.2f", score.meanSignedErrorMph)) "
                    + "resolvable=\(score.resolvable) resolvable_detected_pct=\(String(format: "%.2f", score.resolvableDetectedPercent)) "
                    + score.description.replacingOccurrences(of: "accuracy: ", with: ""))
            if verbose {
                for w in score.worst.prefix(5) { print("   worst: id=\(w.id) truth=\(String(format: "%.2f", w.truth)) reading=\(String(format: "%.2f", w.reading))") }
                for f in score.falseReadings.prefix(12) { print("   false: \(String(format: "%.2f-%.2f %.2f mph", f.start, f.end, f.mph)) \(f.why)") }
                for m in score.missed.prefix(8) { print("   missed: id=\(m.id) \(m.kind) \(String(format: "%.1f", m.mph)) mph platoon=\(m.inPlatoon)") }
            }
            total.merge(score)
        }
        print("all: resolvable=\(total.resolvable) resolvable_detected_pct=\(String(format: "%.2f", total.resolvableDetectedPercent)) (dominant return for at least \(DetectionScore.resolvableSeconds) s)")
        print(total.description)
    }
}
