import CollectorStore
import Crypto
import FileErrors
import Foundation
import SessionBundle
import SpeedDomain

/// `collector import-van`: a camera-van CSV export read through a column
/// mapping, as one session. Rows with impossible values are skipped, each with
/// its line number; the file is refused whole when a mapped column is missing.
/// The same file twice counts once (its session id comes from its SHA-256).
public struct VanCSVImporter: Sendable {
    public let store: any CollectorStorage
    public let mapping: VanMapping

    public init(store: any CollectorStorage, mapping: VanMapping) {
        self.store = store
        self.mapping = mapping
    }

    /// Where the session goes and what it was.
    public struct Target: Sendable {
        public var siteID: String
        public var phase: Phase
        public var mode: SessionMode
        public var vanID: String
        /// Nil: `van-` and the first 16 hex digits of the file's SHA-256.
        public var sessionID: String?

        public init(siteID: String, phase: Phase, mode: SessionMode = .covert, vanID: String, sessionID: String? = nil) {
            self.siteID = siteID
            self.phase = phase
            self.mode = mode
            self.vanID = vanID
            self.sessionID = sessionID
        }
    }

    /// One skipped row.
    public struct Skip: Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var field: String?
        public var reason: String
        public var description: String { "line \(line)\(field.map { " (\($0))" } ?? ""): \(reason)" }
    }

    public struct Result: Sendable, Hashable {
        public var sessionID: String
        public var taken: Int
        public var skipped: [Skip]
        public var outcome: IngestOutcome
    }

    /// Imports the file at `path`.
    /// - Throws: `ImportError` when the file cannot be read, lacks a mapped column, has no valid row, or the store refuses it.
    public func importFile(_ path: String, into target: Target) throws(ImportError) -> Result {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw ImportError(file: path, detail: "cannot read: \(SystemReason.text(for: error))") }
        let sha = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let lines = CSVLine.lines(String(decoding: data, as: UTF8.self)).filter { !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let headerLine = lines.first, let header = CSVLine.split(headerLine.text, delimiter: mapping.delimiterCharacter ?? ",") else {
            throw ImportError(file: path, line: 1, detail: "no header row")
        }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces) }
        func column(_ name: String?, _ key: String) throws(ImportError) -> Int? {
            guard let name else { return nil }
            guard let i = names.firstIndex(of: name) else {
                throw ImportError(file: path, line: headerLine.number, field: name, detail: "missing column '\(name)' (mapping columns.\(key)); the header has: \(names.joined(separator: ", "))")
            }
            return i
        }
        let speedColumn = try column(mapping.columns.speed, "speed")!
        let dateColumn = try column(mapping.columns.date, "date")
        let timeColumn = try column(mapping.columns.time, "time")
        let datetimeColumn = try column(mapping.columns.datetime, "datetime")
        let directionColumn = try column(mapping.columns.direction, "direction")
        _ = try column(mapping.columns.vrm, "vrm")
        let unit = mapping.unit ?? .mph
        let joined = mapping.formatter((mapping.formats.date ?? "") + " " + (mapping.formats.time ?? ""))
        let single = mapping.formats.datetime.map(mapping.formatter)

        var rows: [IngestReading] = []
        var skipped: [Skip] = []
        for (number, text) in lines.dropFirst() {
            guard let fields = CSVLine.split(text, delimiter: mapping.delimiterCharacter ?? ","), fields.count == names.count else {
                skipped.append(Skip(line: number, field: nil, reason: "expected \(names.count) fields"))
                continue
            }
            let when: Date?
            if let datetimeColumn, let single {
                when = single.date(from: fields[datetimeColumn].trimmingCharacters(in: .whitespaces))
            } else {
                when = joined.date(from: fields[dateColumn!].trimmingCharacters(in: .whitespaces) + " " + fields[timeColumn!].trimmingCharacters(in: .whitespaces))
            }
            guard let when else {
                skipped.append(Skip(line: number, field: mapping.columns.datetime ?? mapping.columns.date, reason: "date/time does not match the mapping's format"))
                continue
            }
            let speedText = fields[speedColumn].trimmingCharacters(in: .whitespaces)
            guard let value = Double(speedText) else {
                skipped.append(Skip(line: number, field: mapping.columns.speed, reason: "'\(speedText)' is not a number"))
                continue
            }
            let speed = Speed(value, unit)
            if ReadingBounds.problem(speedMph: speed.mph) != nil {
                // Said in the file's own figures: "-3 mph", not the unit round trip's "-3.0000000000000004 mph".
                let why = !value.isFinite ? "is not a number" : value <= 0 ? "is not positive" : "is over the plausible maximum of \(Int(ReadingBounds.maximumMph)) mph"
                skipped.append(Skip(line: number, field: mapping.columns.speed, reason: "speed \(speedText) \(unit.rawValue) \(why)"))
                continue
            }
            var direction = Direction.unknown
            if let directionColumn {
                guard let d = mapping.direction(fields[directionColumn]) else {
                    skipped.append(Skip(line: number, field: mapping.columns.direction, reason: "'\(fields[directionColumn])' is not a direction the mapping names"))
                    continue
                }
                direction = d
            }
            rows.append(IngestReading(wallTimeNs: Int64((when.timeIntervalSince1970 * 1e9).rounded()), speedMetresPerSecond: speed.metresPerSecond, direction: direction, quality: 1, flags: 0))
        }
        guard !rows.isEmpty else {
            throw ImportError(file: path, detail: "no valid rows (\(skipped.count) skipped: \(skipped.prefix(3).map(\.description).joined(separator: "; ")))")
        }
        rows.sort { $0.wallTimeNs < $1.wallTimeNs }
        let id = target.sessionID ?? "van-" + sha.prefix(16)
        let record = SessionRecord(
            id: id, siteID: target.siteID, deviceID: target.vanID, source: .vanCSV, phase: target.phase, mode: target.mode, clockSource: .rtc,
            startedAtNs: rows.first!.wallTimeNs, endedAtNs: rows.last!.wallTimeNs, sha256: sha, file: URL(fileURLWithPath: path).lastPathComponent,
            readingCount: rows.count)
        do {
            return Result(sessionID: id, taken: rows.count, skipped: skipped, outcome: try store.ingest(record, readings: rows))
        } catch {
            throw ImportError(file: path, detail: error.detail)
        }
    }
}
