import SpeedDomain

/// Joins the segments the tone tracker produces into one pass per vehicle.
///
/// A weak, distant vehicle's tone comes and goes, and a nearer vehicle can
/// mask it for a while, so the tracker may cut one vehicle into several
/// segments, sometimes with another vehicle's segment in between. The
/// consolidator holds the vehicles it has heard recently and joins a new
/// segment to one of them when their tones agree (plateau to plateau, or the
/// one's closing tone to the other's opening tone) and the gap is short —
/// unless physics says the two are different vehicles: a segment that ended
/// in a cosine sag belongs to a vehicle that reached the sensor, and a
/// segment that starts with a rise belongs to a receding vehicle that has
/// just emerged beside it, and a tone coming back much steadier than a held
/// receding vehicle's ever was is a nearer one. A rider's wobbling tone, or
/// a weak tone's scatter, can also be shared out between two held tracks
/// whose spans overlap; when one of them is only scattered windows, they
/// are folded into one (`isTwin`).
struct PassConsolidator: Sendable {
    let configuration: DopplerConfiguration
    /// Vehicles heard recently whose pass may still continue, oldest first.
    private var open: [PassTrack] = [] {
        didSet {
            let mergeGapNs = configuration.mergeGapNs
            nextDeadlineNs = open.lazy.map { Self.deadline(of: $0, mergeGapNs: mergeGapNs) }.min() ?? .max
        }
    }
    /// The earliest time a held vehicle's merge gap runs out (checked on every window).
    private var nextDeadlineNs = UInt64.max
    /// When the last segment that ended arriving at the sensor ended.
    private var lastArrivalNs: UInt64 = 0
    /// When the last segment that starts with a rise (a receding vehicle emerging) began.
    private var lastEmergenceNs: UInt64 = 0

    init(configuration: DopplerConfiguration) {
        self.configuration = configuration
    }

    /// Takes a finished segment (its `end` says whether the tracker saw its
    /// sag). Passes that can no longer continue are appended to `completed`.
    mutating func submit(_ segment: PassTrack, into completed: inout [PassTrack]) {
        // An unbroken tone that climbs, steps and sags: a receding vehicle
        // handing over to an approaching one. The approaching part may still
        // join a segment of its own that a stronger tone cut short; the
        // receding part is held, as its tone may come back after the other has passed.
        let laterPlateauHz = segment.plateauHz
        if segment.end != .faded,
            let (receding, approaching) = segment.splitAtStep(
                plateauHz: laterPlateauHz, riseFraction: configuration.riseStartFraction,
                stepFraction: configuration.stepSplitFraction, block: configuration.stepBlockWindows,
                minimumPartNs: 2 * configuration.minimumLockNs, cutAtBreak: segment.end == .reachedSensor)
        {
            var approaching = approaching
            approaching.end = segment.end
            submit(approaching, into: &completed)
            var masked = receding
            masked.maskedUntilNs = approaching.lastConsistentEndNs
            submit(masked, into: &completed)
            return
        }
        var segment = segment
        let rises = segment.startsWithRise(configuration)
        // A receding vehicle's tone climbs and never sags: a climb that ended
        // in a sag the tracker was unsure of (`PassEnd.sag`) dropped to a
        // slower vehicle's lingering tone. It is held as if it had faded, for
        // its tone may come back once that vehicle has passed.
        if rises, segment.end == .sag { segment.end = .faded }
        let endedInSag = segment.end != .faded
        if segment.end == .reachedSensor { lastArrivalNs = max(lastArrivalNs, segment.lastConsistentEndNs) }
        if rises { lastEmergenceNs = max(lastEmergenceNs, segment.startNs) }
        var vehicle = segment
        var joinedEarlier = false
        if let index = joinCandidates(for: segment, rises: rises, laterPlateauHz: laterPlateauHz).min(by: { $0.1 < $1.1 })?.0 {
            var joined = open.remove(at: index)
            // A stray scrap is dropped, and the segment stands in its place.
            if !isScrap(joined, before: segment) {
                joined.absorb(segment)
                vehicle = joined
                joinedEarlier = true
            }
        }
        guard endedInSag else {
            // The segment's own shape and plateau, unless it joined an earlier pass.
            let (vehicleRises, plateauHz) = joinedEarlier ? (vehicle.startsWithRise(configuration), vehicle.plateauHz) : (rises, laterPlateauHz)
            vehicle.arrivingUntilNs = arrivalDeadline(of: vehicle, rises: vehicleRises, plateauHz: plateauHz)
            vehicle.recedingUntilNs = recedingDeadline(of: vehicle, rises: vehicleRises, plateauHz: plateauHz)
            open.append(vehicle)
            return
        }
        foldTwins(into: &vehicle)
        vehicle.end = segment.end
        if var (receding, approaching) = vehicle.splitAtJoin(riseFraction: configuration.riseStartFraction, minimumPartNs: 2 * configuration.minimumLockNs) {
            receding.end = .faded
            approaching.end = segment.end
            completed += [receding, approaching]
        } else {
            completed.append(vehicle)
        }
    }

