/// One line of `sid doctor`: what was checked, how it went, and what to do.
public struct HealthCheck: Sendable, Hashable, CustomStringConvertible {
    public enum Status: String, Sendable, Hashable, Comparable {
        case ok = "ok"
        case warning = "warn"
        case failed = "FAIL"

        private var rank: Int {
            switch self {
            case .ok: return 0
            case .warning: return 1
            case .failed: return 2
            }
        }

        public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
    }

    /// Short name of the thing checked (`gpio chip`, `wall time`).
    public var name: String
    public var status: Status
    /// What was found, and for a warning or failure what to do about it.
    public var detail: String

    public init(_ name: String, _ status: Status, _ detail: String) {
        self.name = name
        self.status = status
        self.detail = detail
    }

    public var description: String {
        let padded = name.count < 14 ? name + String(repeating: " ", count: 14 - name.count) : name
        return "[\(status.rawValue)] \(padded) \(detail)"
    }
}
