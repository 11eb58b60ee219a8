import SpeedDomain
import Testing
@testable import VehicleDetection

/// Rules of `PassTrack` and `PassConsolidator` tested on hand-made windows, where edge sequences
/// cannot reliably shape the tracker's segments.
@Suite("Pass track and consolidator rules")
struct PassTrackTests {
    static let windowNs: UInt64 = 10_000_000
    static let carrier = EdgeMaker.carrier

    /// A window `windowNs` long starting at `atNs`, of a tone at `mph` (radial).
    static func window(atNs: UInt64, mph: Double) -> ToneWindow {
        let hz = Doppler.hertz(per: .mph, carrierHz: carrier) * mph
        return ToneWindow(startNs: atNs, endNs: atNs + windowNs, meanPeriodNs: 1e9 / hz, coefficientOfVariation: 0.02)
    }

    /// A segment of back-to-back windows at `mph` from `fromNs` for `seconds`.
    static func steady(fromNs: UInt64, mph: Double, seconds: Double) -> PassTrack {
        let count = Int(seconds * 1e9) / Int(windowNs)
        return PassTrack(windows: ArraySlice((0..<count).map { window(atNs: fromNs + UInt64($0) * windowNs, mph: mph) }))
    }

    /// A pass joined from an opening segment, 3.5 s of a steady 25.6 mph tone
    /// after 0.3 s, and after a 0.45 s break 1.5 s more of it.
    static func pass(opening: PassTrack) -> PassTrack {
        let start = opening.lastConsistentEndNs + 300_000_000
        var pass = opening
        pass.absorb(steady(fromNs: start, mph: 25.6, seconds: 3.5))
        pass.absorb(steady(fromNs: start + 3_950_000_000, mph: 25.6, seconds: 1.5))
        return pass
    }

    /// Windows at `levels` mph, one every `spacingNs` from `fromNs`.
    static func opening(_ levels: [Double], spacingNs: UInt64, fromNs: UInt64 = 1_000_000_000) -> PassTrack {
        PassTrack(windows: ArraySlice(levels.enumerated().map { window(atNs: fromNs + UInt64($0.offset) * spacingNs, mph: $0.element) }))
    }

    /// A receding car's climb: `count` back-to-back windows from `fromNs`
    /// (1 s unless given), their tone rising evenly from `fromMph` to `toMph`.
    static func climb(fromMph: Double, toMph: Double, count: Int, fromNs: UInt64 = 1_000_000_000) -> PassTrack {
        opening((0..<count).map { fromMph + (toMph - fromMph) * Double($0) / Double(count - 1) }, spacingNs: windowNs, fromNs: fromNs)
    }

    /// The passes a fresh consolidator makes of `segments`, submitted in order, then flushed.
    static func consolidated(_ segments: [PassTrack]) -> [PassTrack] {
        var consolidator = PassConsolidator(configuration: DopplerConfiguration(carrierHz: carrier))
        var completed: [PassTrack] = []
        for segment in segments { consolidator.submit(segment, into: &completed) }
        consolidator.flush(into: &completed)
        return completed
    }

    /// `track` with every window's periods scattered by `jitter` (coefficient of variation).
    static func jittered(_ track: PassTrack, _ jitter: Double) -> PassTrack {
        var track = track
        for index in track.windows.indices { track.windows[index].coefficientOfVariation = jitter }
        return track
    }

