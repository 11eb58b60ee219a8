#if canImport(CGPIOD) && GPIOD_V2
// Compiled only where libgpiod 2.x is installed (Debian trixie and later); the
// development machines run bookworm's 1.6, so this path is written against the
// documented 2.x gpiod.h but not built here.
internal import CGPIOD
internal import Glibc
import SpeedDomain

/// Owns the libgpiod 2.x chip, line request and edge-event buffer: the one type
/// that touches the C pointers. Used by one thread at a time (the reader
/// thread once reading starts); released in `deinit`.
final class GPIOLineRequest {
    let settings: GPIOSettings
    let chipName: String
    let chipLabel: String
    /// The requested lines' offsets in channel order.
    let offsets: [UInt32]
    /// One request, one file descriptor for every line.
    let pollFDs: [Int32]

    private let chip: OpaquePointer
    private let request: OpaquePointer
    private let buffer: OpaquePointer
    /// libgpiod 2.x reads up to 1024 events per call.
    private let capacity = 1024
    private var scratch: [GPIOBatchConversion.SequencedEvent]
    private var tracker = GPIOBatchConversion.SequenceTracker()

    /// Opens the chip and requests rising-edge events, CLOCK_MONOTONIC
    /// timestamps, and the configured kernel buffer on every configured line.
    /// - Throws: `GPIOError`: chip not found, not a GPIO chip, permission
    ///   denied, line not found, line busy, wrong library version.
    init(settings: GPIOSettings) throws(GPIOError) {
        try settings.validate()
        let path = settings.chip.devicePath
        try GPIOLibraryVersion.checkRuntime(chip: path)
        guard let chip = gpiod_chip_open(path) else {
            throw GPIOOpenErrors.chipOpen(errno: Glibc.errno, path: path, call: "gpiod_chip_open")
        }
        var done = false
        defer { if !done { gpiod_chip_close(chip) } }
        guard let info = gpiod_chip_get_info(chip) else {
            throw GPIOError(.requestFailed, chip: path, call: "gpiod_chip_get_info", errno: Glibc.errno,
                            detail: "cannot read the chip's information")
        }
        let chipName = String(cString: gpiod_chip_info_get_name(info))
        let chipLabel = String(cString: gpiod_chip_info_get_label(info))
        let lineCount = gpiod_chip_info_get_num_lines(info)
        gpiod_chip_info_free(info)

        var offsets: [UInt32] = []
        for line in settings.lines {
            switch line {
            case .offset(let offset):
                guard Int(offset) < lineCount else {
                    throw GPIOError(.lineNotFound, chip: path, line: line.description,
                                    detail: "the chip has \(lineCount) lines (0...\(lineCount - 1))")
                }
                offsets.append(offset)
            case .name(let name):
                let offset = gpiod_chip_get_line_offset_from_name(chip, name)
                guard offset >= 0 else {
                    let code = Glibc.errno
                    throw GPIOError(code == ENOENT ? .lineNotFound : .requestFailed, chip: path,
                                    line: line.description, call: "gpiod_chip_get_line_offset_from_name",
                                    errno: code, detail: "no line of that name on this chip (see `gpioinfo`)")
                }
                offsets.append(UInt32(offset))
            }
        }

        guard let lineSettings = gpiod_line_settings_new() else {
            throw GPIOError(.requestFailed, chip: path, call: "gpiod_line_settings_new", errno: Glibc.errno,
                            detail: "out of memory")
        }
        defer { gpiod_line_settings_free(lineSettings) }
        _ = gpiod_line_settings_set_direction(lineSettings, GPIOD_LINE_DIRECTION_INPUT)
        _ = gpiod_line_settings_set_edge_detection(lineSettings, GPIOD_LINE_EDGE_RISING)
        _ = gpiod_line_settings_set_event_clock(lineSettings, GPIOD_LINE_CLOCK_MONOTONIC)
        gpiod_line_settings_set_active_low(lineSettings, settings.activeLow)
        switch settings.bias {
        case .asIs: _ = gpiod_line_settings_set_bias(lineSettings, GPIOD_LINE_BIAS_AS_IS)
        case .disabled: _ = gpiod_line_settings_set_bias(lineSettings, GPIOD_LINE_BIAS_DISABLED)
        case .pullUp: _ = gpiod_line_settings_set_bias(lineSettings, GPIOD_LINE_BIAS_PULL_UP)
        case .pullDown: _ = gpiod_line_settings_set_bias(lineSettings, GPIOD_LINE_BIAS_PULL_DOWN)
        }
        guard let lineConfig = gpiod_line_config_new() else {
            throw GPIOError(.requestFailed, chip: path, call: "gpiod_line_config_new", errno: Glibc.errno,
                            detail: "out of memory")
        }
        defer { gpiod_line_config_free(lineConfig) }
        let added = offsets.withUnsafeBufferPointer { raw in
            gpiod_line_config_add_line_settings(lineConfig, raw.baseAddress, raw.count, lineSettings)
        }
        guard added == 0 else {
            throw GPIOError(.requestFailed, chip: path, call: "gpiod_line_config_add_line_settings",
                            errno: Glibc.errno, detail: "cannot build the line configuration")
        }
        guard let requestConfig = gpiod_request_config_new() else {
            throw GPIOError(.requestFailed, chip: path, call: "gpiod_request_config_new", errno: Glibc.errno,
                            detail: "out of memory")
        }
        defer { gpiod_request_config_free(requestConfig) }
        gpiod_request_config_set_consumer(requestConfig, settings.consumer)
        gpiod_request_config_set_event_buffer_size(requestConfig, settings.eventBufferSize)

        guard let request = gpiod_chip_request_lines(chip, requestConfig, lineConfig) else {
            let code = Glibc.errno
            var holder: String?
            var busyLine = settings.lines[0].description
            for (index, offset) in offsets.enumerated() {
                guard let lineInfo = gpiod_chip_get_line_info(chip, offset) else { continue }
                defer { gpiod_line_info_free(lineInfo) }
                if gpiod_line_info_is_used(lineInfo) {
                    busyLine = settings.lines[index].description
                    holder = gpiod_line_info_get_consumer(lineInfo).map { String(cString: $0) }
                    break
                }
            }
            throw GPIOOpenErrors.request(errno: code, path: path, line: busyLine,
                                         call: "gpiod_chip_request_lines", holder: holder)
        }
        guard let buffer = gpiod_edge_event_buffer_new(capacity) else {
            gpiod_line_request_release(request)
            throw GPIOError(.requestFailed, chip: path, call: "gpiod_edge_event_buffer_new", errno: Glibc.errno,
                            detail: "out of memory")
        }
        self.settings = settings
        self.chip = chip
        self.request = request
        self.buffer = buffer
        self.offsets = offsets
        self.chipName = chipName
        self.chipLabel = chipLabel
        self.pollFDs = [gpiod_line_request_get_fd(request)]
        self.scratch = []
        self.scratch.reserveCapacity(capacity)
        done = true
    }

