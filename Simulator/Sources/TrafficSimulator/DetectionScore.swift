public import SpeedDomain

/// Scores a detector's readings against a simulation's ground truth.
///
/// Which road users must be detected: every vehicle and cyclist at least
/// `margin` above the speed floor. Which must not: pedestrians, and anyone at
/// least `margin` below it (a slow cyclist, a car held up in a queue). Those
/// within `margin` of the floor may go either way and count in neither. Readings are paired with road users
/// by timing (an approaching user's tone ends as it reaches the sensor, a
/// receding user's starts there; or, when a stronger vehicle masked it, the
/// reading lies within the span it was visible), closest first, and never
/// against the direction a reading reports or its tone's shape shows; a reading left unpaired, paired with a user that
/// must not be detected, or paired with a user already paired (a pass split in
/// two) is a false detection.
public struct DetectionScore: Sendable, Hashable, CustomStringConvertible {
    public var vehicles = 0
    public var detected = 0
    /// Vehicles that were the dominant return for at least `resolvableSeconds`
    /// (so a single comparator could have followed them), and how many of those were detected.
    public var resolvable = 0
    public var resolvableDetected = 0
    public static let resolvableSeconds = 0.5
    public var readings = 0
    public var falseDetections = 0
    /// Absolute speed errors of detected vehicles, mph, sorted ascending.
    public var absoluteErrorsMph: [Double] = []
    /// Signed errors (reading − truth), mph, in the same order as `absoluteErrorsMph` was filled.
    public var signedErrorsMph: [Double] = []
    /// The worst pairs, for diagnosis: (truth id, truth mph, reading mph).
    public var worst: [(id: Int, truth: Double, reading: Double)] = []
    /// Readings counted false, for diagnosis: (start s, end s from the simulation's start, mph, why).
    public var falseReadings: [(start: Double, end: Double, mph: Double, why: String)] = []
    /// Users that had to be detected but were not: (id, kind, mph, platoon).
    public var missed: [(id: Int, kind: String, mph: Double, inPlatoon: Bool)] = []
    /// Each reading paired with a road user: its index among the readings scored, and the user's id.
    public var pairs: [(reading: Int, id: Int)] = []

    public static func == (lhs: DetectionScore, rhs: DetectionScore) -> Bool {
        lhs.vehicles == rhs.vehicles && lhs.detected == rhs.detected && lhs.readings == rhs.readings
            && lhs.falseDetections == rhs.falseDetections && lhs.absoluteErrorsMph == rhs.absoluteErrorsMph
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(vehicles); hasher.combine(detected); hasher.combine(readings) }

    public init() {}

