import SpeedDomain

/// The windows of one pass so far.
struct PassTrack: Sendable {
    var windows: [ToneWindow]
    var lastConsistentEndNs: UInt64
    /// For a receding vehicle's part cut from a pass at a step: when the
    /// approaching vehicle that took over its tone reached the sensor. Its
    /// own tone was masked until then, so the merge gap counts from here.
    var maskedUntilNs: UInt64 = 0
    /// Where the pass's merge gap counts from: its last window, or the end of the masking if later.
    var quietSinceNs: UInt64 { max(lastConsistentEndNs, maskedUntilNs) }
    /// For a pass heard approaching that was lost before its sag: until when
    /// the vehicle may still be arriving, heard again after a masking (0 if not).
    var arrivingUntilNs: UInt64 = 0
    /// For a pass that emerged receding: until when the vehicle may still be
    /// in range, heard again after a masking (0 if not).
    var recedingUntilNs: UInt64 = 0
    var quadratureLagVotes = 0
    var quadratureLeadVotes = 0
    /// The highest steady tone so far: the largest five-window median.
    private(set) var peakHz: Double
    /// The lowest steady tone so far (the smallest five-window median) and
    /// the index of the window at its centre, where a rise would begin.
    private(set) var lowHz: Double = .infinity
    private(set) var lowIndex = 0
    /// False once a climb has been found to be this pass's own (a receding vehicle's).
    var mayRiseSplit = true
    /// Whether the pass was cut where its tone handed over, with no silence,
    /// to or from another vehicle's (at a climb, a step, or an abrupt change
    /// of tone): which vehicle the windows near the cut belong to is uncertain,
    /// so its reading carries `.overlapping`.
    var handedOver = false
    /// How the pass ended, as far as the tracker could tell. (Declared beside
    /// the flags above so that the three share one word: a larger `PassTrack`
    /// copies more slowly, about a fifth of the detector's throughput.)
    var end = PassEnd.faded
    /// The level of the last sag end that proved to be a wobble (infinity
    /// if none): see `sagEnd`.
    private(set) var wobbleLevelHz = Double.infinity
    /// Indices of the first window of each segment the consolidator joined on.
    private(set) var joins: [Int] = []
    /// The plateau of the windows before `lowIndex`, kept for the `lowIndex`
    /// it was taken at: a climb is tested on every window after a dip, and
    /// the plateau only changes when a new low is found.
    private var plateauBeforeLow: (lowIndex: Int, hz: Double)?

    init(first: ToneWindow) {
        windows = [first]
        windows.reserveCapacity(256)
        lastConsistentEndNs = first.endNs
        quadratureLagVotes = Int(first.lagVotes)
        quadratureLeadVotes = Int(first.leadVotes)
        peakHz = first.frequencyHz
    }

    /// The pass's recent frequency: the median of its last five windows (of
    /// its last three while it is young), steady against the ±5% scatter of
    /// single windows from a weak, distant vehicle.
    var recentFrequencyHz: Double {
        let n = windows.count
        if n < 3 { return windows[n - 1].frequencyHz }
        if n < 5 { return median3(windows[n - 1].frequencyHz, windows[n - 2].frequencyHz, windows[n - 3].frequencyHz) }
        return median5(
            windows[n - 1].frequencyHz, windows[n - 2].frequencyHz, windows[n - 3].frequencyHz,
            windows[n - 4].frequencyHz, windows[n - 5].frequencyHz)
    }

    func accepts(_ tone: ToneWindow, tolerance: Double) -> Bool {
        abs(tone.frequencyHz / recentFrequencyHz - 1) <= tolerance && !opposesDirection(tone.phaseSign)
    }

    /// +1 when Q has clearly lagged I over the pass, −1 when it has led, 0 when unknown.
    var phaseSign: Int { quadratureSign(lagVotes: quadratureLagVotes, leadVotes: quadratureLeadVotes, minimumVotes: 8) }

    /// Whether a known direction contradicts the pass's: a vehicle going the
    /// other way, heard at a similar tone, is another vehicle.
    func opposesDirection(_ sign: Int) -> Bool {
        sign != 0 && phaseSign != 0 && sign != phaseSign
    }

