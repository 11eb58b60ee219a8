import ArgumentParser
import CollectorStore
import SpeedDomain

/// The store every subcommand opens.
struct StoreOption: ParsableArguments {
    @Option(name: .long, help: "Collector store (SQLite file; created if missing).")
    var store = "collector.sqlite"

    func open() throws -> SQLiteCollectorStore {
        do { return try SQLiteCollectorStore(path: store) } catch { throw ValidationError(error.description) }
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
