import Crypto
import FileErrors
import Foundation
import SpeedDomain

/// Reads a bundle and accepts it only whole: the format line, the header, the
/// SHA-256 of the content, the Ed25519 signature against the key registered for
/// the header's device id, then every reading row, with plausible values.
/// Anything wrong throws a `BundleError` naming the file, line and field.
public struct SessionBundleReader: Sendable {
    /// Registered public keys by device id.
    public var publicKeys: [String: DevicePublicKey]

    public init(publicKeys: [String: DevicePublicKey]) {
        self.publicKeys = publicKeys
    }

    /// Reads and verifies the bundle at `path`.
    public func read(path: String) throws(BundleError) -> VerifiedBundle {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe) } catch {
            throw .unreadable(path, "cannot read: \(SystemReason.text(for: error))")
        }
        return try read(data: data, file: path)
    }

    /// Reads and verifies bundle bytes; `file` names them in errors.
    public func read(data: Data, file: String) throws(BundleError) -> VerifiedBundle {
        let bytes = [UInt8](data)
        let lines = LineIndex(bytes)
        guard !lines.starts.isEmpty else { throw .truncated(file, line: 1, "the file is empty") }
        let first = lines.text(0, of: bytes)
        let magic = "#\(BundleHeader.formatName) "
        guard first.hasPrefix(magic) else { throw .notABundle(file, "not a SpeedWatch session bundle (the first line should be '\(magic)\(BundleHeader.version)')") }
        guard first == magic + String(BundleHeader.version) else {
            throw BundleError(.unsupportedVersion, file: file, line: 1, field: "version", "version '\(first.dropFirst(magic.count))' is not supported (this collector reads version \(BundleHeader.version))")
        }
        let count = lines.starts.count
        guard lines.endsWithNewline, count >= 5, lines.text(count - 1, of: bytes).hasPrefix("#ed25519 "),
            lines.text(count - 2, of: bytes).hasPrefix("#sha256 ")
        else {
            throw .truncated(file, line: count, "the file ends at line \(count) without its '#sha256' and '#ed25519' lines: it is truncated or was not finished")
        }
        let hashLine = count - 2
        let content = bytes[0..<lines.starts[hashLine]]
        let digest = Data(SHA256.hash(data: content))
        let stated = String(lines.text(hashLine, of: bytes).dropFirst("#sha256 ".count))
        guard stated == digest.hexString else {
            throw BundleError(.badHash, file: file, line: hashLine + 1, field: "sha256", "the content's SHA-256 is \(digest.hexString), not the \(stated) stated: the file was changed or damaged")
        }
        let header = try decodeHeader(lines.text(1, of: bytes), file: file)
        guard let key = publicKeys[header.device_id] else {
            throw BundleError(.unknownDevice, file: file, line: 2, field: "device_id", "device '\(header.device_id)' is not registered (register its public key with 'collector devices add')")
        }
        let signatureText = lines.text(count - 1, of: bytes).dropFirst("#ed25519 ".count)
        guard let signature = Data(base64Encoded: String(signatureText)), key.isValidSignature(signature, for: digest) else {
            throw BundleError(.badSignature, file: file, line: count, field: "ed25519", "the signature does not verify against device '\(header.device_id)''s registered key")
        }
        let columns = lines.text(2, of: bytes)
        guard columns == BundleHeader.columns.joined(separator: ",") else {
            throw BundleError(.badHeader, file: file, line: 3, field: "columns", "expected the column line '\(BundleHeader.columns.joined(separator: ","))'")
        }
        let sensor: SensorDescription
        switch header.sensorDescription() {
        case .success(let s): sensor = s
        case .failure(let p): throw BundleError(.badHeader, file: file, line: 2, field: p.field, p.detail)
        }
        var readings: [Reading] = []
        readings.reserveCapacity(header.reading_count)
        let parser = RowParser(bytes: bytes, file: file)
        for i in 3..<hashLine {
            readings.append(try parser.reading(lineNumber: i + 1, start: lines.starts[i], end: lines.ends[i]))
        }
        guard readings.count == header.reading_count else {
            throw BundleError(.countMismatch, file: file, line: 2, field: "reading_count", "the header says \(header.reading_count) readings but the file holds \(readings.count)")
        }
        let bundle = SessionBundle(session: header.session, sensor: sensor, mountingAngleDegrees: header.mounting_angle_degrees, readings: readings)
        return VerifiedBundle(bundle: bundle, sha256: digest.hexString, file: file)
    }

    private func decodeHeader(_ line: String, file: String) throws(BundleError) -> BundleHeader {
        guard line.hasPrefix("#meta ") else { throw BundleError(.badHeader, file: file, line: 2, "the second line should be '#meta {…}'") }
        do {
            let header = try JSONDecoder().decode(BundleHeader.self, from: Data(line.dropFirst(6).utf8))
            guard header.format == BundleHeader.formatName else { throw BundleError(.badHeader, file: file, line: 2, field: "format", "expected '\(BundleHeader.formatName)'") }
            guard header.version == BundleHeader.version else { throw BundleError(.unsupportedVersion, file: file, line: 2, field: "version", "version \(header.version) is not supported") }
            guard header.units == BundleHeader.Units() else { throw BundleError(.badHeader, file: file, line: 2, field: "units", "this collector reads speeds in m/s and times in ns") }
            guard header.mounting_angle_degrees.isFinite, (0..<90).contains(header.mounting_angle_degrees) else {
                throw BundleError(.badHeader, file: file, line: 2, field: "mounting_angle_degrees", "must be 0 or more and under 90")
            }
            guard header.reading_count >= 0 else { throw BundleError(.badHeader, file: file, line: 2, field: "reading_count", "must not be negative") }
            return header
        } catch let error as BundleError {
            throw error
        } catch let DecodingError.keyNotFound(key, context) {
            throw BundleError(.badHeader, file: file, line: 2, field: (context.codingPath + [key]).map(\.stringValue).joined(separator: "."), "missing")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context), let DecodingError.dataCorrupted(context) {
            throw BundleError(.badHeader, file: file, line: 2, field: context.codingPath.map(\.stringValue).joined(separator: "."), context.debugDescription)
        } catch {
            throw BundleError(.badHeader, file: file, line: 2, "\(error)")
        }
    }
}

/// Where each line of a byte buffer starts and ends (without its newline).
struct LineIndex {
    var starts: [Int] = []
    var ends: [Int] = []
    var endsWithNewline = true

    init(_ bytes: [UInt8]) {
        var start = 0
        bytes.withUnsafeBufferPointer { p in
            for i in 0..<p.count where p[i] == 10 {
                starts.append(start)
                ends.append(i)
                start = i + 1
            }
        }
        if start < bytes.count {
            starts.append(start)
            ends.append(bytes.count)
            endsWithNewline = false
        }
    }

    func text(_ i: Int, of bytes: [UInt8]) -> String {
        String(decoding: bytes[starts[i]..<ends[i]], as: UTF8.self)
    }
}
