#if canImport(CGPIOD) && !GPIOD_V2
package import CGPIOD
#endif
public import SpeedDomain

/// Turning what libgpiod hands back into `Edge` values: the per-event work of
/// the read path, kept apart from the C calls so it can be tested and
/// benchmarked (`gpio-bench`) on any machine.
public enum GPIOBatchConversion {
    /// An edge event as libgpiod 2.x reports it, copied out of its opaque buffer.
    public struct SequencedEvent: Sendable, Hashable {
        /// Kernel CLOCK_MONOTONIC time of the edge, ns.
        public var timestampNs: UInt64
        /// The chip offset of the line that saw the edge.
        public var lineOffset: UInt32
        /// The request-wide sequence number (1 for the first event); a gap
        /// means the kernel's buffer overflowed and dropped events.
        public var globalSeqno: UInt64
        public var isRising: Bool

        public init(timestampNs: UInt64, lineOffset: UInt32, globalSeqno: UInt64, isRising: Bool = true) {
            self.timestampNs = timestampNs
            self.lineOffset = lineOffset
            self.globalSeqno = globalSeqno
            self.isRising = isRising
        }
    }

    /// The last sequence number seen, so gaps across reads are counted too.
    public struct SequenceTracker: Sendable, Hashable {
        /// The sequence number of the last event read; 0 before the first.
        public var lastGlobalSeqno: UInt64 = 0
        /// Events the kernel dropped, over the whole request.
        public var totalDropped: UInt64 = 0

        public init() {}

        /// Records `seqno` and returns how many events were skipped before it.
        @inlinable
        public mutating func advance(to seqno: UInt64) -> UInt64 {
            let gap = seqno > lastGlobalSeqno &+ 1 ? seqno - lastGlobalSeqno - 1 : 0
            if seqno > lastGlobalSeqno { lastGlobalSeqno = seqno }
            totalDropped += gap
            return gap
        }
    }

    /// Appends the rising edges among `events` to `edges`, channel from the
    /// line's position in `channelOffsets`, and returns how many events the
    /// sequence numbers say were dropped before or between them.
    /// Events on lines not in `channelOffsets` are not ours and are skipped.
    @inlinable
    public static func appendRisingEdges(
        _ events: UnsafeBufferPointer<SequencedEvent>,
        channelOffsets: [UInt32],
        tracker: inout SequenceTracker,
        to edges: inout [Edge]
    ) -> UInt64 {
        var dropped: UInt64 = 0
        edges.reserveCapacity(edges.count + events.count)
        for event in events {
            dropped += tracker.advance(to: event.globalSeqno)
            guard event.isRising else { continue }
            let channel: UInt8
            if channelOffsets.count == 1 || event.lineOffset == channelOffsets[0] {
                guard event.lineOffset == channelOffsets[0] else { continue }
                channel = 0
            } else if let index = channelOffsets.firstIndex(of: event.lineOffset) {
                channel = UInt8(truncatingIfNeeded: index)
            } else {
                continue
            }
            edges.append(Edge(timestampNs: event.timestampNs, channel: channel))
        }
        return dropped
    }

    #if canImport(CGPIOD) && !GPIOD_V2
    /// Appends the rising edges among libgpiod 1.x events read from one line
    /// (`gpiod_line_event_read_multiple`) to `edges` as `channel`, converting
    /// the kernel's timespec to ns. Returns how many were appended. The v1 API
    /// carries no sequence numbers, so drops cannot be seen here.
    package static func appendRisingEdges(
        _ events: UnsafeBufferPointer<gpiod_line_event>, channel: UInt8, to edges: inout [Edge]
    ) -> Int {
        let before = edges.count
        edges.reserveCapacity(before + events.count)
        let rising = Int32(GPIOD_LINE_EVENT_RISING_EDGE)
        for event in events where event.event_type == rising {
            let ns = UInt64(event.ts.tv_sec) &* 1_000_000_000 &+ UInt64(event.ts.tv_nsec)
            edges.append(Edge(timestampNs: ns, channel: channel))
        }
        return edges.count - before
    }
    #endif
}
