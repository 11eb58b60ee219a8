public import EdgeSources
public import SpeedDomain
import Synchronization

/// Real pins through libgpiod: rising edges with the kernel's CLOCK_MONOTONIC
/// timestamps, read in batches on a dedicated thread.
///
/// Making the source opens the chip and requests the lines at once, so a
/// missing chip, a busy line or a permission problem is a `GPIOError` at
/// start-up, not a failure later in the stream. `batches()` hands that request
/// to a reader thread that blocks in `poll(2)` on the lines' event file
/// descriptors and on an eventfd that cancelling the stream writes to, so
/// stopping is immediate and nothing spins. After 200 ms without edges it
/// yields an empty batch whose `observedUntilNs` vouches for the quiet time.
/// See docs/gpio-backend.md.
public struct GPIOEdgeSource: EdgeSource {
    public let settings: GPIOSettings
    public let sensor: SensorDescription
    /// The kernel's name and label for the chip, as opened (`gpiochip0`, `pinctrl-bcm2711`).
    public let chipName: String
    public let chipLabel: String
    /// The requested lines' offsets, in channel order.
    public let lineOffsets: [UInt32]
    /// Batches the stream holds for a slow consumer before it drops (and counts) them.
    public let bufferedBatches: Int

    private let opened: OpenedRequest

    /// Opens the chip and requests rising-edge events on the configured lines.
    /// - Parameters:
    ///   - settings: the device configuration's `[gpio]` table.
    ///   - kind: the sensor wired to the lines; its channel count must match `settings.lines`.
    ///   - bufferedBatches: how many batches may wait for the consumer.
    /// - Throws: `GPIOError`: chip not found, line not found, line busy,
    ///   permission denied, wrong libgpiod version, invalid settings.
    public init(settings: GPIOSettings, kind: SensorKind, bufferedBatches: Int = 1024) throws(GPIOError) {
        guard kind.channelCount == settings.lines.count else {
            throw GPIOError(
                .invalidSettings, chip: settings.chip.devicePath,
                detail: "a \(kind.name) sensor reads \(kind.channelCount) line(s) but [gpio] lines has \(settings.lines.count)")
        }
        #if canImport(CGPIOD)
        let request = try GPIOLineRequest(settings: settings)
        self.chipName = request.chipName
        self.chipLabel = request.chipLabel
        self.lineOffsets = request.offsets
        self.opened = OpenedRequest(request)
        #else
        throw GPIOError(.unsupportedPlatform, chip: settings.chip.devicePath,
                        detail: "the GPIO backend needs Linux with libgpiod")
        #endif
        self.settings = settings
        self.bufferedBatches = max(1, bufferedBatches)
        let name = chipName
        let pins = zip(settings.lines, lineOffsets).map { line, offset in
            if case .name(let pin) = line { return pin }
            return "\(name):\(offset)"
        }
        self.sensor = SensorDescription(kind: kind, pins: pins, clock: "CLOCK_MONOTONIC")
    }

    /// Starts the reader thread on the request opened by `init` (or, on a
    /// second call after the first stream ended, on a new request) and returns
    /// its batches. The stream throws `GPIOError` if reading fails; it never
    /// finishes on its own. Cancelling the consuming task, or dropping the
    /// stream, wakes the thread, which releases the lines and exits.
    public func batches() -> AsyncThrowingStream<EdgeBatch, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(
            of: EdgeBatch.self, bufferingPolicy: .bufferingOldest(bufferedBatches))
        #if canImport(CGPIOD)
        do throws(GPIOError) {
            let request: GPIOLineRequest
            if let taken = opened.take() {
                request = taken
            } else {
                request = try GPIOLineRequest(settings: settings)
            }
            try GPIOReaderThread.start(request: request, continuation: continuation)
        } catch {
            continuation.finish(throwing: error)
        }
        #else
        continuation.finish(throwing: GPIOError(
            .unsupportedPlatform, chip: settings.chip.devicePath, detail: "the GPIO backend needs Linux with libgpiod"))
        #endif
        return stream
    }
}

#if canImport(CGPIOD)
/// The request `init` opened, waiting for the first `batches()` call to take it.
private final class OpenedRequest: Sendable {
    private let request: Mutex<GPIOLineRequest?>

    init(_ request: consuming sending GPIOLineRequest) {
        self.request = Mutex(request)
    }

    func take() -> sending GPIOLineRequest? {
        request.withLock { request in
            let taken = request
            request = nil
            return taken
        }
    }
}
#else
private final class OpenedRequest: Sendable {}
#endif
