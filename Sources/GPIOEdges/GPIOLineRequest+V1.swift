#if canImport(CGPIOD) && !GPIOD_V2
internal import CGPIOD
internal import Glibc
import SpeedDomain

/// Owns the libgpiod 1.x chip handle and the requested lines: the one type that
/// touches the C pointers. Used by one thread at a time (the reader thread
/// once reading starts); released in `deinit`.
final class GPIOLineRequest {
    let settings: GPIOSettings
    /// The kernel's name and label for the chip (`gpiochip0`, `pinctrl-bcm2711`).
    let chipName: String
    let chipLabel: String
    /// The requested lines' offsets in channel order.
    let offsets: [UInt32]
    /// File descriptors to poll, one per channel.
    let pollFDs: [Int32]

    private let chip: OpaquePointer
    private let lines: [OpaquePointer]
    /// libgpiod 1.x reads at most 16 events per call.
    private let events = UnsafeMutableBufferPointer<gpiod_line_event>.allocate(capacity: 16)

    /// Opens the chip and requests rising-edge events on every configured line.
    /// - Throws: `GPIOError`: chip not found, not a GPIO chip, permission
    ///   denied, line not found, line busy, wrong library version.
    init(settings: GPIOSettings) throws(GPIOError) {
        try settings.validate()
        let path = settings.chip.devicePath
        try GPIOLibraryVersion.checkRuntime(chip: path)
        guard let chip = gpiod_chip_open(path) else {
            throw GPIOOpenErrors.chipOpen(errno: Glibc.errno, path: path, call: "gpiod_chip_open")
        }
        var requested: [OpaquePointer] = []
        var done = false
        defer {
            if !done {
                requested.forEach { gpiod_line_release($0) }
                gpiod_chip_close(chip)
            }
        }
        let lineCount = gpiod_chip_num_lines(chip)
        var offsets: [UInt32] = []
        for line in settings.lines {
            let handle: OpaquePointer
            switch line {
            case .offset(let offset):
                guard offset < lineCount else {
                    throw GPIOError(
                        .lineNotFound, chip: path, line: line.description,
                        detail: "the chip has \(lineCount) lines (0...\(Int(lineCount) - 1))")
                }
                guard let found = gpiod_chip_get_line(chip, offset) else {
                    throw GPIOError(
                        .requestFailed, chip: path, line: line.description, call: "gpiod_chip_get_line",
                        errno: Glibc.errno, detail: "cannot get the line from the chip")
                }
                handle = found
            case .name(let name):
                guard let found = gpiod_chip_find_line(chip, name) else {
                    let code = Glibc.errno
                    throw GPIOError(
                        code == ENOENT ? .lineNotFound : .requestFailed, chip: path, line: line.description,
                        call: "gpiod_chip_find_line", errno: code,
                        detail: "no line of that name on this chip (see `gpioinfo`)")
                }
                handle = found
            }
            var flags: Int32 = settings.activeLow ? Int32(GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW) : 0
            switch settings.bias {
            case .asIs: break
            case .disabled: flags |= Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE)
            case .pullUp: flags |= Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP)
            case .pullDown: flags |= Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN)
            }
            let status = settings.consumer.withCString { consumer in
                var config = gpiod_line_request_config(
                    consumer: consumer, request_type: Int32(GPIOD_LINE_REQUEST_EVENT_RISING_EDGE), flags: flags)
                return gpiod_line_request(handle, &config, 0)
            }
            guard status == 0 else {
                let code = Glibc.errno
                _ = gpiod_line_update(handle)
                let holder = gpiod_line_consumer(handle).map { String(cString: $0) }
                throw GPIOOpenErrors.request(
                    errno: code, path: path, line: line.description, call: "gpiod_line_request", holder: holder)
            }
            requested.append(handle)
            offsets.append(gpiod_line_offset(handle))
        }
        let fds = requested.map { gpiod_line_event_get_fd($0) }
        if let bad = fds.firstIndex(where: { $0 < 0 }) {
            throw GPIOError(
                .requestFailed, chip: path, line: settings.lines[bad].description, call: "gpiod_line_event_get_fd",
                errno: Glibc.errno, detail: "the line was requested but has no event file descriptor")
        }
        self.settings = settings
        self.chip = chip
        self.lines = requested
        self.offsets = offsets
        self.pollFDs = fds
        self.chipName = String(cString: gpiod_chip_name(chip))
        self.chipLabel = String(cString: gpiod_chip_label(chip))
        done = true
    }

    deinit {
        lines.forEach { gpiod_line_release($0) }
        gpiod_chip_close(chip)
        events.deallocate()
    }

    /// Reads the events waiting on channel `channel` (its fd polled readable)
    /// and appends the rising edges. Returns the events the kernel is known to
    /// have dropped: always 0 with the v1 API, which has no sequence numbers.
    /// - Throws: `GPIOError` `.readFailed`.
    func readEvents(channel: Int, into edges: inout [Edge]) throws(GPIOError) -> UInt64 {
        let count = gpiod_line_event_read_multiple(lines[channel], events.baseAddress, UInt32(events.count))
        guard count >= 0 else {
            throw GPIOError(
                .readFailed, chip: settings.chip.devicePath, line: settings.lines[channel].description,
                call: "gpiod_line_event_read_multiple", errno: Glibc.errno, detail: "reading edge events failed")
        }
        _ = GPIOBatchConversion.appendRisingEdges(
            UnsafeBufferPointer(rebasing: events[0..<Int(count)]), channel: UInt8(channel), to: &edges)
        return 0
    }
}
#endif