    /// The way I/Q says the pass's vehicle went (`phaseSign`), or unknown.
    func direction(lagMeansApproaching: Bool) -> Direction {
        switch phaseSign {
        case 1: return lagMeansApproaching ? .approaching : .receding
        case -1: return lagMeansApproaching ? .receding : .approaching
        default: return .unknown
        }
    }

    mutating func append(_ tone: ToneWindow) {
        windows.append(tone)
        quadratureLagVotes += Int(tone.lagVotes)
        quadratureLeadVotes += Int(tone.leadVotes)
        lastConsistentEndNs = tone.endNs
        if windows.count >= 5 {
            let recent = recentFrequencyHz
            peakHz = max(peakHz, recent)
            if recent < lowHz {
                lowHz = recent
                lowIndex = windows.count - 3
            }
        } else {
            peakHz = recentFrequencyHz
        }
    }

    /// Whether the tone has climbed `riseFraction` above its lowest steady
    /// level. An approaching vehicle's tone only ever sags (its cosine
    /// shrinks as it nears), so a climb within a pass is another target taking
    /// over: a receding vehicle emerging beside the sensor, its cosine growing.
    /// The climb is measured from the plateau of the windows before the
    /// lowest level, so a fade that dips and recovers is not a climb.
    mutating func hasRisen(riseFraction: Double) -> Bool {
        guard windows.count >= 5, lowIndex >= 5 else { return false }
        let recent = recentFrequencyHz
        guard recent > lowHz * (1 + riseFraction) else { return false }
        return recent > plateauBeforeLowHz() * (1 + riseFraction)
    }

    private mutating func plateauBeforeLowHz() -> Double {
        if let cached = plateauBeforeLow, cached.lowIndex == lowIndex { return cached.hz }
        let before = windows[..<lowIndex].map(\.frequencyHz).sorted()
        let hz = PassEstimator.quantile(before, PassEstimator.plateauQuantile)
        plateauBeforeLow = (lowIndex, hz)
        return hz
    }

    /// Splits off the windows from the start of the climb (the last point
    /// where the steady tone was still near its lowest level) as a new pass.
    mutating func splitAtRise(riseFraction: Double) -> PassTrack {
        let nearLow = lowHz * (1 + riseFraction / 2)
        var end = windows.count - 1
        while end > lowIndex + 2, trailingMedian(endingAt: end) > nearLow { end -= 1 }
        let split = max(end - 2, 1)
        var later = PassTrack(windows: windows[split...])
        later.handedOver = true
        self = PassTrack(windows: windows[..<split])
        handedOver = true
        return later
    }

    /// The median tone (the upper one of an even count) of the windows in
    /// `range`, sorted in `scratch`, which callers reuse to avoid allocating.
    func medianHz(_ range: Range<Int>, scratch: inout [Double]) -> Double {
        scratch.removeAll(keepingCapacity: true)
        for index in range { scratch.append(windows[index].frequencyHz) }
        scratch.sort()
        return scratch[scratch.count / 2]
    }

    /// Median of the five windows ending at `index` (at least 4).
    private func trailingMedian(endingAt index: Int) -> Double {
        median5(
            windows[index].frequencyHz, windows[index - 1].frequencyHz, windows[index - 2].frequencyHz,
            windows[index - 3].frequencyHz, windows[index - 4].frequencyHz)
    }

