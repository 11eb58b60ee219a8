import Foundation
import SpeedDomain
import Testing
@testable import VehicleDetection

@Suite("Doppler detector on hand-made edges")
struct DopplerDetectorTests {
    func detect(_ edges: [Edge], mountingAngle: Double = 0, batchSize: Int = 4096) throws -> [Reading] {
        var detector = try VehicleDetector(sensor: .doppler(carrierHz: EdgeMaker.carrier), settings: DetectorSettings(mountingAngleDegrees: mountingAngle))
        var readings: [Reading] = []
        var index = 0
        while index < edges.count {
            detector.process(EdgeBatch(edges: Array(edges[index..<min(index + batchSize, edges.count)])), into: &readings)
            index += batchSize
        }
        detector.finish(into: &readings)
        return readings
    }

    /// Readings ordered by when each pass began: a receding vehicle's pass
    /// that is held in case it continues is reported after a later one.
    func detectInStartOrder(_ edges: [Edge]) throws -> [Reading] {
        try detect(edges).sorted { $0.monotonicNs - $0.durationNs < $1.monotonicNs - $1.durationNs }
    }

    /// A car receding at 30 mph in the far lane, emerging with its cosine
    /// growing (x / sqrt(x² + 25) from x = 6 m at 13.4 m/s) and fading into
    /// noise; a second later a car approaching at 31 mph, steady until its
    /// tone sags as it reaches the sensor (2 m lateral, x from 12 m to 3 m).
    static func recedingThenApproaching() -> EdgeMaker {
        var maker = EdgeMaker(seed: 17)
        maker.noise(seconds: 1)
        maker.passingTone(mph: 30, lateralMetres: 5, fromMetres: 6, metresPerSecond: 13.4, seconds: 2.5, jitter: 0.02)
        maker.noise(seconds: 1)
        maker.tone(mph: 31, seconds: 1.5, jitter: 0.02)
        maker.passingTone(mph: 31, lateralMetres: 2, fromMetres: 12, metresPerSecond: -13.9, seconds: 0.65, jitter: 0.02)
        maker.noise(seconds: 6)
        return maker
    }

    @Test("a clean tone gives one reading at its speed")
    func cleanTone() throws {
        var maker = EdgeMaker(seed: 1)
        maker.noise(seconds: 2)
        maker.tone(mph: 31.0, seconds: 2.5, jitter: 0.002)
        maker.noise(seconds: 2)
        let readings = try detect(maker.edges)
        try #require(readings.count == 1)
        #expect(abs(readings[0].speed.mph - 31.0) < 0.1)
        #expect(readings[0].direction == .unknown)
        #expect(readings[0].quality > 0.8)
        #expect(readings[0].durationNs > 2_000_000_000)
        #expect(readings[0].flags.isEmpty)
    }

    @Test("a tone with 5% period jitter still reads within half a mile an hour", arguments: [18.0, 24.0, 37.0, 62.0])
    func jitteredTone(mph: Double) throws {
        var maker = EdgeMaker(seed: UInt64(mph * 10))
        maker.noise(seconds: 1)
        maker.tone(mph: mph, seconds: 2, jitter: 0.05)
        maker.noise(seconds: 1)
        let readings = try detect(maker.edges)
        try #require(readings.count == 1)
        #expect(abs(readings[0].speed.mph - mph) < 0.5)
    }

    @Test("noise alone gives no reading")
    func noiseOnly() throws {
        for seed in 1...5 {
            var maker = EdgeMaker(seed: UInt64(seed))
            maker.noise(seconds: 30, meanPeriodMs: Double(seed) * 0.6)
            #expect(try detect(maker.edges).isEmpty, "seed \(seed)")
        }
    }

    @Test("two vehicles close together give two readings")
    func twoVehicles() throws {
        var maker = EdgeMaker(seed: 7)
        maker.noise(seconds: 1)
        // The first vehicle's tone sags as it reaches the sensor, then the second is heard at once.
        maker.tone(seconds: 2.3, jitter: 0.01) { t in t < 2.0 ? 34 : 34 * (1 - (t - 2.0) * 0.9) }
        maker.tone(mph: 27, seconds: 2, jitter: 0.01)
        maker.noise(seconds: 1)
        let readings = try detect(maker.edges)
        try #require(readings.count == 2)
        #expect(abs(readings[0].speed.mph - 34) < 0.5)
        #expect(abs(readings[1].speed.mph - 27) < 0.5)
        // The first one's sag ended its pass: neither tone handed over to the other.
        #expect(readings.allSatisfy { !$0.flags.contains(.overlapping) })
    }

    @Test("two vehicles at different speeds with no gap are split")
    func abruptChange() throws {
        var maker = EdgeMaker(seed: 8)
        maker.tone(mph: 22, seconds: 1.5)
        maker.tone(mph: 38, seconds: 1.5)
        let readings = try detect(maker.edges)
        #expect(readings.map { ($0.speed.mph / 2).rounded() * 2 } == [22, 38])
        // Cut where one tone gave way to the other: both are flagged.
        #expect(readings.allSatisfy { $0.flags.contains(.overlapping) })
    }

    @Test("a receding car that takes over a far approaching car's tone by climbing through it is read on its own")
    func recedingTakeover() throws {
        // A far car approaching at 15 mph (its tone flat), then a car receding at
        // 18.5 mph in the far lane (5 m) emerges within 6% of that tone and climbs
        // with its growing cosine: x / sqrt(x² + 25) from x = 8 m, at 8.27 m/s.
        var maker = EdgeMaker(seed: 12)
        maker.noise(seconds: 1)
        maker.tone(mph: 15, seconds: 3, jitter: 0.02)
        maker.passingTone(mph: 18.5, lateralMetres: 5, fromMetres: 8, metresPerSecond: 8.27, seconds: 2.5, jitter: 0.02)
        maker.noise(seconds: 1)
        let readings = try detect(maker.edges)
        try #require(readings.count == 2, "\(readings.map(\.speed.mph))")
        #expect(abs(readings[0].speed.mph - 15) < 0.5)
        #expect(abs(readings[1].speed.mph - 18.5) < 0.6)
        #expect(readings.allSatisfy { $0.flags.contains(.overlapping) })
    }

