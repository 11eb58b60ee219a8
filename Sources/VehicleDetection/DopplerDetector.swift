public import SpeedDomain

/// Turns the rising edges of a CW Doppler radar's squared IF output into one
/// reading per vehicle pass.
///
/// The detector cuts channel 0's edge periods into windows of a few periods
/// and calls a window *locked* when its periods are steady (a vehicle's tone)
/// rather than scattered (noise). Consecutive locked windows at a consistent
/// frequency form a *pass*; the pass ends when the tone is lost for longer than
/// the hold time, or when the tone moves abruptly to another frequency and
/// stays there (the next vehicle). A pass becomes a reading when it is long
/// enough, fast enough and not a stationary interferer. With a second (Q)
/// channel, the phase of Q's edges against I's gives the direction.
///
/// It is plain synchronous code on value types, fed batches; see docs/detector.md.
public struct DopplerDetector: Sendable {
    public let configuration: DopplerConfiguration

    // Window under construction: channel 0 periods in ns.
    private var periods: [UInt32]
    private var periodCount = 0
    private var windowStartNs: UInt64 = 0
    /// Q-phase votes collected during the window under construction.
    private var windowLagVotes: Int32 = 0
    private var windowLeadVotes: Int32 = 0
    private var lastEdgeNs: UInt64?
    private var lastPeriodNs: UInt64 = 0

    // Limits precomputed from the configuration (periods of the slowest and fastest tone worth a window).
    private let longestPeriodNs: UInt64
    private let shortestPeriodNs: UInt64

    // The pass being tracked, if any, and windows that disagree with it.
    private var pass: PassTrack?
    private var consolidator: PassConsolidator
    /// Passes the consolidator has completed, waiting to become readings.
    private var completed: [PassTrack] = []
    private var deviants: [ToneWindow] = []
    /// A sag end waiting for the tone to go on falling (see `settlePendingSag`).
    private var pendingSag: PendingSag?
    /// Windows that dropped below a sagging pass's tone, waiting for what follows (see `settlePendingDrop`).
    private var pendingDrop: PendingDrop?
    /// After a sag end: until this time, windows at or below the sag's tone are its tail, not a vehicle.
    private var sagTail: (untilNs: UInt64, ceilingHz: Double)?
    /// Where the source lost edges, for flagging the readings across a loss.
    private var losses = EdgeLosses()

    /// Edges on channel 0 since creation, for throughput accounting.
    public private(set) var edgesSeen: UInt64 = 0

    public init(configuration: DopplerConfiguration) {
        self.configuration = configuration
        self.periods = Array(repeating: 0, count: configuration.windowPeriods)
        self.consolidator = PassConsolidator(configuration: configuration)
        let hzPerMps = 2 * configuration.carrierHz / Doppler.speedOfLight
        // Windows are examined down to half the floor so a slow pass is seen and rejected as a whole.
        let slowestHz = max(1, configuration.minimumSpeed.metresPerSecond * hzPerMps * 0.5)
        let fastestHz = configuration.maximumSpeed.metresPerSecond * hzPerMps * 1.2
        self.longestPeriodNs = UInt64(1e9 / slowestHz)
        self.shortestPeriodNs = UInt64(1e9 / fastestHz)
    }

    /// Feeds a batch; readings for passes that ended are appended to `readings`.
    public mutating func process(_ batch: EdgeBatch, into readings: inout [Reading]) {
        losses.observe(batch, lastEdgeNs: lastEdgeNs)
        if batch.droppedBefore > 0 { restartWindow() }
        process(batch.edges, into: &readings)
    }

    /// Feeds edges in time order; readings for passes that ended are appended to `readings`.
    public mutating func process(_ edges: [Edge], into readings: inout [Reading]) {
        edges.withUnsafeBufferPointer { buffer in
            for edge in buffer {
                if edge.channel == 0 {
                    handleInPhaseEdge(edge.timestampNs, into: &readings)
                } else {
                    handleQuadratureEdge(edge.timestampNs)
                }
            }
        }
    }

    /// Tells the detector that time has reached `nowNs` with no further edges,
    /// so a pass whose tone has gone quiet can be reported without waiting for
    /// the next edge.
    public mutating func advance(toNs nowNs: UInt64, into readings: inout [Reading]) {
        expirePass(at: nowNs, into: &readings)
    }

