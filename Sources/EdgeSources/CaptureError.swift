/// Why a capture file could not be read, with the file and line at fault.
public struct CaptureError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        case cannotOpen
        case missingHeader
        case unknownVersion
        case unknownSensorKind
        case missingField
        case badField
        case malformedEdge
        case timestampWentBackwards
        case unknownChannel
        case writeFailed
    }

    public var code: Code
    /// The file at fault (a path, or `<memory>`).
    public var file: String
    /// 1-based line number, or 0 when the problem is not on one line.
    public var line: Int
    public var detail: String

    public init(_ code: Code, file: String, line: Int, _ detail: String) {
        self.code = code
        self.file = file
        self.line = line
        self.detail = detail
    }

    public var description: String {
        line > 0 ? "\(file):\(line): \(detail)" : "\(file): \(detail)"
    }
}