    /// The held vehicles `segment` may be joined to, each with its `disagreement`.
    /// A receding vehicle emerging is never joined to an earlier one. (With
    /// I/Q, a segment heard approaching that opens low is the rest of an
    /// approaching vehicle's tone, whose opening blended with another's.) On
    /// one pin, a segment that opens with a climb yet ends arriving at the
    /// sensor is an approaching vehicle whose opening blended with another
    /// tone: it may be the rest of a steady far tone held for it, heard before
    /// that other tone came between, at the same plateau.
    private func joinCandidates(for segment: PassTrack, rises: Bool, laterPlateauHz: Double) -> [(Int, Double)] {
        let heading = segment.direction(lagMeansApproaching: configuration.quadratureLagMeansApproaching)
        let arrivesAfterClimb = rises && heading == .unknown && segment.end == .reachedSensor
        if rises, heading != .approaching, !arrivesAfterClimb { return [] }
        let candidates = open.indices.compactMap { index in disagreement(open[index], segment, laterPlateauHz: laterPlateauHz).map { (index, $0) } }
        guard arrivesAfterClimb else { return candidates }
        return candidates.filter { candidate in
            let held = open[candidate.0]
            return !held.startsWithRise(configuration) && abs(laterPlateauHz / held.plateauHz - 1) <= configuration.joinTolerance
        }
    }

    /// Completes held vehicles that nothing can join any more: the merge gap
    /// has passed and no segment that began within it is still being tracked.
    mutating func expire(at nowNs: UInt64, trackingSince activeStartNs: UInt64?, into completed: inout [PassTrack]) {
        guard nowNs > nextDeadlineNs else { return }
        let mergeGapNs = configuration.mergeGapNs
        var expired: [PassTrack] = []
        open.removeAll { held in
            let deadline = Self.deadline(of: held, mergeGapNs: mergeGapNs)
            guard nowNs > deadline else { return false }
            if let activeStartNs, activeStartNs <= deadline { return false }
            expired.append(held)
            return true
        }
        for held in expired {
            if let twin = open.firstIndex(where: { isTwin($0, held) }) {
                open[twin] = open[twin].interleaved(with: held)
            } else {
                completed.append(held)
            }
        }
    }

    /// How long a silence after a scrap of tone (see `isScrap`) shows the
    /// scrap to be stray, not the start of the segment after it.
    static let scrapSilenceNs: UInt64 = 1_000_000_000

    /// Whether `held` is a scrap of tone that a later segment agreeing with it
    /// replaces rather than extends: too few windows ever to be a reading
    /// (`minimumWindows`), heard at least `scrapSilenceNs` before the segment.
    /// Noise, or a weak tone, can lock for a window or two at about the speed
    /// of the vehicle heard next; joined, the scrap only moves the pass's start
    /// seconds early (before a receding vehicle could have been heard at all).
    private func isScrap(_ held: PassTrack, before segment: PassTrack) -> Bool {
        held.windows.count < configuration.minimumWindows && segment.startNs > held.lastConsistentEndNs &+ Self.scrapSilenceNs
    }

    /// How far apart two interleaved tracks' plateaus may be and still be one
    /// vehicle's: a rider's ±5% wobble, or a weak tone's scatter, split in two.
    static let twinTolerance = 0.10
    /// The share of its span a track must have been locked for to stand as a
    /// vehicle beside an interleaved one; below it, the track is scattered
    /// windows of the other's tone.
    static let sparseCoverage = 0.15

    /// Whether two held tracks are one vehicle's tone split in two: their
    /// spans overlap, one is only scattered windows, and their tones agree.
    private func isTwin(_ a: PassTrack, _ b: PassTrack) -> Bool {
        a.interleaves(with: b) && min(a.coverage, b.coverage) <= Self.sparseCoverage
            && !a.opposesDirection(b.phaseSign) && abs(a.plateauHz / b.plateauHz - 1) <= Self.twinTolerance
    }

    /// Takes into `track` every held track that is its twin (`isTwin`).
    private mutating func foldTwins(into track: inout PassTrack) {
        while let twin = open.firstIndex(where: { isTwin($0, track) }) {
            track = track.interleaved(with: open.remove(at: twin))
        }
    }

    /// How far an approaching vehicle lost before its sag may still have to
    /// travel to the sensor: a slow car heard far off can be masked (by a
    /// pedestrian beside the sensor, or a nearer vehicle) for longer than the
    /// merge gap and still be the one heard again. The hold lasts this
    /// distance at the pass's speed, at most `arrivalHoldMaxSeconds`.
    static let arrivalHoldMetres = 60.0
    static let arrivalHoldMaxSeconds = 12.0
    /// How close a segment heard after the merge gap, during the hold, must
    /// be to the held pass's plateau to join it: the same vehicle's steady tone.
    static let arrivalTolerance = 0.03

