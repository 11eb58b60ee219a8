import Foundation
import SpeedDomain

/// Parses reading rows straight from bytes (a bundle may hold millions), naming
/// the line and column of the first thing wrong.
struct RowParser {
    let bytes: [UInt8]
    let file: String

    mutating func reading(lineNumber: Int, start: Int, end: Int) throws(BundleError) -> Reading {
        var fields: (Int, Int, Int, Int, Int, Int, Int, Int, Int) = (start, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 1
        try bytes.withUnsafeBufferPointer { (p: UnsafeBufferPointer<UInt8>) throws(BundleError) in
            for i in start..<end where p[i] == 44 {  // ','
                guard n < 8 else { throw row(lineNumber, nil, "more than \(BundleHeader.columns.count) fields") }
                withUnsafeMutableBytes(of: &fields) { $0.storeBytes(of: i + 1, toByteOffset: n * MemoryLayout<Int>.stride, as: Int.self) }
                n += 1
            }
        }
        guard n == 8 else { throw row(lineNumber, nil, "expected \(BundleHeader.columns.count) fields, found \(n)") }
        let f = withUnsafeBytes(of: fields) { raw in (0..<8).map { raw.load(fromByteOffset: $0 * MemoryLayout<Int>.stride, as: Int.self) } }
        func span(_ k: Int) -> Range<Int> { f[k]..<(k == 7 ? end : f[k + 1] - 1) }

        let monotonic = try uint(span(0), lineNumber, 0)
        let speed = try double(span(1), lineNumber, 1)
        if let problem = ReadingBounds.problem(speedMph: Speed(metresPerSecond: speed).mph) { throw row(lineNumber, 1, problem) }
        let firstLock = try double(span(2), lineNumber, 2)
        let peak = try double(span(3), lineNumber, 3)
        for (k, v) in [(2, firstLock), (3, peak)] where !(v.isFinite && v >= 0 && Speed(metresPerSecond: v).mph <= ReadingBounds.maximumMph) {
            throw row(lineNumber, k, "\(v) m/s is impossible")
        }
        let duration = try uint(span(4), lineNumber, 4)
        let direction: Direction
        switch String(decoding: bytes[span(5)], as: UTF8.self) {
        case "approaching": direction = .approaching
        case "receding": direction = .receding
        case "unknown": direction = .unknown
        case let other: throw row(lineNumber, 5, "'\(other)' is not approaching, receding or unknown")
        }
        let quality = try double(span(6), lineNumber, 6)
        guard (0...1).contains(quality) else { throw row(lineNumber, 6, "\(quality) is outside 0…1") }
        let flags = try uint(span(7), lineNumber, 7)
        guard flags <= UInt64(UInt32.max) else { throw row(lineNumber, 7, "too large") }
        return Reading(
            monotonicNs: monotonic, speed: Speed(metresPerSecond: speed), firstLockSpeed: Speed(metresPerSecond: firstLock),
            peakSpeed: Speed(metresPerSecond: peak), durationNs: duration, direction: direction, quality: quality,
            flags: ReadingFlags(rawValue: UInt32(flags)))
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