    @Test("a shallow low opening heard in snatches is no receding car's climb; a locked or deep one is")
    func scatteredShallowOpeningIsNoClimb() {
        let cuts = { (pass: PassTrack) in pass.splitAtJoin(riseFraction: 0.06, minimumPartNs: 400_000_000)?.receding.durationNs }
        // 6.6% low, one window every 90 ms: a far car's weak tone, not a cut.
        #expect(cuts(Self.pass(opening: Self.opening([23.9, 23.9, 23.9, 25.4, 25.6], spacingNs: 90_000_000))) == nil)
        // The same levels locked back to back: a climb, cut at the longest break.
        let locked = cuts(Self.pass(opening: Self.opening([23.9, 23.9, 23.9, 25.4, 25.6], spacingNs: Self.windowNs)))
        #expect(locked ?? 0 > 3_000_000_000)
        // 20% low in snatches: too deep for a far tone's scatter, so still a climb.
        #expect(cuts(Self.pass(opening: Self.opening([20.5, 20.5, 20.5, 25.4, 25.6], spacingNs: 90_000_000))) != nil)
    }

    @Test("a segment opening a little low in snatches does not start with a rise; locked, it does")
    func scatteredShallowOpeningDoesNotRise() {
        func rises(_ levels: [Double], spacingNs: UInt64) -> Bool {
            var segment = Self.opening(levels, spacingNs: spacingNs)
            segment.absorb(Self.steady(fromNs: segment.lastConsistentEndNs + 100_000_000, mph: 25.6, seconds: 2))
            return segment.startsWithRise(riseFraction: 0.06, trendFraction: 0.03)
        }
        #expect(!rises([23.9, 23.9, 23.9, 25.4, 25.6], spacingNs: 90_000_000))
        #expect(rises([23.9, 23.9, 23.9, 25.4, 25.6], spacingNs: Self.windowNs))
        #expect(rises([20.5, 20.5, 20.5, 25.4, 25.6], spacingNs: 90_000_000))
    }

    @Test("an approaching car masked past the merge gap rejoins its pass while it could still be arriving")
    func maskedApproachRejoinsDuringArrivalHold() {
        // Heard for 3 s, lost (masked) for `gap` s, then heard again at `laterMph` until its sag.
        func passes(mph: Double, gap: Double, laterMph: Double) -> [PassTrack] {
            var segments: [PassTrack] = []
            let first = Self.steady(fromNs: 1_000_000_000, mph: mph, seconds: 3)
            segments.append(first)
            var later = Self.steady(fromNs: first.lastConsistentEndNs + UInt64(gap * 1e9), mph: laterMph, seconds: 2)
            later.end = .reachedSensor
            segments.append(later)
            return Self.consolidated(segments)
        }
        // 15.4 mph (6.9 m/s): held 8.7 s, so after 6 s of masking it is one pass.
        #expect(passes(mph: 15.4, gap: 6, laterMph: 15.4).count == 1)
        // A weak far tone scatters: 2.6% off is still the same car (within 3%).
        #expect(passes(mph: 15.4, gap: 6, laterMph: 15.8).count == 1)
        // Not once the hold is over, nor for a tone 5% off.
        #expect(passes(mph: 15.4, gap: 10, laterMph: 15.4).count == 2)
        #expect(passes(mph: 15.4, gap: 6, laterMph: 16.2).count == 2)
        // 40 mph (17.9 m/s): 60 m take 3.4 s, within the usual 4 s merge gap; no hold beyond it.
        #expect(passes(mph: 40, gap: 6, laterMph: 40).count == 2)
    }

    @Test("a stray window or two at a car's tone a second or more before it is dropped, not joined: the car's pass starts with its own tone")
    func strayScrapIsNotJoined() {
        // One window at 12.1 mph (a scrap of noise, or of a weak tone), then after
        // `gap` s a rider's 2 s at 12 mph: within the join tolerance of each other.
        func start(gap: Double, scrapWindows: Int) -> UInt64? {
            var segments: [PassTrack] = []
            let scrap = Self.steady(fromNs: 1_000_000_000, mph: 12.1, seconds: Double(scrapWindows) * 0.01)
            segments.append(scrap)
            let rider = Self.steady(fromNs: scrap.lastConsistentEndNs + UInt64(gap * 1e9), mph: 12, seconds: 2)
            segments.append(rider)
            let completed = Self.consolidated(segments)
            guard completed.count == 1 else { return nil }
            return completed[0].startNs
        }
        #expect(start(gap: 3, scrapWindows: 1) == 1_000_000_000 + 10_000_000 + 3_000_000_000)
        #expect(start(gap: 3, scrapWindows: 7) == 1_000_000_000 + 70_000_000 + 3_000_000_000)
        // A closer scrap, or a segment long enough to be a reading, is joined.
        #expect(start(gap: 0.5, scrapWindows: 1) == 1_000_000_000)
        #expect(start(gap: 3, scrapWindows: 8) == 1_000_000_000)
    }