    /// Ends the input: reports any pass still open.
    public mutating func finish(into readings: inout [Reading]) {
        confirmPendingDrop(into: &readings)
        confirmPendingSag(into: &readings)
        endPass(.faded, into: &readings)
        consolidator.flush(into: &completed)
        reportCompleted(into: &readings)
        restartWindow()
    }

    /// Events were lost just before the edge at `beforeNs` (nil if not yet
    /// known): a period across the loss would be wrong, so the window restarts,
    /// and the reading of any pass that spans the loss is flagged.
    public mutating func noteDroppedEdges(beforeNs: UInt64? = nil) {
        losses.record(afterNs: lastEdgeNs, beforeNs: beforeNs)
        restartWindow()
    }

    /// Forgets the window under construction and the last edge, so no period spans a loss.
    private mutating func restartWindow() {
        periodCount = 0
        lastEdgeNs = nil
    }

    // MARK: - Channel 0: periods and windows

    @inline(__always)
    private mutating func handleInPhaseEdge(_ t: UInt64, into readings: inout [Reading]) {
        edgesSeen &+= 1
        defer { lastEdgeNs = t }
        guard let last = lastEdgeNs, t > last else {
            periodCount = 0
            windowStartNs = t
            return
        }
        let period = t - last
        lastPeriodNs = period
        if period > longestPeriodNs {
            // Too slow to be any tone of interest: the window restarts here.
            periodCount = 0
            windowStartNs = t
            expirePass(at: t, into: &readings)
            return
        }
        if periodCount == 0 { windowStartNs = last }
        periods[periodCount] = UInt32(truncatingIfNeeded: period)
        periodCount += 1
        if periodCount == periods.count {
            evaluateWindow(endNs: t, into: &readings)
            periodCount = 0
        }
    }

    private mutating func evaluateWindow(endNs: UInt64, into readings: inout [Reading]) {
        expirePass(at: endNs, into: &readings)
        defer {
            windowLagVotes = 0
            windowLeadVotes = 0
        }
        guard var tone = ToneWindow.measure(periods: &periods, startNs: windowStartNs, endNs: endNs),
            tone.coefficientOfVariation <= configuration.lockCoefficientOfVariation,
            tone.meanPeriodNs >= Double(shortestPeriodNs)
        else { return }
        tone.lagVotes = windowLagVotes
        tone.leadVotes = windowLeadVotes
        track(tone, into: &readings)
    }

    /// Adds a locked window to the current pass, or starts or splits passes.
    private mutating func track(_ tone: ToneWindow, into readings: inout [Reading]) {
        if pendingSag != nil, settlePendingSag(with: tone, into: &readings) { return }
        if pendingDrop != nil, settlePendingDrop(with: tone, into: &readings) { return }
        if let tail = sagTail {
            if tone.endNs <= tail.untilNs, tone.frequencyHz <= tail.ceilingHz { return }
            if tone.endNs > tail.untilNs { sagTail = nil }
        }
        // Taken out of `pass` while it is changed, so its windows are not copied on write.
        guard var current = pass.take() else {
            pass = PassTrack(first: tone)
            return
        }
        // With I/Q, a lower tone going the other way is another vehicle, not this one's sag.
        if !current.opposesDirection(tone.phaseSign), let sag = current.sagEnd(tone, sagFraction: configuration.sagEndFraction) {
            pass = current
            pendingSag = PendingSag(
                levelHz: sag.levelHz, ceilingHz: tone.frequencyHz * (1 + configuration.continuityTolerance),
                untilNs: tone.endNs + configuration.sagTailNs, decideByNs: tone.endNs + 2 * configuration.sagTailNs,
                fellGradually: sag.fellGradually)
            // A gradual fall is a vehicle's sag or a rider's wobble: the tail will
            // tell. An abrupt one heard going one way (I/Q) is a vehicle at the
            // sensor: report it; what follows for a moment at a lower tone is its
            // tail, unless it is steady and higher. On one pin an abrupt fall may
            // also be a slower vehicle's tone blending in for a moment: the tail tells.
            let heardGoingOneWay = current.direction(lagMeansApproaching: configuration.quadratureLagMeansApproaching) != .unknown
            if !sag.fellGradually, heardGoingOneWay { confirmPendingSag(reachedSensor: true, into: &readings) }
            return
        }
        if current.accepts(tone, tolerance: configuration.continuityTolerance) {
            current.append(tone)
            deviants.removeAll(keepingCapacity: true)
            let risen = current.mayRiseSplit && current.hasRisen(riseFraction: configuration.riseSplitFraction)
            pass = current
            if risen { splitAtRise(into: &readings) }
            return
        }
        pass = current
        // A window at another frequency: a wheel-top flash, or the next vehicle.
        if let lastDeviant = deviants.last,
            abs(tone.frequencyHz / lastDeviant.frequencyHz - 1) > configuration.continuityTolerance
        {
            deviants.removeAll(keepingCapacity: true)
        }
        deviants.append(tone)
        if deviants.count >= configuration.splitAfterWindows {
            if let current = pass, current.direction(lagMeansApproaching: configuration.quadratureLagMeansApproaching) == .approaching,
                !current.opposesDirection(tone.phaseSign), current.sagContinues(into: deviants[...], sagFraction: configuration.sagEndFraction)
            {
                pendingDrop = PendingDrop(levelHz: current.recentFrequencyHz, dropped: deviants)
                deviants.removeAll(keepingCapacity: true)
                return
            }
            var next = PassTrack(windows: deviants[...])
            next.handedOver = true
            pass?.handedOver = true
            endPass(.faded, into: &readings)
            pass = next
        }
    }