    public init(readings: [Reading], truth: GroundTruth, floorMph: Double, margin: Double = 1.0, maximumTimeErrorSeconds: Double = 2.0) {
        let entries = truth.entries
        let origin = (entries.first.map { $0.passMonotonicNs - $0.user.passNs }) ?? 0
        func seconds(_ ns: UInt64) -> Double { (Double(ns) - Double(origin)) / 1e9 }
        func mustDetect(_ e: GroundTruth.Entry) -> Bool {
            e.user.kind != .pedestrian && e.user.speedMph >= floorMph + margin
        }
        func mustNotDetect(_ e: GroundTruth.Entry) -> Bool {
            e.user.kind == .pedestrian || e.user.speedMph <= floorMph - margin
        }
        self.vehicles = entries.filter(mustDetect).count
        self.resolvable = entries.filter { mustDetect($0) && $0.dominantSeconds >= Self.resolvableSeconds }.count
        self.readings = readings.count

        // Candidate pairs by timing: an approaching road user's tone ends as it
        // reaches the sensor and leaves the beam; a receding one's starts there.
        // The speed difference only breaks near-ties between close followers.
        var candidates: [(cost: Double, reading: Int, entry: Int)] = []
        let seen = entries.indices.filter { entries[$0].visibleFromNs != nil }
        for (r, reading) in readings.enumerated() {
            let end = Double(reading.monotonicNs)
            let start = end - Double(reading.durationNs)
            for e in seen {
                let entry = entries[e]
                // A reading that knows its direction (I/Q, two detectors), or whose tone's
                // shape tells it (`Reading.likelyDirection`), belongs to a user going that way.
                let direction = reading.likelyDirection
                if direction != .unknown, direction != entry.user.direction { continue }
                let pass = Double(entry.passMonotonicNs)
                let timeError = abs((entry.user.direction == .approaching ? end : start) - pass) / 1e9
                // A stronger vehicle can mask this one for a while, delaying its tone;
                // a reading wholly inside the span it was visible still belongs to it.
                let slack = 0.5e9
                let inside = start >= Double(entry.visibleFromNs!) - slack && end <= Double(entry.visibleToNs!) + slack
                guard timeError <= maximumTimeErrorSeconds || inside else { continue }
                candidates.append((timeError + 0.05 * abs(reading.speed.mph - entry.user.speedMph), r, e))
            }
        }
        candidates.sort { $0.cost < $1.cost }
        var readingTaken = Array(repeating: false, count: readings.count)
        var entryTaken = Array(repeating: false, count: entries.count)
        for pair in candidates where !readingTaken[pair.reading] && !entryTaken[pair.entry] {
            readingTaken[pair.reading] = true
            entryTaken[pair.entry] = true
            let entry = entries[pair.entry]
            pairs.append((pair.reading, entry.user.id))
            if mustNotDetect(entry) {
                falseDetections += 1
                falseReadings.append((seconds(readings[pair.reading].monotonicNs - readings[pair.reading].durationNs), seconds(readings[pair.reading].monotonicNs), readings[pair.reading].speed.mph, "\(entry.user.kind.rawValue) \(entry.user.id)"))
            } else if mustDetect(entry) {
                detected += 1
                if entry.dominantSeconds >= Self.resolvableSeconds { resolvableDetected += 1 }
                let error = readings[pair.reading].speed.mph - entry.user.speedMph
                signedErrorsMph.append(error)
                absoluteErrorsMph.append(abs(error))
                worst.append((entry.user.id, entry.user.speedMph, readings[pair.reading].speed.mph))
            }
        }
        for (index, taken) in readingTaken.enumerated() where !taken {
            falseDetections += 1
            let reading = readings[index]
            falseReadings.append((seconds(reading.monotonicNs - reading.durationNs), seconds(reading.monotonicNs), reading.speed.mph, "unpaired"))
        }
        absoluteErrorsMph.sort()
        worst.sort { abs($0.reading - $0.truth) > abs($1.reading - $1.truth) }
        worst = Array(worst.prefix(10))
        missed = entries.indices.filter { !entryTaken[$0] && mustDetect(entries[$0]) }.map {
            let u = entries[$0].user
            return (u.id, u.kind.rawValue, u.speedMph, u.inPlatoon)
        }
    }

    /// Adds another scenario's score to this one.
    public mutating func merge(_ other: DetectionScore) {
        vehicles += other.vehicles
        detected += other.detected
        resolvable += other.resolvable
        resolvableDetected += other.resolvableDetected
        readings += other.readings
        falseDetections += other.falseDetections
        absoluteErrorsMph = (absoluteErrorsMph + other.absoluteErrorsMph).sorted()
        signedErrorsMph += other.signedErrorsMph
    }

    public var detectedPercent: Double { vehicles == 0 ? 100 : 100 * Double(detected) / Double(vehicles) }
    /// Detected among the vehicles a single comparator could have resolved.
    public var resolvableDetectedPercent: Double { resolvable == 0 ? 100 : 100 * Double(resolvableDetected) / Double(resolvable) }
    public var falsePercent: Double { readings == 0 ? 0 : 100 * Double(falseDetections) / Double(readings) }
    /// 95th percentile of absolute error (type 7).
    public var p95AbsoluteErrorMph: Double {
        guard !absoluteErrorsMph.isEmpty else { return 0 }
        let h = Double(absoluteErrorsMph.count - 1) * 0.95
        let lo = Int(h)
        let hi = min(lo + 1, absoluteErrorsMph.count - 1)
        return absoluteErrorsMph[lo] + (h - Double(lo)) * (absoluteErrorsMph[hi] - absoluteErrorsMph[lo])
    }
    public var maxAbsoluteErrorMph: Double { absoluteErrorsMph.last ?? 0 }
    public var meanSignedErrorMph: Double { signedErrorsMph.isEmpty ? 0 : signedErrorsMph.reduce(0, +) / Double(signedErrorsMph.count) }

    /// The one-line summary the accuracy benchmark prints last.
    public var description: String {
        "accuracy: vehicles=\(vehicles) detected_pct=\(fmt(detectedPercent, 2)) false_pct=\(fmt(falsePercent, 2)) p95_abs_err_mph=\(fmt(p95AbsoluteErrorMph, 2)) max_abs_err_mph=\(fmt(maxAbsoluteErrorMph, 2))"
    }

    private func fmt(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if let dot = text.firstIndex(of: ".") {
            let have = text.distance(from: dot, to: text.endIndex) - 1
            if have < decimals { text += String(repeating: "0", count: decimals - have) }
        }
        return text
    }
}
