import Foundation
import SpeedDomain

/// Turns a finished pass into a reading, or rejects it.
///
/// The reported speed is taken from the pass's upper plateau: the cosine
/// effect only ever lowers a reading (most as the vehicle nears the sensor),
/// while wheel tops raise single windows. A high quantile of the window
/// speeds marks where the plateau is; but a high quantile of noisy windows is
/// itself biased upwards, so the speed reported is the median of the windows
/// within `plateauBand` below that mark and above it — the plateau without
/// the sag. It is then divided by the cosine of the mounting angle. A pass
/// too short to hold a plateau is read at its steady peak instead
/// (`shortPassNs`).
struct PassEstimator {
    let configuration: DopplerConfiguration

    /// The quantile of window speeds that marks the plateau (see the type's documentation).
    static let plateauQuantile = 0.8
    /// The mark for a pass that opens with a rise (`PassTrack.startsWithRise`,
    /// a receding vehicle): its cosine grows all through the pass, so its
    /// windows lie below its speed until the end, and the 0.8 mark's plateau
    /// read receding vehicles 0.25 mph low on average.
    static let risingPlateauQuantile = 0.9
    /// How far below the mark a window still belongs to the plateau.
    static let plateauBand = 0.05
    /// A pass shorter than this (a receding vehicle heard only while its
    /// cosine was still growing, cut off by a stronger return; or an
    /// approaching one heard only as it sagged) holds no plateau: when its
    /// steady peak (`runningMedianMaximum`) lies more than
    /// `shortPassPeakMargin` above the plateau estimate, the peak is reported
    /// and the reading flagged `.peakOnly`.
    static let shortPassNs: UInt64 = 600_000_000
    static let shortPassPeakMargin = 0.01

    func reading(for pass: PassTrack, edgesDropped: Bool) -> Reading? {
        let windows = pass.windows
        guard windows.count >= configuration.minimumWindows,
            pass.durationNs >= configuration.minimumLockNs,
            pass.durationNs <= configuration.maximumLockNs
        else { return nil }

        let angleCorrection = 1 / cos(configuration.mountingAngleDegrees * .pi / 180)
        func speed(hz: Double) -> Speed {
            Speed(metresPerSecond: configuration.radialMetresPerSecond(hz: hz) * angleCorrection)
        }

        let frequencies = windows.map(\.frequencyHz)
        let sorted = frequencies.sorted()
        let plateauHz = Self.plateauHz(sorted, mark: Self.plateauQuantile)
        // A receding vehicle's tone climbs all through its pass and is true only
        // at its end (unless the pass ended in a sag: an approaching vehicle's tone took it over).
        let rising = pass.startsWithRise(configuration)
        let estimateHz = rising && pass.end != .reachedSensor ? Self.plateauHz(sorted, mark: Self.risingPlateauQuantile) : plateauHz
        let onPlateau = frequencies.reduce(0) { $0 + (abs($1 / plateauHz - 1) <= configuration.plateauTolerance ? 1 : 0) }
        guard onPlateau >= configuration.minimumWindows else { return nil }

        let firstLockHz = Self.quantile(Array(frequencies.prefix(3)).sorted(), 0.5)
        let peakHz = Self.runningMedianMaximum(frequencies)
        // Too short to have reached a plateau: still climbing or already sagging.
        let fromPeak = pass.durationNs < Self.shortPassNs && peakHz > estimateHz * (1 + Self.shortPassPeakMargin)
        let reported = speed(hz: fromPeak ? peakHz : estimateHz)
        // The floor is tested on the plateau: a peak does not lift a walker or a slow rider over it.
        guard speed(hz: plateauHz) >= configuration.minimumSpeed, reported <= configuration.maximumSpeed else { return nil }

        var flags: ReadingFlags = []
        if fromPeak { flags.insert(.peakOnly) }
        if edgesDropped { flags.insert(.edgesDropped) }
        if pass.handedOver { flags.insert(.overlapping) }
        if pass.end == .reachedSensor { flags.insert(.sagAtEnd) }
        if rising { flags.insert(.riseAtStart) }
        let quality = Self.quality(of: pass, windowDurationNs: Double(pass.durationNs) / Double(windows.count))
        // With I/Q, a pass heard going one way throughout is one target's; the test is for one-pin passes.
        let direction = pass.direction(lagMeansApproaching: configuration.quadratureLagMeansApproaching)
        guard quality >= configuration.fragmentQualityBelow || pass.durationNs >= configuration.fragmentNs || direction != .unknown else { return nil }
        if quality < configuration.lowQualityBelow { flags.insert(.lowQuality) }

        return Reading(
            monotonicNs: pass.lastConsistentEndNs,
            speed: reported,
            firstLockSpeed: speed(hz: firstLockHz),
            peakSpeed: speed(hz: peakHz),
            durationNs: pass.durationNs,
            direction: direction,
            quality: quality,
            flags: flags
        )
    }

    /// 0 to 1: how much of the pass was locked, how steady, and how long.
    static func quality(of pass: PassTrack, windowDurationNs: Double) -> Double {
        let windows = pass.windows
        let coverage = pass.coverage
        let meanCV = windows.reduce(0.0) { $0 + $1.coefficientOfVariation } / Double(windows.count)
        let steadiness = max(0, 1 - meanCV / 0.2)
        let length = min(1, Double(pass.durationNs) / 400_000_000)
        return (coverage * 0.4 + steadiness * 0.3 + length * 0.3).clamped(to: 0...1)
    }

    /// The median of the windows (sorted) within `plateauBand` below the
    /// `mark` quantile and above it.
    static func plateauHz(_ sorted: [Double], mark: Double) -> Double {
        let markHz = quantile(sorted, mark)
        return quantile(Array(sorted.drop { $0 < markHz * (1 - plateauBand) }), 0.5)
    }

    /// Type-7 quantile of sorted values.
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        precondition(!sorted.isEmpty)
        let h = Double(sorted.count - 1) * p
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
    }

    /// The largest three-window running median: the highest steady tone reported as the peak.
    static func runningMedianMaximum(_ values: [Double]) -> Double {
        guard values.count >= 3 else { return values.max() ?? 0 }
        var best = -Double.infinity
        for i in 2..<values.count {
            let a = values[i - 2], b = values[i - 1], c = values[i]
            best = max(best, max(min(a, b), min(max(a, b), c)))
        }
        return best
    }
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
