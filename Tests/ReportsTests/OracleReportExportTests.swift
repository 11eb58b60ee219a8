import CollectorStore
import Foundation
import Reports
import SpeedDomain
import SpeedStatistics
import Testing

/// Writes the compare report (JSON) with every fixture session's raw speeds to
/// `.build/oracle/report.json`; `Tests/Oracle/statistics_oracle.py` recomputes
/// each site's before/after figures, changes, Welch intervals, cluster-bootstrap
/// intervals and the difference in differences from the raw speeds.
@Suite("Report oracle export")
struct OracleReportExportTests {
    @Test("export the compare report and its raw speeds for the numpy/scipy oracle")
    func export() throws {
        let options = ReportFixtures.options
        let text = try ReportRequest(scope: .compare, format: .json, options: options).render(store: ReportFixtures.store())
        let report = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let document: [String: Any] = [
            "report": report, "speeds": ReportFixtures.speeds, "starts": ReportFixtures.starts, "spacing_ns": 50_000_000_000, "replicates": options.bootstrap.replicates, "seed": options.bootstrap.seed,
        ]
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/oracle/report.json")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]).write(to: url)
        #expect(FileManager.default.fileExists(atPath: url.path))
    }
}
