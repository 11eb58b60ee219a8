import CollectorStore

/// One report to produce: which, in what format, computed how. The `collector
/// report` command builds one of these and calls `render(store:)`; tests do the same.
public struct ReportRequest: Sendable {
    public enum Scope: Sendable, Hashable {
        case site(String)
        case compare
    }

    public enum Format: String, Sendable, CaseIterable {
        case json, csv, html
    }

    public var scope: Scope
    public var format: Format
    public var options: ReportOptions

    public init(scope: Scope, format: Format, options: ReportOptions = ReportOptions()) {
        self.scope = scope
        self.format = format
        self.options = options
    }

    /// The report text.
    /// - Throws: `CollectorStoreError` for an unknown site or a failing store.
    public func render(store: any CollectorStorage) throws(CollectorStoreError) -> String {
        switch scope {
        case .site(let id):
            let e = try SiteEvaluation(siteID: id, store: store, options: options)
            switch format {
            case .json: return JSONReport.site(e)
            case .csv: return CSVReport.site(e)
            case .html: return HTMLReport.site(e)
            }
        case .compare:
            let c = try ComparisonEvaluation(store: store, options: options)
            switch format {
            case .json: return JSONReport.compare(c)
            case .csv: return CSVReport.compare(c)
            case .html: return HTMLReport.compare(c)
            }
        }
    }
}
