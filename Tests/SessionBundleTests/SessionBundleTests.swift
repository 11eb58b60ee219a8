import Foundation
import SessionBundle
import SpeedDomain
import Testing

@Suite("Session bundle format")
struct SessionBundleTests {
    @Test("a signed bundle reads back identically, readings at full resolution")
    func roundTrip() throws {
        let original = BundleFixtures.bundle(speeds: [18.123456789, 22.25, 31.0, 19.99, 24.0])
        let data = try original.encoded(signingWith: BundleFixtures.key())
        let verified = try BundleFixtures.reader().read(data: data, file: "b.swb")
        #expect(verified.bundle == original)
        #expect(verified.sha256.count == 64)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix("#speedwatch-session-bundle 1\n#meta {"))
        #expect(text.contains("\nmonotonic_ns,speed_mps,first_lock_mps,peak_mps,duration_ns,direction,quality,flags\n"))
    }

    @Test("the same bundle encodes to the same bytes and hash")
    func deterministic() throws {
        let a = try BundleFixtures.bundle().encoded(signingWith: BundleFixtures.key())
        let b = try BundleFixtures.bundle().encoded(signingWith: BundleFixtures.key())
        #expect(a == b)
    }

    @Test("signed by another key: refused as a bad signature naming the line")
    func badSignature() throws {
        let data = try BundleFixtures.bundle().encoded(signingWith: BundleFixtures.otherKey())
        let error = try #require(throws: BundleError.self) { try BundleFixtures.reader().read(data: data, file: "b.swb") }
        #expect(error.isBadSignature)
        #expect(error.line == 10)
        #expect(error.description.contains("b.swb:10"))
    }

    @Test("an unregistered device is refused naming device_id")
    func unknownDevice() throws {
        let data = try BundleFixtures.bundle().encoded(signingWith: BundleFixtures.key())
        let error = try #require(throws: BundleError.self) { try SessionBundleReader(publicKeys: [:]).read(data: data, file: "b.swb") }
        #expect(error.isUnknownDevice)
        #expect(error.field == "device_id")
    }

    @Test("truncated anywhere: a clear truncation or hash error, never a partial bundle", arguments: [10, 200, 400, -60, -1])
    func truncated(cut: Int) throws {
        let data = try BundleFixtures.bundle().encoded(signingWith: BundleFixtures.key())
        let kept = cut > 0 ? data.prefix(cut) : data.dropLast(-cut)
        let error = try #require(throws: BundleError.self) { try BundleFixtures.reader().read(data: Data(kept), file: "t.swb") }
        #expect(error.isTruncated || error.isHashMismatch || error.description.contains("not a SpeedWatch"))
    }

    @Test("a changed reading is caught by the hash")
    func tampered() throws {
        var text = String(decoding: try BundleFixtures.bundle().encoded(signingWith: BundleFixtures.key()), as: UTF8.self)
        text = text.replacingOccurrences(of: ",approaching,", with: ",receding,")
        let error = try #require(throws: BundleError.self) { try BundleFixtures.reader().read(data: Data(text.utf8), file: "x.swb") }
        #expect(error.isHashMismatch)
        #expect(error.field == "sha256")
    }

    @Test("impossible speeds refuse the bundle naming line and field", arguments: [-3.0, 400.0])
    func impossibleSpeed(mph: Double) throws {
        let data = try BundleFixtures.bundle(speeds: [20, 21, mph, 22]).encoded(signingWith: BundleFixtures.key())
        let error = try #require(throws: BundleError.self) { try BundleFixtures.reader().read(data: data, file: "s.swb") }
        #expect(error.isBadRow)
        #expect(error.line == 6)
        #expect(error.field == "speed_mps")
    }

    @Test("keys save and load; an existing key is not overwritten")
    func keyFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("device.key").path
        let key = DeviceKey.generate()
        try key.save(to: path)
        let loaded = try DeviceKey.load(path: path)
        #expect(loaded.publicKeyBase64 == key.publicKeyBase64)
        let pub = try String(contentsOfFile: path + ".pub", encoding: .utf8)
        #expect(try DevicePublicKey(base64: pub) == key.publicKey)
        #expect(throws: BundleError.self) { try key.save(to: path) }
        let perms = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(perms == 0o600)
    }
}
