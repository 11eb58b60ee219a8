import Foundation
import SpeedDomain
import TrafficSimulator
import VehicleDetection

/// `sid-bench`: accuracy against the simulator's ground truth, then throughput.
/// Run in release: `swift run -c release sid-bench [accuracy|throughput|detector|store|all|sweep] [scenario…]`.
/// `store` runs only the store half of `throughput` (the detector half takes
/// longer than the store half and says nothing about the store); `detector`
/// only the detector half.
/// `sweep` varies one Doppler detector setting at a time over the Doppler
/// scenarios, for whoever tunes the detector next. `SID_BENCH_DUMP=DIR` makes
/// `accuracy` write each scenario's readings and ground truth as CSV into DIR;
/// `SID_BENCH_SEED_OFFSET=N` runs every scenario with its seed plus N (held-out traffic).
let arguments = Array(CommandLine.arguments.dropFirst())
let mode = arguments.first ?? "all"
let scenarioNames = Array(arguments.dropFirst())

do {
    switch mode {
    case "sweep":
        try Sweep().run()
    case "accuracy":
        try AccuracyBenchmark(scenarioNames: scenarioNames, verbose: true).run()
    case "throughput":
        try ThroughputBenchmark().run()
    case "store":
        try ThroughputBenchmark().storeThroughput()
    case "detector":
        try ThroughputBenchmark().detectorThroughput()
    case "all":
        try ThroughputBenchmark().run()
        try AccuracyBenchmark(scenarioNames: scenarioNames, verbose: false).run()
    default:
        print("usage: sid-bench [accuracy|throughput|detector|store|all|sweep] [scenario…]")
        exit(2)
    }
} catch {
    print("sid-bench: \(error)")
    exit(1)
}
