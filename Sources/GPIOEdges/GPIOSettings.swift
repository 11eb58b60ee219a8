/// Which pins to read and how, as the device configuration's `[gpio]` table
/// gives them:
///
/// ```toml
/// [gpio]
/// chip = "gpiochip0"        # a name under /dev, a path, or a number
/// lines = ["GPIO17"]        # line names or offsets, in channel order (I then Q)
/// bias = "pull-down"        # as-is | disabled | pull-up | pull-down
/// active-low = false
/// consumer = "sid"
/// event-buffer-size = 1024  # kernel buffer (libgpiod 2.x only)
/// ```
public struct GPIOSettings: Sendable, Hashable, Codable {
    /// How the GPIO chip is named.
    public enum Chip: Sendable, Hashable, Codable, CustomStringConvertible {
        /// A device path such as `/dev/gpiochip0`.
        case path(String)
        /// A name under `/dev`, such as `gpiochip0`.
        case name(String)
        /// A chip number: `4` means `/dev/gpiochip4`.
        case number(Int)

        /// The character device to open.
        public var devicePath: String {
            switch self {
            case .path(let path): return path
            case .name(let name): return "/dev/\(name)"
            case .number(let number): return "/dev/gpiochip\(number)"
            }
        }

        public var description: String { devicePath }

        /// Reads a chip from text: a path when it contains `/`, a number when
        /// it is all digits, a name under `/dev` otherwise.
        public init(parsing text: String) {
            if text.contains("/") {
                self = .path(text)
            } else if let number = Int(text), number >= 0 {
                self = .number(number)
            } else {
                self = .name(text)
            }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) {
                guard number >= 0 else {
                    throw DecodingError.dataCorruptedError(
                        in: container, debugDescription: "gpio chip number \(number) is negative")
                }
                self = .number(number)
            } else {
                self = Chip(parsing: try container.decode(String.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .path(let path): try container.encode(path)
            case .name(let name): try container.encode(name)
            case .number(let number): try container.encode(number)
            }
        }
    }

    /// One line of the chip, by offset or by the name the kernel gives it
    /// (on a Raspberry Pi, `GPIO17` is offset 17 of the main chip).
    public enum Line: Sendable, Hashable, Codable, CustomStringConvertible {
        case offset(UInt32)
        case name(String)

        public var description: String {
            switch self {
            case .offset(let offset): return "line \(offset)"
            case .name(let name): return "line \"\(name)\""
            }
        }

        /// Reads a line from text: an offset when all digits, a name otherwise.
        public init(parsing text: String) {
            if let offset = UInt32(text) { self = .offset(offset) } else { self = .name(text) }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) {
                guard let offset = UInt32(exactly: number) else {
                    throw DecodingError.dataCorruptedError(
                        in: container, debugDescription: "gpio line offset \(number) is out of range")
                }
                self = .offset(offset)
            } else {
                self = .name(try container.decode(String.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .offset(let offset): try container.encode(Int(offset))
            case .name(let name): try container.encode(name)
            }
        }
    }

    /// The pin's internal resistor. A comparator with a push-pull output needs
    /// none (`disabled`); an open-collector comparator output needs `pull-up`.
    public enum Bias: String, Sendable, Hashable, Codable, CaseIterable {
        case asIs = "as-is"
        case disabled
        case pullUp = "pull-up"
        case pullDown = "pull-down"
    }

    public var chip: Chip
    /// The sensor's pins in channel order: one for Doppler, I then Q for
    /// quadrature, detector A then B for time of flight.
    public var lines: [Line]
    public var bias: Bias
    /// Invert the pin, so a falling electrical edge is read as a rising edge.
    public var activeLow: Bool
    /// The consumer label the kernel shows for the lines (`gpioinfo`).
    public var consumer: String
    /// Kernel event buffer, in events, for libgpiod 2.x (v1 has a fixed 16 per line).
    public var eventBufferSize: Int

    public init(
        chip: Chip,
        lines: [Line],
        bias: Bias = .asIs,
        activeLow: Bool = false,
        consumer: String = "sid",
        eventBufferSize: Int = 1024
    ) {
        self.chip = chip
        self.lines = lines
        self.bias = bias
        self.activeLow = activeLow
        self.consumer = consumer
        self.eventBufferSize = eventBufferSize
    }

    enum CodingKeys: String, CodingKey {
        case chip, lines, bias, consumer
        case activeLow = "active-low"
        case eventBufferSize = "event-buffer-size"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        chip = try container.decode(Chip.self, forKey: .chip)
        lines = try container.decode([Line].self, forKey: .lines)
        bias = try container.decodeIfPresent(Bias.self, forKey: .bias) ?? .asIs
        activeLow = try container.decodeIfPresent(Bool.self, forKey: .activeLow) ?? false
        consumer = try container.decodeIfPresent(String.self, forKey: .consumer) ?? "sid"
        eventBufferSize = try container.decodeIfPresent(Int.self, forKey: .eventBufferSize) ?? 1024
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(chip, forKey: .chip)
        try container.encode(lines, forKey: .lines)
        try container.encode(bias, forKey: .bias)
        try container.encode(activeLow, forKey: .activeLow)
        try container.encode(consumer, forKey: .consumer)
        try container.encode(eventBufferSize, forKey: .eventBufferSize)
    }

    /// Checks what can be checked without a kernel: one or two lines, no line
    /// twice, a sane buffer size and consumer label.
    /// - Throws: `GPIOError` with code `.invalidSettings`.
    public func validate() throws(GPIOError) {
        func invalid(_ detail: String) -> GPIOError {
            GPIOError(.invalidSettings, chip: chip.devicePath, detail: detail)
        }
        guard (1...2).contains(lines.count) else {
            throw invalid("[gpio] lines must name 1 or 2 lines (got \(lines.count))")
        }
        guard Set(lines).count == lines.count else { throw invalid("[gpio] lines names a line twice") }
        guard (16...65_536).contains(eventBufferSize) else {
            throw invalid("[gpio] event-buffer-size must be 16...65536 (got \(eventBufferSize))")
        }
        guard !consumer.isEmpty, consumer.utf8.count < 32 else {
            throw invalid("[gpio] consumer must be 1 to 31 bytes (got \(consumer.utf8.count))")
        }
    }
}
