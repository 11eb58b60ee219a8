import Foundation
import SpeedDomain
import TOMLSupport

/// How to read one make of camera-van export: which column holds what, the
/// date/time formats, the speed unit, and how directions are spelt. Loaded from TOML:
///
/// ```toml
/// delimiter = ","
/// speed_unit = "mph"            # or "km/h"
/// time_zone = "Europe/London"
///
/// [columns]
/// date = "Date"                 # with time; or datetime = "Timestamp"
/// time = "Time"
/// speed = "Speed"
/// direction = "Direction"       # optional
/// vrm = "VRM"                   # optional; recognised, never stored by the collector
///
/// [formats]
/// date = "dd/MM/yyyy"
/// time = "HH:mm:ss"
///
/// [directions]
/// approaching = ["N", "Northbound"]
/// receding = ["S", "Southbound"]
/// ```
public struct VanMapping: Codable, Sendable, Hashable {
    public struct Columns: Codable, Sendable, Hashable {
        public var date: String?
        public var time: String?
        public var datetime: String?
        public var speed: String
        public var direction: String?
        public var vrm: String?
    }

    public struct Formats: Codable, Sendable, Hashable {
        public var date: String?
        public var time: String?
        public var datetime: String?
    }

    public struct Directions: Codable, Sendable, Hashable {
        public var approaching: [String]?
        public var receding: [String]?
    }

    public var delimiter: String?
    public var speed_unit: String
    public var time_zone: String?
    public var columns: Columns
    public var formats: Formats
    public var directions: Directions?

    /// Loads and checks a mapping file.
    /// - Throws: `ImportError` naming the file, line and field.
    public static func load(path: String) throws(ImportError) -> VanMapping {
        let mapping: VanMapping
        do { mapping = try TOMLFile.decode(VanMapping.self, path: path) } catch {
            throw ImportError(file: error.file, line: error.line, field: error.field, detail: error.detail)
        }
        try mapping.check(file: path)
        return mapping
    }

    func check(file: String) throws(ImportError) {
        guard unit != nil else { throw ImportError(file: file, field: "speed_unit", detail: "'\(speed_unit)' is not mph or km/h") }
        guard zone != nil else { throw ImportError(file: file, field: "time_zone", detail: "'\(time_zone ?? "")' is not a known time zone") }
        guard delimiterCharacter != nil else { throw ImportError(file: file, field: "delimiter", detail: "must be one character") }
        if columns.datetime != nil {
            guard formats.datetime != nil else { throw ImportError(file: file, field: "formats.datetime", detail: "needed with columns.datetime") }
        } else {
            guard columns.date != nil, columns.time != nil else { throw ImportError(file: file, field: "columns.date", detail: "give columns.datetime, or columns.date and columns.time") }
            guard formats.date != nil, formats.time != nil else { throw ImportError(file: file, field: "formats.date", detail: "needed with columns.date and columns.time") }
        }
    }

    var unit: SpeedUnit? { SpeedUnit(rawValue: speed_unit == "kmh" ? "km/h" : speed_unit) }
    var zone: TimeZone? { TimeZone(identifier: time_zone ?? "Europe/London") }
    var delimiterCharacter: Character? {
        let d = delimiter ?? ","
        return d.count == 1 ? d.first : nil
    }

    /// The direction a value names, or nil when the mapping does not know it.
    func direction(_ value: String) -> Direction? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if directions?.approaching?.contains(v) == true { return .approaching }
        if directions?.receding?.contains(v) == true { return .receding }
        if v.isEmpty { return .unknown }
        return nil
    }

    /// A date formatter for `format` in the mapping's time zone.
    func formatter(_ format: String) -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB_POSIX")
        f.timeZone = zone
        f.dateFormat = format
        f.isLenient = false
        return f
    }
}

/// Splits one CSV line (RFC 4180 quoting; quoted fields may not span lines).
enum CSVLine {
    static func split(_ line: Substring, delimiter: Character) -> [String]? {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if quoted {
                if c == "\"" {
                    let next = line.index(after: i)
                    if next < line.endIndex, line[next] == "\"" { field.append("\""); i = next } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == delimiter {
                fields.append(field)
                field = ""
            } else {
                field.append(c)
            }
            i = line.index(after: i)
        }
        guard !quoted else { return nil }
        fields.append(field)
        return fields
    }

    /// Lines of a text with their 1-based numbers, without line ends (CRLF or LF).
    static func lines(_ text: String) -> [(number: Int, text: Substring)] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { i, l in
            (i + 1, l.hasSuffix("\r") ? l.dropLast() : l)
        }
    }
}
