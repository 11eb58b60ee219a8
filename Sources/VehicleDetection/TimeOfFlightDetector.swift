public import SpeedDomain

/// Speeds from two detectors a known distance apart (tubes, beams, loops).
///
/// Edges are gathered into clusters separated by quiet gaps. Within a
/// cluster the i-th edge on detector A belongs with the i-th on detector B;
/// when a trigger was missed or a spurious one added, the alignment that
/// drops the fewest edges and gives the steadiest crossing times is used.
/// Each A–B pair is one axle (or one vehicle, for beams): its speed is the
/// spacing over the time between the two edges, its direction which detector
/// fired first. Consecutive axles close enough to belong to one vehicle are
/// merged into one reading with the axle count in its duration's span.
public struct TimeOfFlightDetector: Sendable {
    public struct Configuration: Sendable, Hashable, Codable {
        public var spacingMetres: Double
        public var minimumSpeed: Speed
        public var maximumSpeed: Speed
        /// Largest distance between consecutive axles of one vehicle, m.
        public var maximumAxleSpacingMetres: Double
        /// Quiet time that ends a cluster, ns.
        public var clusterGapNs: UInt64

        public init(
            spacingMetres: Double, minimumSpeed: Speed = .mph(10), maximumSpeed: Speed = .mph(150),
            maximumAxleSpacingMetres: Double = 9, clusterGapNs: UInt64 = 1_500_000_000
        ) {
            self.spacingMetres = spacingMetres
            self.minimumSpeed = minimumSpeed
            self.maximumSpeed = maximumSpeed
            self.maximumAxleSpacingMetres = maximumAxleSpacingMetres
            self.clusterGapNs = clusterGapNs
        }
    }

    public let configuration: Configuration
    private var cluster: [Edge] = []
    private var droppedSinceLastReading = false

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    public mutating func process(_ batch: EdgeBatch, into readings: inout [Reading]) {
        if batch.droppedBefore > 0 { droppedSinceLastReading = true }
        for edge in batch.edges {
            if let last = cluster.last, edge.timestampNs > last.timestampNs + configuration.clusterGapNs {
                closeCluster(into: &readings)
            }
            cluster.append(edge)
        }
    }

    public mutating func advance(toNs nowNs: UInt64, into readings: inout [Reading]) {
        if let last = cluster.last, nowNs > last.timestampNs + configuration.clusterGapNs { closeCluster(into: &readings) }
    }

    public mutating func finish(into readings: inout [Reading]) { closeCluster(into: &readings) }

    private mutating func closeCluster(into readings: inout [Reading]) {
        defer { cluster.removeAll(keepingCapacity: true) }
        let a = cluster.filter { $0.channel == 0 }.map(\.timestampNs)
        let b = cluster.filter { $0.channel != 0 }.map(\.timestampNs)
        guard let pairs = Self.align(a, b, maximumGapNs: UInt64(configuration.spacingMetres / configuration.minimumSpeed.metresPerSecond * 1e9)) else { return }
        for axles in groupIntoVehicles(pairs) {
            if let reading = reading(for: axles) { readings.append(reading) }
        }
    }

    /// One axle crossing: when each detector fired.
    struct Crossing: Hashable {
        var a: UInt64
        var b: UInt64
        var first: UInt64 { min(a, b) }
        var gapNs: UInt64 { a > b ? a - b : b - a }
        var approaching: Bool { a <= b }
    }

    /// Pairs the i-th A edge with the i-th B edge, after dropping surplus edges
    /// from the longer list where that makes the crossing gaps steadiest.
    static func align(_ a: [UInt64], _ b: [UInt64], maximumGapNs: UInt64) -> [Crossing]? {
        guard !a.isEmpty, !b.isEmpty else { return nil }
        func crossings(_ a: [UInt64], _ b: [UInt64]) -> [Crossing] { zip(a, b).map { Crossing(a: $0, b: $1) } }
        func spread(_ pairs: [Crossing]) -> Double {
            let gaps = pairs.map { Double($0.gapNs) }
            let mean = gaps.reduce(0, +) / Double(gaps.count)
            let directions = Set(pairs.map(\.approaching)).count
            let tooLong = pairs.contains { $0.gapNs > maximumGapNs }
            // Steadiest first; among equally steady pairings, the one whose partners are
            // nearest in time (a detector's partner edge is the next one, not a later axle's).
            let steadiness = gaps.reduce(0) { $0 + abs($1 - mean) } / max(mean, 1)
            return steadiness + 1e-3 * mean / Double(max(maximumGapNs, 1)) + (directions > 1 ? 10 : 0) + (tooLong ? 100 : 0)
        }
        var longer = a.count >= b.count ? a : b
        let shorter = a.count >= b.count ? b : a
        let aIsLonger = a.count >= b.count
        // Drop one surplus edge at a time, each time the one whose removal leaves the steadiest pairing.
        while longer.count > shorter.count {
            var best: (score: Double, index: Int) = (.infinity, 0)
            for index in longer.indices {
                var candidate = longer
                candidate.remove(at: index)
                let trial = Array(candidate.prefix(shorter.count))
                let pairs = aIsLonger ? crossings(trial, shorter) : crossings(shorter, trial)
                let score = spread(pairs)
                if score < best.score { best = (score, index) }
            }
            longer.remove(at: best.index)
        }
        let pairs = aIsLonger ? crossings(longer, shorter) : crossings(shorter, longer)
        return pairs.filter { $0.gapNs <= maximumGapNs && $0.gapNs > 0 }
    }

    /// Splits consecutive same-direction crossings into vehicles by axle spacing.
    private func groupIntoVehicles(_ crossings: [Crossing]) -> [[Crossing]] {
        var vehicles: [[Crossing]] = []
        for crossing in crossings {
            if var current = vehicles.last, let previous = current.last, previous.approaching == crossing.approaching {
                let speed = configuration.spacingMetres / (Double(crossing.gapNs) / 1e9)
                let spacing = speed * Double(crossing.first - previous.first) / 1e9
                if spacing <= configuration.maximumAxleSpacingMetres {
                    current.append(crossing)
                    vehicles[vehicles.count - 1] = current
                    continue
                }
            }
            vehicles.append([crossing])
        }
        return vehicles
    }

    private mutating func reading(for axles: [Crossing]) -> Reading? {
        let speeds = axles.map { configuration.spacingMetres / (Double($0.gapNs) / 1e9) }.sorted()
        let median = speeds.count % 2 == 1 ? speeds[speeds.count / 2] : (speeds[speeds.count / 2 - 1] + speeds[speeds.count / 2]) / 2
        let speed = Speed(metresPerSecond: median)
        guard speed >= configuration.minimumSpeed, speed <= configuration.maximumSpeed else { return nil }
        let spread = (speeds.last! - speeds.first!) / median
        let quality = max(0, min(1, 1 - spread / 0.1)) * (axles.count >= 2 ? 1 : 0.8)
        var flags: ReadingFlags = []
        if quality < 0.5 { flags.insert(.lowQuality) }
        if droppedSinceLastReading { flags.insert(.edgesDropped) }
        droppedSinceLastReading = false
        let first = axles.map(\.first).min()!
        let last = axles.map { max($0.a, $0.b) }.max()!
        return Reading(
            monotonicNs: last, speed: speed,
            firstLockSpeed: Speed(metresPerSecond: configuration.spacingMetres / (Double(axles[0].gapNs) / 1e9)),
            peakSpeed: Speed(metresPerSecond: speeds.last!), durationNs: last - first,
            direction: axles[0].approaching ? .approaching : .receding, quality: quality, flags: flags)
    }
}