    /// Whether `tone` lies so far below the pass's steady peak that the
    /// vehicle must be close to the sensor, its tone sagging with the cosine
    /// of the widening angle: the pass is over (for an approaching vehicle).
    /// Single windows of a weak tone stray ±5–10%, so the test is on the
    /// median of the new window and the last four. A sag is a fall, so that
    /// level must also lie a quarter of `sagFraction` below the level
    /// `sagLookbackWindows` earlier: when a faster receding vehicle's tone
    /// handed over to a slower approaching one's, the peak is the receding
    /// one's, and the slower tone's steady level is no sag. After a sag that
    /// proved to be a rider's wobble (`resumeAfterSag`), the next sag must
    /// fall half `sagFraction` below that one's level.
    func sagEnd(_ tone: ToneWindow, sagFraction: Double) -> SagEnd? {
        let n = windows.count
        guard n >= 5 else { return nil }
        let level = median5(
            tone.frequencyHz, windows[n - 1].frequencyHz, windows[n - 2].frequencyHz,
            windows[n - 3].frequencyHz, windows[n - 4].frequencyHz)
        guard level < peakHz * (1 - sagFraction), level < wobbleLevelHz * (1 - sagFraction / 2) else { return nil }
        let back = n - Self.sagLookbackWindows
        if back >= 4 {
            guard level < trailingMedian(endingAt: back) * (1 - sagFraction / 4) else { return nil }
        }
        return SagEnd(levelHz: level, fellGradually: fellGradually(to: level, before: tone.endNs))
    }

    /// Whether windows that broke away below the pass's tone carry on its
    /// sag. When a vehicle's tone is already sagging and the comparator
    /// drops from it by more than the continuity tolerance in one step (to
    /// the sag's tail, or to a farther vehicle's tone blending in), the lower
    /// windows never join the pass, so `sagEnd` never sees the fall. They do
    /// carry it on when the pass had fallen a quarter of `sagFraction` below
    /// its peak (the vehicle nearing the sensor) and their median lies
    /// `sagFraction` below it, but less than twice `sagFraction` below the
    /// pass's recent tone: a deeper drop is another road user's tone (a
    /// rider's, say, under a car's), not this one's cosine.
    func sagContinues(into lower: ArraySlice<ToneWindow>, sagFraction: Double) -> Bool {
        guard windows.count >= 5, !lower.isEmpty else { return false }
        let level = lower.medianFrequencyHz
        let recent = recentFrequencyHz
        return recent < peakHz * (1 - sagFraction / 4) && level < peakHz * (1 - sagFraction)
            && level > recent * (1 - 2 * sagFraction) && level < wobbleLevelHz * (1 - sagFraction / 2)
    }

    /// Whether the tone had already fallen half of the way from its peak to
    /// `level` `SagEnd.gradualFallNs` before `endNs`. A vehicle's sag and a
    /// rider's wobble fall over a few tenths of a second; one vehicle's tone
    /// handing over to another's in the comparator drops within a few windows.
    private func fellGradually(to level: Double, before endNs: UInt64) -> Bool {
        let then = endNs &- SagEnd.gradualFallNs
        var index = windows.count - 1
        while index > 4, windows[index].endNs > then { index -= 1 }
        guard index >= 4, windows[index].endNs <= then else { return false }
        return trailingMedian(endingAt: index) < peakHz - (peakHz - level) / 2
    }

    /// Continues the pass after a sag end whose tone climbed back instead of
    /// falling on: the `tail` windows heard since are appended.
    mutating func resumeAfterSag(atLevelHz levelHz: Double, tail: [ToneWindow]) {
        wobbleLevelHz = levelHz
        for window in tail { append(window) }
    }

    /// How far back `sagEnd` looks for the fall, in windows. Windows are a
    /// fixed number of periods, so 15 of them span a fixed distance at any
    /// speed: about 1.7 m at 10.525 GHz (0.75 m at 24.125 GHz). A car passing
    /// 2–7 m out falls 4–7% over 1.7 m as its cosine drops through 0.88.
    static let sagLookbackWindows = 15

    /// Joins a later segment of the same vehicle.
    mutating func absorb(_ later: PassTrack) {
        joins.append(windows.count)
        handedOver = handedOver || later.handedOver
        windows += later.windows
        lastConsistentEndNs = later.lastConsistentEndNs
        quadratureLagVotes += later.quadratureLagVotes
        quadratureLeadVotes += later.quadratureLeadVotes
        peakHz = max(peakHz, later.peakHz)
    }

