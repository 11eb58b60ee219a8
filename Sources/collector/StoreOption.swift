import ArgumentParser
import CollectorStore
import Foundation
import SpeedDomain

/// The store every subcommand opens.
struct StoreOption: ParsableArguments {
    @Option(name: .long, help: "Collector store, an SQLite file (default: collector.sqlite). 'sites add' and 'devices add' create it; other commands refuse a path with no store.")
    var store: String?

    var path: String { store ?? "collector.sqlite" }

    /// Opens the store, creating it if there is none (for the commands that register sites and devices).
    func open() throws -> SQLiteCollectorStore {
        do { return try SQLiteCollectorStore(path: path) } catch { throw CommandError.refused(error.description) }
    }

    /// Opens a store that must already exist (for commands that list, import or report),
    /// so a mistyped path is refused rather than created empty.
    /// - Throws: `CommandError` naming the path when there is no such file.
    func openExisting() throws -> SQLiteCollectorStore {
        guard FileManager.default.fileExists(atPath: path) else { throw CommandError.noStore(path: path, given: store != nil) }
        return try open()
    }
}

extension Phase: ExpressibleByArgument {}
extension SessionMode: ExpressibleByArgument {}
extension Scheme: ExpressibleByArgument {}
extension SpeedUnit: ExpressibleByArgument {}

/// An error already printed with its place; exits non-zero without repeating it.
struct Refused: Error, CustomStringConvertible {
    var description: String
}
