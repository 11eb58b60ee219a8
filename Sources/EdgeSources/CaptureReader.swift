import FileErrors
import Foundation
public import SpeedDomain

/// Reads a capture file (see `CaptureFormat`) in a streaming fashion, so that a
/// capture of hours of edges never has to fit in memory at once.
public struct CaptureReader: Sendable {
    /// Where the capture comes from: a path, or bytes already in memory.
    public enum Input: Sendable {
        case file(String)
        case bytes([UInt8], name: String)

        var name: String {
            switch self {
            case .file(let path): return path
            case .bytes(_, let name): return name
            }
        }
    }

    public let input: Input
    /// Edges per delivered batch.
    public var batchSize: Int

    public init(_ input: Input, batchSize: Int = 4096) {
        self.input = input
        self.batchSize = batchSize
    }

    public init(path: String, batchSize: Int = 4096) {
        self.init(.file(path), batchSize: batchSize)
    }

    /// Opens a pull-based cursor over the capture's batches.
    public func makeCursor() throws(CaptureError) -> CaptureCursor {
        try CaptureCursor(input: input, batchSize: batchSize)
    }

    /// Reads only the header.
    public func readSensor() throws -> SensorDescription {
        try makeCursor().readSensor()
    }

    /// Parses the whole file, delivering edges in batches of `batchSize`.
    /// Throws on the first bad line, naming it; batches delivered before then
    /// were valid, so a caller that must not act on a partly bad file should
    /// call `validate()` first.
    public func read(_ body: (SensorDescription, [Edge]) throws -> Void) throws {
        let cursor = try makeCursor()
        while let edges = try cursor.nextBatch() {
            try body(cursor.sensor!, edges)
        }
    }

    /// Checks the whole file and returns its sensor and edge count; throws the
    /// first problem, naming the line.
    public func validate() throws -> (sensor: SensorDescription, edgeCount: Int, firstNs: UInt64?, lastNs: UInt64?) {
        let cursor = try makeCursor()
        var count = 0
        var first: UInt64?
        var last: UInt64?
        while let edges = try cursor.nextBatch() {
            count += edges.count
            if first == nil { first = edges.first?.timestampNs }
            last = edges.last?.timestampNs ?? last
        }
        return (try cursor.readSensor(), count, first, last)
    }

    /// Reads the whole capture into memory (tests, small files).
    public func readAll() throws -> (sensor: SensorDescription, edges: [Edge]) {
        let cursor = try makeCursor()
        var all: [Edge] = []
        while let edges = try cursor.nextBatch() { all += edges }
        return (try cursor.readSensor(), all)
    }
}

/// Pulls batches from a capture one at a time, reading the file in chunks,
/// so that a consumer sets the pace and nothing has to be buffered or dropped.
public final class CaptureCursor {
    private let input: CaptureReader.Input
    private var parser: CaptureParser
    private var handle: FileHandle?
    private var bytesDelivered = false
    private var ready: [[Edge]] = []
    private var finished = false

    init(input: CaptureReader.Input, batchSize: Int) throws(CaptureError) {
        self.input = input
        self.parser = CaptureParser(file: input.name, batchSize: batchSize)
        if case .file(let path) = input {
            do {
                handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            } catch {
                throw CaptureError(.cannotOpen, file: path, line: 0, "cannot read: \(SystemReason.text(for: error))")
            }
        }
    }

    deinit { try? handle?.close() }

    /// The sensor, once the header has been read.
    public var sensor: SensorDescription? { parser.sensor }

    /// Reads as far as the end of the header and returns the sensor.
    public func readSensor() throws -> SensorDescription {
        while parser.sensor == nil {
            guard try pump() else { break }
        }
        guard let sensor = parser.sensor else {
            try parser.finish { _, _ in }
            throw CaptureError(.missingHeader, file: input.name, line: 0, "no header")
        }
        return sensor
    }

    /// The next batch of edges, or nil at the end of the capture.
    /// - Throws: `CaptureError` naming the line of the first problem.
    public func nextBatch() throws -> [Edge]? {
        while ready.isEmpty {
            guard try pump() else { return nil }
        }
        return ready.removeFirst()
    }

    /// Feeds one more chunk to the parser; false once everything has been read.
    private func pump() throws -> Bool {
        if finished { return false }
        if let chunk = try readChunk() {
            try parser.consume(chunk) { _, edges in ready.append(edges) }
        } else {
            finished = true
            try parser.finish { _, edges in ready.append(edges) }
        }
        return true
    }

    private func readChunk() throws(CaptureError) -> ArraySlice<UInt8>? {
        switch input {
        case .bytes(let bytes, _):
            if bytesDelivered { return nil }
            bytesDelivered = true
            return bytes[...]
        case .file(let path):
            do {
                guard let data = try handle?.read(upToCount: 1 << 20), !data.isEmpty else { return nil }
                return ArraySlice(data)
            } catch {
                throw CaptureError(.cannotOpen, file: path, line: 0, "cannot read: \(SystemReason.text(for: error))")
            }
        }
    }
}

/// The line-by-line state machine behind `CaptureReader`.
struct CaptureParser {
    let file: String
    let batchSize: Int
    var lineNumber = 0
    var pending: [UInt8] = []
    var headerFields: [(key: String, value: String, line: Int)] = []
    var sawMagic = false
    var sensor: SensorDescription?
    var batch: [Edge] = []
    var lastTimestamp: UInt64 = 0

