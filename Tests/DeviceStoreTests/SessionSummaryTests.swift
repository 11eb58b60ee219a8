import Testing
import DeviceStore
import SpeedDomain

@Suite("Session summary")
struct SessionSummaryTests {
    /// Summary of a session at `limit` holding readings at `mph`.
    static func summary(_ mph: [Double], limit: SpeedLimit = SpeedLimit(30)) throws -> SessionSummary {
        let store = try Fixture.storeWithSession(limit: limit)
        try store.append(mph.map { Fixture.reading(mph: $0) }, toSession: "S1")
        return try store.summary(ofSession: "S1")
    }

    static func close(_ a: Double?, _ b: Double) -> Bool {
        guard let a else { return false }
        return abs(a - b) < 1e-9
    }

    @Test func anEmptySessionHasACountOfZeroAndNoFigures() throws {
        let s = try Self.summary([])
        #expect(s.count == 0)
        #expect(s.meanMph == nil && s.medianMph == nil && s.p85Mph == nil && s.maxMph == nil)
        #expect(s.standardDeviationMph == nil && s.compliancePercent == nil && s.overThresholdPercent == nil)
    }

    @Test func oneReadingIsEveryFigure() throws {
        let s = try Self.summary([31.7])
        #expect(s.count == 1)
        for figure in [s.meanMph, s.medianMph, s.p85Mph, s.maxMph] { #expect(Self.close(figure, 31.7)) }
        #expect(s.standardDeviationMph == nil)
        #expect(s.compliancePercent == 0)
        #expect(s.overThresholdPercent == 0)  // threshold in a 30 is 35
    }

    @Test func twoReadingsInterpolateAndTheLimitItselfComplies() throws {
        // Type 7: h = (2 − 1)·0.85 = 0.85 → 20 + 0.85·(30 − 20) = 28.5.
        let s = try Self.summary([30, 20], limit: SpeedLimit(20))
        #expect(s.count == 2)
        #expect(Self.close(s.meanMph, 25))
        #expect(Self.close(s.medianMph, 25))
        #expect(Self.close(s.p85Mph, 28.5))
        #expect(Self.close(s.maxMph, 30))
        #expect(Self.close(s.standardDeviationMph, 50.0.squareRoot()))
        #expect(s.compliancePercent == 50)  // exactly 20 in a 20 complies
        #expect(s.enforcementThresholdValue == 24)
        #expect(s.overThresholdPercent == 50)
    }

    @Test func tiesAndTheEnforcementThreshold() throws {
        // Sorted 20 20 20 30 40: median x[2] = 20; V85 h = 3.4 → 30 + 0.4·10 = 34
        // (numpy.percentile gives 34.0); mean 26; sd √(320/4) = √80.
        // A 30 limit: 4 of 5 comply; threshold 35: one of 5 at or over.
        let s = try Self.summary([40, 20, 30, 20, 20])
        #expect(s.count == 5)
        #expect(Self.close(s.meanMph, 26))
        #expect(Self.close(s.medianMph, 20))
        #expect(Self.close(s.p85Mph, 34))
        #expect(Self.close(s.maxMph, 40))
        #expect(Self.close(s.standardDeviationMph, 80.0.squareRoot()))
        #expect(Self.close(s.compliancePercent, 80))
        #expect(s.enforcementThresholdValue == 35)
        #expect(Self.close(s.overThresholdPercent, 20))
    }

    @Test func aReadingExactlyAtTheThresholdCountsAsOver() throws {
        let s = try Self.summary([35, 34.9], limit: SpeedLimit(30))
        #expect(s.overThresholdPercent == 50)
    }

    @Test(arguments: [
        (0.0, 1.0), (0.25, 1.75), (0.5, 2.5), (0.85, 3.55), (1.0, 4.0),
    ])
    func percentileIsTypeSeven(p: Double, expected: Double) {
        #expect(Self.close(SessionSummary.percentile(sortedAscending: [1, 2, 3, 4], p), expected))
    }

    @Test func percentileOfNothingIsNil() {
        #expect(SessionSummary.percentile(sortedAscending: [], 0.5) == nil)
    }

    @Test func summaryOfAnUnknownSessionIsRefused() throws {
        let store = try DeviceStore.inMemory()
        let error = #expect(throws: StoreError.self) { try store.summary(ofSession: "ghost") }
        #expect(error?.code == .unknownSession)
    }
}
