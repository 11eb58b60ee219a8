import DeviceHealth
import GPIOEdges
import Testing

@Suite("sid doctor's checks on this machine")
struct DeviceDoctorTests {
    @Test("a missing chip fails the chip check and names the chip")
    func missingChip() {
        let checks = DeviceDoctor.gpioChecks(GPIOSettings(chip: .name("gpiochip86"), lines: [.offset(3)]))
        let chip = checks.first { $0.name == "gpio chip" }
        #expect(chip?.status == .failed)
        #expect(chip?.detail.contains("/dev/gpiochip86") == true)
        #expect(checks.first { $0.name == "libgpiod" }?.status == .ok)
    }

    @Test("free disk: a real directory reports MiB free; a missing one fails")
    func freeDisk() {
        let root = DeviceDoctor.freeDisk(at: "/")
        #expect(root.status != .failed || root.detail.contains("MiB"))
        #expect(root.detail.contains("MiB free"))
        let missing = DeviceDoctor.freeDisk(at: "/no/such/store/dir")
        #expect(missing.status == .failed)
        #expect(missing.detail.contains("/no/such/store/dir"))
        #expect(missing.detail.contains("errno"))
    }

    @Test("the clock and wall-time checks say what they found")
    func clocks() {
        #expect(DeviceDoctor.clockSource().detail.contains("CLOCK_MONOTONIC"))
        let wall = DeviceDoctor.wallTime()
        #expect(wall.status != .failed)
        #expect(wall.detail.contains("synchronised"))
    }

    @Test("the store check supplied by the caller is included, and a device without [gpio] skips GPIO")
    func storeCheck() {
        let checks = DeviceDoctor.run(gpio: nil, storeDirectory: "/") {
            HealthCheck("store", .failed, "integrity_check: page 7 corrupt")
        }
        #expect(!checks.contains { $0.name.hasPrefix("gpio") })
        #expect(checks.last == HealthCheck("store", .failed, "integrity_check: page 7 corrupt"))
        #expect(checks.last?.description == "[FAIL] store          integrity_check: page 7 corrupt")
    }
}