    init(file: String, batchSize: Int) {
        self.file = file
        self.batchSize = max(1, batchSize)
        batch.reserveCapacity(self.batchSize)
    }

    mutating func consume(
        _ chunk: ArraySlice<UInt8>, deliver: (SensorDescription, [Edge]) throws -> Void
    ) throws {
        var start = chunk.startIndex
        var index = chunk.startIndex
        while index < chunk.endIndex {
            if chunk[index] == UInt8(ascii: "\n") {
                if pending.isEmpty {
                    try handleLine(chunk[start..<index], deliver: deliver)
                } else {
                    pending += chunk[start..<index]
                    let line = pending
                    pending.removeAll(keepingCapacity: true)
                    try handleLine(line[...], deliver: deliver)
                }
                start = index + 1
            }
            index += 1
        }
        pending += chunk[start..<chunk.endIndex]
    }

    mutating func finish(deliver: (SensorDescription, [Edge]) throws -> Void) throws {
        if !pending.isEmpty {
            let line = pending
            pending.removeAll()
            try handleLine(line[...], deliver: deliver)
        }
        guard sawMagic else {
            throw CaptureError(.missingHeader, file: file, line: 0, "not a capture file: no '\(CaptureFormat.magic)' line")
        }
        guard let sensor else {
            throw CaptureError(.missingHeader, file: file, line: lineNumber, "the header never ends: no '---' line")
        }
        if !batch.isEmpty {
            try deliver(sensor, batch)
            batch.removeAll(keepingCapacity: true)
        }
    }

    private mutating func handleLine(_ raw: ArraySlice<UInt8>, deliver: (SensorDescription, [Edge]) throws -> Void) throws {
        lineNumber += 1
        var line = raw
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        if !sawMagic {
            let text = String(decoding: line, as: UTF8.self)
            guard text.hasPrefix(CaptureFormat.magic) else {
                throw CaptureError(
                    .missingHeader, file: file, line: lineNumber,
                    "not a capture file: the first line must be '\(CaptureFormat.magic) \(CaptureFormat.version)'")
            }
            let version = text.dropFirst(CaptureFormat.magic.count).trimmingCharacters(in: .whitespaces)
            guard version == String(CaptureFormat.version) else {
                throw CaptureError(
                    .unknownVersion, file: file, line: lineNumber,
                    "capture version '\(version)' is not supported (this build reads version \(CaptureFormat.version))")
            }
            sawMagic = true
            return
        }
        if line.isEmpty || line.first == UInt8(ascii: "#") { return }
        guard let sensor else {
            try handleHeaderLine(line)
            return
        }
        batch.append(try parseEdge(line, sensor: sensor))
        if batch.count >= batchSize {
            try deliver(sensor, batch)
            batch.removeAll(keepingCapacity: true)
        }
    }

    private mutating func handleHeaderLine(_ line: ArraySlice<UInt8>) throws(CaptureError) {
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        if text == "---" {
            sensor = try CaptureFormat.parseHeader(headerFields, file: file)
            return
        }
        guard let colon = text.firstIndex(of: ":") else {
            throw CaptureError(.badField, file: file, line: lineNumber, "header line must be 'key: value', found '\(text)'")
        }
        let key = text[..<colon].trimmingCharacters(in: .whitespaces)
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        headerFields.append((key, value, lineNumber))
    }

    private mutating func parseEdge(_ line: ArraySlice<UInt8>, sensor: SensorDescription) throws(CaptureError) -> Edge {
        var index = line.startIndex
        var value: UInt64 = 0
        var digits = 0
        while index < line.endIndex, line[index] >= 48, line[index] <= 57 {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(line[index] - 48))
            guard !overflow1, !overflow2 else {
                throw CaptureError(.malformedEdge, file: file, line: lineNumber, "timestamp does not fit in 64 bits")
            }
            value = sum
            digits += 1
            index += 1
        }
        let rest = String(decoding: line[index...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        guard digits > 0, index == line.endIndex || line[index] == UInt8(ascii: " ") || line[index] == UInt8(ascii: "\t") else {
            throw CaptureError(
                .malformedEdge, file: file, line: lineNumber,
                "expected '<timestamp-ns>\(sensor.pins.count > 1 ? " <pin>" : "")', found '\(String(decoding: line, as: UTF8.self))'")
        }
        var channel: UInt8 = 0
        if sensor.pins.count > 1 {
            guard let found = sensor.pins.firstIndex(of: rest) else {
                throw CaptureError(
                    .unknownChannel, file: file, line: lineNumber,
                    "pin '\(rest)' is not one of the header's pins (\(sensor.pins.joined(separator: ", ")))")
            }
            channel = UInt8(found)
        } else if !rest.isEmpty, rest != sensor.pins[0] {
            throw CaptureError(
                .malformedEdge, file: file, line: lineNumber,
                "unexpected text '\(rest)' after the timestamp")
        }
        guard value >= lastTimestamp else {
            throw CaptureError(
                .timestampWentBackwards, file: file, line: lineNumber,
                "timestamp \(value) ns is earlier than the previous edge's \(lastTimestamp) ns")
        }
        lastTimestamp = value
        return Edge(timestampNs: value, channel: channel)
    }
}
