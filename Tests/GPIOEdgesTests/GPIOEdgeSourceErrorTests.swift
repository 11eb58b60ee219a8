import GPIOEdges
import SpeedDomain
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What can be checked without a GPIO kernel: the errors for a chip that is
/// not there or not a GPIO chip. The real-kernel cases (busy, permission,
/// line not found) run in the qemu gpio-sim test, Hardware/hil.
@Suite("Opening pins that cannot be opened")
struct GPIOEdgeSourceErrorTests {
    let hb100 = SensorKind.doppler(carrierHz: Doppler.hb100CarrierHz)

    @Test("a chip that does not exist names the chip, the call and ENOENT")
    func missingChip() {
        let settings = GPIOSettings(chip: .name("gpiochip87"), lines: [.offset(17)])
        do {
            _ = try GPIOEdgeSource(settings: settings, kind: hb100)
            Issue.record("opened a chip that does not exist")
        } catch {
            #expect(error.code == .chipNotFound)
            #expect(error.chip == "/dev/gpiochip87")
            #expect(error.call == "gpiod_chip_open")
            #if canImport(Glibc)
            #expect(error.errno == ENOENT)
            #endif
            #expect(error.description.contains("/dev/gpiochip87"))
            #expect(error.description.contains("No such file or directory"))
        }
    }

    @Test("a file that is not a GPIO chip says so")
    func notAChip() {
        let settings = GPIOSettings(chip: .path("/dev/null"), lines: [.offset(0)])
        do {
            _ = try GPIOEdgeSource(settings: settings, kind: hb100)
            Issue.record("opened /dev/null as a GPIO chip")
        } catch {
            #expect(error.code == .notAGPIOChip)
            #expect(error.description.contains("/dev/null"))
        }
    }

    @Test("the sensor's channel count must match the lines")
    func channelMismatch() {
        let settings = GPIOSettings(chip: .name("gpiochip0"), lines: [.offset(17)])
        do {
            _ = try GPIOEdgeSource(settings: settings, kind: .dopplerQuadrature(carrierHz: Doppler.k24CarrierHz))
            Issue.record("a one-line table opened for an I/Q sensor")
        } catch {
            #expect(error.code == .invalidSettings)
            #expect(error.description.contains("2 line(s)"))
        }
    }

    @Test("error text carries chip, line, call and errno")
    func description() {
        let error = GPIOError(.lineBusy, chip: "/dev/gpiochip0", line: "line 17", call: "gpiod_line_request",
                              errno: 16, detail: "in use")
        #expect(error.description.hasPrefix("gpio /dev/gpiochip0 line 17: line busy: in use (gpiod_line_request: errno 16"))
    }
}
