import Foundation

/// Welch's two-sample t interval for a difference of means, treating every
/// vehicle as independent: the "naive" interval a report shows beside the
/// cluster bootstrap, because vehicles in one session are not independent.
public enum Welch {
    /// Sample size, mean and sample variance (n − 1) of one group.
    public struct Moments: Sendable, Hashable {
        public var n: Int
        public var mean: Double
        public var variance: Double

        public init(n: Int, mean: Double, variance: Double) {
            self.n = n
            self.mean = mean
            self.variance = variance
        }

        /// Moments of a metric that is a mean of per-vehicle values, for a histogram:
        /// the speeds themselves, or 0/1 indicators (at or under the limit, at or over the threshold).
        public init?(_ metric: Metric, of h: SpeedHistogram, limit: Double, threshold: Double) {
            guard h.count > 1 else { return nil }
            let n = h.count
            switch metric {
            case .mean:
                guard let m = h.mean, let sd = h.standardDeviation else { return nil }
                self.init(n: n, mean: m, variance: sd * sd)
            case .compliance, .overThreshold:
                let hits = metric == .compliance ? h.count(atOrBelow: limit) : h.count(atOrAbove: threshold)
                let p = Double(hits) / Double(n)
                // In percent, like the figure itself.
                self.init(n: n, mean: 100 * p, variance: 10_000 * p * (1 - p) * Double(n) / Double(n - 1))
            case .median, .p85:
                return nil
            }
        }
    }

    /// The 95% interval for `after.mean − before.mean`; nil when either group
    /// has fewer than two values; the difference itself when both variances are zero.
    public static func interval95(before: Moments, after: Moments) -> Interval? {
        guard before.n > 1, after.n > 1 else { return nil }
        let vb = before.variance / Double(before.n)
        let va = after.variance / Double(after.n)
        let se2 = vb + va
        let diff = after.mean - before.mean
        // No spread in either group: the interval collapses to the difference (as scipy gives it).
        guard se2 > 0 else { return Interval(low: diff, high: diff) }
        let df = se2 * se2 / (vb * vb / Double(before.n - 1) + va * va / Double(after.n - 1))
        let t = StudentT.quantile(0.975, degreesOfFreedom: df)
        let half = t * se2.squareRoot()
        return Interval(low: diff - half, high: diff + half)
    }
}

/// Student's t distribution, enough of it for Welch's interval.
public enum StudentT {
    /// The cumulative distribution function at `t`.
    public static func cdf(_ t: Double, degreesOfFreedom df: Double) -> Double {
        let x = df / (df + t * t)
        let tail = 0.5 * regularizedIncompleteBeta(x, a: df / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The quantile function (inverse CDF), by bisection to double precision.
    public static func quantile(_ p: Double, degreesOfFreedom df: Double) -> Double {
        if p == 0.5 { return 0 }
        if p < 0.5 { return -quantile(1 - p, degreesOfFreedom: df) }
        var lo = 0.0
        var hi = 1.0
        while cdf(hi, degreesOfFreedom: df) < p { hi *= 2 }
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if mid == lo || mid == hi { break }
            if cdf(mid, degreesOfFreedom: df) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// I_x(a, b) by the continued fraction (modified Lentz), as in Numerical Recipes §6.4.
    static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let lnBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let lnPowers: Double = a * log(x) + b * log(1 - x)
        let lnFront = lnBeta + lnPowers
        if x < (a + 1) / (a + b + 2) {
            return exp(lnFront) * continuedFraction(x, a: a, b: b) / a
        }
        return 1 - exp(lnFront) * continuedFraction(1 - x, a: b, b: a) / b
    }

    private static func continuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m)
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-16 { break }
        }
        return h
    }
}
