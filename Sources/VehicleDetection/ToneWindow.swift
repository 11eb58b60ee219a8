import SpeedDomain

/// A few consecutive periods of channel 0, summarised.
extension Collection<ToneWindow> {
    /// The median tone of the windows (the upper one of an even count), Hz; at least one window.
    var medianFrequencyHz: Double {
        let sorted = map(\.frequencyHz).sorted()
        return sorted[sorted.count / 2]
    }
}

struct ToneWindow: Sendable, Hashable {
    var startNs: UInt64
    var endNs: UInt64
    /// Mean of the periods after dropping the shortest and longest, ns.
    var meanPeriodNs: Double
    /// Standard deviation over mean of those trimmed periods.
    var coefficientOfVariation: Double
    /// With I/Q: Q edges that lagged I by about a quarter cycle during the window, and that led it.
    var lagVotes: Int32 = 0
    var leadVotes: Int32 = 0

    /// +1 when Q clearly lagged I in this window, −1 when it clearly led, 0 when unknown.
    var phaseSign: Int { quadratureSign(lagVotes: Int(lagVotes), leadVotes: Int(leadVotes), minimumVotes: 3) }

    var frequencyHz: Double { 1e9 / meanPeriodNs }

    /// Summarises `periods` (reordered in place). Trimming one period at each
    /// end keeps a single wheel-top flash or missed edge from unlocking a
    /// window of an otherwise steady tone.
    @inline(__always)
    static func measure(periods: inout [UInt32], startNs: UInt64, endNs: UInt64) -> ToneWindow? {
        let n = periods.count
        guard n >= 4 else { return nil }
        // Find min and max in one pass, then sum the rest.
        var minIndex = 0
        var maxIndex = 0
        var sum: UInt64 = 0
        for i in 0..<n {
            let p = periods[i]
            sum &+= UInt64(p)
            if p < periods[minIndex] { minIndex = i }
            if p > periods[maxIndex] { maxIndex = i }
        }
        if minIndex == maxIndex { maxIndex = (minIndex + 1) % n }
        let kept = Double(n - 2)
        let trimmedSum = Double(sum - UInt64(periods[minIndex]) - UInt64(periods[maxIndex]))
        let mean = trimmedSum / kept
        guard mean > 0 else { return nil }
        var squares = 0.0
        for i in 0..<n where i != minIndex && i != maxIndex {
            let d = Double(periods[i]) - mean
            squares += d * d
        }
        let cv = (squares / kept).squareRoot() / mean
        return ToneWindow(startNs: startNs, endNs: endNs, meanPeriodNs: mean, coefficientOfVariation: cv)
    }
}

@inline(__always)
func median3(_ a: Double, _ b: Double, _ c: Double) -> Double {
    max(min(a, b), min(max(a, b), c))
}

/// Median of five values without allocating: the optimal nine-comparator
/// sorting network for five elements, of which the middle one is returned.
@inline(__always)
func median5(_ v0: Double, _ v1: Double, _ v2: Double, _ v3: Double, _ v4: Double) -> Double {
    var (a, b, c, d, e) = (v0, v1, v2, v3, v4)
    @inline(__always) func order(_ x: inout Double, _ y: inout Double) { if x > y { swap(&x, &y) } }
    order(&a, &b); order(&d, &e); order(&c, &e); order(&c, &d); order(&b, &e)
    order(&a, &d); order(&a, &c); order(&b, &d); order(&b, &c)
    return c
}

/// +1 when at least `minimumVotes` I/Q votes were cast and 75% of them say Q
/// lagged I, −1 when 75% say it led, 0 otherwise: the one rule by which a
/// window and a whole pass read their direction.
@inline(__always)
func quadratureSign(lagVotes: Int, leadVotes: Int, minimumVotes: Int) -> Int {
    let votes = lagVotes + leadVotes
    guard votes >= minimumVotes else { return 0 }
    if lagVotes * 4 >= votes * 3 { return 1 }
    if leadVotes * 4 >= votes * 3 { return -1 }
    return 0
}
