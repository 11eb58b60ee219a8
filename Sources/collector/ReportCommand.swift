import ArgumentParser
import CollectorStore
import Foundation
import Reports
import SpeedStatistics

extension ReportRequest.Format: ExpressibleByArgument {}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Before/after report for a site, or pilot against control sites.",
        discussion: "Fields and methods: docs/reports.md.")
    @OptionGroup var storeOption: StoreOption
    @Option(help: "Report on this site.") var site: String?
    @Flag(help: "Pilot sites against control sites.") var compare = false
    @Option(help: "json, csv or html.") var format: ReportRequest.Format = .json
    @Option(name: .shortAndLong, help: "Write here instead of standard output.") var output: String?
    @Option(help: "Free-flow filter: minimum headway to the vehicle in front, seconds (default off).") var freeFlow: Double?
    @Flag(help: "Standardise the after period to the before period's hour × weekday/weekend mix.") var postStratify = false
    @Option(help: "Bootstrap replicates.") var replicates = 1000
    @Option(help: "Bootstrap seed (reruns with the same seed agree).") var seed: UInt64 = 20_250_101
    @Option(help: "Time zone for hours of day and days.") var timeZone = "Europe/London"

    func validate() throws {
        guard (site != nil) != compare else { throw ValidationError("give either --site ID or --compare") }
        guard replicates >= 2 else { throw ValidationError("--replicates must be 2 or more") }
        guard TimeZone(identifier: timeZone) != nil else { throw ValidationError("--time-zone: unknown time zone '\(timeZone)'") }
        if let freeFlow, !(freeFlow > 0) { throw ValidationError("--free-flow must be a positive number of seconds") }
    }

    func run() throws {
        let options = ReportOptions(
            freeFlowGapSeconds: freeFlow, postStratify: postStratify, bootstrap: ClusterBootstrap(replicates: replicates, seed: seed),
            timeZone: TimeZone(identifier: timeZone)!)
        let request = ReportRequest(scope: site.map { .site($0) } ?? .compare, format: format, options: options)
        let text: String
        do { text = try request.render(store: try storeOption.openExisting()) } catch let error as CollectorStoreError { throw CommandError.refused(error.description) }
        if let output {
            do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch { throw CommandError.cannotWrite(output, underlying: error) }
            print("wrote \(output)")
        } else {
            print(text, terminator: "")
        }
    }
}