    /// Takes a window that came after a gradual sag end. A vehicle reaching
    /// the sensor goes on falling: the sag is confirmed, and the pass ended
    /// in it, once the tone is `sagEndFraction / 2` below the sag's level. A
    /// rider's speed wobble bottoms out near the level, lingers there and
    /// climbs back: when the tone is as far above the level, after at least
    /// `PendingSag.troughWindows` windows all near it, the held windows
    /// rejoin the pass, which goes on (only after a gradual fall: an abrupt
    /// one is never a wobble). A tone that jumps back at once is the
    /// next vehicle, one going the other way (with I/Q) is another vehicle,
    /// and one that does neither within twice the sag tail is a slower
    /// vehicle taking over: each confirms the sag. Returns true when the
    /// window has been dealt with.
    private mutating func settlePendingSag(with tone: ToneWindow, into readings: inout [Reading]) -> Bool {
        guard var pending = pendingSag else { return false }
        guard tone.endNs <= pending.decideByNs, pass?.opposesDirection(tone.phaseSign) != true else {
            confirmPendingSag(into: &readings)
            return false
        }
        pending.tail.append(tone)
        pendingSag = pending
        let fraction = configuration.sagEndFraction / 2
        let recentHz = pending.recentTailHz
        if recentHz < pending.levelHz * (1 - fraction) {
            confirmPendingSag(reachedSensor: true, into: &readings)
        } else if recentHz > pending.levelHz * (1 + fraction) {
            if pending.fellGradually, pending.lingeredInTrough(within: fraction) {
                pendingSag = nil
                pass?.resumeAfterSag(atLevelHz: pending.levelHz, tail: pending.tail)
            } else {
                confirmPendingSag(into: &readings)
            }
        }
        return true
    }

    /// Takes a window heard after a sagging pass's tone dropped away
    /// (`PendingDrop`). Once `PendingDrop.decideWindows` have come: if their
    /// tone is back at the pass's level or just below it, the vehicle is still
    /// nearing the sensor and the drop was another vehicle's tone blending in
    /// for a moment: the pass goes on from them. Otherwise (a tone higher than
    /// the sagging one, or lower still) the vehicle reached the sensor in the
    /// drop. Returns true when the window has been dealt with.
    private mutating func settlePendingDrop(with tone: ToneWindow, into readings: inout [Reading]) -> Bool {
        guard var drop = pendingDrop else { return false }
        guard pass?.opposesDirection(tone.phaseSign) != true else {
            confirmPendingDrop(into: &readings)
            return false
        }
        if drop.after.isEmpty, drop.stillDropped(tone, tolerance: configuration.continuityTolerance) {
            // The lower tone goes on: past the sag tail, it is no moment's blend.
            drop.dropped.append(tone)
            pendingDrop = drop
            if tone.endNs > drop.dropped[0].startNs &+ configuration.sagTailNs { confirmPendingDrop(into: &readings) }
            return true
        }
        drop.after.append(tone)
        pendingDrop = drop
        guard drop.after.count >= PendingDrop.decideWindows else { return true }
        let hz = drop.after.medianFrequencyHz
        if hz >= drop.levelHz * (1 - configuration.continuityTolerance), hz <= drop.levelHz * (1 + PendingDrop.climbFraction) {
            pendingDrop = nil
            for window in drop.after where pass?.accepts(window, tolerance: configuration.continuityTolerance) == true { pass?.append(window) }
        } else {
            confirmPendingDrop(into: &readings)
        }
        return true
    }