    deinit {
        gpiod_edge_event_buffer_free(buffer)
        gpiod_line_request_release(request)
        gpiod_chip_close(chip)
    }

    /// Reads up to 1024 waiting events (all lines share one fd, so `channel`
    /// is always 0) and appends the rising edges. Returns how many events the
    /// kernel dropped before these, from gaps in the global sequence numbers.
    /// - Throws: `GPIOError` `.readFailed`.
    func readEvents(channel: Int, into edges: inout [Edge]) throws(GPIOError) -> UInt64 {
        let count = gpiod_line_request_read_edge_events(request, buffer, capacity)
        guard count >= 0 else {
            throw GPIOError(.readFailed, chip: settings.chip.devicePath, call: "gpiod_line_request_read_edge_events",
                            errno: Glibc.errno, detail: "reading edge events failed")
        }
        scratch.removeAll(keepingCapacity: true)
        for index in 0..<Int(count) {
            guard let event = gpiod_edge_event_buffer_get_event(buffer, UInt(index)) else { continue }
            scratch.append(GPIOBatchConversion.SequencedEvent(
                timestampNs: gpiod_edge_event_get_timestamp_ns(event),
                lineOffset: UInt32(gpiod_edge_event_get_line_offset(event)),
                globalSeqno: UInt64(gpiod_edge_event_get_global_seqno(event)),
                isRising: gpiod_edge_event_get_event_type(event) == GPIOD_EDGE_EVENT_RISING_EDGE))
        }
        return scratch.withUnsafeBufferPointer { events in
            GPIOBatchConversion.appendRisingEdges(events, channelOffsets: offsets, tracker: &tracker, to: &edges)
        }
    }
}
#endif
