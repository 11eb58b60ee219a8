import CollectorStore
import SpeedDomain
import SpeedStatistics

/// Pilot against control: every site's before/after change and, per metric, the
/// difference in differences (pilot change minus control change) with an
/// interval from resampling sites.
public struct ComparisonEvaluation: Sendable {
    public struct DiD: Sendable {
        public var metric: Metric
        public var result: DifferenceInDifferences.Result?
        public var note: String?
    }

    public var sites: [SiteEvaluation]
    public var differences: [DiD]
    public var options: ReportOptions

    /// Evaluates every registered site. Pilot sites are those flagged pilot; control sites those with the control scheme.
    public init(store: any CollectorStorage, options: ReportOptions) throws(CollectorStoreError) {
        var sites: [SiteEvaluation] = []
        for site in try store.sites() {
            sites.append(try SiteEvaluation(siteID: site.id, store: store, options: options))
        }
        self.init(sites: sites, options: options)
    }

    public init(sites: [SiteEvaluation], options: ReportOptions) {
        self.sites = sites
        self.options = options
        differences = Metric.allCases.map { metric in
            // Changes in mph so that mph and km/h sites can be pooled; percentages as they are.
            func changes(_ group: [SiteEvaluation]) -> [Double] {
                group.compactMap { e in
                    guard let c = e.changes.first(where: { $0.metric == metric })?.estimate else { return nil }
                    return metric.isSpeed ? c * e.site.limit.unit.metresPerSecond / SpeedUnit.mph.metresPerSecond : c
                }
            }
            let pilot = changes(sites.filter(\.site.isPilot))
            let control = changes(sites.filter { $0.site.scheme == .control })
            let result = DifferenceInDifferences.estimate(pilotChanges: pilot, controlChanges: control, replicates: options.bootstrap.replicates, seed: options.bootstrap.seed)
            var note: String?
            if result == nil { note = "needs at least one pilot and one control site with data before and after (pilot \(pilot.count), control \(control.count))" }
            else if result?.interval == nil { note = "the interval needs two or more sites in each group (pilot \(pilot.count), control \(control.count))" }
            return DiD(metric: metric, result: result, note: note)
        }
    }
}

extension Metric {
    /// Whether the figure is a speed (converted between units) rather than a percentage.
    var isSpeed: Bool { self == .mean || self == .median || self == .p85 }

    /// The report field name, with the unit suffix for speeds.
    func field(_ unit: SpeedUnit = .mph) -> String {
        let suffix = unit == .mph ? "mph" : "kmh"
        switch self {
        case .mean: return "mean_\(suffix)"
        case .median: return "median_\(suffix)"
        case .p85: return "p85_\(suffix)"
        case .compliance: return "compliance_pct"
        case .overThreshold: return "over_threshold_pct"
        }
    }
}
