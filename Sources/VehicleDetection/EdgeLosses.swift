import SpeedDomain

/// Where a source lost edges, so that exactly the readings whose pass spans a
/// loss carry `.edgesDropped`: a reading made wholly from edges before or
/// after a loss is as good as any other, while one across it may have a
/// missed period, a wrong pairing or a pass cut in two.
struct EdgeLosses: Sendable {
    /// Each loss lies between the last edge seen before it and the first after it, ns.
    private var spans: [(afterNs: UInt64, beforeNs: UInt64)] = []

    /// Whether the last loss still waits for its first edge after it.
    private var awaitsNextEdge = false

    /// Takes what a batch tells of losses: a loss before its first edge
    /// (after `lastEdgeNs`, the last edge of the batches before), or the
    /// first edge after a loss that an empty batch reported.
    mutating func observe(_ batch: EdgeBatch, lastEdgeNs: UInt64?) {
        if batch.droppedBefore > 0 {
            record(afterNs: lastEdgeNs, beforeNs: batch.edges.first?.timestampNs)
        } else if let first = batch.edges.first {
            close(atNs: first.timestampNs)
        }
    }

    /// Records a loss between `afterNs` (the last edge before it, if any) and
    /// `beforeNs` (the first edge after it; nil when the batch was empty, and
    /// then given by `close(atNs:)`).
    mutating func record(afterNs: UInt64?, beforeNs: UInt64?) {
        if awaitsNextEdge {
            // Another loss before any edge came: the open span reaches to the next edge.
            if let beforeNs { close(atNs: beforeNs) }
            return
        }
        spans.append((afterNs ?? 0, beforeNs ?? .max))
        awaitsNextEdge = beforeNs == nil
    }

    /// Ends the open loss at the first edge seen after it.
    mutating func close(atNs ns: UInt64) {
        guard awaitsNextEdge, let last = spans.indices.last else { return }
        spans[last].beforeNs = ns
        awaitsNextEdge = false
    }

    /// Whether a loss falls within `startNs...endNs` widened by `marginNs` each side.
    func touch(startNs: UInt64, endNs: UInt64, marginNs: UInt64) -> Bool {
        let from = startNs > marginNs ? startNs - marginNs : 0
        let to = endNs &+ marginNs
        return spans.contains { $0.afterNs <= to && $0.beforeNs >= from }
    }

    /// Forgets losses that ended before `ns`: no pass still to be reported can reach back to them.
    mutating func forget(endedBefore ns: UInt64) {
        spans.removeAll { $0.beforeNs < ns }
    }
}
