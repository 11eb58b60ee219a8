import Collector
import CollectorStore
import Foundation
import Reports
import SessionBundle
import SpeedDomain
import SpeedStatistics

// collector-bench: prints ingest readings/s over 10 million readings (signed
// bundles on disk into a fresh SQLite file) and ms for a full site report over
// 1 million readings. Run with `swift run -c release collector-bench`.
// Options: --ingest-readings N, --report-readings N (smaller runs for a quick look).

func argument(_ name: String, default value: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return value }
    return v
}

let ingestTotal = argument("--ingest-readings", default: 10_000_000)
let reportTotal = argument("--report-readings", default: 1_000_000)
let perBundle = 100_000
let site = Site(id: "BENCH", name: "Benchmark Road", road: "A1", limit: SpeedLimit(20), scheme: .driveSafe, isPilot: true)
let dir = FileManager.default.temporaryDirectory.appendingPathComponent("collector-bench-\(ProcessInfo.processInfo.processIdentifier)")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: dir) }

/// A plausible speed in mph at full resolution: a skewed spread around 24 mph.
func speed(_ rng: inout SplitMix64) -> Double {
    let u = Double(rng.next() >> 11) / Double(1 << 53), v = Double(rng.next() >> 11) / Double(1 << 53)
    return 14 + 10 * (u + v) + 6 * u * v
}

// MARK: ingest

let key = DeviceKey.generate()
var rng = SplitMix64(seed: 1)
var paths: [String] = []
let day: Int64 = 86_400_000_000_000
let t0: Int64 = 1_772_409_600_000_000_000
print("writing \(ingestTotal / perBundle) bundles of \(perBundle) readings…")
for b in 0..<(ingestTotal / perBundle) {
    let start = t0 + Int64(b) * day
    let session = Session(
        id: "bench-\(b)", siteID: site.id, deviceID: "DEV-BENCH", phase: b % 2 == 0 ? .before : .after, mode: .displayOn,
        clock: ClockMapping(monotonicAnchorNs: 0, wallTimeAtAnchorNs: start, source: .ntp), startedAtNs: start, endedAtNs: start + day - 1)
    let readings = (0..<perBundle).map { i in
        let s = Speed.mph(speed(&rng))
        return Reading(monotonicNs: UInt64(i) * 800_000_000, speed: s, firstLockSpeed: s, peakSpeed: s, durationNs: 900_000_000, direction: i % 3 == 0 ? .receding : .approaching, quality: 0.9)
    }
    let path = dir.appendingPathComponent("b\(b).swb").path
    try SessionBundle(session: session, sensor: SensorDescription(kind: .doppler(carrierHz: Doppler.k24CarrierHz), pins: ["GPIO17"]), mountingAngleDegrees: 10, readings: readings)
        .write(to: path, signingWith: key)
    paths.append(path)
}
let ingestStore = try SQLiteCollectorStore(path: dir.appendingPathComponent("ingest.sqlite").path)
try ingestStore.addSite(site)
try ingestStore.registerDevice(id: "DEV-BENCH", publicKeyBase64: key.publicKeyBase64)
let importer = BundleImporter(store: ingestStore)
let clock = ContinuousClock()
let ingestTime = try clock.measure {
    for r in try importer.importFiles(paths) {
        guard case .success(.imported) = r.outcome else { fatalError("bench import failed: \(r)") }
    }
}
let ingested = try ingestStore.readingCount()
let seconds = Double(ingestTime.components.seconds) + Double(ingestTime.components.attoseconds) / 1e18
print(String(format: "ingest: %d readings in %.2f s = %.0f readings/s (bar: >= 300000)", ingested, seconds, Double(ingested) / seconds))

// Where the time goes: reading and verifying alone (no store), over up to 10 bundles.
let sample = Array(paths.prefix(10))
let reader = SessionBundleReader(publicKeys: ["DEV-BENCH": key.publicKey])
var parsed = 0
let readTime = try clock.measure {
    for p in sample { parsed += try reader.read(path: p).bundle.readings.count }
}
let readSeconds = Double(readTime.components.seconds) + Double(readTime.components.attoseconds) / 1e18
print(String(format: "  of which reading and verifying bundles alone: %.0f readings/s (%d readings)", Double(parsed) / readSeconds, parsed))

// MARK: report

let reportStore = try SQLiteCollectorStore(path: dir.appendingPathComponent("report.sqlite").path)
try reportStore.addSite(site)
let sessions = 20
for s in 0..<sessions {
    let n = reportTotal / sessions
    let start = t0 + Int64(s) * day
    let readings = (0..<n).map { i in
        IngestReading(wallTimeNs: start + Int64(i) * (day / Int64(n)), speedMetresPerSecond: Speed.mph(speed(&rng) - (s >= sessions / 2 ? 1.5 : 0)).metresPerSecond, direction: .approaching, quality: 1, flags: 0)
    }
    let record = SessionRecord(
        id: "r-\(s)", siteID: site.id, deviceID: "DEV", source: .bundle, phase: s < sessions / 2 ? .before : .after, mode: .displayOn, clockSource: .ntp,
        startedAtNs: start, endedAtNs: start + day, sha256: String(s), file: "r-\(s)", readingCount: n)
    _ = try reportStore.ingest(record, readings: readings)
}
var timings: [Double] = []
var size = 0
for _ in 0..<5 {
    let d = try clock.measure {
        size = try ReportRequest(scope: .site(site.id), format: .json, options: ReportOptions(postStratify: true)).render(store: reportStore).utf8.count
    }
    timings.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
}
timings.sort()
print(String(format: "report: full site report (JSON, 1000-replicate cluster bootstrap, post-stratified) over %d readings in %d sessions: median %.1f ms of 5 runs (bar: < 200 ms), %d bytes", try reportStore.readingCount(), sessions, timings[2], size))
