/// Why the collector store refused or failed an operation, with what it was doing.
public struct CollectorStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: String, Sendable, Hashable {
        case openFailed, notADatabase, foreignDatabase, databaseFailure, duplicateSite, unknownSite, conflictingSession, refiledSession, invalidArgument, duplicateDevice
    }

    let code: Code
    /// The store file.
    public var path: String
    public var detail: String

    init(_ code: Code, path: String, _ detail: String) {
        self.code = code
        self.path = path
        self.detail = detail
    }

    static func openFailed(_ path: String, _ error: any Error) -> Self { .init(.openFailed, path: path, "cannot open the store: \(error)") }
    /// The file is there but SQLite cannot read it as a database (a text file, a CSV given as `--store`).
    static func notADatabase(_ path: String) -> Self { .init(.notADatabase, path: path, "is not a collector store (not an SQLite database)") }
    /// An SQLite database, but another program's (a device store given as `--store`).
    static func foreignDatabase(_ path: String, tables: [String]) -> Self {
        .init(.foreignDatabase, path: path, "is not a collector store (an SQLite database with other tables: \(tables.prefix(4).joined(separator: ", "))\(tables.count > 4 ? ", …" : ""))")
    }
    static func databaseFailure(_ path: String, _ operation: String, _ error: any Error) -> Self {
        .init(.databaseFailure, path: path, "\(operation) failed: \(error)")
    }
    static func duplicateSite(_ path: String, _ id: String) -> Self { .init(.duplicateSite, path: path, "site '\(id)' is already registered") }
    static func duplicateDevice(_ path: String, _ id: String) -> Self {
        .init(.duplicateDevice, path: path, "device '\(id)' is already registered with another key")
    }
    /// The site `id` is not registered in the store at `path`.
    public static func unknownSite(_ path: String, _ id: String) -> Self {
        .init(.unknownSite, path: path, "site '\(id)' is not registered (add it with 'collector sites add')")
    }
    static func conflictingSession(_ path: String, _ id: String, stored: String, offered: String) -> Self {
        .init(
            .conflictingSession, path: path,
            "session '\(id)' was already imported with different content (stored SHA-256 \(stored.prefix(12))…, this one \(offered.prefix(12))…); refusing to replace it")
    }
    static func refiledSession(_ path: String, _ id: String, stored: String, offered: String) -> Self {
        .init(
            .refiledSession, path: path,
            "session '\(id)' (the same content) was already imported with \(stored), not \(offered); nothing changed")
    }
    static func invalidArgument(_ path: String, _ detail: String) -> Self { .init(.invalidArgument, path: path, detail) }

    /// A session with this id was already imported with other content.
    public var isConflictingSession: Bool { code == .conflictingSession }
    /// The site is not registered.
    public var isUnknownSite: Bool { code == .unknownSite }
    /// A site with this id exists already.
    public var isDuplicateSite: Bool { code == .duplicateSite }

    /// The file is not an SQLite database at all.
    public var isNotADatabase: Bool { code == .notADatabase }

    public var description: String { code == .notADatabase || code == .foreignDatabase ? "\(path) \(detail)" : "\(path): \(detail)" }
}
