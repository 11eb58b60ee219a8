import DeviceRuntime
import GPIOEdges
import SpeedDomain
import TOMLSupport
import Testing

@Suite("The configuration's [gpio] table and the gpio backend")
struct GPIOConfigurationTests {
    static let base = """
        device-id = "sid-0001"
        store = "/var/lib/sid/sid.sqlite"

        [site]
        id = "HIGH-ST-N"
        limit = 20
        unit = "mph"

        [sensor]
        kind = "doppler-iq"
        carrier-hz = 24125000000

        [detector]
        mounting-angle-deg = 10

        """

    @Test("a [gpio] table is read into GPIOSettings")
    func reads() throws {
        let configuration = try DeviceConfiguration.parse(Self.base + """
            [gpio]
            chip = "gpiochip4"
            lines = ["GPIO17", "GPIO27"]
            bias = "pull-up"
            active-low = true
            """)
        #expect(configuration.gpio == GPIOSettings(
            chip: .name("gpiochip4"), lines: [.name("GPIO17"), .name("GPIO27")], bias: .pullUp, activeLow: true))
    }

    @Test("no [gpio] table is fine for simulator and replay devices")
    func absent() throws {
        #expect(try DeviceConfiguration.parse(Self.base).gpio == nil)
    }

    @Test("lines that do not match the sensor's channels name the field", arguments: [
        "[gpio]\nchip = 0\nlines = [17]",
        "[gpio]\nchip = 0\nlines = [17, 17]",
    ])
    func mismatch(table: String) {
        do {
            _ = try DeviceConfiguration.parse(Self.base + table)
            Issue.record("accepted \(table)")
        } catch {
            #expect(error.field?.hasPrefix("gpio") == true)
        }
    }

    @Test("a misspelled [gpio] setting is refused, naming it")
    func misspelled() {
        do {
            _ = try DeviceConfiguration.parse(Self.base + "[gpio]\nchip = 0\nlines = [17, 27]\nactivelow = true")
            Issue.record("accepted gpio.activelow")
        } catch {
            #expect(error.field == "gpio.activelow")
        }
    }

    @Test("the gpio backend on a chip that is not there is a GPIOError naming it")
    func missingChip() {
        let backend = Backend.gpio(
            GPIOSettings(chip: .path("/dev/gpiochip93"), lines: [.offset(17)]),
            kind: .doppler(carrierHz: Doppler.hb100CarrierHz))
        #expect {
            _ = try backend.makeSource()
        } throws: { error in
            (error as? GPIOError)?.code == .chipNotFound && "\(error)".contains("/dev/gpiochip93")
        }
    }
}