    @Test("a receding car heard only for half a second of its climb is read at its peak, flagged peak-only")
    func shortClimbReadsItsPeak() throws {
        // 30 mph in the far lane (5 m), heard from x = 6 m for 0.5 s: its
        // cosine climbs from 0.77 to 0.93, so no window reaches a plateau.
        var maker = EdgeMaker(seed: 29)
        maker.noise(seconds: 1)
        maker.passingTone(mph: 30, lateralMetres: 5, fromMetres: 6, metresPerSecond: 13.4, seconds: 0.5, jitter: 0.01)
        maker.noise(seconds: 6)
        let readings = try detect(maker.edges)
        try #require(readings.count == 1, "\(readings.map(\.speed.mph))")
        let reading = readings[0]
        #expect(reading.flags.contains(.peakOnly))
        #expect(reading.speed == reading.peakSpeed)
        // The last steady windows, at x ≈ 12 m: 30 · 12 / 13 ≈ 27.7 mph.
        #expect(reading.speed.mph > 27 && reading.speed.mph < 28.5, "\(reading.speed.mph)")
    }

    @Test("a receding car that fades and an approaching car at nearly its speed are two readings, not one joined pass")
    func recedingThenApproachingAreTwo() throws {
        let readings = try detect(Self.recedingThenApproaching().edges)
        try #require(readings.count == 2, "\(readings.map(\.speed.mph))")
        // The receding car is read at its plateau, where its cosine has reached 0.99.
        #expect(abs(readings[0].speed.mph - 29.7) < 0.6)
        #expect(abs(readings[1].speed.mph - 31) < 0.6)
        // A second of silence lay between them: no handover.
        #expect(readings.allSatisfy { !$0.flags.contains(.overlapping) })
    }

    @Test("a receding car whose tone hands over, unbroken, to a faster approaching car's is two readings, cut at the step")
    func recedingHandsOverToApproaching() throws {
        // A car recedes at 24 mph in the far lane, its cosine growing from x = 6 m
        // at 10.7 m/s; with no break its tone gives way to a car approaching at
        // 25 mph (5% higher: within the tracker's continuity tolerance, so the
        // pass is not split as it is tracked), steady until it sags at the sensor
        // (2 m lateral, x from 11.5 m to 3 m).
        var maker = EdgeMaker(seed: 23)
        maker.noise(seconds: 1)
        maker.passingTone(mph: 24, lateralMetres: 5, fromMetres: 6, metresPerSecond: 10.7, seconds: 2.5, jitter: 0.02)
        maker.tone(mph: 25, seconds: 1.5, jitter: 0.02)
        maker.passingTone(mph: 25, lateralMetres: 2, fromMetres: 11.5, metresPerSecond: -11.5, seconds: 0.74, jitter: 0.02)
        maker.noise(seconds: 6)
        let readings = try detectInStartOrder(maker.edges)
        try #require(readings.count == 2, "\(readings.map(\.speed.mph))")
        // The receding car is read at its plateau, where its cosine has reached about 0.98.
        #expect(abs(readings[0].speed.mph - 23.6) < 0.6)
        #expect(abs(readings[1].speed.mph - 25) < 0.6)
        #expect(readings.allSatisfy { $0.flags.contains(.overlapping) })
    }

    /// A second of noise; a car receding at 30 mph in the far lane, its cosine
    /// growing from x = 4 m for 2.5 s; the lock breaking for 40 ms (shorter
    /// than the hold, so the tracker keeps one pass); then 1.5 s of steady
    /// tone at 30 mph. What follows decides whose that tone was.
    static func recedingToneWithABreak() -> EdgeMaker {
        var maker = EdgeMaker(seed: 41)
        maker.noise(seconds: 1)
        maker.passingTone(mph: 30, lateralMetres: 5, fromMetres: 4, metresPerSecond: 13.4, seconds: 2.5, jitter: 0.02)
        maker.silence(seconds: 0.04)
        maker.tone(mph: 30, seconds: 1.5, jitter: 0.02)
        return maker
    }

    @Test("a receding car handing over to an approaching car at its own speed is two readings, cut where the lock broke")
    func sameSpeedHandoverIsCutAtTheBreak() throws {
        // A car recedes at 30 mph in the far lane, its cosine growing from x = 4 m;
        // a car approaching at the same speed takes over, and the lock breaks for
        // 40 ms as the one return overtakes the other (shorter than the hold, so
        // the tracker keeps one pass). No step marks the handover: the climb at
        // the start and the sag at the end say there were two cars.
        var maker = Self.recedingToneWithABreak()
        maker.passingTone(mph: 30, lateralMetres: 2, fromMetres: 10, metresPerSecond: -13.4, seconds: 0.6, jitter: 0.02)
        maker.noise(seconds: 6)
        let readings = try detectInStartOrder(maker.edges)
        try #require(readings.count == 2, "\(readings.map(\.speed.mph))")
        #expect(readings.allSatisfy { abs($0.speed.mph - 30) < 0.8 }, "\(readings.map(\.speed.mph))")
        #expect(readings.allSatisfy { $0.flags.contains(.overlapping) })
        // The receding car's reading ends at the break, 1 s + 2.5 s in.
        let recedingEndS = Double(readings[0].monotonicNs - maker.edges[0].timestampNs) / 1e9
        #expect(abs(recedingEndS - 3.5) < 0.1, "\(recedingEndS)")
    }

    @Test("a receding car whose lock breaks once and whose tone then sinks into a slower car's is one reading, not two cut at the break")
    func recedingBreakWithoutArrivalIsNotCut() throws {
        // As in the handover above, but what ends the pass is no arrival: the
        // tone sinks 12% over 0.3 s into a slower car's steady tone, which
        // lingers (`PassEnd.sag`). Nothing says an approaching car took over
        // at the break, so the pass is not cut there.
        var maker = Self.recedingToneWithABreak()
        maker.tone(seconds: 0.3, jitter: 0.02) { t in 30 - 3.6 * t / 0.3 }
        maker.tone(mph: 26.4, seconds: 1.5, jitter: 0.02)
        maker.noise(seconds: 6)
        let readings = try detectInStartOrder(maker.edges)
        let near30 = readings.filter { abs($0.speed.mph - 30) < 0.8 }
        #expect(near30.count == 1, "\(readings.map { ($0.speed.mph, $0.durationNs, $0.flags) })")
    }

