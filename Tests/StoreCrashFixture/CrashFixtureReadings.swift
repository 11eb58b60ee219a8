// What the StoreCrashWriter fixture writes, shared with the crash test that
// checks it: one definition, so the two cannot drift apart.

import SpeedDomain

/// The reading the fixture stores at `seq`: a pure function of `seq`, so the
/// crash test can tell a whole reading from a torn or misplaced one.
public func crashFixtureReading(seq: Int) -> Reading {
    let s = UInt64(seq)
    let directions: [Direction] = [.approaching, .receding, .unknown]
    return Reading(
        monotonicNs: 1_000_000_000 + s * 1_000_003,
        speed: Speed(metresPerSecond: 5 + Double(seq % 997) * 0.012_345_678_9),
        firstLockSpeed: Speed(metresPerSecond: 4 + Double(seq % 991) * 0.011_111_111_1),
        peakSpeed: Speed(metresPerSecond: 6 + Double(seq % 983) * 0.013_131_313_1),
        durationNs: 100_000_000 + (s * 7_919) % 900_000_000,
        direction: directions[seq % 3],
        quality: Double(seq % 101) / 100,
        flags: ReadingFlags(rawValue: UInt32(seq % 32)))
}

/// The clock mapping of the fixture's session, for checking stored wall times.
public let crashFixtureClock = ClockMapping(
    monotonicAnchorNs: 1_000_000_000, wallTimeAtAnchorNs: 1_750_000_000_000_000_000, source: .simulated)
