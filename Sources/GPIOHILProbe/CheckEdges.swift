import EdgeSources
import GPIOEdges
import Glibc
import SpeedDomain

/// Collects the edges the test's shell drives and checks them: exactly the
/// expected count, in strictly increasing CLOCK_MONOTONIC time within this
/// run, grouped as driven (short gaps inside a group, long gaps between).
func checkEdges(options: Options, settings: GPIOSettings) async throws {
    let expected = options.groups.reduce(0, +)
    guard expected > 0 else { fail("--groups must name at least one edge") }
    let startNs = monotonicNow()
    let source: GPIOEdgeSource
    do {
        source = try GPIOEdgeSource(settings: settings, kind: .doppler(carrierHz: Doppler.hb100CarrierHz))
    } catch {
        fail("cannot open the line: \(error)")
    }
    say("HIL-CHIP \(source.chipName) label=\(source.chipLabel) offsets=\(source.lineOffsets)")
    let stream = source.batches()
    say("HIL-READY")

    // Read until the expected count arrives, then one more second so extra
    // edges (a double-counted toggle) would be seen; the timeout bounds a hang.
    let collected = await withTaskGroup(of: Collected?.self) { group in
        group.addTask {
            var result = Collected()
            do {
                for try await batch in stream {
                    // A quiet batch vouches that no edge happened before its
                    // time: an edge delivered later but stamped earlier breaks that.
                    for edge in batch.edges where edge.timestampNs <= result.vouchedUntilNs {
                        result.vouchViolations += 1
                        say("HIL-VOUCH-BROKEN edge at \(edge.timestampNs) after quiet vouched to \(result.vouchedUntilNs)")
                    }
                    if let until = batch.observedUntilNs {
                        result.quietBatches += 1
                        result.vouchedUntilNs = max(result.vouchedUntilNs, until)
                    }
                    result.edges += batch.edges
                    result.dropped += batch.droppedBefore
                    result.batches += 1
                    if result.edges.count >= expected { break }
                }
            } catch {
                result.error = "\(error)"
            }
            return result
        }
        group.addTask {
            try? await Task.sleep(for: .seconds(options.timeoutS))
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
    guard var result = collected else { fail("timed out after \(options.timeoutS) s waiting for \(expected) edges") }
    if let error = result.error { fail("reading failed: \(error)") }
    // The settle second: anything arriving now is an extra edge.
    let extra = await withTaskGroup(of: [Edge].self) { group in
        group.addTask {
            var more: [Edge] = []
            do { for try await batch in stream { more += batch.edges } } catch {}
            return more
        }
        group.addTask {
            try? await Task.sleep(for: .seconds(1))
            return []
        }
        _ = await group.next()
        group.cancelAll()
        var all: [Edge] = []
        for await part in group { all += part }
        return all
    }
    result.edges += extra
    let endNs = monotonicNow()

    var previous = startNs
    for (index, edge) in result.edges.enumerated() {
        say("HIL-EDGE \(index) ts_ns=\(edge.timestampNs) delta_us=\((edge.timestampNs &- previous) / 1000)")
        previous = edge.timestampNs
    }
    var problems: [String] = []
    if result.edges.count != expected { problems.append("expected \(expected) edges, got \(result.edges.count)") }
    if result.dropped != 0 { problems.append("\(result.dropped) events reported dropped") }
    if result.quietBatches == 0 { problems.append("no quiet-time batch (observedUntilNs) during the 1 s pauses") }
    if result.vouchViolations != 0 { problems.append("\(result.vouchViolations) edge(s) stamped before a quiet time already vouched for") }
    if result.edges.contains(where: { $0.channel != 0 }) { problems.append("an edge on a channel other than 0") }
    for (a, b) in zip(result.edges, result.edges.dropFirst()) where b.timestampNs <= a.timestampNs {
        problems.append("timestamps not increasing: \(a.timestampNs) then \(b.timestampNs)")
    }
    if let first = result.edges.first, let last = result.edges.last, first.timestampNs < startNs || last.timestampNs > endNs {
        problems.append("timestamps outside this run's CLOCK_MONOTONIC window \(startNs)...\(endNs)")
    }
    if result.edges.count == expected {
        problems += groupProblems(result.edges, groups: options.groups, gapNs: options.gapMs * 1_000_000)
    }
    problems += await captureProblems(result.edges, sensor: source.sensor)
    let summary = "edges=\(result.edges.count) expected=\(expected) batches=\(result.batches) quiet=\(result.quietBatches) dropped=\(result.dropped) chip=\(source.chipName)"
    if problems.isEmpty {
        say("HIL-RESULT PASS \(summary)")
        exit(0)
    }
    problems.forEach { say("HIL-PROBLEM \($0)") }
    fail(summary)
}

struct Collected: Sendable {
    var edges: [Edge] = []
    var dropped: UInt64 = 0
    var batches = 0
    var quietBatches = 0
    var vouchedUntilNs: UInt64 = 0
    var vouchViolations = 0
    var error: String?
}

/// The driven pattern as gaps: a gap longer than `gapNs` must come exactly
/// after each group, and nowhere else.
func groupProblems(_ edges: [Edge], groups: [Int], gapNs: UInt64) -> [String] {
    var boundaries = Set<Int>()
    var running = 0
    for size in groups.dropLast() {
        running += size
        boundaries.insert(running)
    }
    var problems: [String] = []
    for index in 1..<edges.count {
        let gap = edges[index].timestampNs - edges[index - 1].timestampNs
        let long = gap > gapNs
        if long != boundaries.contains(index) {
            problems.append("edge \(index): gap \(gap / 1000) us is \(long ? "long" : "short") but the pattern \(groups) wants it \(long ? "short" : "long")")
        }
    }
    return problems
}

/// What `sid capture` does with real pins: the edges read go into a capture
/// file, which must replay to exactly the same edges and sensor description.
func captureProblems(_ edges: [Edge], sensor: SensorDescription) async -> [String] {
    let path = "/tmp/hil-capture.edges"
    do {
        let writer = try CaptureWriter(path: path, sensor: sensor, comments: ["gpio-hil-probe, gpio-sim"])
        try writer.append(edges)
        try writer.finish()
        let replay = try ReplayEdgeSource(path: path)
        var replayed: [Edge] = []
        for try await batch in replay.batches() { replayed += batch.edges }
        guard replayed == edges, replay.sensor == sensor else {
            return ["capture \(path) replays \(replayed.count) edges (sensor \(replay.sensor)), not the \(edges.count) read"]
        }
        say("HIL-CAPTURE \(path): \(replayed.count) edges written and replayed identically, pins \(sensor.pins)")
        return []
    } catch {
        return ["capture round trip failed: \(error)"]
    }
}
