import ArgumentParser
import Foundation
import Collector
import CollectorStore
import SpeedDomain

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import signed session bundles.",
        discussion: "Each bundle is verified against its device's registered key and stored whole or not at all. The same bundle twice counts once.")
    @OptionGroup var storeOption: StoreOption
    @Argument(help: "Bundle files (.swb).") var bundles: [String]

    func run() throws {
        let results = try BundleImporter(store: try storeOption.openExisting()).importFiles(bundles)
        var refused = 0
        for r in results {
            switch r.outcome {
            case .success(.imported(let n)): print("\(r.file): imported session \(r.sessionID ?? "?") (\(n) readings)")
            case .success(.alreadyImported): print("\(r.file): session \(r.sessionID ?? "?") already imported; counted once")
            case .failure(let error):
                refused += 1
                print("refused \(error)")
            }
        }
        if refused > 0 { throw Refused(description: "\(refused) of \(results.count) bundles refused") }
    }
}

struct ImportVan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-van", abstract: "Import a camera-van CSV export through a column mapping (TOML).")
    @OptionGroup var storeOption: StoreOption
    @Option(help: "Column mapping file (TOML; see docs/collector-import.md).") var mapping: String
    @Option(help: "Site id.") var site: String
    @Option(help: "before, intervention or after.") var phase: Phase
    @Option(help: "display-on or covert.") var mode: SessionMode = .covert
    @Option(help: "Van id, recorded as the session's device.") var van: String
    @Option(help: "Session id (default: from the file's SHA-256).") var sessionID: String?
    @Argument(help: "CSV files, one session each.") var files: [String]

    func run() throws {
        let store = try storeOption.openExisting()
        let map: VanMapping
        do { map = try VanMapping.load(path: mapping) } catch { throw CommandError.refused(error.description) }
        var refused = 0
        for file in files {
            do {
                let r = try VanCSVImporter(store: store, mapping: map).importFile(file, into: .init(siteID: site, phase: phase, mode: mode, vanID: van, sessionID: sessionID))
                let verb = r.outcome == .alreadyImported ? "already imported; counted once" : "imported"
                print("\(file): session \(r.sessionID) \(verb): \(r.taken) rows taken, \(r.skipped.count) skipped")
                for s in r.skipped { print("  skipped \(ImportError(file: file, line: s.line, field: s.field, detail: s.reason))") }
            } catch {
                refused += 1
                print("refused \(error)")
            }
        }
        if refused > 0 { throw Refused(description: "\(refused) of \(files.count) files refused") }
    }
}

struct ImportBinned: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-binned", abstract: "Import a binned export (counts per speed bin per period), kept apart from per-vehicle data.")
    @OptionGroup var storeOption: StoreOption
    @Option(help: "Column mapping file (TOML).") var mapping: String
    @Option(help: "Site id.") var site: String
    @Option(help: "before, intervention or after.") var phase: Phase
    @Argument var file: String

    func run() throws {
        let store = try storeOption.openExisting()
        do {
            let map = try BinnedImporter.Mapping.load(path: mapping)
            switch try BinnedImporter(store: store, mapping: map).importFile(file, siteID: site, phase: phase) {
            case .imported(let n): print("\(file): imported \(n) vehicles in bins")
            case .alreadyImported: print("\(file): already imported; counted once")
            }
        } catch {
            throw CommandError.refused("refused \(error)")
        }
    }
}