    @Test("a slow car's weak, scattered early tone shared out between two held tracks is one reading with its steady tone, not two")
    func scatteredEarlyToneIsFoldedIn() throws {
        // A car approaching at 13 mph is first heard only in short bursts
        // amid noise, each read alternately 7% high and true (noise pulls a
        // weak tone's periods about): two held tracks that never join each
        // other, one of them nothing but scattered windows. Then its steady
        // tone, joined to the true-reading track, until it sags at the sensor.
        var maker = EdgeMaker(seed: 43)
        maker.noise(seconds: 1)
        for burst in 0..<12 {
            maker.tone(mph: burst % 2 == 0 ? 14 : 13, seconds: 0.05, jitter: 0.02)
            maker.noise(seconds: 0.35)
        }
        maker.tone(mph: 13, seconds: 3, jitter: 0.02)
        maker.passingTone(mph: 13, lateralMetres: 2, fromMetres: 6, metresPerSecond: -5.8, seconds: 0.9, jitter: 0.02)
        maker.noise(seconds: 6)
        let readings = try detect(maker.edges)
        try #require(readings.count == 1, "\(readings.map(\.speed.mph))")
        #expect(abs(readings[0].speed.mph - 13) < 0.6, "\(readings[0].speed.mph)")
    }

    @Test("a receding car masked by the approaching car that took over its tone is one reading when its tone returns after that car has passed")
    func maskedRecedingCarRejoins() throws {
        // A car recedes at 20 mph, 5 m out, from x = 4 m: its tone climbs to
        // 18.9 mph before a car approaching at 17.9 mph takes over (a step of
        // 5%). That car holds its tone for 4 s and sags as it reaches the
        // sensor. The receding car, 62 m away by then, is heard again, its
        // tone now 19.9 mph: more than 4% above its first part, 5.5 s after it.
        var maker = EdgeMaker(seed: 37)
        maker.noise(seconds: 1)
        maker.passingTone(mph: 20, lateralMetres: 5, fromMetres: 4, metresPerSecond: 8.94, seconds: 1.2, jitter: 0.02)
        maker.tone(mph: 17.9, seconds: 4, jitter: 0.02)
        maker.passingTone(mph: 17.9, lateralMetres: 2, fromMetres: 9, metresPerSecond: -8, seconds: 0.9, jitter: 0.02)
        maker.noise(seconds: 0.4)
        maker.passingTone(mph: 20, lateralMetres: 5, fromMetres: 62, metresPerSecond: 8.94, seconds: 3, jitter: 0.02)
        maker.noise(seconds: 6)
        let readings = try detectInStartOrder(maker.edges)
        try #require(readings.count == 2, "\(readings.map(\.speed.mph))")
        #expect(abs(readings[0].speed.mph - 20) < 0.6)
        #expect(abs(readings[1].speed.mph - 17.9) < 0.6)
    }

    @Test("a receding car whose climbing tone another car's took at once is one reading when it is heard again, higher")
    func recedingCarCutAbruptlyRejoins() throws {
        // A receding car's tone climbs from 25 to 28 mph and holds there; a
        // car approaching at 22 mph takes the comparator at once (no step to
        // cut at: a handover), holds it 1.5 s and sags at the sensor. The
        // receding car is heard again at 29.9 mph, 6.8% above its first part:
        // its cosine kept growing while it was masked.
        var maker = EdgeMaker(seed: 38)
        maker.noise(seconds: 1)
        maker.tone(seconds: 0.6, jitter: 0.02) { t in 25 + 3 * t / 0.6 }
        maker.tone(mph: 28, seconds: 0.6, jitter: 0.02)
        maker.tone(mph: 22, seconds: 1.5, jitter: 0.02)
        maker.passingTone(mph: 22, lateralMetres: 2, fromMetres: 8, metresPerSecond: -9.8, seconds: 0.7, jitter: 0.02)
        maker.noise(seconds: 0.3)
        maker.tone(mph: 29.9, seconds: 1.5, jitter: 0.02)
        maker.noise(seconds: 6)
        let readings = try detectInStartOrder(maker.edges)
        let receding = readings.filter { $0.speed.mph > 25 }
        try #require(receding.count == 1, "\(readings.map { ($0.speed.mph, $0.flags) })")
        #expect(abs(receding[0].speed.mph - 29.9) < 0.6)
        #expect(readings.contains { abs($0.speed.mph - 22) < 0.6 })
    }

    @Test("a slow approaching car heard far off, then again at the sensor after a receding car's tone came between, is one reading")
    func approachingCarHeardAgainAfterABlendIsOneReading() throws {
        // A car approaching at 20 mph is heard far off for 2.5 s. A car
        // receding at 17 mph, 5 m out, emerges and takes the comparator for
        // 1.2 s. The approaching car's return takes it back through a blend
        // (a climb from 18.6 mph), holds 20 mph and sags at the sensor. Its
        // last segment opens with a climb, like a receding car emerging.
        var maker = EdgeMaker(seed: 41)
        maker.noise(seconds: 1)
        maker.tone(mph: 20, seconds: 2.5, jitter: 0.02)
        maker.passingTone(mph: 17, lateralMetres: 5, fromMetres: 4, metresPerSecond: 7.6, seconds: 1.2, jitter: 0.02)
        maker.tone(seconds: 0.25, jitter: 0.02) { t in 18.6 + 1.4 * t / 0.25 }
        maker.tone(mph: 20, seconds: 1.2, jitter: 0.02)
        maker.passingTone(mph: 20, lateralMetres: 2, fromMetres: 10, metresPerSecond: -8.9, seconds: 1.0, jitter: 0.02)
        maker.noise(seconds: 6)
        let readings = try detectInStartOrder(maker.edges)
        let approaching = readings.filter { abs($0.speed.mph - 20) < 1 }
        #expect(approaching.count == 1, "\(readings.map { ($0.speed.mph, $0.flags, Double($0.durationNs) / 1e9) })")
        #expect(approaching.allSatisfy { $0.flags.contains(.sagAtEnd) })
    }

