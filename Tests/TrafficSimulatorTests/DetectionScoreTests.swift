import SpeedDomain
import Testing
@testable import TrafficSimulator

@Suite("Detection score")
struct DetectionScoreTests {
    static func user(_ id: Int, _ direction: Direction, mph: Double, passS: Double, visibleS: ClosedRange<Double>) -> GroundTruth.Entry {
        let ns = { (s: Double) in UInt64(s * 1e9) }
        return GroundTruth.Entry(
            user: RoadUser(
                id: id, kind: .car, direction: direction, speedMph: mph, passNs: ns(passS), lateralOffsetMetres: 3,
                wobbleDepth: 0, wobbleHz: 0, wobblePhase: 0, inPlatoon: false),
            passMonotonicNs: ns(passS), visibleFromNs: ns(visibleS.lowerBound), visibleToNs: ns(visibleS.upperBound),
            peakAmplitude: 50, dominantSeconds: 2)
    }

    static func reading(fromS: Double, toS: Double, mph: Double, flags: ReadingFlags = []) -> Reading {
        Reading(
            monotonicNs: UInt64(toS * 1e9), speed: .mph(mph), firstLockSpeed: .mph(mph), peakSpeed: .mph(mph),
            durationNs: UInt64((toS - fromS) * 1e9), direction: .unknown, quality: 0.9, flags: flags)
    }

    @Test("a reading whose tone sagged at its end is never paired with a receding vehicle whose pass it happens to start at")
    func toneShapeSteersPairing() {
        // A receding car passes at 8.3 s and is masked until 9.9 s by a car
        // approaching, which reaches the sensor at 9.95 s. The approaching car's
        // reading starts 0.1 s before the receding car's pass: by timing alone
        // the receding car is its closer match.
        let truth = GroundTruth(entries: [
            Self.user(1, .receding, mph: 29.9, passS: 8.3, visibleS: 8.5...19),
            Self.user(2, .approaching, mph: 26.9, passS: 9.95, visibleS: 3...9.9),
        ])
        func score(_ approachingFlags: ReadingFlags) -> DetectionScore {
            DetectionScore(
                readings: [
                    Self.reading(fromS: 8.2, toS: 9.7, mph: 27.2, flags: approachingFlags),
                    Self.reading(fromS: 9.9, toS: 16, mph: 30.3),
                ],
                truth: truth, floorMph: 10)
        }
        let byTiming = score([])
        #expect(byTiming.detected == 1 && byTiming.falseDetections == 1)
        let byShape = score(.sagAtEnd)
        #expect(byShape.detected == 2 && byShape.falseDetections == 0)
        #expect(byShape.pairs.sorted { $0.reading < $1.reading }.map(\.id) == [2, 1])
        #expect(byShape.maxAbsoluteErrorMph < 0.5)
    }
}
