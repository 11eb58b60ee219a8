/// Why an input was refused, naming the file, the line and the field when known.
/// Whatever was refused left the store unchanged.
public struct ImportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var field: String?
    public var detail: String

    public init(file: String, line: Int? = nil, field: String? = nil, detail: String) {
        self.file = file
        self.line = line
        self.field = field
        self.detail = detail
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let field { place += " (field '\(field)')" }
        return "\(place): \(detail)"
    }
}
