#if canImport(CGPIOD)
import CGPIOD
#endif
import GPIOEdges
import SpeedDomain
import Testing

@Suite("libgpiod events to edges")
struct GPIOBatchConversionTests {
    typealias Event = GPIOBatchConversion.SequencedEvent

    @Test("rising events become edges on the channel of their line, in order")
    func channels() {
        let events = [
            Event(timestampNs: 100, lineOffset: 17, globalSeqno: 1),
            Event(timestampNs: 150, lineOffset: 27, globalSeqno: 2),
            Event(timestampNs: 200, lineOffset: 17, globalSeqno: 3, isRising: false),
            Event(timestampNs: 250, lineOffset: 5, globalSeqno: 4),
            Event(timestampNs: 300, lineOffset: 27, globalSeqno: 5),
        ]
        var tracker = GPIOBatchConversion.SequenceTracker()
        var edges: [Edge] = []
        let dropped = events.withUnsafeBufferPointer {
            GPIOBatchConversion.appendRisingEdges($0, channelOffsets: [17, 27], tracker: &tracker, to: &edges)
        }
        #expect(dropped == 0)
        #expect(edges == [
            Edge(timestampNs: 100, channel: 0), Edge(timestampNs: 150, channel: 1), Edge(timestampNs: 300, channel: 1),
        ])
    }

    @Test("gaps in sequence numbers count as dropped, across reads too")
    func drops() {
        var tracker = GPIOBatchConversion.SequenceTracker()
        var edges: [Edge] = []
        let first = [Event(timestampNs: 1, lineOffset: 0, globalSeqno: 3), Event(timestampNs: 2, lineOffset: 0, globalSeqno: 4)]
        let second = [Event(timestampNs: 9, lineOffset: 0, globalSeqno: 10), Event(timestampNs: 10, lineOffset: 0, globalSeqno: 11)]
        let lostFirst = first.withUnsafeBufferPointer {
            GPIOBatchConversion.appendRisingEdges($0, channelOffsets: [0], tracker: &tracker, to: &edges)
        }
        let lostSecond = second.withUnsafeBufferPointer {
            GPIOBatchConversion.appendRisingEdges($0, channelOffsets: [0], tracker: &tracker, to: &edges)
        }
        #expect(lostFirst == 2)
        #expect(lostSecond == 5)
        #expect(tracker.totalDropped == 7)
        #expect(edges.count == 4)
    }

    #if canImport(CGPIOD) && !GPIOD_V2
    @Test("v1 events: timespec to ns, falling events skipped")
    func v1Events() {
        func event(_ sec: Int, _ nsec: Int, _ type: Int) -> gpiod_line_event {
            gpiod_line_event(ts: timespec(tv_sec: sec, tv_nsec: nsec), event_type: Int32(type))
        }
        let events = [
            event(12, 999_999_999, Int(GPIOD_LINE_EVENT_RISING_EDGE)),
            event(13, 5, Int(GPIOD_LINE_EVENT_FALLING_EDGE)),
            event(13, 138_889, Int(GPIOD_LINE_EVENT_RISING_EDGE)),
        ]
        var edges: [Edge] = []
        let appended = events.withUnsafeBufferPointer {
            GPIOBatchConversion.appendRisingEdges($0, channel: 1, to: &edges)
        }
        #expect(appended == 2)
        #expect(edges == [Edge(timestampNs: 12_999_999_999, channel: 1), Edge(timestampNs: 13_000_138_889, channel: 1)])
    }
    #endif
}
