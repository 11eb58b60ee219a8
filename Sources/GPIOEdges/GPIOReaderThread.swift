#if canImport(CGPIOD)
internal import CGPIOD
internal import Glibc
import SpeedDomain
import Synchronization

/// The dedicated thread that blocks in `poll(2)` on a request's event file
/// descriptors, reads what is ready, and yields one `EdgeBatch` per wake-up.
/// A wake-up eventfd, written when the stream terminates, ends it.
///
/// When the line stays quiet for `quietTickMs`, the wait times out and the
/// thread yields an empty batch whose `observedUntilNs` vouches that no edge
/// happened before "now − `vouchMarginNs`", so the detector can close a pass
/// without waiting for the next vehicle. The margin covers an edge whose
/// interrupt was timestamped but not yet queued when the clock was read.
enum GPIOReaderThread {
    static let quietTickMs: Int32 = 200
    static let vouchMarginNs: UInt64 = 20_000_000
    typealias Continuation = AsyncThrowingStream<EdgeBatch, any Error>.Continuation

    /// Starts the thread; it owns `request` from here on.
    /// - Throws: `GPIOError` `.threadFailed` when the eventfd or the thread cannot be made.
    static func start(request: sending GPIOLineRequest, continuation: Continuation) throws(GPIOError) {
        let chip = request.settings.chip.devicePath
        let wakeFD = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        guard wakeFD >= 0 else {
            throw GPIOError(.threadFailed, chip: chip, call: "eventfd", errno: Glibc.errno,
                            detail: "cannot make the reader's wake-up eventfd")
        }
        let wake = WakeFD(wakeFD)
        continuation.onTermination = { _ in wake.signal() }

        let body = ThreadBody {
            run(request: request, wake: wake, continuation: continuation)
        }
        let context = Unmanaged.passRetained(body).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { context in
            Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
            continuation.onTermination = nil
            wake.close()
            throw GPIOError(.threadFailed, chip: chip, call: "pthread_create", errno: status,
                            detail: "cannot start the GPIO reader thread")
        }
        pthread_detach(thread)
    }

    private static func run(request: GPIOLineRequest, wake: WakeFD, continuation: Continuation) {
        defer { wake.close() }
        let lineCount = request.pollFDs.count
        var fds = request.pollFDs.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        fds.append(pollfd(fd: wake.fd, events: Int16(POLLIN), revents: 0))
        var edges: [Edge] = []
        edges.reserveCapacity(1024)
        /// Events lost before the next batch: kernel drops seen by sequence
        /// numbers, plus edges of batches the stream's buffer refused.
        var pendingDropped: UInt64 = 0
        var lastEdgeNs: UInt64 = 0
        do throws(GPIOError) {
            while true {
                let ready = poll(&fds, nfds_t(fds.count), quietTickMs)
                if ready < 0 {
                    if Glibc.errno == EINTR { continue }
                    throw GPIOError(.readFailed, chip: request.settings.chip.devicePath, call: "poll",
                                    errno: Glibc.errno, detail: "waiting for edge events failed")
                }
                if ready == 0 {
                    var now = timespec()
                    clock_gettime(CLOCK_MONOTONIC, &now)
                    let nowNs = UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
                    guard nowNs > vouchMarginNs, nowNs - vouchMarginNs > lastEdgeNs else { continue }
                    let quiet = EdgeBatch(edges: [], droppedBefore: pendingDropped, observedUntilNs: nowNs - vouchMarginNs)
                    if case .enqueued = continuation.yield(quiet) { pendingDropped = 0 }
                    continue
                }
                if fds[lineCount].revents != 0 { return }
                edges.removeAll(keepingCapacity: true)
                for channel in 0..<lineCount where fds[channel].revents != 0 {
                    pendingDropped += try request.readEvents(channel: channel, into: &edges)
                }
                if lineCount > 1 { edges.sort { $0.timestampNs < $1.timestampNs } }
                if edges.isEmpty && pendingDropped == 0 { continue }
                if let last = edges.last { lastEdgeNs = max(lastEdgeNs, last.timestampNs) }
                switch continuation.yield(EdgeBatch(edges: edges, droppedBefore: pendingDropped)) {
                case .enqueued:
                    pendingDropped = 0
                case .dropped(let batch):
                    pendingDropped = batch.droppedBefore + UInt64(batch.edges.count)
                case .terminated:
                    return
                @unknown default:
                    return
                }
            }
        } catch {
            continuation.finish(throwing: error)
        }
    }
}

/// A closure to run on a new thread, passed through pthread's context pointer.
private final class ThreadBody {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}

/// The reader's wake-up eventfd. Closing and signalling take the same lock,
/// so a late signal never writes to a number the process has since reused.
private final class WakeFD: Sendable {
    let fd: Int32
    private let open = Mutex(true)

    init(_ fd: Int32) { self.fd = fd }

    func signal() {
        open.withLock { open in
            guard open else { return }
            var one: UInt64 = 1
            _ = write(fd, &one, MemoryLayout<UInt64>.size)
        }
    }

    func close() {
        open.withLock { open in
            guard open else { return }
            open = false
            _ = Glibc.close(fd)
        }
    }
}
#endif
