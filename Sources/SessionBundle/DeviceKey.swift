import Crypto
import FileErrors
import Foundation

/// A device's Ed25519 signing key: the device signs every bundle it exports,
/// and the collector accepts a bundle only if it verifies against the public
/// key registered for that device id.
///
/// On disk the private key is one line of base64 (the 32-byte raw seed), mode
/// 0600; the public key goes beside it as `PATH.pub`, one line of base64.
public struct DeviceKey: Sendable {
    /// The 32-byte seed; the CryptoKit-style key type is not `Sendable`, so it is rebuilt when signing.
    let raw: Data
    /// The public half's raw bytes, derived once when the key is made.
    private let publicRaw: Data

    /// A fresh random key.
    public static func generate() -> DeviceKey { DeviceKey(privateKey: .init()) }

    /// A key from its 32-byte raw representation (tests use a fixed one).
    public init(rawRepresentation: Data) throws(BundleError) {
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: rawRepresentation) else {
            throw .badKey("<raw key>", "not a 32-byte Ed25519 private key")
        }
        self.init(privateKey: key)
    }

    init(privateKey: Curve25519.Signing.PrivateKey) {
        raw = privateKey.rawRepresentation
        publicRaw = privateKey.publicKey.rawRepresentation
    }

    /// The public key as base64, the form `collector devices add` takes.
    public var publicKeyBase64: String { publicKey.base64 }

    /// The public half, to register with the collector.
    public var publicKey: DevicePublicKey { DevicePublicKey(raw: publicRaw) }

    /// Signs `data` (a bundle signs its SHA-256 digest).
    func signature(for data: Data) throws -> Data {
        try Curve25519.Signing.PrivateKey(rawRepresentation: raw).signature(for: data)
    }

    /// Loads a private key written by `save(to:)`.
    public static func load(path: String) throws(BundleError) -> DeviceKey {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch { throw .unreadable(path, "cannot read: \(SystemReason.text(for: error))") }
        guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { throw .badKey(path, "not a base64 Ed25519 private key (expected one line, 32 bytes)") }
        return DeviceKey(privateKey: key)
    }

    /// Writes the private key (mode 0600) to `path` and the public key to `path.pub`.
    /// Refuses to overwrite an existing key, since that would orphan every bundle signed with it.
    /// The private key is created with mode 0600 from the start, never readable by others.
    public func save(to path: String) throws(BundleError) {
        guard !FileManager.default.fileExists(atPath: path) else { throw .unreadable(path, "a key already exists here; refusing to overwrite it") }
        let secret = Array((raw.base64EncodedString() + "\n").utf8)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw .unreadable(path, "cannot write: \(SystemReason.text(errno: errno))") }
        let written = secret.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let code = written < 0 ? errno : EIO
        close(descriptor)
        guard written == secret.count else {
            try? FileManager.default.removeItem(atPath: path)
            throw .unreadable(path, "cannot write: \(SystemReason.text(errno: code))")
        }
        do { try Data((publicKeyBase64 + "\n").utf8).write(to: URL(fileURLWithPath: path + ".pub")) } catch {
            throw .unreadable(path + ".pub", "cannot write: \(SystemReason.text(for: error))")
        }
    }
}

/// A device's Ed25519 public key (32 raw bytes), as the collector registers it.
public struct DevicePublicKey: Sendable, Hashable {
    public let raw: Data

    /// Parses base64 (as in a `.pub` file or the store).
    /// - Throws: `BundleError` when it is not 32 bytes of base64.
    public init(base64: String, file: String = "<public key>") throws(BundleError) {
        guard let raw = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)),
            (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil
        else { throw .badKey(file, "not a base64 Ed25519 public key (32 bytes)") }
        self.raw = raw
    }

    init(raw: Data) { self.raw = raw }

    public var base64: String { raw.base64EncodedString() }

    /// Whether `signature` signs `data` under this key.
    func isValidSignature(_ signature: Data, for data: Data) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
        return key.isValidSignature(signature, for: data)
    }
}
