import GPIOEdges
import TOMLKit
import Testing

@Suite("The [gpio] table of the device configuration")
struct GPIOSettingsTests {
    struct Wrapper: Decodable { var gpio: GPIOSettings }

    func decode(_ toml: String) throws -> GPIOSettings {
        try TOMLDecoder().decode(Wrapper.self, from: toml).gpio
    }

    @Test("a full table reads as written")
    func fullTable() throws {
        let settings = try decode("""
            [gpio]
            chip = "gpiochip4"
            lines = ["GPIO17", 27]
            bias = "pull-down"
            active-low = true
            consumer = "sid-test"
            event-buffer-size = 2048
            """)
        #expect(settings.chip == .name("gpiochip4"))
        #expect(settings.chip.devicePath == "/dev/gpiochip4")
        #expect(settings.lines == [.name("GPIO17"), .offset(27)])
        #expect(settings.bias == .pullDown)
        #expect(settings.activeLow)
        #expect(settings.consumer == "sid-test")
        #expect(settings.eventBufferSize == 2048)
    }

    @Test("defaults: bias as-is, active high, consumer sid")
    func defaults() throws {
        let settings = try decode("""
            [gpio]
            chip = 0
            lines = [17]
            """)
        #expect(settings.chip == .number(0))
        #expect(settings.chip.devicePath == "/dev/gpiochip0")
        #expect(settings.lines == [.offset(17)])
        #expect(settings.bias == .asIs)
        #expect(!settings.activeLow)
        #expect(settings.consumer == "sid")
    }

    @Test("a chip given as text is a path, a number or a name", arguments: [
        ("/dev/gpiochip2", "/dev/gpiochip2"), ("3", "/dev/gpiochip3"), ("gpiochip1", "/dev/gpiochip1"),
    ])
    func chipText(text: String, path: String) {
        #expect(GPIOSettings.Chip(parsing: text).devicePath == path)
    }

    @Test("an unknown bias, a negative chip or no lines is a decoding error", arguments: [
        "[gpio]\nchip = 0\nlines = [1]\nbias = \"sideways\"",
        "[gpio]\nchip = -1\nlines = [1]",
        "[gpio]\nchip = 0",
        "[gpio]\nchip = 0\nlines = [-4]",
    ])
    func badTables(toml: String) {
        #expect(throws: (any Error).self) { try decode(toml) }
    }

    @Test("settings round-trip through encoding")
    func roundTrip() throws {
        let settings = GPIOSettings(
            chip: .path("/dev/gpiochip0"), lines: [.name("I"), .name("Q")], bias: .pullUp, activeLow: true)
        let text = try TOMLEncoder().encode(["gpio": settings])
        #expect(try decode(text) == settings)
    }

    @Test("validation refuses no lines, three lines, a line twice, odd buffer sizes", arguments: [
        GPIOSettings(chip: .number(0), lines: []),
        GPIOSettings(chip: .number(0), lines: [.offset(1), .offset(2), .offset(3)]),
        GPIOSettings(chip: .number(0), lines: [.offset(1), .offset(1)]),
        GPIOSettings(chip: .number(0), lines: [.offset(1)], eventBufferSize: 4),
        GPIOSettings(chip: .number(0), lines: [.offset(1)], consumer: ""),
    ])
    func invalid(settings: GPIOSettings) {
        #expect(throws: GPIOError.self) { try settings.validate() }
        do {
            try settings.validate()
        } catch {
            #expect(error.code == .invalidSettings)
            #expect(error.description.contains("[gpio]"))
        }
    }
}
