import DeviceStore
import Foundation
import SpeedDomain
import TrafficSimulator
import VehicleDetection

/// Edges per second through the detector on one core, over realistic edges,
/// and readings per second into the device store in batched transactions.
struct ThroughputBenchmark {
    func run() throws {
        try detectorThroughput()
        try storeThroughput()
    }

    /// Readings per second into a fresh store file at batch sizes 512 and 4096 (`sid-bench store`).
    func storeThroughput() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sid-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for batchSize in [512, 4096] {
            let rate = try benchmarkAppend(readings: 1_000_000, batchSize: batchSize, path: directory.appendingPathComponent("store-\(batchSize).sqlite").path)
            print("store: readings=1000000 batch=\(batchSize) readings_per_s=\(Int(rate)) (WAL, synchronous=FULL, one transaction per batch)")
        }
    }

    /// Edges per second through the detector on one core (`sid-bench detector`).
    func detectorThroughput() throws {
        var simulation = Simulation(scenario: try Scenario.resolve("busy-30mph-platoons"))
        var edges: [Edge] = []
        while edges.count < 4_000_000, let chunk = simulation.nextChunk(chunkNs: 1_000_000_000) { edges += chunk }
        // Batches as a source delivers them.
        let batches = stride(from: 0, to: edges.count, by: 4096).map { EdgeBatch(edges: Array(edges[$0..<min($0 + 4096, edges.count)])) }
        var best = 0.0
        var readingsCount = 0
        for _ in 0..<5 {
            var detector = try VehicleDetector(sensor: simulation.sensor.kind, settings: DetectorSettings(mountingAngleDegrees: simulation.scenario.sensor.mountingAngleDegrees))
            var readings: [Reading] = []
            readings.reserveCapacity(10_000)
            let start = DispatchTime.now().uptimeNanoseconds
            for batch in batches { detector.process(batch, into: &readings) }
            detector.finish(into: &readings)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = max(best, Double(edges.count) / seconds)
            readingsCount = readings.count
        }
        print("detector: edges=\(edges.count) readings=\(readingsCount) edges_per_s=\(Int(best)) (best of 5, one core)")
    }
}
