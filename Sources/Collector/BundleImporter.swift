import CollectorStore
import Foundation
import SessionBundle
import SpeedDomain

/// `collector import BUNDLE…`: verifies each bundle against the registered
/// device keys and stores it in one transaction. The same bundle twice counts
/// once; a different bundle with a session id already stored is refused.
public struct BundleImporter: Sendable {
    public let store: any CollectorStorage

    public init(store: any CollectorStorage) { self.store = store }

    /// What happened to one file.
    public struct FileResult: Sendable, Hashable {
        public var file: String
        public var sessionID: String?
        public var outcome: Result<IngestOutcome, ImportError>
    }

    /// Imports each file on its own: one refused file does not stop the others.
    public func importFiles(_ paths: [String]) throws(CollectorStoreError) -> [FileResult] {
        var keys: [String: DevicePublicKey] = [:]
        for (id, base64) in try store.devicePublicKeys() {
            if let key = try? DevicePublicKey(base64: base64) { keys[id] = key }
        }
        let reader = SessionBundleReader(publicKeys: keys)
        return paths.map { path in
            do {
                let verified = try reader.read(path: path)
                return FileResult(file: path, sessionID: verified.bundle.session.id, outcome: .success(try store(verified)))
            } catch let error as BundleError {
                return FileResult(file: path, sessionID: nil, outcome: .failure(ImportError(file: error.file, line: error.line, field: error.field, detail: error.detail)))
            } catch let error as ImportError {
                return FileResult(file: path, sessionID: nil, outcome: .failure(error))
            } catch {
                return FileResult(file: path, sessionID: nil, outcome: .failure(ImportError(file: path, detail: "\(error)")))
            }
        }
    }

    /// Stores a verified bundle.
    public func store(_ verified: VerifiedBundle) throws(ImportError) -> IngestOutcome {
        let session = verified.bundle.session
        guard let ended = session.endedAtNs else {
            throw ImportError(file: verified.file, line: 2, field: "ended_at_ns", detail: "the session is still open; stop it on the device and export again")
        }
        let readings = verified.bundle.readings.map {
            IngestReading(
                wallTimeNs: session.clock.wallTimeNs(ofMonotonic: $0.monotonicNs), speedMetresPerSecond: $0.speed.metresPerSecond,
                direction: $0.direction, quality: $0.quality, flags: $0.flags.rawValue)
        }
        let record = SessionRecord(
            id: session.id, siteID: session.siteID, deviceID: session.deviceID, source: .bundle, phase: session.phase, mode: session.mode,
            clockSource: session.clock.source, startedAtNs: session.startedAtNs, endedAtNs: ended, sha256: verified.sha256,
            file: URL(fileURLWithPath: verified.file).lastPathComponent, readingCount: readings.count)
        do { return try store.ingest(record, readings: readings) } catch {
            throw ImportError(file: verified.file, line: error.isUnknownSite ? 2 : nil, field: error.isUnknownSite ? "site_id" : nil, detail: error.detail)
        }
    }
}
