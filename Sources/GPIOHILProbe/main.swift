// gpio-hil-probe: the program the qemu gpio-sim test boots into. It reads a
// simulated GPIO line through GPIOEdgeSource (the same code `sid run --backend
// gpio` uses) and checks the edges against the pattern the test's shell drives.
//
//   gpio-hil-probe edges  --chip gpiochip0 --line 0 --groups 5,10,5 [--gap-ms 250] [--timeout-s 60]
//   gpio-hil-probe errors --chip gpiochip0 --line 0 [--drop-to-uid 65534]
//   gpio-hil-probe doctor --chip gpiochip0 --line RADAR_IF
//
// `edges` prints HIL-READY once the line is requested, then one HIL-EDGE line
// per edge and a HIL-RESULT verdict. `errors` checks the errors a volunteer
// would see. Exit status 0 only when every check passed.
import DeviceHealth
import GPIOEdges
import Glibc
import SpeedDomain

struct Options {
    var mode = ""
    var chip = GPIOSettings.Chip.name("gpiochip0")
    var line = GPIOSettings.Line.offset(0)
    var groups: [Int] = []
    var gapMs: UInt64 = 250
    var timeoutS = 60
    var dropToUID: UInt32?

    init(_ arguments: [String]) {
        var rest = arguments.dropFirst()
        mode = rest.popFirst() ?? ""
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { fail("missing value for \(flag)") }
            switch flag {
            case "--chip": chip = GPIOSettings.Chip(parsing: value)
            case "--line": line = GPIOSettings.Line(parsing: value)
            case "--groups": groups = value.split(separator: ",").compactMap { Int($0) }
            case "--gap-ms": gapMs = UInt64(value) ?? gapMs
            case "--timeout-s": timeoutS = Int(value) ?? timeoutS
            case "--drop-to-uid": dropToUID = UInt32(value)
            default: fail("unknown option \(flag)")
            }
        }
    }
}

/// Writes one line to stdout unbuffered: the test waits for HIL-READY in a
/// file while the probe runs, so nothing may sit in a stdio buffer.
func say(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { bytes in _ = write(1, bytes.baseAddress, bytes.count) }
}

func fail(_ message: String) -> Never {
    say("HIL-RESULT FAIL \(message)")
    exit(1)
}

func monotonicNow() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

let options = Options(CommandLine.arguments)
let settings = GPIOSettings(chip: options.chip, lines: [options.line], bias: .asIs, consumer: "gpio-hil-probe")
say("HIL-LIBGPIOD \(GPIOLibraryVersion.runtimeString ?? "none") (built for \(GPIOLibraryVersion.buildMajor).x API)")

switch options.mode {
case "edges":
    try await checkEdges(options: options, settings: settings)
case "errors":
    checkErrors(options: options, settings: settings)
case "doctor":
    // `sid doctor`'s checks against the real chip: every GPIO check must pass.
    let checks = DeviceDoctor.run(gpio: settings, storeDirectory: "/tmp")
    checks.forEach { say("HIL-DOCTOR \($0)") }
    let gpioFailures = checks.filter { ($0.name.hasPrefix("gpio") || $0.name == "libgpiod") && $0.status != .ok }
    guard gpioFailures.isEmpty, checks.contains(where: { $0.name == "gpio lines" }) else {
        fail("doctor: \(gpioFailures.count) GPIO check(s) not ok")
    }
    say("HIL-RESULT PASS doctor")
default:
    fail("usage: gpio-hil-probe edges|errors|doctor --chip C --line L [--groups 5,10,5] [--drop-to-uid U]")
}
