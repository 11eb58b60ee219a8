import GPIOEdges
import Glibc
import SpeedDomain

/// Checks the errors a volunteer sees, against the real kernel: a chip that
/// does not exist, a line offset past the chip's end, a line another request
/// holds, and (after dropping root) a chip the user may not open.
func checkErrors(options: Options, settings: GPIOSettings) {
    var failures = 0
    func expect(_ name: String, _ code: GPIOError.Code, errno wanted: Int32?, _ body: () throws(GPIOError) -> Void) {
        do throws(GPIOError) {
            try body()
            say("HIL-ERRORCHECK FAIL \(name): no error")
            failures += 1
        } catch {
            let ok = error.code == code && (wanted == nil || error.errno == wanted)
            say("HIL-ERRORCHECK \(ok ? "PASS" : "FAIL") \(name): \(error)")
            if !ok { failures += 1 }
        }
    }
    let kind = SensorKind.doppler(carrierHz: Doppler.hb100CarrierHz)

    var missing = settings
    missing.chip = .name("gpiochip99")
    expect("missing chip", .chipNotFound, errno: ENOENT) { () throws(GPIOError) in _ = try GPIOEdgeSource(settings: missing, kind: kind) }

    var pastEnd = settings
    pastEnd.lines = [.offset(999)]
    expect("line past the end", .lineNotFound, errno: nil) { () throws(GPIOError) in _ = try GPIOEdgeSource(settings: pastEnd, kind: kind) }

    var unnamed = settings
    unnamed.lines = [.name("NO_SUCH_LINE")]
    expect("unknown line name", .lineNotFound, errno: ENOENT) { () throws(GPIOError) in _ = try GPIOEdgeSource(settings: unnamed, kind: kind) }

    do {
        let holder = try GPIOEdgeSource(settings: settings, kind: kind)
        withExtendedLifetime(holder) {
            expect("line busy", .lineBusy, errno: EBUSY) { () throws(GPIOError) in
                _ = try GPIOEdgeSource(settings: settings, kind: kind)
            }
        }
    } catch {
        say("HIL-ERRORCHECK FAIL line busy: first request failed: \(error)")
        failures += 1
    }

    if let uid = options.dropToUID {
        guard setgroups(0, nil) == 0, setgid(uid) == 0, setuid(uid) == 0 else {
            fail("cannot drop to uid \(uid): errno \(errno)")
        }
        expect("permission denied as uid \(uid)", .permissionDenied, errno: EACCES) { () throws(GPIOError) in
            _ = try GPIOEdgeSource(settings: settings, kind: kind)
        }
    }
    if failures == 0 {
        say("HIL-RESULT PASS error checks")
        exit(0)
    }
    fail("\(failures) error check(s) failed")
}
