import CollectorStore
import Crypto
import FileErrors
import Foundation
import SpeedDomain
import TOMLSupport

/// `collector import-binned`: counts per speed bin per period, as some signs and
/// vans export, kept apart from per-vehicle data. All-or-nothing: bins feed
/// percentiles, so one bad row refuses the file, naming its line and column.
///
/// Mapping (TOML):
/// ```toml
/// speed_unit = "mph"
/// time_zone = "Europe/London"
/// datetime_format = "yyyy-MM-dd HH:mm"
/// [columns]
/// period_start = "From"
/// period_end = "To"
/// bin_low = "Low"
/// bin_high = "High"
/// count = "Count"
/// ```
public struct BinnedImporter: Sendable {
    public struct Mapping: Codable, Sendable, Hashable {
        public struct Columns: Codable, Sendable, Hashable {
            public var period_start: String
            public var period_end: String
            public var bin_low: String
            public var bin_high: String
            public var count: String
        }

        public var speed_unit: String
        public var time_zone: String?
        public var datetime_format: String
        public var delimiter: String?
        public var columns: Columns

        /// Loads and checks a mapping file.
        /// - Throws: `ImportError` naming the file, line and field.
        public static func load(path: String) throws(ImportError) -> Mapping {
            let mapping: Mapping
            do { mapping = try TOMLFile.decode(Mapping.self, path: path) } catch {
                throw ImportError(file: error.file, line: error.line, field: error.field, detail: error.detail)
            }
            try mapping.check(file: path)
            return mapping
        }

        /// Refuses a unit, time zone or delimiter that would otherwise fall back to a default unseen.
        func check(file: String) throws(ImportError) {
            guard SpeedUnit(rawValue: speed_unit == "kmh" ? "km/h" : speed_unit) != nil else {
                throw ImportError(file: file, field: "speed_unit", detail: "'\(speed_unit)' is not mph or km/h")
            }
            guard TimeZone(identifier: time_zone ?? "Europe/London") != nil else {
                throw ImportError(file: file, field: "time_zone", detail: "'\(time_zone ?? "")' is not a known time zone")
            }
            guard delimiter.map({ $0.count == 1 }) ?? true else { throw ImportError(file: file, field: "delimiter", detail: "must be one character") }
        }
    }

    public let store: any CollectorStorage
    public let mapping: Mapping

    public init(store: any CollectorStorage, mapping: Mapping) {
        self.store = store
        self.mapping = mapping
    }

    /// Imports the file for one site and phase; returns the outcome and the number of vehicles counted.
    public func importFile(_ path: String, siteID: String, phase: Phase) throws(ImportError) -> IngestOutcome {
        guard let unit = SpeedUnit(rawValue: mapping.speed_unit == "kmh" ? "km/h" : mapping.speed_unit) else {
            throw ImportError(file: path, field: "speed_unit", detail: "'\(mapping.speed_unit)' is not mph or km/h")
        }
        let site: Site
        do {
            guard let s = try store.site(id: siteID) else { throw ImportError(file: path, field: "site", detail: "site '\(siteID)' is not registered") }
            site = s
        } catch let error as ImportError { throw error } catch { throw ImportError(file: path, detail: "\(error)") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw ImportError(file: path, detail: "cannot read: \(SystemReason.text(for: error))") }
        let delimiter: Character = mapping.delimiter?.first ?? ","
        let lines = CSVLine.lines(String(decoding: data, as: UTF8.self)).filter { !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let headerLine = lines.first, let header = CSVLine.split(headerLine.text, delimiter: delimiter) else { throw ImportError(file: path, line: 1, detail: "no header row") }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces) }
        var index: [String: Int] = [:]
        for (key, name) in [("period_start", mapping.columns.period_start), ("period_end", mapping.columns.period_end), ("bin_low", mapping.columns.bin_low), ("bin_high", mapping.columns.bin_high), ("count", mapping.columns.count)] {
            guard let i = names.firstIndex(of: name) else { throw ImportError(file: path, line: headerLine.number, field: name, detail: "missing column '\(name)' (mapping columns.\(key))") }
            index[key] = i
        }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB_POSIX")
        f.timeZone = TimeZone(identifier: mapping.time_zone ?? "Europe/London")
        f.dateFormat = mapping.datetime_format
        var counts: [BinnedCount] = []
        for (number, text) in lines.dropFirst() {
            guard let fields = CSVLine.split(text, delimiter: delimiter), fields.count == names.count else {
                throw ImportError(file: path, line: number, detail: "expected \(names.count) fields")
            }
            func field(_ key: String) -> String { fields[index[key]!].trimmingCharacters(in: .whitespaces) }
            func name(_ key: String) -> String { names[index[key]!] }
            guard let start = f.date(from: field("period_start")) else { throw ImportError(file: path, line: number, field: name("period_start"), detail: "does not match '\(mapping.datetime_format)'") }
            guard let end = f.date(from: field("period_end")), end > start else { throw ImportError(file: path, line: number, field: name("period_end"), detail: "not a date after the period start") }
            guard let low = Double(field("bin_low")), low >= 0, low.isFinite else { throw ImportError(file: path, line: number, field: name("bin_low"), detail: "not a speed of 0 or more") }
            guard let high = Double(field("bin_high")), high > low, Speed(high, unit).mph <= 250 else { throw ImportError(file: path, line: number, field: name("bin_high"), detail: "must be above the lower edge and plausible") }
            guard let n = Int(field("count")), n >= 0 else { throw ImportError(file: path, line: number, field: name("count"), detail: "not a count of 0 or more") }
            let toSite = unit.metresPerSecond / site.limit.unit.metresPerSecond
            counts.append(BinnedCount(
                siteID: siteID, phase: phase, periodStartNs: Int64(start.timeIntervalSince1970 * 1e9), periodEndNs: Int64(end.timeIntervalSince1970 * 1e9),
                lower: low * toSite, upper: high * toSite, count: n))
        }
        guard !counts.isEmpty else { throw ImportError(file: path, detail: "no rows") }
        let sha = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        do { return try store.ingestBinned(counts, sha256: sha, file: URL(fileURLWithPath: path).lastPathComponent) } catch {
            throw ImportError(file: path, detail: error.detail)
        }
    }
}