    /// Ends the pass at a drop (`PendingDrop`) as a vehicle reaching the
    /// sensor: the dropped windows are its sag's tail, and those heard since
    /// go back to the tracker.
    private mutating func confirmPendingDrop(into readings: inout [Reading]) {
        guard let drop = pendingDrop.take() else { return }
        let lastDroppedNs = drop.dropped[drop.dropped.count - 1].endNs
        let ceiling = (drop.dropped.map(\.frequencyHz).max() ?? drop.levelHz) * (1 + configuration.continuityTolerance)
        pendingSag = PendingSag(
            levelHz: drop.levelHz, ceilingHz: ceiling,
            untilNs: lastDroppedNs + configuration.sagTailNs, decideByNs: lastDroppedNs + 2 * configuration.sagTailNs,
            fellGradually: false, tail: drop.dropped + drop.after)
        confirmPendingSag(reachedSensor: true, into: &readings)
    }

    /// Ends the pass in its sag, and passes the windows held back since to
    /// the tracker, where those no higher than the sag's tone are its tail.
    /// `reachedSensor` when the fall itself showed the vehicle at the sensor
    /// (see `PassEnd`).
    private mutating func confirmPendingSag(reachedSensor: Bool = false, into readings: inout [Reading]) {
        guard let pending = pendingSag.take() else { return }
        endPass(reachedSensor ? .reachedSensor : .sag, into: &readings)
        sagTail = (pending.untilNs, pending.ceilingHz)
        for window in pending.tail { track(window, into: &readings) }
    }

    /// The current pass's tone has climbed: if what came before the climb was
    /// a steady or sagging tone (an approaching vehicle), a receding vehicle
    /// has taken over and the pass is split there. If it was itself rising,
    /// this is one receding vehicle's own climb, and the pass is never split by a climb.
    private mutating func splitAtRise(into readings: inout [Reading]) {
        guard var earlier = pass else { return }
        let later = earlier.splitAtRise(riseFraction: configuration.riseSplitFraction)
        let rising = earlier.startsWithRise(configuration)
        guard earlier.windows.count >= configuration.minimumWindows, !rising else {
            pass?.mayRiseSplit = false
            return
        }
        pass = earlier
        endPass(.faded, into: &readings)
        pass = later
    }

    /// Ends the pass if its tone has been gone longer than the hold time, and
    /// reports held segments that nothing can join any more.
    @inline(__always)
    private mutating func expirePass(at t: UInt64, into readings: inout [Reading]) {
        if let drop = pendingDrop {
            if t > drop.lastHeardNs &+ configuration.holdNs { confirmPendingDrop(into: &readings) }
        } else if let pending = pendingSag {
            if t > (pending.tail.last?.endNs ?? pass?.lastConsistentEndNs ?? 0) &+ configuration.holdNs { confirmPendingSag(reachedSensor: true, into: &readings) }
        } else if let lastEndNs = pass?.lastConsistentEndNs, t > lastEndNs &+ configuration.holdNs {
            endPass(.faded, into: &readings)
        }
        consolidator.expire(at: t, trackingSince: pass?.startNs, into: &completed)
        if !completed.isEmpty { reportCompleted(into: &readings) }
    }

    /// Hands the current segment, ended as `end` says, to the consolidator.
    private mutating func endPass(_ end: PassEnd, into readings: inout [Reading]) {
        deviants.removeAll(keepingCapacity: true)
        guard var finished = pass else { return }
        finished.end = end
        pass = nil
        consolidator.submit(finished, into: &completed)
        reportCompleted(into: &readings)
    }

    /// Turns completed passes into readings, for those that are vehicles.
    private mutating func reportCompleted(into readings: inout [Reading]) {
        let estimator = PassEstimator(configuration: configuration)
        for finished in completed {
            if let (earlier, later) = secondRecedingVehicle(in: finished) {
                report(earlier, with: estimator, into: &readings)
                report(later, with: estimator, into: &readings)
            } else {
                report(finished, with: estimator, into: &readings)
            }
        }
        completed.removeAll(keepingCapacity: true)
        // A pass still to come began after the oldest one held, which is at most this old.
        if let newest = readings.last?.monotonicNs {
            let horizon = configuration.maximumLockNs &+ configuration.mergeGapNs &+ configuration.holdNs
            if newest > horizon { losses.forget(endedBefore: newest - horizon) }
        }
    }

