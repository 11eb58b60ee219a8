public import SpeedDomain

/// How the Doppler detector decides what is a vehicle. The defaults suit a
/// roadside device aimed along the road at a small angle; each is documented
/// in docs/detector.md.
public struct DopplerConfiguration: Sendable, Hashable, Codable {
    /// The radar's carrier frequency, Hz (10.525e9 for an HB100).
    public var carrierHz: Double
    /// Angle between the beam and the road, degrees. Readings are divided by its
    /// cosine, since the radar sees only the speed component along the beam.
    public var mountingAngleDegrees: Double
    /// Passes slower than this are not vehicles (pedestrians, slow cyclists).
    public var minimumSpeed: Speed
    /// Passes faster than this are impossible and rejected.
    public var maximumSpeed: Speed
    /// Periods in one analysis window.
    public var windowPeriods: Int
    /// A window is locked when the coefficient of variation of its periods,
    /// after trimming the shortest and longest, is at most this. A vehicle's
    /// tone is steady (CV below about 0.2); noise scatters widely (above 0.5).
    public var lockCoefficientOfVariation: Double
    /// A locked window continues a pass when its frequency is within this
    /// fraction of the pass's recent frequency; the cosine sag changes it
    /// slowly, a different vehicle abruptly.
    public var continuityTolerance: Double
    /// A pass ends when its tone falls this fraction below its steady peak:
    /// the cosine sag of a vehicle reaching the sensor.
    public var sagEndFraction: Double
    /// A segment opening this fraction below its plateau and climbing to it is
    /// a receding vehicle emerging beside the sensor (a vehicle in the far lane
    /// enters the beam at about 85–90% of its speed), never part of an earlier one.
    public var riseStartFraction: Double
    /// A long segment (30 windows or more) whose last third's median tone is
    /// this fraction above its first third's is rising too: a receding vehicle.
    public var riseTrendFraction: Double
    /// A pass whose steady tone climbs this fraction above its lowest level is
    /// split where the climb began: an approaching vehicle's tone only sags,
    /// so a climb is a receding vehicle emerging and taking over the comparator.
    public var riseSplitFraction: Double
    /// A pass that opens with a climb and ends in a sag holds a receding and
    /// an approaching vehicle; with no gap to cut at, it is cut where its tone
    /// steps by at least this fraction between the medians of
    /// `stepBlockWindows` windows either side (see `PassTrack.splitAtStep`).
    public var stepSplitFraction: Double
    public var stepBlockWindows: Int
    /// After a sag end, windows no higher than the sag's tone are taken as the
    /// rest of the sag for this long, ns (a vehicle leaves the beam within it).
    public var sagTailNs: UInt64
    /// A pass needs `minimumWindows` windows within this fraction of the
    /// speed it reports (a plateau), so that a sweep (a sag, a wobbling walker)
    /// is not reported as a vehicle.
    public var plateauTolerance: Double
    /// Consecutive consistent windows at a different frequency that end one
    /// pass and start another.
    public var splitAfterWindows: Int
    /// A pass ends when no consistent window has been seen for this long, ns.
    public var holdNs: UInt64
    /// A segment that went quiet is joined with one starting within this time
    /// at a consistent plateau (the same vehicle after a fade), ns.
    public var mergeGapNs: UInt64
    /// Segments of one vehicle's tone are joined when their plateaus agree within this fraction.
    public var joinTolerance: Double
    /// Shortest lock that counts as a pass, ns.
    public var minimumLockNs: UInt64
    /// Fewest locked windows that count as a pass.
    public var minimumWindows: Int
    /// A tone locked for longer than this is stationary interference (a fan,
    /// a lamp), not a passing vehicle, ns.
    public var maximumLockNs: UInt64
    /// Readings below this quality carry `.lowQuality`.
    public var lowQualityBelow: Double
    /// A pass shorter than `fragmentNs` whose quality is below
    /// `fragmentQualityBelow` is a fragment, not a vehicle: the blend where
    /// one vehicle's tone hands over to another's, or a weak tone breaking
    /// up in noise. A vehicle heard even briefly on its own gives a steady,
    /// well-covered tone (quality above 0.9 in the simulator). One-pin passes
    /// only: with I/Q, a pass heard going one way throughout is kept.
    public var fragmentQualityBelow: Double
    public var fragmentNs: UInt64
    /// With I/Q pins: whether Q lagging I by a quarter period means approaching
    /// (true) or receding (false); swap if a module is wired the other way.
    public var quadratureLagMeansApproaching: Bool

