import ArgumentParser

/// `sid`: the Speed Indicator Device's command line.
@main
struct SID: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sid",
        abstract: "Measure vehicle speeds at the roadside and keep them safe until they are shipped.",
        discussion: """
            Runs the measuring pipeline (sensor edges -> vehicles -> SQLite store) on the simulator, \
            a recorded capture, or real GPIO pins, and manages the sessions it records.
            """,
        subcommands: [Run.self, Capture.self, SessionCommand.self, Status.self, Export.self, Doctor.self, Keygen.self]
    )
}
