import ArgumentParser
import SessionBundle

/// `sid keygen`: makes the device's Ed25519 key that signs its session bundles.
struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make the device's Ed25519 signing key for session bundles.",
        discussion: "Writes the private key (mode 0600) to --key and the public key beside it as KEY.pub; register the .pub with 'collector devices add DEVICE --key KEY.pub'. Refuses to overwrite an existing key.")

    @Option(help: "Where to write the private key.") var key = "device.key"

    func run() throws {
        try DeviceKey.generate().save(to: key)
        print("wrote \(key) (private) and \(key).pub (public); register it with: collector devices add DEVICE-ID --key \(key).pub")
    }
}