    public init(
        carrierHz: Double,
        mountingAngleDegrees: Double = 0,
        minimumSpeed: Speed = .mph(10),
        maximumSpeed: Speed = .mph(150),
        windowPeriods: Int = 8,
        lockCoefficientOfVariation: Double = 0.12,
        continuityTolerance: Double = 0.06,
        sagEndFraction: Double = 0.12,
        riseStartFraction: Double = 0.06,
        riseSplitFraction: Double = 0.08,
        riseTrendFraction: Double = 0.03,
        stepSplitFraction: Double = 0.025,
        stepBlockWindows: Int = 15,
        sagTailNs: UInt64 = 300_000_000,
        plateauTolerance: Double = 0.03,
        splitAfterWindows: Int = 6,
        holdNs: UInt64 = 250_000_000,
        mergeGapNs: UInt64 = 4_000_000_000,
        joinTolerance: Double = 0.04,
        minimumLockNs: UInt64 = 200_000_000,
        minimumWindows: Int = 8,
        maximumLockNs: UInt64 = 60_000_000_000,
        lowQualityBelow: Double = 0.5,
        fragmentQualityBelow: Double = 0.65,
        fragmentNs: UInt64 = 2_000_000_000,
        quadratureLagMeansApproaching: Bool = true
    ) {
        self.carrierHz = carrierHz
        self.mountingAngleDegrees = mountingAngleDegrees
        self.minimumSpeed = minimumSpeed
        self.maximumSpeed = maximumSpeed
        self.windowPeriods = windowPeriods
        self.lockCoefficientOfVariation = lockCoefficientOfVariation
        self.continuityTolerance = continuityTolerance
        self.sagEndFraction = sagEndFraction
        self.riseStartFraction = riseStartFraction
        self.riseSplitFraction = riseSplitFraction
        self.riseTrendFraction = riseTrendFraction
        self.stepSplitFraction = stepSplitFraction
        self.stepBlockWindows = stepBlockWindows
        self.sagTailNs = sagTailNs
        self.plateauTolerance = plateauTolerance
        self.splitAfterWindows = splitAfterWindows
        self.holdNs = holdNs
        self.mergeGapNs = mergeGapNs
        self.joinTolerance = joinTolerance
        self.minimumLockNs = minimumLockNs
        self.minimumWindows = minimumWindows
        self.maximumLockNs = maximumLockNs
        self.lowQualityBelow = lowQualityBelow
        self.fragmentQualityBelow = fragmentQualityBelow
        self.fragmentNs = fragmentNs
        self.quadratureLagMeansApproaching = quadratureLagMeansApproaching
    }

    /// Checks the values make sense together.
    public func validated() throws(DetectorConfigurationError) -> DopplerConfiguration {
        func fail(_ field: String, _ why: String) -> DetectorConfigurationError {
            DetectorConfigurationError(field: field, detail: why)
        }
        guard carrierHz.isFinite, carrierHz > 1e9 else { throw fail("carrier-hz", "must be a radar carrier in Hz, such as 10525000000") }
        guard (0..<80).contains(mountingAngleDegrees) else { throw fail("mounting-angle-deg", "must be at least 0 and under 80 degrees") }
        guard minimumSpeed.metresPerSecond > 0, maximumSpeed > minimumSpeed else { throw fail("minimum-speed-mph", "must be positive and below maximum-speed-mph") }
        guard windowPeriods >= 4, windowPeriods <= 64 else { throw fail("window-periods", "must be 4 to 64") }
        guard lockCoefficientOfVariation > 0, lockCoefficientOfVariation < 0.5 else { throw fail("lock-cv", "must be between 0 and 0.5") }
        guard continuityTolerance > 0, continuityTolerance < 0.5 else { throw fail("continuity-tolerance", "must be between 0 and 0.5") }
        guard stepSplitFraction > 0, stepBlockWindows >= 3 else { throw fail("step-split", "needs a positive fraction and blocks of at least 3 windows") }
        guard splitAfterWindows >= 1, minimumWindows >= 1 else { throw fail("minimum-windows", "must be at least 1") }
        return self
    }

    /// Radial speed (before the angle correction) of a tone.
    @inlinable
    func radialMetresPerSecond(hz: Double) -> Double {
        hz * Doppler.speedOfLight / (2 * carrierHz)
    }
}

/// A detector setting that cannot work, naming the setting.
public struct DetectorConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var detail: String
    public var description: String { "detector setting '\(field)' \(detail)" }
}
