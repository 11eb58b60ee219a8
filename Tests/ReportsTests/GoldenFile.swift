import Foundation
import Testing

/// Compares text with a file under `Tests/ReportsTests/Golden/`. With
/// `UPDATE_GOLDEN=1` in the environment it rewrites the file instead (review the diff).
enum GoldenFile {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func check(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if expected != text {
            let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let b = text.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }
            Issue.record("\(name) differs from the golden file at line \((first?.offset ?? min(a.count, b.count)) + 1): expected «\(first?.element.0 ?? "")», got «\(first?.element.1 ?? "")»", sourceLocation: sourceLocation)
        }
    }
}