    /// For a pass that may be an approaching vehicle lost before its sag,
    /// until when it is held for the vehicle's return (see
    /// `arrivalHoldMetres`); 0 for any other. Only a pass of at least
    /// `fragmentNs` that did not start with a rise, and that I/Q, if present,
    /// did not hear receding: a scrap of tone or a receding vehicle is not held.
    /// (`rises` and `plateauHz` are the pass's `startsWithRise` and `plateauHz`.)
    private func arrivalDeadline(of pass: PassTrack, rises: Bool, plateauHz: Double) -> UInt64 {
        guard pass.durationNs >= configuration.fragmentNs, !rises,
            pass.direction(lagMeansApproaching: configuration.quadratureLagMeansApproaching) != .receding
        else { return 0 }
        let metresPerSecond = configuration.radialMetresPerSecond(hz: plateauHz)
        let seconds = min(Self.arrivalHoldMaxSeconds, Self.arrivalHoldMetres / max(metresPerSecond, 1))
        return pass.lastConsistentEndNs &+ UInt64(seconds * 1e9)
    }

    /// How far off a receding vehicle can still be heard: its tone may come
    /// back after a masking for as long as it takes to cover this from where
    /// it emerged, at most `recedingHoldMaxSeconds`.
    static let recedingHoldMetres = 100.0
    static let recedingHoldMaxSeconds = 12.0
    /// How a receding vehicle's returning tone may lie against its held
    /// plateau: up to 10% higher (it was masked while its cosine still grew;
    /// `shortClimbRise` for a short pass), up to 2% lower (scatter).
    static let recedingReturnRise = 0.10
    static let recedingReturnFall = 0.02
    /// A receding pass heard for less than `shortClimbNs` was cut early in
    /// its climb, and its tone heard again, fading, may lie up to
    /// `shortClimbRise` above its plateau. After t seconds a vehicle that
    /// emerged d metres out at v m/s has a cosine of vt / √((vt)² + d²): 0.87
    /// after 1 s for a 20 mph car 5 m out (15% still to grow), 0.79 for one
    /// 7 m out. (A segment that sags is an approaching vehicle, and gets only
    /// the usual allowance.)
    static let shortClimbNs: UInt64 = 1_000_000_000
    static let shortClimbRise = 0.16

    /// How far above a cut receding pass's plateau the tone of `later`
    /// may lie: `allowance`, or `shortClimbRise` if more, the pass is short
    /// and `later` fades.
    private static func riseAllowance(of pass: PassTrack, returning later: PassTrack, atLeast allowance: Double) -> Double {
        pass.durationNs < shortClimbNs && later.end == .faded ? max(shortClimbRise, allowance) : allowance
    }

    /// A receding vehicle's return weakens as it draws away, so noise jitters
    /// its tone more the longer it is heard. A segment whose first
    /// `openingJitterWindows` windows are jittered less than
    /// `cleanerReturnRatio` times a held receding pass's steadier windows (its
    /// lower quartile) is a nearer vehicle, one that passed the sensor while
    /// another tone held the comparator, not the held one heard again. Only
    /// for a pass heard for `shortClimbNs` or more: a shorter one was heard
    /// mostly while another vehicle's tone still interfered with it.
    static let cleanerReturnRatio = 0.5
    static let openingJitterWindows = 8

    /// Whether `later` opens so much steadier than the receding pass
    /// `earlier` that it is another, nearer vehicle (see `cleanerReturnRatio`).
    private func opensCleaner(_ later: PassTrack, than earlier: PassTrack) -> Bool {
        guard earlier.durationNs >= Self.shortClimbNs, later.windows.count >= Self.openingJitterWindows,
            earlier.startsWithRise(configuration)
        else { return false }
        let opening = PassTrack.jitter(of: later.windows.prefix(Self.openingJitterWindows), quantile: 0.5)
        return opening < Self.cleanerReturnRatio * PassTrack.jitter(of: earlier.windows, quantile: 0.25)
    }

    /// How soon after an approaching vehicle reached the sensor a receding
    /// vehicle's tone must come back to be taken as the one it masked.
    static let returnAfterArrivalNs: UInt64 = 1_500_000_000