    @Test("a slow receding car, then a faster one emerging behind it whose tone climbs on from its level, are two readings")
    func fasterRecedingCarBehindASlowOneIsTwoReadings() throws {
        // A car recedes at 17 mph, 5 m out: its tone climbs from x = 4 m and
        // holds 17 mph for 3 s. A car receding at 24 mph emerges behind it
        // while its cosine is about 0.7, so its tone takes over at the first
        // car's level and climbs on, saturating at 24 mph: one unbroken pass.
        var maker = EdgeMaker(seed: 43)
        maker.noise(seconds: 1)
        maker.passingTone(mph: 17, lateralMetres: 5, fromMetres: 4, metresPerSecond: 7.6, seconds: 1.5, jitter: 0.02)
        maker.tone(mph: 17, seconds: 3, jitter: 0.02)
        maker.tone(seconds: 2.5, jitter: 0.02) { t in 17 + 7 * (1 - exp(-t / 0.6)) }
        maker.tone(mph: 24, seconds: 1.5, jitter: 0.02)
        maker.noise(seconds: 6)
        let readings = try detectInStartOrder(maker.edges)
        try #require(readings.count == 2, "\(readings.map { ($0.speed.mph, $0.flags, Double($0.durationNs) / 1e9) })")
        #expect(abs(readings[0].speed.mph - 17) < 0.8)
        #expect(abs(readings[1].speed.mph - 24) < 0.8)
    }

    @Test("a slower approaching car's steady tone, after a faster receding car's, is no sag: each car is one reading, ending at its own sag")
    func slowerToneAfterFasterIsNoSag() throws {
        // A car recedes at 60 mph 5 m out, its tone reaching 59.6 mph; it gives
        // way within a tenth of a second to a car approaching at 53.2 mph, 2 m
        // out, from 45 m away. Its tone, 11% below that peak, slips 1% in the
        // next 30 m as its cosine shrinks, crossing the sag threshold (12%
        // below the peak) while steady, well before its true sag.
        var maker = EdgeMaker(seed: 31)
        maker.noise(seconds: 1)
        maker.passingTone(mph: 60, lateralMetres: 5, fromMetres: 5, metresPerSecond: 26.8, seconds: 1.5, jitter: 0.02)
        maker.tone(seconds: 0.1, jitter: 0.02) { t in 59.6 - (59.6 - 53.2) * t / 0.1 }
        let passNs = maker.now + UInt64(45 / 23.8 * 1e9)
        maker.passingTone(mph: 53.2, lateralMetres: 2, fromMetres: 45, metresPerSecond: -23.8, seconds: 1.85, jitter: 0.02)
        maker.noise(seconds: 6)
        let readings = try detect(maker.edges).sorted { $0.monotonicNs < $1.monotonicNs }
        try #require(readings.count == 2, "\(readings.map(\.speed.mph))")
        #expect(abs(readings[0].speed.mph - 59.6) < 1)
        #expect(abs(readings[1].speed.mph - 53.2) < 0.6)
        // Its reading ends as it reaches the sensor, not where its steady tone first crossed the threshold.
        #expect(Double(passNs) - Double(readings[1].monotonicNs) < 0.35e9)
    }

    @Test("a rider whose speed wobbles 6% each second is one reading, not one per wobble")
    func wobblingRiderIsOneReading() throws {
        // A cyclist approaches at 12 mph, 1.2 m out, from 30 m away, speeding
        // up and slowing down by 6% once a second as he pedals: each trough
        // lies 11–12% below the peaks before it, and the tone falls into it
        // over a few tenths of a second, as a sag does. But it lingers there
        // and climbs back, where a vehicle reaching the sensor falls on.
        var maker = EdgeMaker(seed: 41)
        maker.noise(seconds: 1)
        maker.wobblingRider(mph: 12, lateralMetres: 1.2, fromMetres: 30, seconds: 5.5, depth: 0.06, phase: 0)
        maker.noise(seconds: 6)
        let readings = try detect(maker.edges)
        try #require(readings.count == 1, "\(readings.map(\.speed.mph))")
        #expect(abs(readings[0].speed.mph - 12) < 1)
    }

    @Test("a wobbling rider first heard in a trough is one reading: the climb out of it is no receding vehicle emerging")
    func riderHeardFirstInTroughIsOneReading() throws {
        // A cyclist approaches at 15 mph, 1.2 m out, from 30 m away, his
        // speed wobbling 6% once a second; his tone locks at the bottom of a
        // wobble, 10% below its plateau, and ends in his sag at the sensor,
        // like a receding vehicle's climb handing over to an approaching
        // one's. Cut at the steepest climb, he gave two readings.
        var maker = EdgeMaker(seed: 53)
        maker.noise(seconds: 1)
        maker.wobblingRider(mph: 15, lateralMetres: 1.2, fromMetres: 30, seconds: 4.4, depth: 0.06, phase: -.pi / 2)
        maker.noise(seconds: 6)
        let readings = try detect(maker.edges)
        try #require(readings.count == 1, "\(readings.map(\.speed.mph))")
        #expect(abs(readings[0].speed.mph - 15) < 1)
    }

