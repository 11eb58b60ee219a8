import CollectorStore
import Foundation
import SpeedDomain
import SpeedStatistics

/// Everything a site report shows, computed once from the store and rendered as JSON, CSV or HTML.
/// Speeds are in the site's unit here; renderers convert to mph (and keep km/h for km/h sites).
public struct SiteEvaluation: Sendable {
    /// One period (before or after) at the site.
    public struct Period: Sendable {
        public var phase: Phase
        public var sessions: [SessionRecord]
        /// Per-session histograms, the clusters the bootstrap resamples.
        public var histograms: [SpeedHistogram]
        public var pooled: SpeedHistogram
        public var figures: PeriodFigures
        public var hours: [HourCell]
        /// Hour cells per session, in the order of `sessions` (the bootstrap's clusters for time-matched figures).
        public var sessionHours: [[HourCell]]
        /// Earliest start and latest end, ns.
        public var from: Int64?
        public var to: Int64?
    }

    /// A before/after difference with its intervals and the counts behind it.
    public struct Change: Sendable {
        public var metric: Metric
        public var estimate: Double?
        /// Cluster bootstrap over sessions; nil unless each period has two or more sessions.
        public var interval: Interval?
        /// Welch on vehicles, the naive interval; nil for percentiles.
        public var naiveInterval: Interval?
        public var countBefore: Int
        public var countAfter: Int
        public var note: String?
    }

    /// The after period standardised to the before period's hour × weekday/weekend mix.
    public struct PostStratified: Sendable {
        public var metric: Metric
        public var after: Double
        public var change: Double
        /// Cluster bootstrap of the post-stratified change (same draws as the unmatched intervals); nil unless each period has two or more sessions.
        public var interval: Interval?
        public var coverage: Double
        public var strata: Int
    }

    public struct Dose: Sendable {
        public var sessionsByPhase: [Phase: Int]
        public var displayOnHours: Double
        public var covertHours: Double
    }

    public struct HourProfile: Sendable {
        public var hourOfDay: Int
        public var count: [Phase: Int]
        /// Mean speed per phase in the site's unit; nil where no vehicle.
        public var mean: [Phase: Double]
    }

    public struct DayCount: Sendable {
        public var date: String
        public var phase: Phase
        public var count: Int
    }

    /// Figures from binned exports, per phase, never mixed with per-vehicle data.
    public struct Binned: Sendable {
        public var phase: Phase
        public var data: GroupedData
        public var from: Int64
        public var to: Int64
    }

    public var site: Site
    public var options: ReportOptions
    public var before: Period
    public var after: Period
    public var changes: [Change]
    public var postStratified: [PostStratified]
    public var dose: Dose
    public var hourly: [HourProfile]
    public var daily: [DayCount]
    public var binned: [Binned]

    public var limit: Double { Double(site.limit.value) }
    public var threshold: Double { Double(site.limit.enforcementThresholdValue) }

    /// Evaluates one site from the store.
    /// - Throws: `CollectorStoreError` for an unknown site or a failing store.
    public init(siteID: String, store: any CollectorStorage, options: ReportOptions) throws(CollectorStoreError) {
        guard let site = try store.site(id: siteID) else { throw .unknownSite(store.location, siteID) }
        let aggregates = try store.aggregates(siteID: siteID, minimumHeadwaySeconds: options.freeFlowGapSeconds)
        let binned = try store.binnedCounts(siteID: siteID)
        self.init(site: site, aggregates: aggregates, binned: binned, options: options)
    }

    /// Evaluates one site from aggregates already read.
    public init(site: Site, aggregates: [SessionAggregate], binned: [BinnedCount], options: ReportOptions) {
        self.site = site
        self.options = options
        let limit = Double(site.limit.value)
        let threshold = Double(site.limit.enforcementThresholdValue)
        func period(_ phase: Phase) -> Period {
            let mine = aggregates.filter { $0.record.phase == phase }
            var pooled = SpeedHistogram()
            for a in mine { pooled.merge(a.histogram) }
            return Period(
                phase: phase, sessions: mine.map(\.record), histograms: mine.map(\.histogram), pooled: pooled,
                figures: PeriodFigures(pooled, limit: limit, threshold: threshold), hours: mine.flatMap(\.hours), sessionHours: mine.map(\.hours),
                from: mine.map(\.record.startedAtNs).min(), to: mine.map(\.record.endedAtNs).max())
        }
        before = period(.before)
        after = period(.after)
        changes = Self.changes(before: before, after: after, limit: limit, threshold: threshold, bootstrap: options.bootstrap)
        postStratified = options.postStratify ? Self.postStratify(before: before, after: after, timeZone: options.timeZone, limit: limit, threshold: threshold, bootstrap: options.bootstrap) : []
        dose = Self.dose(aggregates.map(\.record))
        (hourly, daily) = Self.profiles(aggregates, timeZone: options.timeZone)
        self.binned = Self.binned(binned)
    }

    static func changes(before: Period, after: Period, limit: Double, threshold: Double, bootstrap: ClusterBootstrap) -> [Change] {
        let intervals = bootstrap.intervals95(before: before.histograms, after: after.histograms, metrics: Metric.allCases, limit: limit, threshold: threshold)
        return Metric.allCases.map { metric in
            let vb = metric.value(before.pooled, limit: limit, threshold: threshold)
            let va = metric.value(after.pooled, limit: limit, threshold: threshold)
            var change = Change(metric: metric, estimate: nil, interval: nil, naiveInterval: nil, countBefore: before.pooled.count, countAfter: after.pooled.count)
            guard let vb, let va else {
                change.note = vb == nil && va == nil ? "no data before or after" : (vb == nil ? "no data before" : "no data after")
                return change
            }
            change.estimate = va - vb
            change.interval = intervals[metric]
            if change.interval == nil {
                change.note = "cluster bootstrap needs two or more sessions in each period (before \(before.sessions.count), after \(after.sessions.count))"
            }
            if metric.isMeanOfVehicles,
                let mb = Welch.Moments(metric, of: before.pooled, limit: limit, threshold: threshold),
                let ma = Welch.Moments(metric, of: after.pooled, limit: limit, threshold: threshold)
            {
                change.naiveInterval = Welch.interval95(before: mb, after: ma)
            }
            return change
        }
    }

    static func dose(_ records: [SessionRecord]) -> Dose {
        var byPhase: [Phase: Int] = [:]
        var on = 0.0
        var covert = 0.0
        for r in records {
            byPhase[r.phase, default: 0] += 1
            let hours = Double(max(0, r.endedAtNs - r.startedAtNs)) / 3.6e12
            if r.mode == .displayOn { on += hours } else { covert += hours }
        }
        return Dose(sessionsByPhase: byPhase, displayOnHours: on, covertHours: covert)
    }

    static func binned(_ counts: [BinnedCount]) -> [Binned] {
        [Phase.before, .after].compactMap { phase in
            let mine = counts.filter { $0.phase == phase }
            guard let from = mine.map(\.periodStartNs).min(), let to = mine.map(\.periodEndNs).max() else { return nil }
            return Binned(phase: phase, data: GroupedData(mine.map { .init(lower: $0.lower, upper: $0.upper, count: $0.count) }), from: from, to: to)
        }
    }
}
