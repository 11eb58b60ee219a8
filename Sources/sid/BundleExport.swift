import DeviceStore
import Foundation
import SessionBundle
import SpeedDomain

/// `sid export SESSION --format bundle --key PATH`: the signed session bundle
/// the collector imports (docs/session-bundle.md).
enum BundleExport {
    /// Writes the bundle for a closed session and returns where it went.
    /// - Parameters:
    ///   - output: the file to write; nil gives `SESSION-ID.swb` in the current directory.
    static func write(_ stored: StoredSession, readings: [Reading], keyPath: String?, output: String?) throws -> String {
        guard let keyPath else { throw BundleExportError(detail: "--format bundle needs --key PATH (make one with 'sid keygen --key PATH')") }
        let key: DeviceKey
        do { key = try DeviceKey.load(path: keyPath) } catch { throw BundleExportError(detail: error.description) }
        let path = output ?? "\(stored.session.id).swb"
        let bundle = SessionBundle(session: stored.session, sensor: stored.sensor, mountingAngleDegrees: stored.mountingAngleDegrees, readings: readings)
        do { try bundle.write(to: path, signingWith: key) } catch { throw BundleExportError(detail: error.description) }
        return path
    }
}

/// Why a bundle could not be exported.
struct BundleExportError: Error, CustomStringConvertible {
    var detail: String
    var description: String { detail }
}
