import DeviceStore
import Foundation
import Testing

/// `sid doctor`'s store check, run through the built executable.
@Suite("sid doctor", .serialized)
struct SIDDoctorTests {
    @Test("a sound store passes the store check; a file that is no database fails it")
    func storeCheck() async throws {
        let directory = try SIDCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try DeviceStore(path: directory.appendingPathComponent("s.sqlite").path)
        let sound = try await SIDCommandTests.run(["doctor", "--store", "s.sqlite"], in: directory)
        let soundLine = sound.output.split(separator: "\n").first { $0.contains("] store ") }
        #expect(soundLine?.hasPrefix("[ok] store") == true, "\(sound.output)")
        #expect(soundLine?.hasSuffix("s.sqlite: integrity ok, 0 open session(s)") == true, "\(sound.output)")

        try String(repeating: "not a database\n", count: 400).write(
            to: directory.appendingPathComponent("junk.sqlite"), atomically: true, encoding: .utf8)
        let junk = try await SIDCommandTests.run(["doctor", "--store", "junk.sqlite"], in: directory)
        let junkLine = junk.output.split(separator: "\n").first { $0.contains("] store ") }
        #expect(junkLine?.hasPrefix("[FAIL] store") == true, "\(junk.output)")
        #expect(junkLine?.hasSuffix(" junk.sqlite is not a device store (not an SQLite database)") == true, "\(junk.output)")
        #expect(junk.status == 1)
    }
}
