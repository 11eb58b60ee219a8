/// What opening the configured lines found, for `sid doctor`.
public struct GPIOLineReport: Sendable, Hashable {
    /// The kernel's name and label for the chip.
    public var chipName: String
    public var chipLabel: String
    /// The lines' offsets in channel order.
    public var offsets: [UInt32]
}

extension GPIOEdgeSource {
    /// Opens the chip, requests the configured lines for rising edges as
    /// `sid run` would, and releases them at once: proves the chip and lines
    /// exist, are free, and may be opened by this user.
    /// - Throws: the `GPIOError` that `sid run` would meet.
    public static func checkLines(settings: GPIOSettings) throws(GPIOError) -> GPIOLineReport {
        #if canImport(CGPIOD)
        let request = try GPIOLineRequest(settings: settings)
        return GPIOLineReport(chipName: request.chipName, chipLabel: request.chipLabel, offsets: request.offsets)
        #else
        throw GPIOError(.unsupportedPlatform, chip: settings.chip.devicePath,
                        detail: "the GPIO backend needs Linux with libgpiod")
        #endif
    }
}
