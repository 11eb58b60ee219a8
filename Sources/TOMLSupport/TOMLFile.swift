import FileErrors
import Foundation
import TOMLKit

/// Decodes configuration files (device configuration, simulator scenarios,
/// column mappings) from TOML into `Decodable` types, with errors a person can
/// act on: the file, the line of a syntax error, the dotted path of a field
/// that is missing, of the wrong type, or not a known setting at all.
///
/// TOML is turned into JSON-shaped data and decoded with `JSONDecoder`, so an
/// integer such as `mean = 31` decodes into a `Double` field as a person expects.
public enum TOMLFile {
    /// Reads and decodes the file at `path`.
    public static func decode<T: Codable>(_ type: T.Type, path: String) throws(ConfigurationError) -> T {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(file: path, line: nil, field: nil, detail: "cannot read: \(SystemReason.text(for: error))")
        }
        return try decode(type, from: text, file: path)
    }

    /// Decodes `text`, naming `file` in any error. Keys the type does not know are refused.
    public static func decode<T: Codable>(_ type: T.Type, from text: String, file: String) throws(ConfigurationError) -> T {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError(file: file, line: error.source.begin.line, field: nil, detail: "not valid TOML: \(error.description)")
        } catch {
            throw ConfigurationError(file: file, line: nil, field: nil, detail: "not valid TOML: \(error)")
        }
        let object = jsonObject(table)
        let value: T
        do {
            let data = try JSONSerialization.data(withJSONObject: object)
            value = try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
                let field = fractionInWholeNumberField(decoding: T.self, from: object)
            {
                throw ConfigurationError(file: file, line: nil, field: field, detail: "must be a whole number")
            }
            throw ConfigurationError(decoding: error, file: file)
        } catch {
            throw ConfigurationError(file: file, line: nil, field: nil, detail: "\(error)")
        }
        try refuseUnknownKeys(in: object, knownFrom: value, file: file)
        return value
    }

    /// The TOML table as nested dictionaries and arrays of JSON-compatible values.
    static func jsonObject(_ value: any TOMLValueConvertible) -> Any {
        if let table = value.table {
            var result: [String: Any] = [:]
            for (key, child) in table { result[key] = jsonObject(child) }
            return result
        }
        if let array = value.array { return array.map { jsonObject($0) } }
        if let bool = value.bool { return bool }
        if let int = value.int { return int }
        if let double = value.double { return double }
        if let string = value.string { return string }
        return String(describing: value)
    }

    /// The field holding a fraction where the type wants a whole number, if
    /// that is why decoding failed. (Foundation's `JSONDecoder` on Linux
    /// reports it only as "not valid JSON", with no field.) Each fractional
    /// number is tried as a whole one in turn: the first whose change makes
    /// that error go away is the one at fault.
    static func fractionInWholeNumberField<T: Decodable>(decoding type: T.Type, from object: Any) -> String? {
        for path in fractionalNumberPaths(in: object, path: []) {
            let patched = replacingValue(at: path[...], in: object) { value in (value as? Double).map { Int($0.rounded(.towardZero)) } ?? value }
            guard let data = try? JSONSerialization.data(withJSONObject: patched) else { continue }
            do {
                _ = try JSONDecoder().decode(T.self, from: data)
            } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
                continue
            } catch {}
            return path.joined(separator: ".")
        }
        return nil
    }

    /// Paths of the numbers in `object` that have a fractional part, in key order.
    private static func fractionalNumberPaths(in object: Any, path: [String]) -> [[String]] {
        if let table = object as? [String: Any] {
            return table.keys.sorted().flatMap { fractionalNumberPaths(in: table[$0]!, path: path + [$0]) }
        }
        if let array = object as? [Any] {
            return array.indices.flatMap { fractionalNumberPaths(in: array[$0], path: path + ["\($0)"]) }
        }
        if let number = object as? Double, !(object is Int), number.rounded(.towardZero) != number { return [path] }
        return []
    }

    private static func replacingValue(at path: ArraySlice<String>, in object: Any, with change: (Any) -> Any) -> Any {
        guard let key = path.first else { return change(object) }
        if var table = object as? [String: Any], let child = table[key] {
            table[key] = replacingValue(at: path.dropFirst(), in: child, with: change)
            return table
        }
        if var array = object as? [Any], let index = Int(key), array.indices.contains(index) {
            array[index] = replacingValue(at: path.dropFirst(), in: array[index], with: change)
            return array
        }
        return object
    }

    /// Finds keys present in the file that the decoded type does not write
    /// back: settings that are misspelled or unknown, which would otherwise be
    /// silently ignored.
    static func refuseUnknownKeys<T: Encodable>(in object: Any, knownFrom value: T, file: String) throws(ConfigurationError) {
        guard let data = try? JSONEncoder().encode(value),
            let known = try? JSONSerialization.jsonObject(with: data)
        else { return }
        if let path = firstUnknownKey(in: object, known: known, path: []) {
            throw ConfigurationError(file: file, line: nil, field: path, detail: "is not a known setting (misspelled?)")
        }
    }

    private static func firstUnknownKey(in object: Any, known: Any, path: [String]) -> String? {
        if let table = object as? [String: Any] {
            let knownTable = known as? [String: Any] ?? [:]
            for key in table.keys.sorted() {
                guard let knownChild = knownTable[key] else { return (path + [key]).joined(separator: ".") }
                if let found = firstUnknownKey(in: table[key]!, known: knownChild, path: path + [key]) { return found }
            }
        } else if let array = object as? [Any], let knownArray = known as? [Any] {
            for (index, element) in array.enumerated() where index < knownArray.count {
                if let found = firstUnknownKey(in: element, known: knownArray[index], path: path + ["\(index)"]) { return found }
            }
        }
        return nil
    }
}

/// A configuration file that cannot be used, naming the file and the line or field at fault.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// Dotted path of the field, such as `traffic.speed-mph.mean`.
    public var field: String?
    public var detail: String

    public init(file: String, line: Int?, field: String?, detail: String) {
        self.file = file
        self.line = line
        self.field = field
        self.detail = detail
    }

    init(decoding error: DecodingError, file: String) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(file: file, line: nil, field: path(context.codingPath + [key]), detail: "is missing")
        case .typeMismatch(let type, let context):
            self.init(file: file, line: nil, field: path(context.codingPath), detail: "must be \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            self.init(file: file, line: nil, field: path(context.codingPath), detail: "must be \(Self.describe(type))")
        case .dataCorrupted(let context):
            self.init(file: file, line: nil, field: path(context.codingPath), detail: context.debugDescription)
        @unknown default:
            self.init(file: file, line: nil, field: nil, detail: "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Float.Type: return "a number"
        case is Int.Type, is UInt64.Type, is Int64.Type, is UInt32.Type: return "a whole number"
        case is String.Type: return "text in quotes"
        case is Bool.Type: return "true or false"
        default: return "a \(type)"
        }
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let field { return "\(place): '\(field)' \(detail)" }
        return "\(place): \(detail)"
    }
}