    @Test("a receding car's climb that ends in an unsure sag is held like one that faded: its tone heard again joins it")
    func recedingClimbEndingInUnsureSagIsHeld() {
        // A receding car emerges (climbing 18 → 22 mph in 0.6 s) and holds 22 mph
        // for 1 s; then the comparator drops to a slower car's lingering tone,
        // which the tracker takes for a sag (`end`). 1.5 s later the receding
        // car's tone is back at 22.8 mph, flat, and fades.
        func passes(end: PassEnd) -> Int {
            var segments: [PassTrack] = []
            var receding = Self.opening((0..<160).map { 18 + 4 * min(1, Double($0) / 59) }, spacingNs: Self.windowNs)
            receding.end = end
            segments.append(receding)
            let later = Self.steady(fromNs: receding.lastConsistentEndNs + 1_500_000_000, mph: 22.8, seconds: 2)
            segments.append(later)
            return Self.consolidated(segments).count
        }
        // A climb does not sag: the sag was another tone, and the car is heard again.
        #expect(passes(end: .sag) == 1)
        #expect(passes(end: .faded) == 1)
        // A climb that reached the sensor is an approaching car whose opening
        // blended with another tone: complete, and the later tone is another car.
        #expect(passes(end: .reachedSensor) == 2)
    }

    @Test("a receding car heard for under a second before a masking may come back up to 16% higher, a longer one 8%")
    func shortMaskedClimbMayReturnHigher() {
        // A receding car climbs 18 → 22 mph in 0.6 s (plateau 21.2) and, when
        // `heldSeconds` > 0, holds 22 mph that long; it is masked by an approaching
        // car until 1 s after its last window, then heard at `laterMph` for 2 s.
        // With `arrivingFirst`, a car at 23.5 mph that sags at the sensor is heard first.
        func passes(heldSeconds: Double, laterMph: Double, arrivingFirst: Bool = false) -> Int {
            var segments: [PassTrack] = []
            var receding = Self.climb(fromMph: 18, toMph: 22, count: 60)
            if heldSeconds > 0 { receding.absorb(Self.steady(fromNs: receding.lastConsistentEndNs, mph: 22, seconds: heldSeconds)) }
            receding.maskedUntilNs = receding.lastConsistentEndNs + 1_000_000_000
            segments.append(receding)
            var laterFromNs = receding.maskedUntilNs + 100_000_000
            if arrivingFirst {
                var arriving = Self.steady(fromNs: laterFromNs, mph: 23.5, seconds: 1)
                arriving.end = .reachedSensor
                segments.append(arriving)
                laterFromNs = arriving.lastConsistentEndNs + 200_000_000
            }
            let later = Self.steady(fromNs: laterFromNs, mph: laterMph, seconds: 2)
            segments.append(later)
            return Self.consolidated(segments).count
        }
        // 0.6 s heard: 24 mph is 13% above its plateau, still its own cosine growing.
        #expect(passes(heldSeconds: 0, laterMph: 24) == 1)
        #expect(passes(heldSeconds: 0, laterMph: 25.5) == 2)
        // 1.5 s heard (plateau 22): it had less left to climb, so 9% above is another car.
        #expect(passes(heldSeconds: 0.9, laterMph: 24) == 2)
        #expect(passes(heldSeconds: 0.9, laterMph: 23.5) == 1)
        // Only for a tone that fades: one that sags is an approaching car, which,
        // joined and cut off again, would take the receding car's pass with it.
        #expect(passes(heldSeconds: 0, laterMph: 24, arrivingFirst: true) == 2)
    }