    @Test("a car that sags and the next car's tone at its speed straight after are two readings, not a wobble")
    func sagThenNextCarIsTwoReadings() throws {
        // A car approaching at 25 mph, 2 m out, reaches the sensor; a
        // following car 20 m behind it at the same speed takes the
        // comparator over as soon as the first car's tone has sagged 12%:
        // the tone jumps back up without lingering at the sag's level.
        var maker = EdgeMaker(seed: 43)
        maker.noise(seconds: 1)
        maker.passingTone(mph: 25, lateralMetres: 2, fromMetres: 40, metresPerSecond: -11.2, seconds: 3.27, jitter: 0.02)
        maker.passingTone(mph: 25, lateralMetres: 2, fromMetres: 23.4, metresPerSecond: -11.2, seconds: 2.05, jitter: 0.02)
        maker.noise(seconds: 6)
        let readings = try detect(maker.edges)
        try #require(readings.count == 2, "\(readings.map(\.speed.mph))")
        #expect(readings.allSatisfy { abs($0.speed.mph - 25) < 0.6 }, "\(readings.map(\.speed.mph))")
    }

    @Test("a receding car that takes over from one ahead at its speed is its own reading: the drop is too sudden for a wobble")
    func recedingTakeoverIsNoWobble() throws {
        // A car recedes at 36 mph, its tone steady; the next car at its speed
        // emerges beside the sensor, 5.4 m out, and takes the comparator over
        // within 0.1 s. Its tone opens 14% lower and climbs back to the same
        // level, as a rider's wobble would, but it did not fall gradually.
        var maker = EdgeMaker(seed: 47)
        maker.noise(seconds: 1)
        maker.passingTone(mph: 36, lateralMetres: 5.4, fromMetres: 12, metresPerSecond: 16.1, seconds: 2.5, jitter: 0.02)
        maker.tone(seconds: 0.1, jitter: 0.02) { t in 35.8 - (35.8 - 31) * t / 0.1 }
        maker.passingTone(mph: 36, lateralMetres: 5.4, fromMetres: 9.1, metresPerSecond: 16.1, seconds: 3, jitter: 0.02)
        maker.noise(seconds: 6)
        let readings = try detect(maker.edges)
        try #require(readings.count == 2, "\(readings.map(\.speed.mph))")
        #expect(readings.allSatisfy { abs($0.speed.mph - 36) < 0.6 }, "\(readings.map(\.speed.mph))")
    }

    @Test("a receding car's gradual climb is no step: a pass is never cut inside it")
    func gradualClimbIsNotCut() throws {
        // A car recedes at 30 mph in a far lane 7 m out, from x = 4 m at
        // 13.4 m/s: its tone climbs steeply at first, then by a few percent
        // over the next two seconds as its cosine grows. A car approaching at
        // its speed then takes over, its tone sagging as it nears (2 m out,
        // from x = 8 m). Two blocks of windows inside the climb differ by
        // more than the step threshold; a cut there would report the receding
        // car at a speed it never had.
        var maker = EdgeMaker(seed: 29)
        maker.noise(seconds: 1)
        maker.passingTone(mph: 30, lateralMetres: 7, fromMetres: 4, metresPerSecond: 13.4, seconds: 3, jitter: 0.02)
        maker.passingTone(mph: 30, lateralMetres: 2, fromMetres: 8, metresPerSecond: -13.4, seconds: 0.45, jitter: 0.02)
        maker.noise(seconds: 6)
        let readings = try detect(maker.edges)
        #expect(!readings.isEmpty)
        #expect(readings.allSatisfy { $0.speed.mph > 28.5 }, "\(readings.map(\.speed.mph))")
    }

    @Test("a short pass of broken, unsteady tone is a fragment, not a vehicle; the same length of steady tone is one")
    func fragmentsAreNotVehicles() throws {
        func detect(_ edges: [Edge], fragmentQualityBelow: Double = DopplerConfiguration(carrierHz: EdgeMaker.carrier).fragmentQualityBelow) -> [Reading] {
            var detector = DopplerDetector(configuration: DopplerConfiguration(carrierHz: EdgeMaker.carrier, fragmentQualityBelow: fragmentQualityBelow))
            var readings: [Reading] = []
            detector.process(edges, into: &readings)
            detector.finish(into: &readings)
            return readings
        }
        var broken = EdgeMaker(seed: 18)
        broken.noise(seconds: 1)
        for _ in 0..<7 {
            broken.tone(mph: 24, seconds: 0.05, jitter: 0.09)
            broken.noise(seconds: 0.15)
        }
        broken.noise(seconds: 6)
        // Locked and long enough to be a pass, but broken and unsteady.
        let unfiltered = detect(broken.edges, fragmentQualityBelow: 0)
        try #require(unfiltered.count == 1)
        #expect(unfiltered[0].quality < 0.65 && unfiltered[0].durationNs < 2_000_000_000)
        #expect(detect(broken.edges).isEmpty)

        var steady = EdgeMaker(seed: 18)
        steady.noise(seconds: 1)
        steady.tone(mph: 24, seconds: 1.2, jitter: 0.02)
        steady.noise(seconds: 6)
        let readings = detect(steady.edges)
        try #require(readings.count == 1)
        #expect(abs(readings[0].speed.mph - 24) < 0.5)
    }

    @Test("a vehicle approaching at an angle reads its true speed once the mounting angle is configured")
    func approachAtAngle() throws {
        // A car at 30 mph, beam at 20° to the road: the radar hears 30·cos(20°) ≈ 28.2 mph.
        let angle = 20.0
        var maker = EdgeMaker(seed: 9)
        maker.noise(seconds: 1)
        maker.tone(mph: 30 * cos(angle * .pi / 180), seconds: 2.5)
        maker.noise(seconds: 1)
        let uncorrected = try detect(maker.edges)
        let corrected = try detect(maker.edges, mountingAngle: angle)
        try #require(uncorrected.count == 1 && corrected.count == 1)
        #expect(abs(uncorrected[0].speed.mph - 28.19) < 0.2)
        #expect(abs(corrected[0].speed.mph - 30) < 0.2)
    }

    @Test("the cosine sag as a car nears does not pull its reading down")
    func cosineSag() throws {
        // Lateral offset 2 m, 13.4 m/s: cos ψ = x / sqrt(x² + 4) along the approach from 40 m.
        var maker = EdgeMaker(seed: 10)
        maker.noise(seconds: 1)
        maker.passingTone(mph: 30, lateralMetres: 2, fromMetres: 40, metresPerSecond: -13.4, seconds: 2.8, jitter: 0.01)
        maker.noise(seconds: 1)
        let readings = try detect(maker.edges)
        try #require(readings.count == 1)
        #expect(abs(readings[0].speed.mph - 30) < 0.6)
        #expect(readings[0].firstLockSpeed.mph > readings[0].speed.mph - 1)
    }

