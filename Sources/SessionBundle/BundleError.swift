/// Why a session bundle could not be written or read, and where: the file, the
/// line (1-based) and the field, so that a person can open the file and look.
public struct BundleError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: String, Sendable, Hashable {
        case unreadable, truncated, notABundle, unsupportedVersion, badHeader, badHash
        case unknownDevice, badSignature, badRow, countMismatch, badKey
    }

    let code: Code
    /// The file, or a label for data that came from elsewhere.
    public var file: String
    /// 1-based line, when the problem is on one line.
    public var line: Int?
    /// The field (header key or column name), when one is at fault.
    public var field: String?
    public var detail: String

    init(_ code: Code, file: String, line: Int? = nil, field: String? = nil, _ detail: String) {
        self.code = code
        self.file = file
        self.line = line
        self.field = field
        self.detail = detail
    }

    public static func unreadable(_ file: String, _ detail: String) -> Self { .init(.unreadable, file: file, detail) }
    static func truncated(_ file: String, line: Int, _ detail: String) -> Self { .init(.truncated, file: file, line: line, detail) }
    static func notABundle(_ file: String, _ detail: String) -> Self { .init(.notABundle, file: file, line: 1, detail) }
    static func badKey(_ file: String, _ detail: String) -> Self { .init(.badKey, file: file, detail) }

    /// The file is cut short (no hash or signature line at its end).
    public var isTruncated: Bool { code == .truncated }
    /// The content does not match its SHA-256 line.
    public var isHashMismatch: Bool { code == .badHash }
    /// The signature does not verify against the device's registered key.
    public var isBadSignature: Bool { code == .badSignature }
    /// The device id is not registered with the collector.
    public var isUnknownDevice: Bool { code == .unknownDevice }
    /// A reading row is malformed or impossible.
    public var isBadRow: Bool { code == .badRow }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let field { place += " (field '\(field)')" }
        return "\(place): \(detail)"
    }
}
