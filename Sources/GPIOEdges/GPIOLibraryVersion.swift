#if canImport(CGPIOD)
internal import CGPIOD
#endif

/// The libgpiod version this build was compiled for and the one loaded at run
/// time. libgpiod 1.x (bookworm) and 2.x (trixie) are different APIs; the build
/// picks one from pkg-config, and start-up refuses a library it cannot use.
public struct GPIOLibraryVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int

    public init(major: Int, minor: Int, patch: Int = 0) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Reads `1.6.3`, `2.1`, `v2.0.2` or `2.2-rc1`; nil when there is no major.minor.
    public init?(parsing text: String) {
        var body = Substring(text)
        if body.first == "v" { body = body.dropFirst() }
        let numbers = body.split(separator: ".").map { part in Int(part.prefix { $0.isNumber }) }
        guard numbers.count >= 2, let major = numbers[0], let minor = numbers[1] else { return nil }
        self.init(major: major, minor: minor, patch: numbers.count > 2 ? numbers[2] ?? 0 : 0)
    }

    public var description: String { "\(major).\(minor).\(patch)" }

    public static func < (a: Self, b: Self) -> Bool {
        (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
    }

    /// The API major this build compiled (1 or 2).
    public static var buildMajor: Int {
        #if GPIOD_V2
        return 2
        #else
        return 1
        #endif
    }

    /// The oldest library a build of `major` accepts: 1.5 brought bias flags
    /// to the v1 API; 2.0 is the first v2.
    public static func minimum(forBuildMajor major: Int) -> GPIOLibraryVersion {
        major >= 2 ? GPIOLibraryVersion(major: 2, minor: 0) : GPIOLibraryVersion(major: 1, minor: 5)
    }

    /// Checks a run-time version string against the API this build uses.
    /// - Throws: `GPIOError` `.wrongLibraryVersion` naming both versions.
    public static func check(
        runtime text: String, buildMajor: Int = buildMajor, chip: String
    ) throws(GPIOError) {
        let minimum = minimum(forBuildMajor: buildMajor)
        guard let version = GPIOLibraryVersion(parsing: text) else {
            throw GPIOError(
                .wrongLibraryVersion, chip: chip,
                detail: "cannot read the libgpiod version \"\(text)\"; this build needs \(minimum) or later \(buildMajor).x")
        }
        guard version.major == buildMajor, version >= minimum else {
            throw GPIOError(
                .wrongLibraryVersion, chip: chip,
                detail: "libgpiod \(version) is loaded but this build was compiled for the \(buildMajor).x API"
                    + " (\(minimum) or later); rebuild on this system (swift package purge-cache; swift build)")
        }
    }

    /// The version string of the library loaded at run time, or nil without libgpiod.
    public static var runtimeString: String? {
        #if canImport(CGPIOD)
        return String(cString: sw_gpiod_version_string())
        #else
        return nil
        #endif
    }

    /// Checks the loaded library and that the C headers match the Swift code path.
    /// - Throws: `GPIOError` `.wrongLibraryVersion` or `.unsupportedPlatform`.
    public static func checkRuntime(chip: String) throws(GPIOError) {
        #if canImport(CGPIOD)
        let headersMajor = sw_gpiod_headers_are_v2() != 0 ? 2 : 1
        guard headersMajor == buildMajor else {
            throw GPIOError(
                .wrongLibraryVersion, chip: chip,
                detail: "gpiod.h is the \(headersMajor).x API but the build chose \(buildMajor).x; remove .build and rebuild")
        }
        try check(runtime: runtimeString ?? "", chip: chip)
        #else
        throw GPIOError(.unsupportedPlatform, chip: chip, detail: "the GPIO backend needs Linux with libgpiod")
        #endif
    }
}