    @Test("a receding car heard for about a second is read near the top of its climb", arguments: [(2.5, 12.3, 0.9), (3.5, 9.0, 0.9), (5.0, 12.3, 1.2)])
    func recedingReadNearTopOfClimb(lateralMetres: Double, metresPerSecond: Double, seconds: Double) throws {
        // Heard from beside the sensor (x = 3 m) until a stronger return takes
        // over 11–15 m on: the tone climbs through the whole pass, and its last
        // value is the nearest to the car's speed. A plateau marked at the 80th
        // percentile of the windows read these 0.46–0.51 mph below that value.
        var maker = EdgeMaker(seed: 11)
        maker.noise(seconds: 1)
        let mph = Speed(metresPerSecond: metresPerSecond).mph
        maker.passingTone(mph: mph, lateralMetres: lateralMetres, fromMetres: 3, metresPerSecond: metresPerSecond, seconds: seconds, jitter: 0.03)
        maker.noise(seconds: 1)
        let readings = try detect(maker.edges)
        try #require(readings.count == 1)
        let x = 3 + metresPerSecond * seconds
        let lastRadialMph = mph * x / (x * x + lateralMetres * lateralMetres).squareRoot()
        #expect(readings[0].flags.contains(.riseAtStart))
        #expect(abs(readings[0].speed.mph - lastRadialMph) < 0.45, "\(readings[0].speed.mph) against \(lastRadialMph)")
    }

    @Test("on one pin, a pass that sags at the sensor is likely approaching, one that climbs from beside it likely receding, a steady tone neither")
    func toneShapeSuggestsDirection() throws {
        // The two cars of `recedingThenApproaching`, then a steady tone that simply stops.
        var maker = Self.recedingThenApproaching()
        maker.tone(mph: 25, seconds: 2.5, jitter: 0.02)
        maker.noise(seconds: 6)
        let readings = try detectInStartOrder(maker.edges)
        try #require(readings.count == 3, "\(readings.map(\.speed.mph))")
        #expect(readings.allSatisfy { $0.direction == .unknown })
        #expect(readings[0].flags.contains(.riseAtStart) && !readings[0].flags.contains(.sagAtEnd))
        #expect(readings[1].flags.contains(.sagAtEnd) && !readings[1].flags.contains(.riseAtStart))
        #expect(readings.map(\.likelyDirection) == [.receding, .approaching, .unknown])
    }

    @Test("on one pin, a tone that drops at once to a slower car's steady tone is no sign the first car reached the sensor")
    func abruptDropToASteadyToneIsNoArrival() throws {
        // A receding car's plateau at 30 mph, then, unbroken, a slower car's
        // steady 25.5 mph, 15% lower, reached through the blend of the two
        // within a tenth of a second: past the sag threshold in a few windows.
        var maker = EdgeMaker(seed: 31)
        maker.noise(seconds: 1)
        maker.tone(mph: 30, seconds: 2, jitter: 0.02)
        maker.tone(mph: 28.4, seconds: 0.05, jitter: 0.02)
        maker.tone(mph: 26.9, seconds: 0.05, jitter: 0.02)
        maker.tone(mph: 25.5, seconds: 2, jitter: 0.02)
        maker.noise(seconds: 6)
        let readings = try detectInStartOrder(maker.edges)
        try #require(readings.count == 2, "\(readings.map(\.speed.mph))")
        #expect(abs(readings[0].speed.mph - 30) < 0.5)
        #expect(!readings[0].flags.contains(.sagAtEnd))
        #expect(readings[0].likelyDirection == .unknown)
    }

    @Test("lighting flicker at 100 Hz and a walking pedestrian are not vehicles")
    func flickerAndPedestrian() throws {
        var maker = EdgeMaker(seed: 11)
        maker.tone(seconds: 20, jitter: 0.002) { _ in 100 / 31.39 }  // 100 Hz on an HB100 ≈ 3.2 mph
        maker.tone(seconds: 8, jitter: 0.03) { t in 3.1 * (1 + 0.25 * sin(2 * .pi * 1.8 * t)) }
        #expect(try detect(maker.edges).isEmpty)
    }

    @Test("a steady interferer above the floor for minutes is not a vehicle")
    func stationaryInterference() throws {
        var maker = EdgeMaker(seed: 12)
        maker.tone(mph: 15, seconds: 90, jitter: 0.004)
        #expect(try detect(maker.edges).isEmpty)
    }

    @Test("how edges are cut into batches never changes the readings", arguments: [1, 7, 64, 1000])
    func batchInvariance(batchSize: Int) throws {
        var maker = EdgeMaker(seed: 13)
        for mph in [21.0, 29.0, 44.0] {
            maker.noise(seconds: 1.5)
            maker.tone(mph: mph, seconds: 1.8, jitter: 0.03)
        }
        maker.noise(seconds: 6)
        let whole = try detect(maker.edges, batchSize: maker.edges.count)
        #expect(whole.count == 3)
        #expect(try detect(maker.edges, batchSize: batchSize) == whole)
    }

    @Test("a batch reporting dropped edges flags the reading")
    func droppedEdges() throws {
        var maker = EdgeMaker(seed: 14)
        maker.tone(mph: 30, seconds: 1)
        let first = maker.edges
        maker.edges = []
        maker.silence(seconds: 0.05)
        maker.tone(mph: 30, seconds: 1.5)
        maker.noise(seconds: 5)
        var detector = try VehicleDetector(sensor: .doppler(carrierHz: EdgeMaker.carrier), settings: DetectorSettings())
        var readings: [Reading] = []
        detector.process(EdgeBatch(edges: first), into: &readings)
        detector.process(EdgeBatch(edges: maker.edges, droppedBefore: 40), into: &readings)
        detector.finish(into: &readings)
        try #require(readings.count == 1)
        #expect(readings[0].flags.contains(.edgesDropped))
    }