    /// A receding pass cut in two where a second receding vehicle took it
    /// over: its tone climbs again after holding a level (a faster vehicle
    /// emerged behind the first, `splitAtSecondClimb`), or dips and climbs
    /// again (a nearer one emerged beside the sensor, `splitAtDip`).
    private func secondRecedingVehicle(in pass: PassTrack) -> (earlier: PassTrack, later: PassTrack)? {
        let minimumPartNs = 2 * configuration.minimumLockNs
        // Whether the pass rises is asked last: it sorts all the windows, and most passes hold no second vehicle.
        guard let split = pass.splitAtSecondClimb(minimumPartNs: minimumPartNs) ?? pass.splitAtDip(minimumPartNs: minimumPartNs),
            pass.startsWithRise(configuration)
        else { return nil }
        return split
    }

    /// Appends the reading for `pass`, if it is a vehicle, flagged for edges dropped across it.
    private mutating func report(_ pass: PassTrack, with estimator: PassEstimator, into readings: inout [Reading]) {
        let acrossLoss = losses.touch(startNs: pass.startNs, endNs: pass.lastConsistentEndNs, marginNs: configuration.holdNs)
        if let reading = estimator.reading(for: pass, edgesDropped: acrossLoss) { readings.append(reading) }
    }

    // MARK: - Channel 1: direction from I/Q phase

    @inline(__always)
    private mutating func handleQuadratureEdge(_ t: UInt64) {
        guard let lastI = lastEdgeNs, lastPeriodNs > 0, t >= lastI else { return }
        let phase = Double(t - lastI) / Double(lastPeriodNs)
        if phase > 0.05, phase < 0.45 {
            windowLagVotes += 1
        } else if phase > 0.55, phase < 0.95 {
            windowLeadVotes += 1
        }
    }
}

/// A gradual sag end not yet confirmed, and the windows heard since.
private struct PendingSag: Sendable {
    /// The five-window median that crossed the sag threshold.
    var levelHz: Double
    /// Once confirmed, windows at or below this during the tail are the sag's own.
    var ceilingHz: Double
    /// When the sag tail ends.
    var untilNs: UInt64
    /// When the sag is confirmed if the tone has neither fallen on nor climbed back.
    var decideByNs: UInt64
    /// Whether the tone fell gradually into the sag (`SagEnd.fellGradually`):
    /// only such a sag can be a rider's wobble.
    var fellGradually: Bool
    /// The windows heard since the sag end, held back.
    var tail: [ToneWindow] = []

    /// Windows a wobble's trough lasts near the sag's level before the tone
    /// climbs back (a 10 mph rider gives about 11 in 300 ms).
    static let troughWindows = 5

    /// The median of the last three tail windows (at least one).
    var recentTailHz: Double {
        let n = tail.count
        return n < 3 ? tail[n - 1].frequencyHz : median3(tail[n - 1].frequencyHz, tail[n - 2].frequencyHz, tail[n - 3].frequencyHz)
    }

    /// Whether the first `troughWindows` tail windows all lay within `fraction` of the level.
    func lingeredInTrough(within fraction: Double) -> Bool {
        tail.count > Self.troughWindows
            && tail.prefix(Self.troughWindows).allSatisfy { abs($0.frequencyHz / levelHz - 1) <= fraction }
    }
}

/// Windows that broke away below a sagging pass's tone (`PassTrack.sagContinues`),
/// and those heard since, until they show whether the vehicle reached the sensor.
private struct PendingDrop: Sendable {
    /// The pass's recent tone when the windows broke away.
    var levelHz: Double
    /// The windows that broke away (never empty), and those heard after them.
    var dropped: [ToneWindow]
    var after: [ToneWindow] = []

    /// When the last window held was heard.
    var lastHeardNs: UInt64 { (after.last ?? dropped[dropped.count - 1]).endNs }

    /// Whether `tone` is at the dropped windows' tone still.
    func stillDropped(_ tone: ToneWindow, tolerance: Double) -> Bool {
        abs(tone.frequencyHz / dropped.medianFrequencyHz - 1) <= tolerance
    }

    /// Windows heard after the drop that decide it.
    static let decideWindows = 5
    /// How far above the pass's level the tone after the drop may lie and still
    /// be the same vehicle's: an approaching vehicle's tone does not climb.
    static let climbFraction = 0.01
}
