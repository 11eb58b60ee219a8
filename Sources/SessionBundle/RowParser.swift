import Foundation
import SpeedDomain

/// Parses reading rows straight from bytes (a bundle may hold millions), field
/// by field without allocating, naming the line and column of the first thing wrong.
struct RowParser {
    let bytes: [UInt8]
    let file: String

    func reading(lineNumber: Int, start: Int, end: Int) throws(BundleError) -> Reading {
        var cursor = start
        func next(_ column: Int) throws(BundleError) -> Range<Int> {
            guard cursor <= end else { throw row(lineNumber, column, "missing: expected \(BundleHeader.columns.count) fields") }
            var i = cursor
            while i < end && bytes[i] != 44 { i += 1 }  // ','
            defer { cursor = i + 1 }
            return cursor..<i
        }
        let monotonic = try uint(try next(0), lineNumber, 0)
        let speed = try double(try next(1), lineNumber, 1)
        if let problem = ReadingBounds.problem(speedMph: Speed(metresPerSecond: speed).mph) { throw row(lineNumber, 1, problem) }
        let firstLock = try double(try next(2), lineNumber, 2)
        try plausible(firstLock, lineNumber, 2)
        let peak = try double(try next(3), lineNumber, 3)
        try plausible(peak, lineNumber, 3)
        let duration = try uint(try next(4), lineNumber, 4)
        let direction = try self.direction(try next(5), lineNumber)
        let quality = try double(try next(6), lineNumber, 6)
        guard (0...1).contains(quality) else { throw row(lineNumber, 6, "\(quality) is outside 0…1") }
        let flags = try uint(try next(7), lineNumber, 7)
        guard flags <= UInt64(UInt32.max) else { throw row(lineNumber, 7, "too large") }
        guard cursor > end else { throw row(lineNumber, nil, "more than \(BundleHeader.columns.count) fields") }
        return Reading(
            monotonicNs: monotonic, speed: Speed(metresPerSecond: speed), firstLockSpeed: Speed(metresPerSecond: firstLock),
            peakSpeed: Speed(metresPerSecond: peak), durationNs: duration, direction: direction, quality: quality,
            flags: ReadingFlags(rawValue: UInt32(flags)))
    }

    private func plausible(_ v: Double, _ line: Int, _ column: Int) throws(BundleError) {
        guard v >= 0, Speed(metresPerSecond: v).mph <= ReadingBounds.maximumMph else { throw row(line, column, "\(v) m/s is impossible") }
    }

    private func direction(_ r: Range<Int>, _ line: Int) throws(BundleError) -> Direction {
        func equals(_ word: StaticString) -> Bool {
            guard r.count == word.utf8CodeUnitCount else { return false }
            let p = word.utf8Start
            for (k, i) in r.enumerated() where bytes[i] != p[k] { return false }
            return true
        }
        if equals("approaching") { return .approaching }
        if equals("receding") { return .receding }
        if equals("unknown") { return .unknown }
        throw row(line, 5, "'\(String(decoding: bytes[r], as: UTF8.self))' is not approaching, receding or unknown")
    }

    private func row(_ line: Int, _ column: Int?, _ detail: String) -> BundleError {
        BundleError(.badRow, file: file, line: line, field: column.map { BundleHeader.columns[$0] }, detail)
    }

    private func uint(_ r: Range<Int>, _ line: Int, _ column: Int) throws(BundleError) -> UInt64 {
        guard !r.isEmpty, r.count <= 20 else { throw row(line, column, "expected a whole number") }
        var v: UInt64 = 0
        for i in r {
            let d = bytes[i] &- 48
            guard d < 10 else { throw row(line, column, "'\(String(decoding: bytes[r], as: UTF8.self))' is not a whole number") }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            guard !o1, !o2 else { throw row(line, column, "too large") }
            v = s
        }
        return v
    }

    private func double(_ r: Range<Int>, _ line: Int, _ column: Int) throws(BundleError) -> Double {
        guard !r.isEmpty, r.count < 64 else { throw row(line, column, "expected a number") }
        var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        let parsed: Double? = withUnsafeMutableBytes(of: &buffer) { raw in
            for (k, i) in r.enumerated() { raw[k] = bytes[i] }
            raw[r.count] = 0
            let base = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            var endPointer: UnsafeMutablePointer<CChar>?
            let v = strtod(base, &endPointer)
            return endPointer == base + r.count ? v : nil
        }
        guard let parsed, parsed.isFinite else { throw row(line, column, "'\(String(decoding: bytes[r], as: UTF8.self))' is not a number") }
        return parsed
    }
}
