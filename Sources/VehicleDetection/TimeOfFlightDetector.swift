public import SpeedDomain

/// Speeds from two detectors a known distance apart (tubes, beams, loops).
///
/// Edges are gathered into clusters separated by quiet gaps. Within a
/// cluster, A and B edges are paired by the delay between the detectors that
/// most pairs share (one vehicle's axles all share it), repeatedly, so
/// vehicles crossing both ways at once, missed triggers and spurious ones do
/// not produce wrong pairs.
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
            maximumAxleSpacingMetres: Double = 7, clusterGapNs: UInt64 = 1_500_000_000
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
        // Pairs are allowed down to half the floor so a slow rider's true pair
        // wins over a wrong faster one; the floor then rejects the reading.
        let maximumGapNs = UInt64(configuration.spacingMetres / (0.5 * configuration.minimumSpeed.metresPerSecond) * 1e9)
        guard let pairs = Self.align(a, b, maximumGapNs: maximumGapNs) else { return }
        let vehicles = groupIntoVehicles(pairs.filter(\.approaching)) + groupIntoVehicles(pairs.filter { !$0.approaching })
        for axles in vehicles.sorted(by: { $0[0].first < $1[0].first }) {
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

    /// Pairs A and B edges into crossings. Every axle of one vehicle takes the
    /// same time from one detector to the other, so the delay (signed: A first
    /// means approaching) shared by the most pairs is found first, its pairs
    /// taken in time order, and the search repeated on the edges left. This
    /// untangles vehicles crossing both ways at once and leaves stray or
    /// missed triggers unpaired instead of pairing them wrongly.
    static func align(_ a: [UInt64], _ b: [UInt64], maximumGapNs: UInt64) -> [Crossing]? {
        var freeA = a.map { Int64($0) }
        var freeB = b.map { Int64($0) }
        var crossings: [Crossing] = []
        let limit = Int64(maximumGapNs)
        while !freeA.isEmpty, !freeB.isEmpty {
            var best: (support: Int, spread: Int64, delay: Int64, pairs: [(Int, Int)])?
            var tiedWithOtherDelay = false
            for x in freeA {
                for y in freeB where y != x && abs(y - x) <= limit {
                    let delay = y - x
                    let pairs = pairsSharing(delay: delay, freeA, freeB)
                    let spread = pairs.reduce(Int64(0)) { $0 + abs((freeB[$1.1] - freeA[$1.0]) - delay) }
                    if let current = best, pairs.count == current.support, spread == current.spread,
                        abs(delay - current.delay) > max(abs(current.delay) / 25, 200_000)
                    {
                        tiedWithOtherDelay = true
                    }
                    if best == nil || pairs.count > best!.support || (pairs.count == best!.support && spread < best!.spread) {
                        best = (pairs.count, spread, delay, pairs)
                        tiedWithOtherDelay = false
                    }
                }
            }
            guard let chosen = best, chosen.support > 0 else { break }
            // One pair against another equally good at a different delay (a lost
            // trigger leaves a stray edge either side): the edges cannot decide,
            // so they stay unpaired rather than give a wrong speed.
            if chosen.support == 1, tiedWithOtherDelay { break }
            crossings += chosen.pairs.map { Crossing(a: UInt64(freeA[$0.0]), b: UInt64(freeB[$0.1])) }
            let usedA = Set(chosen.pairs.map(\.0)), usedB = Set(chosen.pairs.map(\.1))
            freeA = freeA.enumerated().filter { !usedA.contains($0.offset) }.map(\.element)
            freeB = freeB.enumerated().filter { !usedB.contains($0.offset) }.map(\.element)
        }
        return crossings.isEmpty ? nil : crossings.sorted { $0.first < $1.first }
    }

    /// Pairs (index in A, index in B), each edge at most once, whose delay b − a
    /// is within 4% of `delay`, taken in time order.
    private static func pairsSharing(delay: Int64, _ a: [Int64], _ b: [Int64]) -> [(Int, Int)] {
        let tolerance = max(abs(delay) / 25, 200_000)
        var pairs: [(Int, Int)] = []
        var j = 0
        for (i, x) in a.enumerated() {
            while j < b.count, b[j] - x < delay - tolerance { j += 1 }
            if j < b.count, abs(b[j] - x - delay) <= tolerance {
                pairs.append((i, j))
                j += 1
            }
        }
        return pairs
    }

    /// Splits consecutive crossings in one direction into vehicles by axle spacing.
    private func groupIntoVehicles(_ crossings: [Crossing]) -> [[Crossing]] {
        var vehicles: [[Crossing]] = []
        for crossing in crossings {
            if var current = vehicles.last, let previous = current.last, previous.approaching == crossing.approaching,
                abs(Double(crossing.gapNs) / Double(previous.gapNs) - 1) < 0.1
            {
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