    @Test("only the pass across a loss is flagged, not the passes before and after it")
    func droppedEdgesFlagOnlyThePassAcross() throws {
        var maker = EdgeMaker(seed: 16)
        maker.tone(mph: 25, seconds: 1.2)
        maker.noise(seconds: 3)
        let beforeLoss = maker.edges
        maker.edges = []
        maker.noise(seconds: 3)
        maker.tone(mph: 40, seconds: 1.2)
        maker.noise(seconds: 5)
        maker.tone(mph: 33, seconds: 0.8)
        let acrossSecondLoss = maker.edges
        maker.edges = []
        maker.silence(seconds: 0.03)
        maker.tone(mph: 33, seconds: 0.8)
        maker.noise(seconds: 5)
        var detector = try VehicleDetector(sensor: .doppler(carrierHz: EdgeMaker.carrier), settings: DetectorSettings())
        var readings: [Reading] = []
        detector.process(EdgeBatch(edges: beforeLoss), into: &readings)
        detector.process(EdgeBatch(edges: acrossSecondLoss, droppedBefore: 12), into: &readings)
        detector.process(EdgeBatch(edges: maker.edges, droppedBefore: 7), into: &readings)
        detector.finish(into: &readings)
        try #require(readings.count == 3)
        #expect(readings.map { $0.speed.mph.rounded() } == [25, 40, 33])
        #expect(readings.map { $0.flags.contains(.edgesDropped) } == [false, false, true])
    }

    @Test("a quiet tone is reported when time advances, without waiting for more edges")
    func advanceReports() throws {
        var maker = EdgeMaker(seed: 15)
        maker.tone(mph: 26, seconds: 2)
        var detector = try VehicleDetector(sensor: .doppler(carrierHz: EdgeMaker.carrier), settings: DetectorSettings())
        var readings: [Reading] = []
        detector.process(EdgeBatch(edges: maker.edges), into: &readings)
        #expect(readings.isEmpty)
        detector.advance(toNs: maker.now + 10_000_000_000, into: &readings)
        #expect(readings.count == 1)
    }

    @Test("settings that cannot work are refused, naming the setting")
    func badSettings() {
        #expect(throws: DetectorConfigurationError.self) {
            _ = try VehicleDetector(sensor: .doppler(carrierHz: EdgeMaker.carrier), settings: DetectorSettings(mountingAngleDegrees: 85))
        }
        do {
            _ = try VehicleDetector(sensor: .doppler(carrierHz: 5), settings: DetectorSettings())
            Issue.record("a 5 Hz carrier was accepted")
        } catch {
            #expect(error.field == "carrier-hz")
        }
    }
}

@Suite("I/Q direction")
struct QuadratureTests {
    /// I and Q edges of one tone; Q lags I by a quarter period when approaching.
    func quadratureEdges(mph: Double, approaching: Bool) -> [Edge] {
        var maker = EdgeMaker(seed: 21)
        maker.tone(mph: mph, seconds: 2, jitter: 0.01)
        let period = 1e9 / EdgeMaker.hz(mph: mph)
        var edges: [Edge] = []
        for edge in maker.edges {
            edges.append(edge)
            let offset = UInt64(period * (approaching ? 0.25 : 0.75))
            edges.append(Edge(timestampNs: edge.timestampNs + offset, channel: 1))
        }
        return edges.sorted { $0.timestampNs < $1.timestampNs }
    }

    /// The readings of an I/Q detector fed `edges` whole.
    func detect(_ edges: [Edge], settings: DetectorSettings = DetectorSettings()) throws -> [Reading] {
        var detector = try VehicleDetector(sensor: .dopplerQuadrature(carrierHz: EdgeMaker.carrier), settings: settings)
        var readings: [Reading] = []
        detector.process(EdgeBatch(edges: edges), into: &readings)
        detector.finish(into: &readings)
        return readings
    }

    @Test("the phase of Q against I gives the direction", arguments: [true, false])
    func direction(approaching: Bool) throws {
        let readings = try detect(quadratureEdges(mph: 28, approaching: approaching))
        try #require(readings.count == 1)
        #expect(readings[0].direction == (approaching ? .approaching : .receding))
        #expect(abs(readings[0].speed.mph - 28) < 0.3)
    }

    /// I edges from `maker` with Q edges a quarter period after each (approaching,
    /// Q lagging) or three quarters (receding), by the direction of the span each I edge is in.
    func withQuadrature(_ i: [Edge], receding: [ClosedRange<UInt64>]) -> [Edge] {
        var edges = i
        for (edge, next) in zip(i, i.dropFirst()) {
            let period = Double(next.timestampNs - edge.timestampNs)
            let isReceding = receding.contains { $0.contains(edge.timestampNs) }
            edges.append(Edge(timestampNs: edge.timestampNs + UInt64(period * (isReceding ? 0.75 : 0.25)), channel: 1))
        }
        return edges.sorted { $0.timestampNs < $1.timestampNs }
    }

    @Test("with I/Q, a slower car going the other way inside an approaching car's tone is its own reading, and the approaching car one reading")
    func oppositeToneIsNotASag() throws {
        var maker = EdgeMaker(seed: 22)
        maker.tone(mph: 50, seconds: 1.2)
        let recedingStart = maker.now
        maker.tone(mph: 38, seconds: 0.8)
        let recedingEnd = maker.now
        maker.tone(mph: 50, seconds: 1.0)
        let readings = try detect(withQuadrature(maker.edges, receding: [recedingStart...recedingEnd]))
        #expect(readings.map(\.direction).sorted { $0.rawValue < $1.rawValue } == [.approaching, .receding], "\(readings.map { ($0.speed.mph, $0.direction) })")
        #expect(readings.allSatisfy { abs($0.speed.mph - ($0.direction == .approaching ? 50 : 38)) < 0.5 })
    }

