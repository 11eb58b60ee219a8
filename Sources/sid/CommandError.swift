import FileErrors

/// A command that could not do its work, said plainly for the person at the
/// terminal. Not a usage mistake, so it prints no usage text and exits 1.
struct CommandError: Error, CustomStringConvertible {
    private enum Code {
        case noStore
        case cannotWrite
        case unknownSession
        case openSession
    }

    private let code: Code
    /// What failed, naming the file, option or session involved.
    let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// A read-only command was pointed at a store file that does not exist.
    /// - Parameter source: where the path came from (`--store`, the configuration file, the default).
    static func noStore(path: String, source: String) -> CommandError {
        CommandError(.noStore, "no store at \(path) (\(source)); check the path: only 'sid run' and 'sid session start' create a store")
    }

    /// The store has no session with the id given.
    static func unknownSession(_ id: String, store: String) -> CommandError {
        CommandError(.unknownSession, "no session '\(id)' in \(store) (see 'sid session list')")
    }

    /// The session is still recording, so its readings are not final.
    static func openSession(_ id: String) -> CommandError {
        CommandError(.openSession, "session '\(id)' is still open; stop it first ('sid session stop \(id)')")
    }

    /// An output file could not be written.
    /// - Parameter underlying: the error from writing, reduced to the system's reason where it has one.
    static func cannotWrite(_ path: String, underlying: any Error) -> CommandError {
        CommandError(.cannotWrite, "\(path): cannot write: \(SystemReason.text(for: underlying))")
    }
}