    /// The share of the pass's span during which its tone was locked.
    var coverage: Double {
        let lockedNs = windows.reduce(0.0) { $0 + Double($1.endNs - $1.startNs) }
        return min(1, lockedNs / max(1, Double(durationNs)))
    }

    /// How much noise jitters the tone of `windows`: their periods'
    /// coefficient of variation at `quantile` (type 7). A return weakens as
    /// 1/R², so the nearer a vehicle, the steadier its tone.
    static func jitter(of windows: some Collection<ToneWindow>, quantile: Double) -> Double {
        PassEstimator.quantile(windows.map(\.coefficientOfVariation).sorted(), quantile)
    }

    /// Whether the two passes' spans overlap in time.
    func interleaves(with other: PassTrack) -> Bool {
        startNs < other.lastConsistentEndNs && other.startNs < lastConsistentEndNs
    }

    /// One pass of both passes' windows in time order (see `PassConsolidator.isTwin`).
    func interleaved(with other: PassTrack) -> PassTrack {
        var merged = PassTrack(windows: (windows + other.windows).sorted { $0.startNs < $1.startNs }[...])
        merged.handedOver = handedOver || other.handedOver
        merged.maskedUntilNs = max(maskedUntilNs, other.maskedUntilNs)
        return merged
    }

    /// The tone the pass holds longest near its top: the 80th percentile of its windows.
    var plateauHz: Double {
        PassEstimator.quantile(windows.map(\.frequencyHz).sorted(), PassEstimator.plateauQuantile)
    }

    /// Whether the first three windows were locked for at least half their
    /// span. A receding vehicle emerges beside the sensor, where its return is
    /// strong; a far vehicle's weak tone is heard in snatches.
    var opensLocked: Bool {
        guard windows.count >= 3 else { return false }
        let locked = windows[0..<3].reduce(0) { $0 + ($1.endNs - $1.startNs) }
        return windows[2].endNs - windows[0].startNs <= 2 * locked
    }

    /// Whether the pass opens below its plateau as a receding vehicle
    /// emerging beside the sensor does: `openingHz` at least `riseFraction`
    /// below, heard locked (`opensLocked`). An opening heard in snatches must
    /// lie twice as far below: a far approaching vehicle's weak tone is heard
    /// that way and scatters a few percent low.
    func opensLow(riseFraction: Double) -> Bool {
        let plateau = plateauHz, opening = openingHz
        guard opening < plateau * (1 - riseFraction) else { return false }
        return opensLocked || opening < plateau * (1 - 2 * riseFraction)
    }

    /// The tone the segment opens with: the median of its first three windows.
    var openingHz: Double {
        windows.count < 3 ? windows[0].frequencyHz : median3(windows[0].frequencyHz, windows[1].frequencyHz, windows[2].frequencyHz)
    }

    /// Whether the segment opens well below its plateau and climbs to it: a
    /// receding vehicle emerging beside the sensor, its cosine growing.
    ///
    /// A long segment (30 windows or more) is also rising when the median of its last third lies
    /// `trendFraction` above the median of its first third: medians over many
    /// windows see a climb of a few percent that a receding vehicle's last
    /// second of cosine growth gives, which single windows' scatter would hide.
    ///
    /// A wobbling rider's segment (`isWobbling`) that opens in a trough is no climb.
    func startsWithRise(riseFraction: Double, trendFraction: Double) -> Bool {
        guard windows.count >= 3 else { return false }
        return climbsFromOpening(riseFraction: riseFraction, trendFraction: trendFraction) && !isWobbling
    }

    /// `startsWithRise(riseFraction:trendFraction:)` with the detector's settings.
    func startsWithRise(_ configuration: DopplerConfiguration) -> Bool {
        startsWithRise(riseFraction: configuration.riseStartFraction, trendFraction: configuration.riseTrendFraction)
    }

    private func climbsFromOpening(riseFraction: Double, trendFraction: Double) -> Bool {
        if opensLow(riseFraction: riseFraction) { return true }
        guard windows.count >= 30 else { return false }
        let third = windows.count / 3
        var scratch: [Double] = []
        let first = medianHz(0..<third, scratch: &scratch)
        return first * (1 + trendFraction) < medianHz((windows.count - third)..<windows.count, scratch: &scratch)
    }

