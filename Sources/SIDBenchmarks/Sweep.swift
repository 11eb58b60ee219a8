import Foundation
import SpeedDomain
import TrafficSimulator
import VehicleDetection

/// Varies one Doppler detector setting at a time from its default over the
/// Doppler scenarios and prints the summary line for each, so a change of
/// default can be judged on all of them at once.
struct Sweep {
    func run() throws {
        let names = ["quiet-20mph", "busy-30mph-platoons", "noisy-30mph-flicker", "k-band-40mph-iq", "rural-60mph"]
        var cases: [(Scenario, [Edge], GroundTruth)] = []
        for name in names {
            let scenario = try Scenario.resolve(name)
            var simulation = Simulation(scenario: scenario)
            let edges = simulation.allEdges()
            cases.append((scenario, edges, simulation.groundTruth))
        }
        typealias Tweak = (String, (inout DopplerConfiguration) -> Void)
        var tweaks: [Tweak] = [("baseline", { _ in })]
        for v in [0.06, 0.10, 0.12] { tweaks.append(("continuity=\(v)", { $0.continuityTolerance = v })) }
        for v in [4, 8, 10] { tweaks.append(("split=\(v)", { $0.splitAfterWindows = v })) }
        for v in [2.0, 6.0, 8.0] { tweaks.append(("mergeGap=\(v)", { $0.mergeGapNs = UInt64(v * 1e9) })) }
        for v in [0.03, 0.06, 0.08] { tweaks.append(("join=\(v)", { $0.joinTolerance = v })) }
        for v in [0.04, 0.09] { tweaks.append(("rise=\(v)", { $0.riseStartFraction = v })) }
        for v in [0.08, 0.16] { tweaks.append(("sag=\(v)", { $0.sagEndFraction = v })) }
        for v in [0.10, 0.15, 0.18] { tweaks.append(("lockCV=\(v)", { $0.lockCoefficientOfVariation = v })) }
        for v in [6, 12] { tweaks.append(("window=\(v)", { $0.windowPeriods = v })) }
        for v in [5, 12] { tweaks.append(("minWindows=\(v)", { $0.minimumWindows = v })) }
        for v in [150.0, 400.0] { tweaks.append(("hold=\(v)", { $0.holdNs = UInt64(v * 1e6) })) }
        for v in [0.3, 1.0] { tweaks.append(("sagTail=\(v)", { $0.sagTailNs = UInt64(v * 1e9) })) }
        for v in [0.02, 0.05] { tweaks.append(("plateauTol=\(v)", { $0.plateauTolerance = v })) }
        for (label, tweak) in tweaks {
            var total = DetectionScore()
            for (scenario, edges, truth) in cases {
                var configuration = DopplerConfiguration(carrierHz: scenario.sensorKind.carrierHz!, mountingAngleDegrees: scenario.sensor.mountingAngleDegrees)
                tweak(&configuration)
                var detector = DopplerDetector(configuration: configuration)
                var readings: [Reading] = []
                detector.process(EdgeBatch(edges: edges), into: &readings)
                detector.finish(into: &readings)
                total.merge(DetectionScore(readings: readings, truth: truth, floorMph: 10))
            }
            print(label.padding(toLength: 18, withPad: " ", startingAt: 0), total.description)
        }
    }
}
