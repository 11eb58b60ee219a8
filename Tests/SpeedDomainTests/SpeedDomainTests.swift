import SpeedDomain
import Testing

@Suite("Speeds, limits and Doppler physics")
struct SpeedDomainTests {
    @Test("the enforcement threshold is limit + 10% + 2, as the guidance rounds it",
          arguments: [(20, 24), (30, 35), (40, 46), (50, 57), (60, 68), (70, 79)])
    func enforcementThreshold(limit: Int, threshold: Int) {
        #expect(SpeedLimit(limit).enforcementThresholdValue == threshold)
    }

    @Test("compliance is at or under the limit; over-threshold is at or over the threshold")
    func boundaries() {
        let limit = SpeedLimit(20)
        #expect(limit.isCompliant(.mph(20)))
        #expect(!limit.isCompliant(.mph(20.05)))
        #expect(limit.isOverEnforcementThreshold(.mph(24)))
        #expect(!limit.isOverEnforcementThreshold(.mph(23.95)))
        let kmh = SpeedLimit(30, .kmh)
        #expect(kmh.isCompliant(.kmh(30)))
        #expect(kmh.enforcementThresholdValue == 35)
        #expect(kmh.isOverEnforcementThreshold(.kmh(35)))
    }

    @Test("Hz per mph and per km/h match the design table")
    func dopplerTable() {
        #expect(abs(Doppler.hertz(per: .mph, carrierHz: Doppler.hb100CarrierHz) - 31.39) < 0.01)
        #expect(abs(Doppler.hertz(per: .kmh, carrierHz: Doppler.hb100CarrierHz) - 19.50) < 0.01)
        #expect(abs(Doppler.hertz(per: .mph, carrierHz: Doppler.k24CarrierHz) - 71.95) < 0.01)
        #expect(abs(Doppler.hertz(per: .kmh, carrierHz: Doppler.k24CarrierHz) - 44.71) < 0.01)
        let speed = Doppler.radialSpeed(shiftHz: 1000, carrierHz: Doppler.hb100CarrierHz)
        #expect(abs(Doppler.shiftHz(radial: speed, carrierHz: Doppler.hb100CarrierHz) - 1000) < 1e-9)
    }

    @Test("speeds keep full resolution across units")
    func units() {
        #expect(abs(Speed.mph(30).kmh - 48.28032) < 1e-9)
        #expect(abs(Speed.kmh(50).mph - 31.0685596) < 1e-6)
        #expect(Speed.mph(29.99) < Speed.mph(30))
    }

    @Test("monotonic time maps to wall time from the session's anchor")
    func clockMapping() {
        let mapping = ClockMapping(monotonicAnchorNs: 5_000_000_000, wallTimeAtAnchorNs: 1_700_000_000_000_000_000, source: .ntp)
        #expect(mapping.wallTimeNs(ofMonotonic: 7_500_000_000) == 1_700_000_002_500_000_000)
        #expect(mapping.wallTimeNs(ofMonotonic: 4_000_000_000) == 1_699_999_999_000_000_000)
    }

    static let directionCases: [(measured: Direction, flags: ReadingFlags, expected: Direction)] = [
        (.unknown, .sagAtEnd, .approaching),
        (.unknown, .riseAtStart, .receding),
        (.unknown, [.sagAtEnd, .riseAtStart], .unknown),
        (.unknown, .overlapping, .unknown),
        (.receding, .sagAtEnd, .receding),
        (.approaching, .riseAtStart, .approaching),
    ]

    @Test("a reading's likely direction is the measured one, else its tone's shape when that points one way only",
          arguments: directionCases)
    func likelyDirection(_ c: (measured: Direction, flags: ReadingFlags, expected: Direction)) {
        let reading = Reading(
            monotonicNs: 1, speed: .mph(30), firstLockSpeed: .mph(30), peakSpeed: .mph(30),
            durationNs: 1, direction: c.measured, quality: 1, flags: c.flags)
        #expect(reading.likelyDirection == c.expected)
    }
}