    @Test("a receding car masked while climbing rejoins only a tone no lower than it was; one opening below is another car emerging")
    func maskedClimbRejoinsOnlyHigher() {
        // Heard climbing from 50 to 60 mph for 0.5 s (plateau estimate about 58),
        // then masked for 1.3 s by an approaching car; then a segment opening at
        // `openingMph` climbs to 57 (from 54.3 it is no rise by itself: 4.7% below).
        func passes(openingMph: Double) -> Int {
            var segments: [PassTrack] = []
            var masked = Self.climb(fromMph: 50, toMph: 60, count: 50)
            masked.maskedUntilNs = masked.lastConsistentEndNs + 1_200_000_000
            segments.append(masked)
            let from = masked.lastConsistentEndNs + 1_300_000_000
            let later = (0..<300).map { Self.window(atNs: from + UInt64($0) * Self.windowNs, mph: min(57, openingMph + Double($0) * 0.05)) }
            segments.append(PassTrack(windows: ArraySlice(later)))
            return Self.consolidated(segments).count
        }
        #expect(passes(openingMph: 54.3) == 2)
        #expect(passes(openingMph: 57) == 1)
    }

    @Test("a lone receding car masked past the merge gap by an arriving car is one reading when its tone returns right after that car has passed")
    func maskedRecedingCarRejoinsAfterArrival() {
        // A receding car emerges (climbing 18 → 22 mph in 0.6 s), holds 22 mph
        // for 1.4 s and is masked by an approaching car's 30 mph tone, which
        // ends at the sensor 4.5 s later; `returnDelay` s after that the
        // receding car's tone is back at `laterMph`, flat, and fades.
        func passes(returnDelay: Double = 0.5, laterMph: Double = 22.4, maskerArrives: Bool = true, laterArrives: Bool = false, otherEmerges: Bool = false) -> Int {
            var segments: [PassTrack] = []
            var receding = Self.climb(fromMph: 18, toMph: 22, count: 60)
            receding.absorb(Self.steady(fromNs: receding.lastConsistentEndNs, mph: 22, seconds: 1.4))
            segments.append(receding)
            if otherEmerges {
                let other = (0..<100).map { Self.window(atNs: receding.lastConsistentEndNs + 500_000_000 + UInt64($0) * Self.windowNs, mph: min(26, 20 + Double($0) * 0.1)) }
                segments.append(PassTrack(windows: ArraySlice(other)))
            }
            var masker = Self.steady(fromNs: receding.lastConsistentEndNs + 1_500_000_000, mph: 30, seconds: 3)
            if maskerArrives { masker.end = .reachedSensor }
            segments.append(masker)
            var later = Self.steady(fromNs: masker.lastConsistentEndNs + UInt64(returnDelay * 1e9), mph: laterMph, seconds: 2)
            if laterArrives { later.end = .reachedSensor }
            segments.append(later)
            return Self.consolidated(segments).count
        }
        // 5 s after it was lost, past the 4 s merge gap: one receding car, one approaching.
        #expect(passes() == 2)
        // Its tone may come back a little higher (it was still climbing), not lower.
        #expect(passes(laterMph: 24) == 2)
        #expect(passes(laterMph: 21.2) == 3)
        // Only straight after the arrival that masked it, and only a tone that
        // fades (one that sags at the sensor is an approaching car).
        #expect(passes(returnDelay: 2) == 3)
        #expect(passes(maskerArrives: false) == 3)
        #expect(passes(laterArrives: true) == 3)
        // Not once another receding car has emerged: the tone may be that car's.
        #expect(passes(otherEmerges: true) == 4)
    }

