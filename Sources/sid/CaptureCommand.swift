import ArgumentParser
import DeviceRuntime
import EdgeSources
import Foundation
import SpeedDomain
import TrafficSimulator

struct Capture: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record a backend's edges to a capture file that 'sid run --backend replay' can read.",
        discussion: """
            Example: sid capture --backend simulator --scenario busy-30mph-platoons --output busy.edges --truth busy.truth.csv
            From real pins: sid capture --backend gpio --config /etc/speedwatch/device.toml --seconds 60 -o road.edges
            (SIGINT or SIGTERM ends a capture cleanly: what was read is kept.)
            The file is written under a temporary name and renamed when complete. See docs/capture-format.md.
            """)

    @Option(help: "Where edges come from: simulator, replay or gpio.") var backend: BackendName = .simulator
    @Option(help: "Device configuration file (TOML), for --backend gpio's [gpio] table.") var config: String?
    @Argument(help: "The capture file for --backend replay, or the scenario for the simulator (instead of --scenario).") var input: String?
    @Option(help: "Simulator scenario name or .toml path (default: \(BackendName.defaultScenario)).") var scenario: String?
    @Option(name: .shortAndLong, help: "The capture file to write.") var output: String
    @Option(help: "With the simulator: also write the ground truth (CSV) here.") var truth: String?
    @Option(help: "Stop after this many seconds of edges (0: until the source ends).") var seconds: Double = 0
    @Option(help: "With the simulator: the scenario's traffic in this evaluation phase ([phase.NAME]), default before.") var phase: Phase?

    func validate() throws {
        try backend.checkSourceOptions(input: input, scenario: scenario)
        if let phase, backend != .simulator {
            throw ValidationError("--phase \(phase.rawValue) picks a simulator scenario's traffic; --backend \(backend.rawValue) records what it reads")
        }
        if let truth, backend != .simulator {
            throw ValidationError("--truth '\(truth)' is the simulator's ground truth; --backend \(backend.rawValue) has none to write")
        }
    }

    func run() async throws {
        let source: any EdgeSource
        switch backend {
        case .simulator:
            let scenario = try Scenario.resolve(input ?? scenario ?? BackendName.defaultScenario)
            source = SimulatedEdgeSource(scenario: scenario.inPhase(phase ?? .before))
        case .replay:
            guard let input else { throw ValidationError("--backend replay needs the capture file to read") }
            source = try ReplayEdgeSource(path: input)
        case .gpio:
            let configuration = try config.map { path in try DeviceConfiguration.load(path: path) }
            source = try BackendName.gpioBackend(configuration).makeSource()
        }
        // The ground truth is written beside the capture first, under a temporary
        // name, so an unwritable --truth fails before any recording, and is
        // renamed into place only once the capture is.
        let stagedTruth = try stageGroundTruth(of: source)
        let comment = "captured by sid capture --backend \(backend.rawValue)"
        let edgeCount: Int
        do {
            edgeCount = try await captureEdges(of: source, comment: comment)
        } catch {
            if let stagedTruth { try? FileManager.default.removeItem(atPath: stagedTruth) }
            throw error
        }
        print("wrote \(edgeCount) edges to \(output)")
        if let truth, let stagedTruth {
            do {
                if FileManager.default.fileExists(atPath: truth) { try FileManager.default.removeItem(atPath: truth) }
                try FileManager.default.moveItem(atPath: stagedTruth, toPath: truth)
            } catch {
                throw CommandError.cannotWrite(truth, underlying: error)
            }
            print("wrote the ground truth to \(truth)\(seconds > 0 ? " (the whole scenario, including road users after the cut)" : "")")
        }
    }

    /// Writes the simulator's ground truth to `--truth` + `.partial`, returning
    /// that path, or nil when there is no truth to write.
    private func stageGroundTruth(of source: any EdgeSource) throws -> String? {
        guard let truth, let simulated = source as? SimulatedEdgeSource else { return nil }
        let staged = truth + ".partial"
        do {
            try simulated.groundTruth.csv().write(toFile: staged, atomically: false, encoding: .utf8)
        } catch {
            try? FileManager.default.removeItem(atPath: staged)
            throw CommandError.cannotWrite(truth, underlying: error)
        }
        return staged
    }

    /// Records the source into `--output`, returning the number of edges written.
    /// A live source never ends by itself: a signal cancels the loop and the
    /// edges read so far are still written out and renamed into place. A
    /// failure abandons the file, so no half capture is left under its name.
    private func captureEdges(of source: any EdgeSource, comment: String) async throws -> Int {
        let (output, seconds) = (self.output, self.seconds)
        return try await SignalHandling.runCancellingOnSignal { [source] in
            let writer = try CaptureWriter(path: output, sensor: source.sensor, comments: [comment])
            do {
                try await Self.record(source, into: writer, seconds: seconds)
            } catch {
                writer.abandon()
                throw error
            }
            return writer.edgeCount
        }
    }

    /// Appends the source's edges to the writer until it ends, `seconds` of edges
    /// have been written, or the task is cancelled, then finishes the file.
    private static func record(_ source: any EdgeSource, into writer: CaptureWriter, seconds: Double) async throws {
        var firstNs: UInt64?
        capture: for try await batch in source.batches() {
            if batch.droppedBefore > 0 { print("warning: the source dropped \(batch.droppedBefore) edges") }
            var edges = batch.edges
            if seconds > 0, let first = firstNs ?? edges.first?.timestampNs {
                firstNs = first
                let cutoff = first + UInt64(seconds * 1e9)
                if let beyond = edges.firstIndex(where: { $0.timestampNs > cutoff }) {
                    edges = Array(edges[..<beyond])
                    try writer.append(edges)
                    break capture
                }
            }
            try writer.append(edges)
        }
        try writer.finish()
    }
}
