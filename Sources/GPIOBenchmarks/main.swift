// gpio-bench: events per second through the libgpiod read path's batch
// conversion, on replayed batches, against the rate a Pi must sustain.
//
//   swift run -c release gpio-bench [capture-file] [--events N]
//
// With a capture file (the format `sid capture` writes), its edges are
// replayed; without one, a 24.125 GHz radar's tone for a car at 100 mph
// (about 7,200 rising edges per second, with jitter) is generated. The edges
// are packed into the structs libgpiod fills (16 per read for the 1.x API,
// 1024 for 2.x) and converted back, the work the reader thread does per event.
#if canImport(CGPIOD)
import CGPIOD
#endif
#if canImport(Glibc)
import Glibc
#endif
import EdgeSources
import GPIOEdges
import SpeedDomain
import SpeedStatistics  // SplitMix64

let arguments = Array(CommandLine.arguments.dropFirst())
var capturePath: String?
var targetEvents = 20_000_000
var index = 0
while index < arguments.count {
    if arguments[index] == "--events", index + 1 < arguments.count {
        targetEvents = Int(arguments[index + 1]) ?? targetEvents
        index += 2
    } else {
        capturePath = arguments[index]
        index += 1
    }
}

/// The worst case the design must sustain on a Pi: a 24.125 GHz module, 100 mph, one pin.
let designRate = Doppler.shiftHz(radial: Speed(100, .mph), carrierHz: Doppler.k24CarrierHz)

var source: [Edge] = []
var sourceName = ""
if let capturePath {
    let reader = CaptureReader(path: capturePath)
    try reader.read { _, edges in source += edges }
    sourceName = "capture \(capturePath)"
} else {
    var generator = SplitMix64(seed: 24_125)
    var t: UInt64 = 1_000_000_000
    let period = 1e9 / designRate
    for _ in 0..<100_000 {
        t += UInt64(period * (0.95 + 0.1 * generator.nextUnit()))
        source.append(Edge(timestampNs: t))
    }
    sourceName = "generated \(Int(designRate.rounded())) Hz tone (24.125 GHz, 100 mph)"
}
guard !source.isEmpty else {
    print("gpio-bench: no edges to replay")
    exit(1)
}
let rounds = max(1, targetEvents / source.count)
print("gpio-bench: \(source.count) edges from \(sourceName), \(rounds) rounds")
print("design rate on a Pi: \(Int(designRate.rounded())) rising edges/s (24.125 GHz at 100 mph, one pin)")

func report(_ name: String, events: Int, _ elapsed: Duration) {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    let rate = Double(events) / seconds
    let perEvent = seconds / Double(events) * 1e9
    print("\(name): \(Int(rate).formatted()) events/s (\(format1(perEvent)) ns/event, \(Int(rate / designRate).formatted())x the design rate)")
}

func format1(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

extension Int {
    func formatted() -> String {
        var digits = String(self)
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return digits + out
    }
}

let clock = ContinuousClock()

#if canImport(CGPIOD) && !GPIOD_V2
// libgpiod 1.x: gpiod_line_event (timespec) in reads of at most 16.
do {
    let raw = source.map { edge in
        gpiod_line_event(
            ts: timespec(tv_sec: Int(edge.timestampNs / 1_000_000_000), tv_nsec: Int(edge.timestampNs % 1_000_000_000)),
            event_type: Int32(GPIOD_LINE_EVENT_RISING_EDGE))
    }
    var edges: [Edge] = []
    edges.reserveCapacity(16)
    var total = 0
    var checksum: UInt64 = 0
    let elapsed = clock.measure {
        raw.withUnsafeBufferPointer { all in
            for _ in 0..<rounds {
                var start = 0
                while start < all.count {
                    let end = min(start + 16, all.count)
                    edges.removeAll(keepingCapacity: true)
                    total += GPIOBatchConversion.appendRisingEdges(
                        UnsafeBufferPointer(rebasing: all[start..<end]), channel: 0, to: &edges)
                    checksum &+= edges.last?.timestampNs ?? 0
                    start = end
                }
            }
        }
    }
    report("libgpiod 1.x conversion, 16 events/read", events: total, elapsed)
    if checksum == 0 { print("(checksum \(checksum))") }
}
#endif

// libgpiod 2.x: events copied out of the buffer with sequence numbers, up to 1024 per read.
do {
    let raw = source.enumerated().map { index, edge in
        GPIOBatchConversion.SequencedEvent(timestampNs: edge.timestampNs, lineOffset: 17, globalSeqno: UInt64(index + 1))
    }
    var edges: [Edge] = []
    edges.reserveCapacity(1024)
    var total = 0
    var dropped: UInt64 = 0
    let elapsed = clock.measure {
        raw.withUnsafeBufferPointer { all in
            for _ in 0..<rounds {
                var tracker = GPIOBatchConversion.SequenceTracker()
                var start = 0
                while start < all.count {
                    let end = min(start + 1024, all.count)
                    edges.removeAll(keepingCapacity: true)
                    dropped += GPIOBatchConversion.appendRisingEdges(
                        UnsafeBufferPointer(rebasing: all[start..<end]), channelOffsets: [17], tracker: &tracker,
                        to: &edges)
                    total += edges.count
                    start = end
                }
            }
        }
    }
    report("libgpiod 2.x conversion with drop check, 1024 events/read", events: total, elapsed)
    if dropped != 0 { print("unexpected: \(dropped) dropped") }
}

// The bridge the reader thread uses: batches of 16 yielded into an
// AsyncThrowingStream and consumed by a task, as `sid run` consumes them.
do {
    let batches = stride(from: 0, to: source.count, by: 16).map { start in
        EdgeBatch(edges: Array(source[start..<min(start + 16, source.count)]))
    }
    let streamRounds = max(1, rounds / 10)
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: EdgeBatch.self, bufferingPolicy: .unbounded)
    let start = clock.now
    let producer = Task.detached {
        for _ in 0..<streamRounds { for batch in batches { continuation.yield(batch) } }
        continuation.finish()
    }
    var received = 0
    for try await batch in stream { received += batch.edges.count }
    await producer.value
    report("AsyncThrowingStream bridge, 16 edges/batch", events: received, clock.now - start)
}

extension SplitMix64 {
    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
