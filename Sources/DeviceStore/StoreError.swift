import Foundation

/// An error from the device store, naming the store file and what failed.
///
/// Follows the house pattern: a struct with a private code enum and static
/// members, so callers can match on `code` without the store exposing its
/// internals, and every message says which file and which session it was about.
public struct StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    fileprivate enum Code: String, Sendable {
        case openFailed
        case corrupt
        case migrationFailed
        case unknownSession
        case duplicateSession
        case sessionClosed
        case invalidArgument
        case databaseFailure
    }

    /// A stable, comparable code for the kind of failure.
    public struct ErrorCode: Hashable, Sendable, CustomStringConvertible {
        fileprivate let code: Code
        public var description: String { code.rawValue }

        /// The file could not be opened as a SQLite database.
        public static let openFailed = ErrorCode(code: .openFailed)
        /// The file opened but `PRAGMA quick_check` reported damage.
        public static let corrupt = ErrorCode(code: .corrupt)
        /// The schema could not be brought up to date.
        public static let migrationFailed = ErrorCode(code: .migrationFailed)
        /// No session with the given id exists.
        public static let unknownSession = ErrorCode(code: .unknownSession)
        /// A session with the given id already exists.
        public static let duplicateSession = ErrorCode(code: .duplicateSession)
        /// The session has already been closed.
        public static let sessionClosed = ErrorCode(code: .sessionClosed)
        /// An argument was out of range (a negative drop count, a NaN speed...).
        public static let invalidArgument = ErrorCode(code: .invalidArgument)
        /// SQLite reported an error during a read or write.
        public static let databaseFailure = ErrorCode(code: .databaseFailure)
    }

    /// What kind of failure this is.
    public let code: ErrorCode
    /// The store file (`:memory:` for an in-memory store).
    public let path: String
    /// What failed, in words, with the values involved.
    public let detail: String
    /// The whole message, when it reads better as one sentence than as `device store PATH: detail`.
    private let sentence: String?

    private init(_ code: Code, path: String, detail: String, sentence: String? = nil) {
        self.code = ErrorCode(code: code)
        self.path = path
        self.detail = detail
        self.sentence = sentence
    }

    /// The store file and what failed, in words (the code is for programs, not people).
    public var description: String {
        sentence ?? "device store \(path): \(detail)"
    }

    static func openFailed(path: String, underlying: any Error) -> StoreError {
        StoreError(.openFailed, path: path, detail: "cannot open as a SQLite database: \(underlying)")
    }

    /// The file is not an SQLite database at all (a text file given as `--store`); code `.corrupt`.
    static func notADatabase(path: String) -> StoreError {
        StoreError(.corrupt, path: path, detail: "not an SQLite database", sentence: "\(path) is not a device store (not an SQLite database)")
    }

    /// An SQLite database, but another program's (a collector store given as `--store`); code `.openFailed`.
    static func foreignDatabase(path: String, tables: [String]) -> StoreError {
        StoreError(
            .openFailed, path: path, detail: "another program's database",
            sentence: "\(path) is not a device store (an SQLite database with other tables: \(tables.prefix(4).joined(separator: ", "))\(tables.count > 4 ? ", …" : ""))")
    }

    static func corrupt(path: String, messages: [String]) -> StoreError {
        StoreError(.corrupt, path: path, detail: "integrity check failed: \(messages.prefix(5).joined(separator: "; "))")
    }

    static func migrationFailed(path: String, underlying: any Error) -> StoreError {
        StoreError(.migrationFailed, path: path, detail: "schema migration failed: \(underlying)")
    }

    static func unknownSession(path: String, id: String) -> StoreError {
        StoreError(.unknownSession, path: path, detail: "no session '\(id)'")
    }

    static func duplicateSession(path: String, id: String) -> StoreError {
        StoreError(.duplicateSession, path: path, detail: "a session with id '\(id)' already exists")
    }

    static func sessionClosed(path: String, id: String, endedAtNs: Int64) -> StoreError {
        let ended = Date(timeIntervalSince1970: Double(endedAtNs) / 1e9).formatted(.iso8601)
        return StoreError(.sessionClosed, path: path, detail: "session '\(id)' is already closed (at \(ended))")
    }

    static func invalidArgument(path: String, _ detail: String) -> StoreError {
        StoreError(.invalidArgument, path: path, detail: detail)
    }

    static func databaseFailure(path: String, operation: String, underlying: any Error) -> StoreError {
        StoreError(.databaseFailure, path: path, detail: "\(operation): \(underlying)")
    }
}
