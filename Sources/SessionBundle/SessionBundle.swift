import Crypto
import FileErrors
import Foundation
import SpeedDomain

/// One session as a device hands it to the collector: a versioned,
/// self-describing text file whose readings are CSV a person can open, ended by
/// a SHA-256 of everything above it and an Ed25519 signature by the device's key.
///
/// ```
/// #speedwatch-session-bundle 1
/// #meta {"columns":[…],"device_id":"…","phase":"before",…}
/// monotonic_ns,speed_mps,first_lock_mps,peak_mps,duration_ns,direction,quality,flags
/// 1000000000,13.4112,13.2,13.9,1500000000,approaching,0.93,0
/// …
/// #sha256 <64 hex digits of SHA-256 over every byte above this line>
/// #ed25519 <base64 signature of the 32 digest bytes>
/// ```
/// See `docs/session-bundle.md`.
public struct SessionBundle: Sendable, Hashable {
    public var session: Session
    public var sensor: SensorDescription
    /// Beam-to-road angle the device corrected its speeds for.
    public var mountingAngleDegrees: Double
    public var readings: [Reading]

    /// The device that recorded (and signs) the session: the session's device id.
    public var deviceID: String { session.deviceID }

    public init(session: Session, sensor: SensorDescription, mountingAngleDegrees: Double, readings: [Reading]) {
        self.session = session
        self.sensor = sensor
        self.mountingAngleDegrees = mountingAngleDegrees
        self.readings = readings
    }

    /// The bundle's bytes, hashed and signed with the device's key.
    /// - Throws: `BundleError` when the header cannot be encoded or signing fails.
    public func encoded(signingWith key: DeviceKey) throws(BundleError) -> Data {
        let header = BundleHeader(session: session, sensor: sensor, mountingAngleDegrees: mountingAngleDegrees, readingCount: readings.count)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let meta = try? encoder.encode(header) else { throw .unreadable("<bundle>", "cannot encode the header") }
        var text = "#\(BundleHeader.formatName) \(BundleHeader.version)\n#meta "
        text += String(decoding: meta, as: UTF8.self)
        text += "\n" + BundleHeader.columns.joined(separator: ",") + "\n"
        text.reserveCapacity(text.utf8.count + readings.count * 80)
        for r in readings {
            text += "\(r.monotonicNs),\(r.speed.metresPerSecond),\(r.firstLockSpeed.metresPerSecond),\(r.peakSpeed.metresPerSecond),"
            text += "\(r.durationNs),\(r.direction.rawValue),\(r.quality),\(r.flags.rawValue)\n"
        }
        var data = Data(text.utf8)
        let digest = Data(SHA256.hash(data: data))
        guard let signature = try? key.signature(for: digest) else { throw .badKey("<device key>", "signing failed") }
        data.append(contentsOf: "#sha256 \(digest.hexString)\n#ed25519 \(signature.base64EncodedString())\n".utf8)
        return data
    }

    /// Writes the signed bundle to `path` atomically (a reader never sees half a bundle).
    public func write(to path: String, signingWith key: DeviceKey) throws(BundleError) {
        let data = try encoded(signingWith: key)
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw .unreadable(path, "cannot write: \(SystemReason.text(for: error))")
        }
    }
}

extension Data {
    /// Lower-case hexadecimal.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for b in self {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
