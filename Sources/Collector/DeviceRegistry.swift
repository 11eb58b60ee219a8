import CollectorStore
import SessionBundle

/// Registered device keys: a bundle is accepted only if it verifies against its device's key.
public struct DeviceRegistry: Sendable {
    public let store: any CollectorStorage

    public init(store: any CollectorStorage) { self.store = store }

    /// Registers `publicKey` (base64, as in a `.pub` file) for device `id`.
    /// - Throws: `ImportError` naming `file` when the key is malformed, or when the id has another key.
    public func register(id: String, publicKey: String, file: String) throws(ImportError) {
        let key: DevicePublicKey
        do { key = try DevicePublicKey(base64: publicKey, file: file) } catch { throw ImportError(file: file, detail: error.detail) }
        do { try store.registerDevice(id: id, publicKeyBase64: key.base64) } catch { throw ImportError(file: file, detail: error.detail) }
    }
}
