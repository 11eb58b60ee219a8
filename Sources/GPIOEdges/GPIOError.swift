#if canImport(Glibc)
internal import Glibc
#endif

/// Why the GPIO backend could not open or read the pins: what failed, the C
/// call and its errno, and the chip and line concerned, so a volunteer can act
/// on the message ("add yourself to the gpio group") rather than read a crash.
public struct GPIOError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure, for code that reacts to it (`sid doctor`, tests).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case chipNotFound = "chip not found"
            case notAGPIOChip = "not a GPIO chip"
            case lineNotFound = "line not found"
            case lineBusy = "line busy"
            case permissionDenied = "permission denied"
            case wrongLibraryVersion = "wrong libgpiod version"
            case invalidSettings = "invalid settings"
            case requestFailed = "request failed"
            case readFailed = "read failed"
            case unsupportedPlatform = "unsupported platform"
            case threadFailed = "reader thread failed"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The chip's device file does not exist.
        public static let chipNotFound = Code(.chipNotFound)
        /// The file exists but is not a GPIO character device.
        public static let notAGPIOChip = Code(.notAGPIOChip)
        /// No line with that name or offset on the chip.
        public static let lineNotFound = Code(.lineNotFound)
        /// Another process (or a kernel driver) holds the line.
        public static let lineBusy = Code(.lineBusy)
        /// The user may not open the chip (not in group `gpio`?).
        public static let permissionDenied = Code(.permissionDenied)
        /// The libgpiod found at run time is not one this build supports.
        public static let wrongLibraryVersion = Code(.wrongLibraryVersion)
        /// The `[gpio]` settings cannot work (no lines, a line twice, ...).
        public static let invalidSettings = Code(.invalidSettings)
        /// The kernel refused the line request for another reason.
        public static let requestFailed = Code(.requestFailed)
        /// Waiting for or reading events failed.
        public static let readFailed = Code(.readFailed)
        /// The GPIO backend needs Linux and libgpiod.
        public static let unsupportedPlatform = Code(.unsupportedPlatform)
        /// The dedicated reader thread could not be started.
        public static let threadFailed = Code(.threadFailed)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// The chip's device path as configured.
    public var chip: String
    /// The line concerned, if any (`line 17`, `line "GPIO17"`).
    public var line: String?
    /// The C call that failed (`gpiod_chip_open`), if one did.
    public var call: String?
    /// errno after the failed call, 0 when no call failed.
    public var errno: Int32
    /// A sentence for the person at the device.
    public var detail: String

    public init(
        _ code: Code, chip: String, line: String? = nil, call: String? = nil, errno: Int32 = 0, detail: String
    ) {
        self.code = code
        self.chip = chip
        self.line = line
        self.call = call
        self.errno = errno
        self.detail = detail
    }

    public var description: String {
        var text = "gpio \(chip)"
        if let line { text += " \(line)" }
        text += ": \(code): \(detail)"
        if let call { text += " (\(call): errno \(errno), \(Self.errnoText(errno)))" }
        return text
    }

    /// The C library's text for an errno value.
    public static func errnoText(_ number: Int32) -> String {
        #if canImport(Glibc)
        return String(cString: strerror(number))
        #else
        return "errno \(number)"
        #endif
    }
}