    @Test("with I/Q, an approaching tone that comes back opening low after another vehicle's is still joined to its first part")
    func approachingToneOpeningLowIsJoined() throws {
        var maker = EdgeMaker(seed: 23)
        maker.tone(mph: 50, seconds: 1.0)
        let recedingStart = maker.now
        maker.tone(mph: 38, seconds: 0.8)
        let recedingEnd = maker.now
        // The blend as the approaching car's return takes the comparator back: a climb that one pin would read as a receding car emerging.
        maker.tone(seconds: 0.3) { t in 42 + 8 * t / 0.3 }
        maker.tone(mph: 50, seconds: 0.5)
        let readings = try detect(withQuadrature(maker.edges, receding: [recedingStart...recedingEnd]))
        let approaching = readings.filter { $0.direction == .approaching }
        #expect(approaching.count == 1, "\(readings.map { ($0.speed.mph, $0.direction, $0.durationNs) })")
        #expect(approaching.allSatisfy { abs($0.speed.mph - 50) < 0.5 })
    }

    @Test("with I/Q, an approaching car whose sagging tone drops at once to its tail, then the next car's tone at nearly its speed, are two readings")
    func sagThatDropsAtOnceEndsThePass() throws {
        var maker = EdgeMaker(seed: 24)
        maker.tone(mph: 33.4, seconds: 2.0)
        maker.tone(seconds: 0.3) { t in 33.4 - 2.1 * t / 0.3 }  // its sag begins: 6% down
        maker.tone(mph: 28.8, seconds: 0.1)  // the comparator drops, past the continuity tolerance, to the sag's tail
        maker.tone(mph: 32.1, seconds: 1.5)  // the next car, 4% slower: its plateau would join the first's
        maker.tone(seconds: 0.3) { t in 32.1 * (1 - 0.3 * t / 0.3) }
        let readings = try detect(withQuadrature(maker.edges, receding: []))
        try #require(readings.count == 2, "\(readings.map { ($0.speed.mph, $0.durationNs) })")
        #expect(abs(readings[0].speed.mph - 33.4) < 0.5 && abs(readings[1].speed.mph - 32.1) < 0.5, "\(readings.map(\.speed.mph))")
    }

    @Test("with I/Q, a slower car's tone blending in for a moment as an approaching car nears the sensor does not cut its pass")
    func blendDuringSagDoesNotCutThePass() throws {
        var maker = EdgeMaker(seed: 25)
        maker.tone(mph: 44, seconds: 2.0)
        maker.tone(seconds: 0.4) { t in 44 - 1.8 * t / 0.4 }  // its sag begins: 4% down
        maker.tone(mph: 36, seconds: 0.06)  // a slower car's tone takes the comparator for a moment
        maker.tone(seconds: 0.4) { t in 42.2 * (1 - 0.25 * t / 0.4) }  // the first car's again, sagging on
        let readings = try detect(withQuadrature(maker.edges, receding: []))
        try #require(readings.count == 1, "\(readings.map { ($0.speed.mph, $0.durationNs) })")
        #expect(abs(readings[0].speed.mph - 44) < 0.5)
        #expect(readings[0].durationNs > 2_500_000_000)
    }

    @Test("with I/Q, a rider's tone heard again after a passing van's short, sagging one is the rider's, not the van's sag")
    func riderUnderAVanIsNoSag() throws {
        var maker = EdgeMaker(seed: 26)
        maker.tone(mph: 12, seconds: 2.0)
        maker.tone(seconds: 0.2) { t in 40 - 2.4 * t / 0.2 }  // a van's tone takes the comparator, 6% into its sag
        maker.tone(mph: 12, seconds: 0.45)  // the rider's again: 70% down, no cosine
        maker.tone(seconds: 0.4) { t in 12 * (1 - 0.3 * t / 0.4) }
        let readings = try detect(withQuadrature(maker.edges, receding: []))
        let rider = readings.filter { abs($0.speed.mph - 12) < 0.5 }
        try #require(rider.count == 1, "\(readings.map { ($0.speed.mph, $0.durationNs, $0.flags) })")
        #expect(rider[0].flags.contains(.sagAtEnd), "the rider's pass ends at the rider's own sag")
    }

    @Test("a short, broken tone heard going one way throughout is reported with I/Q, where one pin would call it a fragment")
    func brokenToneWithDirection() throws {
        var maker = EdgeMaker(seed: 18)
        for _ in 0..<7 {
            maker.tone(mph: 24, seconds: 0.05, jitter: 0.09)
            maker.silence(seconds: 0.15)
        }
        let onePin = try DopplerDetectorTests().detect(maker.edges)
        #expect(onePin.isEmpty)
        let readings = try detect(withQuadrature(maker.edges, receding: []))
        try #require(readings.count == 1)
        #expect(readings[0].direction == .approaching && readings[0].quality < 0.65)
    }

    @Test("a module wired the other way is corrected by configuration")
    func swapped() throws {
        let readings = try detect(quadratureEdges(mph: 28, approaching: true), settings: DetectorSettings(quadratureLagMeansApproaching: false))
        #expect(readings.map(\.direction) == [.receding])
    }
}

@Suite("Small parts")
struct SmallPartsTests {
    @Test("median of five matches sorting, for every ordering with ties")
    func medianOfFive() {
        var random = TestRandom(seed: 99)
        for _ in 0..<2000 {
            let values = (0..<5).map { _ in Double(Int(random.unit() * 6)) }
            #expect(median5(values[0], values[1], values[2], values[3], values[4]) == values.sorted()[2])
        }
    }

    @Test("type-7 quantile matches numpy's default on known values")
    func quantile() {
        // numpy.percentile([1, 2, 3, 4, 10], [0, 25, 50, 80, 100]) == [1, 2, 3, 5.2, 10]
        let sorted = [1.0, 2, 3, 4, 10]
        #expect(PassEstimator.quantile(sorted, 0) == 1)
        #expect(PassEstimator.quantile(sorted, 0.25) == 2)
        #expect(PassEstimator.quantile(sorted, 0.5) == 3)
        #expect(abs(PassEstimator.quantile(sorted, 0.8) - 5.2) < 1e-12)
        #expect(PassEstimator.quantile(sorted, 1) == 10)
    }
}
