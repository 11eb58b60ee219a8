import FileErrors
import Foundation
public import SpeedDomain

/// Writes a capture file (see `CaptureFormat`). The file is written under a
/// temporary name and renamed into place by `finish()`, so a capture cut short
/// never leaves a half-written file under the final name.
public final class CaptureWriter {
    public let path: String
    public let sensor: SensorDescription
    private let temporaryPath: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var lastTimestamp: UInt64 = 0
    public private(set) var edgeCount = 0

    /// Creates the file and writes its header.
    public init(path: String, sensor: SensorDescription, comments: [String] = []) throws(CaptureError) {
        self.path = path
        self.sensor = sensor
        self.temporaryPath = path + ".partial"
        do {
            try Data().write(to: URL(fileURLWithPath: temporaryPath))
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporaryPath))
        } catch {
            throw CaptureError(.writeFailed, file: path, line: 0, "cannot write '\(temporaryPath)': \(SystemReason.text(for: error))")
        }
        buffer.reserveCapacity(1 << 16)
        buffer += Array(CaptureFormat.header(for: sensor, comments: comments).utf8)
    }

    /// Appends edges, which must continue in time order.
    public func append(_ edges: [Edge]) throws(CaptureError) {
        for edge in edges {
            guard edge.timestampNs >= lastTimestamp else {
                throw CaptureError(.timestampWentBackwards, file: path, line: 0, "edge at \(edge.timestampNs) ns is earlier than \(lastTimestamp) ns")
            }
            guard Int(edge.channel) < sensor.pins.count else {
                throw CaptureError(.unknownChannel, file: path, line: 0, "edge on channel \(edge.channel), sensor has \(sensor.pins.count) pin(s)")
            }
            lastTimestamp = edge.timestampNs
            buffer += Array(CaptureFormat.line(for: edge, sensor: sensor).utf8)
            buffer.append(UInt8(ascii: "\n"))
        }
        edgeCount += edges.count
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Flushes, syncs and renames the file into place.
    public func finish() throws(CaptureError) {
        try flush()
        do {
            try handle.synchronize()
            try handle.close()
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temporaryPath, toPath: path)
        } catch {
            throw CaptureError(.writeFailed, file: path, line: 0, "cannot finish the capture: \(SystemReason.text(for: error))")
        }
    }

    /// Gives up on the capture: closes and removes the partial file.
    public func abandon() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }

    private func flush() throws(CaptureError) {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw CaptureError(.writeFailed, file: path, line: 0, "cannot write: \(SystemReason.text(for: error))")
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