    /// Whether the tone is a rider's speed wobble: it turns up and down at
    /// least `WobbleTest.turns` times by `WobbleTest.swing`, at regular
    /// intervals (its longest leg at most `WobbleTest.legRatio` times its
    /// shortest). A vehicle's tone climbs (receding), holds and sags
    /// (approaching); a handover from one vehicle to the next turns it, but
    /// not at the steady beat of a pedalling rider.
    var isWobbling: Bool {
        let turns = turningPoints()
        guard turns.count >= WobbleTest.turns else { return false }
        let legs = zip(turns.dropFirst(), turns).map { $0 - $1 }
        return Double(legs.max()!) <= WobbleTest.legRatio * Double(legs.min()!)
    }

    /// Where the tone turns, as indices of blocks of `WobbleTest.blockWindows`
    /// windows: each turning point is a block whose median is the highest
    /// (or lowest) since the last turn, after which the medians fell (rose)
    /// more than `WobbleTest.swing` below (above) it.
    private func turningPoints() -> [Int] {
        let block = WobbleTest.blockWindows, swing = WobbleTest.swing
        var turns: [Int] = []
        var scratch: [Double] = []
        scratch.reserveCapacity(block)
        var extreme: (index: Int, hz: Double)?
        var rising: Bool?
        for index in 0..<(windows.count / block) {
            let hz = medianHz((index * block)..<((index + 1) * block), scratch: &scratch)
            guard let last = extreme else {
                extreme = (index, hz)
                continue
            }
            let higher = hz > last.hz * (1 + swing), lower = hz < last.hz * (1 - swing)
            switch rising {
            case nil where higher || lower:
                rising = higher
                extreme = (index, hz)
            case true? where hz > last.hz, false? where hz < last.hz:
                extreme = (index, hz)
            case true? where lower, false? where higher:
                turns.append(last.index)
                rising = higher
                extreme = (index, hz)
            default:
                break
            }
        }
        return turns
    }

    /// A pass made of the given windows, in order.
    init(windows: ArraySlice<ToneWindow>) {
        self.init(first: windows[windows.startIndex])
        for window in windows.dropFirst() { append(window) }
    }

    var startNs: UInt64 { windows[0].startNs }
    var durationNs: UInt64 { lastConsistentEndNs - startNs }
}

/// How a pass's tone ended.
enum PassEnd: Sendable {
    /// It went quiet, or another tone took over without a sag.
    case faded
    /// It sagged, but whether the vehicle reached the sensor is unsure: the
    /// lower tone that followed lingered (a slower vehicle may have taken
    /// over), climbed back, or the input ended.
    case sag
    /// It sagged as an approaching vehicle's does at the sensor: the tone went
    /// on falling below the sag's level or was lost, or (heard going one way
    /// with I/Q) it fell abruptly.
    case reachedSensor
}

/// Where a pass's tone crossed the sag threshold (see `PassTrack.sagEnd`).
struct SagEnd: Sendable {
    /// The five-window median that crossed it.
    var levelHz: Double
    /// Whether the tone fell to it over a few tenths of a second, as a
    /// vehicle's sag or a rider's wobble does, rather than dropping at once.
    var fellGradually: Bool

    /// How long before the sag end the tone must already have been half way
    /// down for the fall to count as gradual: a rider's 0.8–1.4 Hz wobble
    /// takes 180–310 ms from its mean to its trough, a handover a few windows.
    static let gradualFallNs: UInt64 = 150_000_000
}

/// The settings of `PassTrack.isWobbling`. The simulator's cyclists speed up
/// and slow down by 2–6% at 0.8–1.4 Hz: blocks of five windows (about 0.1 s
/// for a 12 mph rider at 10.525 GHz, 0.05 s at 24.125 GHz) resolve each
/// half-swing into several blocks.
enum WobbleTest {
    static let blockWindows = 5
    static let swing = 0.05
    static let turns = 4
    static let legRatio = 2.5
}
