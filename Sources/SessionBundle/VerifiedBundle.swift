import SpeedDomain

/// A bundle that parsed, matched its hash and verified against its device's key.
public struct VerifiedBundle: Sendable, Hashable {
    public var bundle: SessionBundle
    /// SHA-256 of the content, lower-case hex: what makes a re-upload recognisable.
    public var sha256: String
    /// The file it came from.
    public var file: String
}

/// Bounds outside which a reading is impossible rather than merely fast: such a
/// reading refuses the whole bundle, naming its line and field.
public enum ReadingBounds {
    /// The fastest plausible vehicle at a roadside site, mph.
    public static let maximumMph = 200.0

    /// Nil when plausible, else why not.
    public static func problem(speedMph: Double) -> String? {
        guard speedMph.isFinite else { return "not a number" }
        if speedMph <= 0 { return "speed \(speedMph) mph is not positive" }
        if speedMph > maximumMph { return "speed \(speedMph) mph is over the plausible maximum of \(Int(maximumMph)) mph" }
        return nil
    }
}
