import ArgumentParser

/// The collector command line: registers sites and devices, imports sessions, writes reports.
struct CollectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collector",
        abstract: "SpeedWatch collector: import device sessions and camera-van exports; before/after and pilot-vs-control reports.",
        subcommands: [Sites.self, Devices.self, Import.self, ImportVan.self, ImportBinned.self, Report.self])
}

CollectorCommand.main()
