/// A command that could not do its work, said plainly for the person at the
/// terminal. Not a usage mistake, so it prints no usage text and exits 1.
struct CommandError: Error, CustomStringConvertible {
    private enum Code {
        case noStore
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
}
