public import SpeedDomain

/// Anything that delivers a sensor's rising edges: real pins through libgpiod,
/// the simulator, or a replayed capture file. Everything downstream of this
/// interface is identical whichever backend runs.
///
/// A source delivers edges in time order, in batches (a kernel read returns
/// many at once; batching keeps the per-edge cost of the pipeline low), and
/// reports in each batch how many events it knows it dropped.
public protocol EdgeSource: Sendable {
    /// The sensor behind the edges: kind, carrier, pins, clock.
    var sensor: SensorDescription { get }

    /// Starts the source and returns its batches. The stream finishes when a
    /// finite source (a capture, a simulation) is exhausted, and throws when
    /// reading fails. Cancelling the consuming task stops the source.
    func batches() -> AsyncThrowingStream<EdgeBatch, any Error>
}
