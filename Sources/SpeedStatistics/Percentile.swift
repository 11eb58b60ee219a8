/// Percentiles of plain samples, the same definition `SpeedHistogram` uses.
public enum Percentile {
    /// Hyndman & Fan type 7 (numpy's default, R's default) of already sorted values.
    /// Nil when `sorted` is empty.
    public static func type7(sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let h = Double(sorted.count - 1) * p
        let j = Int(h.rounded(.down))
        let g = h - Double(j)
        guard j + 1 < sorted.count else { return sorted[j] }
        return sorted[j] + g * (sorted[j + 1] - sorted[j])
    }

    /// Hyndman & Fan type 7 of unsorted values.
    public static func type7(_ values: [Double], _ p: Double) -> Double? {
        type7(sorted: values.sorted(), p)
    }
}
