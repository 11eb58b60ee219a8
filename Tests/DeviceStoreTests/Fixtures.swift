import DeviceStore
import SpeedDomain
import SpeedStatistics  // SplitMix64, the seeded generator the tests share
import Synchronization

enum Fixture {
    static let wallAnchor: Int64 = 1_760_000_000_000_000_000
    static let hb100 = SensorDescription(kind: .doppler(carrierHz: Doppler.hb100CarrierHz), pins: ["GPIO17"])

    static func session(_ id: String = "S1", startedAtNs: Int64 = wallAnchor, source: ClockSource = .phone) -> Session {
        Session(
            id: id, siteID: "HIGH-ST-N", deviceID: "pi-7", phase: .before, mode: .covert,
            clock: ClockMapping(monotonicAnchorNs: 5_000_000_000, wallTimeAtAnchorNs: startedAtNs, source: source),
            startedAtNs: startedAtNs)
    }

    /// A store with one open session `S1` at the given limit.
    static func storeWithSession(limit: SpeedLimit = SpeedLimit(30)) throws -> DeviceStore {
        let store = try DeviceStore.inMemory()
        try store.openSession(session(), sensor: hb100, mountingAngleDegrees: 12.5, limit: limit)
        return store
    }

    static func reading(mph: Double, at monotonicNs: UInt64 = 6_000_000_000) -> Reading {
        let speed = Speed.mph(mph)
        return Reading(
            monotonicNs: monotonicNs, speed: speed, firstLockSpeed: speed, peakSpeed: speed,
            durationNs: 800_000_000, direction: .approaching, quality: 0.9)
    }

    /// Readings with awkward full-resolution values drawn from `rng`.
    static func randomReadings(_ count: Int, startNs: UInt64 = 5_000_000_000, using rng: inout SplitMix64) -> [Reading] {
        var t = startNs
        return (0..<count).map { _ in
            t += UInt64.random(in: 1_000_000...5_000_000_000, using: &rng)
            return Reading(
                monotonicNs: t,
                speed: Speed(metresPerSecond: Double.random(in: 2...45, using: &rng)),
                firstLockSpeed: Speed(metresPerSecond: Double.random(in: 2...45, using: &rng)),
                peakSpeed: Speed(metresPerSecond: Double.random(in: 2...45, using: &rng)),
                durationNs: UInt64.random(in: 0...3_000_000_000, using: &rng),
                direction: Direction.allCases.randomElement(using: &rng)!,
                quality: Double.random(in: 0...1, using: &rng),
                flags: ReadingFlags(rawValue: UInt32.random(in: 0...31, using: &rng)))
        }
    }
}

/// Waits (yielding, then briefly sleeping) until `condition` holds, for at most
/// `seconds`. Returns whether it held, so the caller's `#expect` fails if not.
func eventually(within seconds: Double = 10, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(1))
    }
    return try await condition()
}

/// A clock that only moves when a test advances it, so timer-driven code runs deterministically.
final class ManualClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        var id: Int
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Sleeper] = []
        var cancelled: Set<Int> = []
        var nextID = 0
        var sleepCalls = 0
    }

    private let state = Mutex(State())

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .zero }
    /// How many times `sleep` has been entered: a loop that sleeps after each
    /// round of work has finished that work when this goes up.
    var sleepCalls: Int { state.withLock { $0.sleepCalls } }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { s in
                    s.sleepCalls += 1
                    if s.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    if deadline <= s.now { return .success(()) }
                    s.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper: Sleeper? = state.withLock { s in
                if let index = s.sleepers.firstIndex(where: { $0.id == id }) { return s.sleepers.remove(at: index) }
                s.cancelled.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    func advance(by duration: Duration) {
        let due: [Sleeper] = state.withLock { s in
            s.now = s.now.advanced(by: duration)
            let now = s.now
            let due = s.sleepers.filter { $0.deadline <= now }
            s.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
