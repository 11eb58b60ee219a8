public import SpeedDomain

/// Speeds from two detectors a known distance apart (tubes, beams, loops).
///
/// Edges are gathered into clusters separated by quiet gaps. Within a
/// cluster, A and B edges are paired one vehicle at a time by the delay
/// between the detectors that its axles share (see `Alignment`), so vehicles
/// crossing both ways at once, missed triggers and spurious ones do not
/// produce wrong pairs.
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
    /// Where the source lost edges, for flagging the readings across a loss.
    private var losses = EdgeLosses()
    private var lastEdgeNs: UInt64?
    /// Speeds of the last vehicles read from two or more axles, m/s: the prior
    /// that settles a lost trigger's ambiguous pairing.
    private var recentSpeeds: [Double] = []
    static let recentSpeedCount = 64

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    public mutating func process(_ batch: EdgeBatch, into readings: inout [Reading]) {
        losses.observe(batch, lastEdgeNs: lastEdgeNs)
        lastEdgeNs = batch.edges.last?.timestampNs ?? lastEdgeNs
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
        defer {
            // Later clusters begin after this one: losses that ended within it can no longer touch them.
            if let last = cluster.last { losses.forget(endedBefore: last.timestampNs &+ 1) }
            cluster.removeAll(keepingCapacity: true)
        }
        let a = cluster.filter { $0.channel == 0 }.map(\.timestampNs)
        let b = cluster.filter { $0.channel != 0 }.map(\.timestampNs)
        // Pairs are allowed down to half the floor so a slow rider's true pair
        // wins over a wrong faster one; the floor then rejects the reading.
        let floorGapNs = Int64(configuration.spacingMetres / configuration.minimumSpeed.metresPerSecond * 1e9)
        let alignment = Alignment(
            spacingMetres: configuration.spacingMetres, maximumAxleSpacingMetres: configuration.maximumAxleSpacingMetres,
            floorGapNs: floorGapNs, maximumGapNs: UInt64(2 * floorGapNs), recentSpeeds: recentSpeeds)
        let pairs = alignment.align(a, b)
        guard !pairs.isEmpty else { return }
        let vehicles = groupIntoVehicles(pairs.filter(\.approaching)) + groupIntoVehicles(pairs.filter { !$0.approaching })
        for axles in vehicles.sorted(by: { $0[0].first < $1[0].first }) {
            if let reading = reading(for: axles) { readings.append(reading) }
        }
    }

    /// One axle crossing: when each detector fired.
    struct Crossing: Hashable {
        var a: UInt64
        var b: UInt64
        /// Chosen by the speed prior between equally good explanations of the edges.
        var byPrior = false
        var first: UInt64 { min(a, b) }
        var gapNs: UInt64 { a > b ? a - b : b - a }
        var approaching: Bool { a <= b }
    }

    /// Pairs A and B edges of one cluster into crossings.
    ///
    /// Every axle of one vehicle takes the same time from one detector to the
    /// other, so the delay (signed: A first means approaching) shared by the
    /// most axles of one vehicle (consecutive pairs within an axle spacing of
    /// each other) is found first, that vehicle's pairs are taken, and the
    /// search is repeated on the edges left; the delay's support over the whole
    /// cluster breaks ties (beams give one pair per vehicle). This untangles
    /// vehicles crossing both ways at once without one vehicle's delay claiming
    /// an axle of another, and leaves stray triggers unpaired.
    ///
    /// When a lost trigger leaves single pairs at different delays equally
    /// good, the edges cannot decide; the speed typical of recent traffic
    /// decides if every other is at least e^6 times less likely (taking
    /// traffic speeds as normal, spread from their median absolute deviation),
    /// and the crossing is marked; otherwise the edges stay unpaired.
    struct Alignment {
        var spacingMetres: Double
        var maximumAxleSpacingMetres: Double
        /// The delay at the floor speed: a slower vehicle is never reported.
        var floorGapNs: Int64
        var maximumGapNs: UInt64
        /// Speeds of recent unambiguous vehicles, m/s.
        var recentSpeeds: [Double]

        struct Candidate {
            var vehicleSupport: Int
            var clusterSupport: Int
            var spread: Int64
            var delay: Int64
            var pairs: [(Int, Int)]

            func beats(_ other: Candidate) -> Bool {
                (vehicleSupport, clusterSupport, -spread) > (other.vehicleSupport, other.clusterSupport, -other.spread)
            }
            /// As good, at another speed, and claiming an edge of the other:
            /// the edges cannot tell which is right. (Two as good that share
            /// no edge are two vehicles, to be taken one after the other.)
            func ties(_ other: Candidate) -> Bool {
                vehicleSupport == other.vehicleSupport && clusterSupport == other.clusterSupport && spread == other.spread
                    && abs(delay - other.delay) > Alignment.tolerance(other.delay) && sharesEdge(with: other)
            }
            func sharesEdge(with other: Candidate) -> Bool {
                pairs.contains { pair in other.pairs.contains { Alignment.shareAnEdge(pair, $0) } }
            }
        }

        func align(_ a: [UInt64], _ b: [UInt64]) -> [Crossing] {
            vehicles(a.map { Int64($0) }, b.map { Int64($0) }, lookAhead: true).joined().sorted { $0.first < $1.first }
        }

        /// Vehicles taken one at a time from the edges until none can be told, each as its crossings.
        private func vehicles(_ a: [Int64], _ b: [Int64], lookAhead: Bool, banned: Int64? = nil) -> [[Crossing]] {
            var freeA = a, freeB = b
            var vehicles: [[Crossing]] = []
            while let step = nextVehicle(freeA, freeB, lookAhead: lookAhead, banned: banned) {
                vehicles.append(step.candidate.pairs.map { Crossing(a: UInt64(freeA[$0.0]), b: UInt64(freeB[$0.1]), byPrior: step.byPrior) })
                Self.remove(step.candidate, from: &freeA, &freeB)
            }
            return vehicles
        }

        /// The next vehicle's pairs among the free edges, or nil when none can be told.
        ///
        /// The best-supported delay is usually right, but not always: at a
        /// slow delay, a platoon's followers can pass for more axles of one
        /// long vehicle (its gaps read as axle spacings), leaving the rest of
        /// the edges to be explained by fast phantom crossings; and one
        /// vehicle's front A with another's rear B can match a third
        /// vehicle's delay, giving it an extra "axle" taken from a car beside
        /// it. So with `lookAhead`, the alignment is also followed to the end
        /// starting with each alternative: the runner-up (the best delay of
        /// another speed shared by two or more axles) and the best rivals
        /// (such delays that claim one of the leader's edges), each once
        /// never using the leader's speed and once free to. Whichever
        /// explains the edges best (see `Fit`) is taken. The choices are
        /// compared over the edges within `LookAheadWindow.reachNs` of the
        /// leader's, so the cost stays bounded in long clusters.
        /// `banned` excludes delays within tolerance of it.
        private func nextVehicle(_ a: [Int64], _ b: [Int64], lookAhead: Bool, banned: Int64? = nil) -> (candidate: Candidate, byPrior: Bool)? {
            guard !a.isEmpty, !b.isEmpty else { return nil }
            let (tied, alternatives) = bestCandidates(a, b, banned: banned, withAlternatives: lookAhead)
            guard let leader = tied.first else { return nil }
            if tied.count > 1 {
                guard let plausible = mostPlausible(tied) else { return nil }
                return (plausible, true)
            }
            if lookAhead, !alternatives.isEmpty {
                let window = LookAheadWindow(around: leader, a, b)
                let (wa, wb) = (Array(a[window.a]), Array(b[window.b]))
                var best = (candidate: leader, fit: explanation(startingWith: window.local(leader), wa, wb, banned: nil))
                for alternative in alternatives where window.holds(alternative) {
                    let local = window.local(alternative)
                    let banningLeader = explanation(startingWith: local, wa, wb, banned: leader.delay)
                    let withLeader = explanation(startingWith: local, wa, wb, banned: nil)
                    let fit = withLeader.isBetter(than: banningLeader) ? withLeader : banningLeader
                    if fit.isBetter(than: best.fit) { best = (alternative, fit) }
                }
                return (best.candidate, false)
            }
            return (leader, false)
        }

        /// The edges within `reachNs` of a candidate's, where choosing it
        /// first can change how the rest pair: the look-ahead compares the
        /// choices there only, so its cost does not grow with the cluster's length.
        struct LookAheadWindow {
            static let reachNs: Int64 = 4_000_000_000
            /// Index ranges of the window's edges in A and in B.
            let a: Range<Int>
            let b: Range<Int>

            init(around candidate: Candidate, _ a: [Int64], _ b: [Int64]) {
                let times = candidate.pairs.flatMap { [a[$0.0], b[$0.1]] }
                let (earliest, latest) = (times.min()! - Self.reachNs, times.max()! + Self.reachNs)
                func range(_ edges: [Int64]) -> Range<Int> {
                    (edges.firstIndex { $0 >= earliest } ?? edges.count)..<(edges.lastIndex { $0 <= latest }.map { $0 + 1 } ?? 0)
                }
                self.a = range(a)
                self.b = range(b)
            }

            func holds(_ candidate: Candidate) -> Bool {
                candidate.pairs.allSatisfy { a.contains($0.0) && b.contains($0.1) }
            }

            /// The candidate with its pairs indexed within the window.
            func local(_ candidate: Candidate) -> Candidate {
                var local = candidate
                local.pairs = candidate.pairs.map { ($0.0 - a.lowerBound, $0.1 - b.lowerBound) }
                return local
            }
        }

        /// How well a whole alignment explains a cluster's edges.
        struct Fit {
            /// Edges paired.
            var edges: Int
            var vehicles: Int
            /// Vehicles read from one pair: among tubes, where every vehicle
            /// has two or more axles, each is a lost trigger or a phantom.
            var singles: Int

            /// More edges paired, then in fewer vehicles, then with fewer singles.
            func isBetter(than other: Fit) -> Bool {
                (edges, -vehicles, -singles) > (other.edges, -other.vehicles, -other.singles)
            }
        }

        /// How the greedy alignment explains the edges when it takes `first`
        /// first and never a delay near `banned`.
        private func explanation(startingWith first: Candidate, _ a: [Int64], _ b: [Int64], banned: Int64?) -> Fit {
            var freeA = a, freeB = b
            Self.remove(first, from: &freeA, &freeB)
            let rest = vehicles(freeA, freeB, lookAhead: false, banned: banned)
            return Fit(
                edges: 2 * (first.pairs.count + rest.reduce(0) { $0 + $1.count }), vehicles: 1 + rest.count,
                singles: (first.pairs.count == 1 ? 1 : 0) + rest.filter { $0.count == 1 }.count)
        }

        private static func remove(_ candidate: Candidate, from a: inout [Int64], _ b: inout [Int64]) {
            let usedA = Set(candidate.pairs.map(\.0)), usedB = Set(candidate.pairs.map(\.1))
            a = a.enumerated().filter { !usedA.contains($0.offset) }.map(\.element)
            b = b.enumerated().filter { !usedB.contains($0.offset) }.map(\.element)
        }

        /// The best candidate delay, with any others that tie with it; and the
        /// alternatives to it: the runner-up, the best delay of another speed
        /// (outside the leader's tolerance) shared by two or more axles of one
        /// vehicle, and up to four such delays that claim one of the leader's
        /// edges (only `withAlternatives`: the look-ahead's own greedy runs
        /// need none).
        private func bestCandidates(_ a: [Int64], _ b: [Int64], banned: Int64?, withAlternatives: Bool) -> ([Candidate], alternatives: [Candidate]) {
            var candidates: [Candidate] = []
            let limit = Int64(maximumGapNs)
            for (i, x) in a.enumerated() {
                for (j, y) in b.enumerated() where y != x && abs(y - x) <= limit {
                    let delay = y - x
                    if let banned, abs(delay - banned) <= Self.tolerance(banned) { continue }
                    let all = Self.pairsSharing(delay: delay, tolerance: Self.tolerance(delay), a, b)
                    var vehicle = oneVehicle(
                        Self.pairsSharing(delay: delay, tolerance: Self.axleTolerance(delay), a, b), delay: delay, a, seed: (i, j))
                    if abs(delay) > floorGapNs { vehicle = Self.twoAround(seed: (i, j), of: vehicle) }
                    let spread = vehicle.reduce(Int64(0)) { $0 + abs((b[$1.1] - a[$1.0]) - delay) }
                    candidates.append(Candidate(vehicleSupport: vehicle.count, clusterSupport: all.count, spread: spread, delay: delay, pairs: vehicle))
                }
            }
            var best: [Candidate] = []
            for candidate in candidates {
                if let leader = best.first {
                    if candidate.beats(leader) {
                        best = [candidate]
                    } else if candidate.ties(leader), best.allSatisfy({ candidate.ties($0) }) {
                        best.append(candidate)
                    }
                } else {
                    best = [candidate]
                }
            }
            guard let leader = best.first, withAlternatives else { return (best, []) }
            let others = candidates.filter { $0.vehicleSupport >= 2 && abs($0.delay - leader.delay) > Self.tolerance(leader.delay) }
            let rivals = others.filter { $0.sharesEdge(with: leader) }
            var alternatives: [Candidate] = []
            for alternative in ([others.max { $1.beats($0) }].compactMap(\.self) + rivals.sorted { $0.beats($1) }.prefix(4))
            where !alternatives.contains(where: { $0.delay == alternative.delay }) {
                alternatives.append(alternative)
            }
            return (best, alternatives)
        }

        /// The run of pairs close enough to be axles of one vehicle at the
        /// delay's speed that holds the seed's edges: the vehicle the seed
        /// pair suggests (the longest run if the seed's edges went elsewhere).
        private func oneVehicle(_ pairs: [(Int, Int)], delay: Int64, _ a: [Int64], seed: (Int, Int)) -> [(Int, Int)] {
            guard pairs.count > 1 else { return pairs }
            let metresPerNs = spacingMetres / Double(abs(delay))
            let widestAxles = abs(delay) > floorGapNs ? Self.riderAxleSpacingMetres : maximumAxleSpacingMetres
            var runs: [Range<Int>] = []
            var runStart = 0
            for index in 1..<pairs.count {
                let apart = Double(a[pairs[index].0] - a[pairs[index - 1].0]) * metresPerNs
                if apart > widestAxles {
                    runs.append(runStart..<index)
                    runStart = index
                }
            }
            runs.append(runStart..<pairs.count)
            let seeded = runs.first { run in pairs[run].contains { Self.shareAnEdge($0, seed) } }
            let longest = runs.max { $0.count < $1.count }!
            return Array(pairs[seeded ?? longest])
        }

        /// The widest a rider's axles are apart (a bicycle's are about 1.05 m, a
        /// cargo bike's or a tandem's up to 2): below the floor, pairs further
        /// apart than this are not one vehicle's. A delay that slow is only
        /// there to win a slow rider's own edges from a wrong faster pair. In
        /// a platoon, each car's front A with its own rear B (or one car's A
        /// with the next one's B) gives about the same sub-floor delay, and
        /// two such pairs, 4–6 m apart at that crawl, passed for the axles of
        /// one vehicle: it took two cars' edges and left phantoms of 65–75 mph.
        static let riderAxleSpacingMetres = 2.0

        /// Whether two pairs (index in A, index in B) use the same A or the same B edge.
        static func shareAnEdge(_ pair: (Int, Int), _ other: (Int, Int)) -> Bool {
            pair.0 == other.0 || pair.1 == other.1
        }

        /// At most two pairs of a vehicle's, the seed's and its neighbour.
        ///
        /// Below the floor, a delay may only win a slow rider's own edges from
        /// a wrong faster pair. In two-way platoons, cross pairs between
        /// successive cars share a slow delay three to five times over; with
        /// every pair counted it outvoted each car's two axles.
        static func twoAround(seed: (Int, Int), of pairs: [(Int, Int)]) -> [(Int, Int)] {
            guard pairs.count > 2 else { return pairs }
            let index = pairs.firstIndex { Self.shareAnEdge($0, seed) } ?? 0
            let start = min(index, pairs.count - 2)
            return Array(pairs[start..<(start + 2)])
        }

        /// Among tied candidates, the one whose speed is typical of recent
        /// traffic when every other is far outside it; nil when none stands out.
        private func mostPlausible(_ tied: [Candidate]) -> Candidate? {
            guard let traffic = TrafficSpeeds(recentSpeeds) else { return nil }
            let scored = tied.map { (candidate: $0, z: traffic.z(ofDelay: $0.delay, spacingMetres: spacingMetres)) }
                .sorted { $0.z < $1.z }
            // The others must be at least e^6 (about 400) times less likely, taking traffic speeds as normal.
            let best = scored[0].z
            guard best <= 3, scored.dropFirst().allSatisfy({ ($0.z * $0.z - best * best) / 2 >= 6 }) else { return nil }
            return scored[0].candidate
        }

        /// The speeds of recent traffic, taken as normal with a spread from
        /// their median absolute deviation (at least 8% of the median).
        struct TrafficSpeeds {
            let median: Double
            let spread: Double

            /// Nil with fewer than five speeds: too few to call anything typical.
            init?(_ speeds: [Double]) {
                guard speeds.count >= 5 else { return nil }
                let sorted = speeds.sorted()
                let median = sorted[sorted.count / 2]
                let deviations = sorted.map { abs($0 - median) }.sorted()
                self.median = median
                spread = max(1.4826 * deviations[deviations.count / 2], 0.08 * median)
            }

            /// How many spreads the speed of a delay lies from the median.
            func z(ofDelay delay: Int64, spacingMetres: Double) -> Double {
                abs(spacingMetres / (Double(abs(delay)) / 1e9) - median) / spread
            }
        }

        /// How far apart two vehicles' delays may be and still count as one
        /// traffic speed: 4% (or 0.2 ms).
        static func tolerance(_ delay: Int64) -> Int64 { max(abs(delay) / 25, 200_000) }

        /// How far apart the delays of one vehicle's axles may be: its speed
        /// does not change while it crosses, so only timing jitter separates them: 1.5% (or 0.5 ms).
        static func axleTolerance(_ delay: Int64) -> Int64 { max(abs(delay) * 3 / 200, 500_000) }

        /// Pairs (index in A, index in B), each edge at most once, whose delay b − a
        /// is within `tolerance` of `delay`, taken in time order.
        static func pairsSharing(delay: Int64, tolerance: Int64, _ a: [Int64], _ b: [Int64]) -> [(Int, Int)] {
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
    }

    /// Splits crossings in one direction, in time order, into vehicles: a
    /// crossing joins the latest of the last few vehicles whose last axle is
    /// at its speed (within 10%) an axle spacing before it, so a rider and a
    /// car crossing together, their axles interleaved, stay two vehicles.
    private func groupIntoVehicles(_ crossings: [Crossing]) -> [[Crossing]] {
        var vehicles: [[Crossing]] = []
        for crossing in crossings {
            let speed = configuration.spacingMetres / (Double(crossing.gapNs) / 1e9)
            let open = vehicles.indices.suffix(Self.interleavedVehicles).reversed().first { index in
                let previous = vehicles[index].last!
                let spacing = speed * Double(crossing.first - previous.first) / 1e9
                return abs(Double(crossing.gapNs) / Double(previous.gapNs) - 1) < 0.1 && spacing <= configuration.maximumAxleSpacingMetres
            }
            if let open { vehicles[open].append(crossing) } else { vehicles.append([crossing]) }
        }
        return vehicles
    }

    /// How many vehicles in one direction may be crossing at once.
    static let interleavedVehicles = 4

    private mutating func reading(for axles: [Crossing]) -> Reading? {
        let speeds = axles.map { configuration.spacingMetres / (Double($0.gapNs) / 1e9) }.sorted()
        let median = speeds.count % 2 == 1 ? speeds[speeds.count / 2] : (speeds[speeds.count / 2 - 1] + speeds[speeds.count / 2]) / 2
        let speed = Speed(metresPerSecond: median)
        guard speed >= configuration.minimumSpeed, speed <= configuration.maximumSpeed else { return nil }
        let spread = (speeds.last! - speeds.first!) / median
        let guessed = axles.contains(where: \.byPrior)
        let quality = max(0, min(1, 1 - spread / 0.1)) * (axles.count >= 2 ? 1 : 0.8) * (guessed ? 0.5 : 1)
        if !guessed {
            recentSpeeds.append(median)
            if recentSpeeds.count > Self.recentSpeedCount { recentSpeeds.removeFirst() }
        }
        var flags: ReadingFlags = []
        if quality < 0.5 { flags.insert(.lowQuality) }
        let first = axles.map(\.first).min()!
        let last = axles.map { max($0.a, $0.b) }.max()!
        if losses.touch(startNs: first, endNs: last, marginNs: configuration.clusterGapNs) { flags.insert(.edgesDropped) }
        return Reading(
            monotonicNs: last, speed: speed,
            firstLockSpeed: Speed(metresPerSecond: configuration.spacingMetres / (Double(axles[0].gapNs) / 1e9)),
            peakSpeed: Speed(metresPerSecond: speeds.last!), durationNs: last - first,
            direction: axles[0].approaching ? .approaching : .receding, quality: quality, flags: flags)
    }
}

