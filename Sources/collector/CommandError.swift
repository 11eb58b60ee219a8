import FileErrors

/// A command that could not do its work, said plainly for the person at the
/// terminal. Not a usage mistake, so it prints no usage text and exits 1.
struct CommandError: Error, CustomStringConvertible {
    private enum Code {
        case noStore, refused, cannotRead, cannotWrite
    }

    private let code: Code
    /// What failed, naming the file, option or site involved.
    let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// The input or the store refused the work; `description` already names the place.
    static func refused(_ description: String) -> CommandError { CommandError(.refused, description) }

    /// A file named on the command line could not be read.
    /// - Parameter underlying: the error from reading, given as the system's reason (`No such file or directory`).
    static func cannotRead(_ path: String, underlying: any Error) -> CommandError {
        CommandError(.cannotRead, "\(path): cannot read: \(SystemReason.text(for: underlying))")
    }

    /// An output file could not be written.
    /// - Parameter underlying: the error from writing, given as the system's reason.
    static func cannotWrite(_ path: String, underlying: any Error) -> CommandError {
        CommandError(.cannotWrite, "\(path): cannot write: \(SystemReason.text(for: underlying))")
    }

    /// A command that reads or imports was pointed at a store file that does not exist.
    static func noStore(path: String, given: Bool) -> CommandError {
        CommandError(
            .noStore,
            "no collector store at \(path) (\(given ? "--store" : "the default; give --store")); check the path: only 'collector sites add' and 'collector devices add' create a store")
    }
}
