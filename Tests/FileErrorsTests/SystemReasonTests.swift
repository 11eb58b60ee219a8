import FileErrors
import Foundation
import Testing

/// The reason a person is shown when a file cannot be read or written.
@Suite("system reason for a file error")
struct SystemReasonTests {
    /// A directory of its own, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("system-reason-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("reading a file that does not exist gives the system's words, not Foundation's")
    func missingFile() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("x.swb")
        let dataError = #expect(throws: (any Error).self) { try Data(contentsOf: missing) }
        let textError = #expect(throws: (any Error).self) { try String(contentsOfFile: missing.path, encoding: .utf8) }
        #expect(SystemReason.text(for: try #require(dataError)) == "No such file or directory")
        #expect(SystemReason.text(for: try #require(textError)) == "No such file or directory")
    }

    @Test("writing into a directory that does not exist gives the system's words")
    func missingDirectory() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = #expect(throws: (any Error).self) {
            try "x".write(toFile: dir.appendingPathComponent("no-such-dir/r.json").path, atomically: true, encoding: .utf8)
        }
        #expect(SystemReason.text(for: try #require(error)) == "No such file or directory")
    }

    @Test("a POSIX error is given as strerror words, and errno values too")
    func posix() {
        #expect(SystemReason.text(for: POSIXError(.EACCES)) == "Permission denied")
        #expect(SystemReason.text(errno: EISDIR) == "Is a directory")
    }

    @Test("a text file that is not UTF-8 says so")
    func notUTF8() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("key.pub")
        try Data([0xFF, 0xFE, 0x00, 0xC3]).write(to: file)
        let error = #expect(throws: (any Error).self) { try String(contentsOfFile: file.path, encoding: .utf8) }
        #expect(SystemReason.text(for: try #require(error)) == "not UTF-8 text")
    }

    @Test("an error that is not a file error keeps its own description")
    func otherError() {
        struct Refused: Error, CustomStringConvertible { var description: String { "refused" } }
        #expect(SystemReason.text(for: Refused()) == "refused")
    }
}
