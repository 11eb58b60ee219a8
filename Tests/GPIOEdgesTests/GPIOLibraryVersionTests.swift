import GPIOEdges
import Testing

@Suite("Which libgpiod a build accepts")
struct GPIOLibraryVersionTests {
    @Test("version strings parse", arguments: [
        ("1.6.3", GPIOLibraryVersion(major: 1, minor: 6, patch: 3)),
        ("v2.0.2", GPIOLibraryVersion(major: 2, minor: 0, patch: 2)),
        ("2.1", GPIOLibraryVersion(major: 2, minor: 1, patch: 0)),
        ("2.2-rc1", GPIOLibraryVersion(major: 2, minor: 2, patch: 0)),
    ])
    func parses(text: String, version: GPIOLibraryVersion) {
        #expect(GPIOLibraryVersion(parsing: text) == version)
    }

    @Test("a v1 build accepts 1.5 and later 1.x")
    func v1Accepts() throws {
        try GPIOLibraryVersion.check(runtime: "1.6.3", buildMajor: 1, chip: "/dev/gpiochip0")
        try GPIOLibraryVersion.check(runtime: "1.5", buildMajor: 1, chip: "/dev/gpiochip0")
    }

    @Test("the wrong library is a clear error naming both versions", arguments: [
        ("1.4.2", 1, "1.4.2"), ("2.1.3", 1, "2.1.3"), ("1.6.3", 2, "1.6.3"), ("garbage", 1, "garbage"),
    ])
    func wrongVersion(runtime: String, buildMajor: Int, named: String) {
        do {
            try GPIOLibraryVersion.check(runtime: runtime, buildMajor: buildMajor, chip: "/dev/gpiochip0")
            Issue.record("libgpiod \(runtime) accepted by a \(buildMajor).x build")
        } catch {
            #expect(error.code == .wrongLibraryVersion)
            #expect(error.description.contains(named))
            #expect(error.description.contains("\(buildMajor).x"))
        }
    }

    #if canImport(CGPIOD)
    @Test("the library loaded here is one this build accepts")
    func runtimeAccepted() throws {
        let text = try #require(GPIOLibraryVersion.runtimeString)
        #expect(GPIOLibraryVersion(parsing: text)?.major == GPIOLibraryVersion.buildMajor)
        try GPIOLibraryVersion.checkRuntime(chip: "/dev/gpiochip0")
    }
    #endif
}