    /// For a pass that emerged receding, until when it is held for its tone
    /// to come back after a masking (see `recedingHoldMetres`); 0 for any
    /// other. Only a pass long enough to be a reading that started with a
    /// rise and that I/Q, if present, did not hear approaching.
    private func recedingDeadline(of pass: PassTrack, rises: Bool, plateauHz: Double) -> UInt64 {
        guard rises, pass.windows.count >= configuration.minimumWindows,
            pass.direction(lagMeansApproaching: configuration.quadratureLagMeansApproaching) != .approaching
        else { return 0 }
        let metresPerSecond = configuration.radialMetresPerSecond(hz: plateauHz)
        let seconds = min(Self.recedingHoldMaxSeconds, Self.recedingHoldMetres / max(metresPerSecond, 1))
        return pass.startNs &+ UInt64(seconds * 1e9)
    }

    /// How far `later`'s tone is from a held receding vehicle's, past the
    /// merge gap (as in `disagreement`), or nil unless it is that vehicle
    /// heard again: a tone that fades, not sags, coming back straight after an
    /// approaching vehicle that masked it reached the sensor, with no other
    /// receding vehicle emerged since whose tone it could be.
    /// (The tone is compared last: a held pass's plateau is taken over all its
    /// windows, and noise brings many short segments.)
    private func recedingReturnDisagreement(_ earlier: PassTrack, _ later: PassTrack, laterPlateauHz: Double) -> Double? {
        guard later.end == .faded, lastEmergenceNs <= earlier.startNs,
            lastArrivalNs > earlier.lastConsistentEndNs, later.startNs <= lastArrivalNs &+ Self.returnAfterArrivalNs
        else { return nil }
        let ratio = laterPlateauHz / earlier.plateauHz
        let rise = Self.riseAllowance(of: earlier, returning: later, atLeast: Self.recedingReturnRise)
        let disagreement: Double?
        if ratio >= 1 {
            disagreement = ratio - 1 <= rise ? (ratio - 1) / rise : nil
        } else {
            disagreement = 1 - ratio <= Self.recedingReturnFall ? (1 - ratio) / Self.recedingReturnFall : nil
        }
        // Jitter last, and only for a tone that would join: it sorts the held pass's windows.
        guard let disagreement, !opensCleaner(later, than: earlier) else { return nil }
        return disagreement
    }

    /// When nothing can join `held` any more.
    private static func deadline(of held: PassTrack, mergeGapNs: UInt64) -> UInt64 {
        max(held.quietSinceNs &+ mergeGapNs, held.arrivingUntilNs, held.recedingUntilNs)
    }

    /// Completes everything held.
    mutating func flush(into completed: inout [PassTrack]) {
        completed += open
        open.removeAll()
    }

    /// How far apart two segments' tones are, as a fraction of the allowed
    /// difference (below 1 means they may be joined), or nil if they cannot be.
    /// `laterPlateauHz` is `later.plateauHz`, taken once for all the held vehicles.
    private func disagreement(_ earlier: PassTrack, _ later: PassTrack, laterPlateauHz: Double) -> Double? {
        guard later.startNs <= Self.deadline(of: earlier, mergeGapNs: configuration.mergeGapNs) else { return nil }
        guard !earlier.opposesDirection(later.phaseSign) else { return nil }
        if later.startNs > earlier.quietSinceNs &+ configuration.mergeGapNs {
            // Past the merge gap, in a receding hold: the vehicle heard again
            // after a masking.
            if earlier.recedingUntilNs > 0 { return recedingReturnDisagreement(earlier, later, laterPlateauHz: laterPlateauHz) }
            // Past the merge gap, in an arrival hold: only the same steady tone.
            let ratio = laterPlateauHz / earlier.plateauHz
            return abs(ratio - 1) <= Self.arrivalTolerance ? abs(ratio - 1) / configuration.joinTolerance : nil
        }
        let ratio = laterPlateauHz / earlier.plateauHz
        // A receding vehicle cut off while climbing can only be heard again higher:
        // a segment opening more than the continuity tolerance below its plateau
        // is another vehicle emerging.
        if earlier.maskedUntilNs > 0, later.openingHz < earlier.plateauHz * (1 - configuration.continuityTolerance) { return nil }
        var plateaus = abs(ratio - 1) / configuration.joinTolerance
        // A receding vehicle cut off at a step, or where another tone took the
        // comparator, was still climbing when the other vehicle masked it:
        // heard again, its tone can only be higher, by what its cosine had
        // left to grow (unless the later segment climbs from low itself: a
        // vehicle emerging, which `submit` never joins).
        if ratio > 1, earlier.maskedUntilNs > 0 || (earlier.handedOver && earlier.startsWithRise(configuration)) {
            plateaus = min(plateaus, (ratio - 1) / Self.riseAllowance(of: earlier, returning: later, atLeast: configuration.riseSplitFraction))
        }
        let continuity = abs(later.openingHz / earlier.recentFrequencyHz - 1) / configuration.continuityTolerance
        let best = min(plateaus, continuity)
        // Jitter last, and only for a tone that would join (as above).
        return best <= 1 && !opensCleaner(later, than: earlier) ? best : nil
    }
}