    @Test("a tone coming back much steadier than a held receding car's ever was is a nearer car, not that one heard again")
    func steadierReturnIsAnotherCar() {
        // A receding car emerges (climbing 18 → 22 mph in 0.6 s) and holds 22 mph
        // for `heldSeconds`, its windows jittered 4%; an approaching car's 30 mph
        // tone masks it for `maskSeconds` and ends at the sensor; then a 22.4 mph
        // tone jittered `laterJitter` is heard for 2 s and fades.
        func passes(heldSeconds: Double = 1.4, maskSeconds: Double, laterJitter: Double) -> Int {
            var segments: [PassTrack] = []
            var receding = Self.climb(fromMph: 18, toMph: 22, count: 60)
            if heldSeconds > 0 { receding.absorb(Self.steady(fromNs: receding.lastConsistentEndNs, mph: 22, seconds: heldSeconds)) }
            segments.append(Self.jittered(receding, 0.04))
            var masker = Self.steady(fromNs: receding.lastConsistentEndNs + 200_000_000, mph: 30, seconds: maskSeconds)
            masker.end = .reachedSensor
            segments.append(masker)
            let later = Self.steady(fromNs: masker.lastConsistentEndNs + 300_000_000, mph: 22.4, seconds: 2)
            segments.append(Self.jittered(later, laterJitter))
            return Self.consolidated(segments).count
        }
        // Within the merge gap: jittered as much as before, or more, it is the car
        // heard again, farther off; jittered less than half as much, a nearer car.
        #expect(passes(maskSeconds: 1, laterJitter: 0.05) == 2)
        #expect(passes(maskSeconds: 1, laterJitter: 0.015) == 3)
        // The same after the merge gap, in the receding hold.
        #expect(passes(maskSeconds: 4, laterJitter: 0.05) == 2)
        #expect(passes(maskSeconds: 4, laterJitter: 0.015) == 3)
        // A car heard for only 0.6 s was heard while the other tone still
        // interfered with it: its jitter is not its own, and is not compared.
        #expect(passes(heldSeconds: 0, maskSeconds: 1, laterJitter: 0.015) == 2)
    }

    @Test("a receding tone that dips where the lock broke and climbs again holds a second, nearer receding car; a dip heard locked, or a shallow one, does not")
    func dipWhereLockBrokeIsSecondCar() {
        // A receding car climbs from 13 to 17.5 mph in 1 s and holds 17.5 mph
        // for 0.5 s; the lock breaks for `breakMs`; then a tone climbs from
        // `dipMph` to 18 mph in 1 s and holds 18 mph for 2 s. Returns where the
        // pass is cut, relative to the start of that second climb.
        func cut(dipMph: Double, breakMs: UInt64) -> Int64? {
            var pass = Self.climb(fromMph: 13, toMph: 17.5, count: 100)
            pass.absorb(Self.steady(fromNs: pass.lastConsistentEndNs, mph: 17.5, seconds: 0.5))
            let secondFromNs = pass.lastConsistentEndNs + breakMs * 1_000_000
            pass.absorb(Self.climb(fromMph: dipMph, toMph: 18, count: 100, fromNs: secondFromNs))
            pass.absorb(Self.steady(fromNs: pass.lastConsistentEndNs, mph: 18, seconds: 2))
            return pass.splitAtDip(minimumPartNs: 400_000_000).map { Int64($0.later.startNs) - Int64(secondFromNs) }
        }
        // 11% below the level reached, with a 60 ms break: cut where the second climb begins.
        #expect(cut(dipMph: 15.5, breakMs: 60) == 0)
        // The same dip heard locked throughout (as a rider's wobble is), or one of 6%: one car.
        #expect(cut(dipMph: 15.5, breakMs: 0) == nil)
        #expect(cut(dipMph: 16.5, breakMs: 60) == nil)
    }
}
