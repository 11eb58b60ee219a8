#if canImport(Glibc)
internal import Glibc
#endif
#if canImport(CGPIOD)
internal import CGPIOD
#endif
public import GPIOEdges

/// The checks behind `sid doctor`: is this device ready to measure? Each
/// check reads the real system (the GPIO chip, the kernel's clocks, the
/// store's file system); none changes anything, and the lines are released
/// again at once.
public enum DeviceDoctor {
    /// Runs every check.
    /// - Parameters:
    ///   - gpio: the `[gpio]` table, or nil when the device has none (simulator, replay).
    ///   - storeDirectory: where the store lives, for the free-space check.
    ///   - storeCheck: the store's own health check, supplied by the caller that owns the store.
    public static func run(
        gpio: GPIOSettings?, storeDirectory: String, storeCheck: (() -> HealthCheck)? = nil
    ) -> [HealthCheck] {
        var checks: [HealthCheck] = []
        if let gpio { checks += gpioChecks(gpio) }
        checks.append(clockSource())
        checks.append(wallTime())
        checks.append(freeDisk(at: storeDirectory))
        if let storeCheck { checks.append(storeCheck()) }
        return checks
    }

    /// libgpiod's version, then the chip and lines opened as `sid run` would.
    public static func gpioChecks(_ settings: GPIOSettings) -> [HealthCheck] {
        var checks: [HealthCheck] = []
        let path = settings.chip.devicePath
        do throws(GPIOError) {
            try GPIOLibraryVersion.checkRuntime(chip: path)
            checks.append(HealthCheck(
                "libgpiod", .ok,
                "\(GPIOLibraryVersion.runtimeString ?? "?") (built for the \(GPIOLibraryVersion.buildMajor).x API)"))
        } catch {
            checks.append(HealthCheck("libgpiod", .failed, error.description))
            return checks
        }
        do throws(GPIOError) {
            let report = try GPIOEdgeSource.checkLines(settings: settings)
            let lines = zip(settings.lines, report.offsets).map { "\($0) (offset \($1))" }.joined(separator: ", ")
            checks.append(HealthCheck("gpio chip", .ok, "\(path): \(report.chipName) [\(report.chipLabel)]"))
            checks.append(HealthCheck(
                "gpio lines", .ok, "\(lines) free and requested for rising edges, then released"))
            checks.append(HealthCheck("gpio access", .ok, "this user may open \(path)"))
        } catch {
            switch error.code {
            case .chipNotFound, .notAGPIOChip:
                checks.append(HealthCheck("gpio chip", .failed, error.description))
            case .permissionDenied:
                checks.append(HealthCheck("gpio access", .failed, error.description))
            case .lineBusy where error.detail.contains("\"\(settings.consumer)\""):
                checks.append(HealthCheck(
                    "gpio lines", .warning,
                    "\(error.description) — the sid service may be running (`systemctl status sid`)"))
            default:
                checks.append(HealthCheck("gpio lines", .failed, error.description))
            }
        }
        return checks
    }

    /// The kernel clock source behind CLOCK_MONOTONIC, which edge timestamps use.
    public static func clockSource() -> HealthCheck {
        let file = "/sys/devices/system/clocksource/clocksource0/current_clocksource"
        guard let source = readSmallFile(file) else {
            return HealthCheck("clock source", .warning, "cannot read \(file); edge timestamps use CLOCK_MONOTONIC")
        }
        let name = source.trimmingTrailingNewlines
        // jiffies and refined-jiffies tick at 1–10 ms: edges a few hundred µs
        // apart would share timestamps and speeds could not be measured.
        let coarse = name.contains("jiffies")
        let note = coarse ? " (coarse: timer-tick resolution, edge timestamps useless for speed)" : ""
        return HealthCheck(
            "clock source", coarse ? .failed : .ok,
            "\(name)\(note); edge timestamps are kernel CLOCK_MONOTONIC ns")
    }

    /// Whether wall time can be trusted now: synchronised by NTP (adjtimex),
    /// or only a battery RTC, or neither (a Pi without RTC after a cold boot).
    public static func wallTime() -> HealthCheck {
        #if canImport(CGPIOD)
        var tx = timex()
        let state = adjtimex(&tx)
        let synchronised = state >= 0 && state != TIME_ERROR && (tx.status & Int32(STA_UNSYNC)) == 0
        let hasRTC = readSmallFile("/sys/class/rtc/rtc0/name") != nil
        if synchronised {
            return HealthCheck("wall time", .ok, "synchronised (NTP); sessions can use system time")
        }
        if hasRTC {
            return HealthCheck(
                "wall time", .warning,
                "not synchronised; a real-time clock is present, so time is as good as the RTC was set")
        }
        return HealthCheck(
            "wall time", .warning,
            "not synchronised and no real-time clock: do not trust system time; sessions keep monotonic time "
                + "and map it to wall time from the phone, NTP or GPS when the session starts")
        #else
        return HealthCheck("wall time", .warning, "cannot check on this platform")
        #endif
    }

    /// Free space where the store lives: below 1 GiB warn, below 100 MiB fail.
    public static func freeDisk(at directory: String) -> HealthCheck {
        #if canImport(Glibc)
        var stats = statvfs()
        guard statvfs(directory, &stats) == 0 else {
            let code = errno
            return HealthCheck(
                "free disk", .failed,
                "cannot check \(directory) (statvfs: errno \(code), \(GPIOError.errnoText(code)))")
        }
        let free = UInt64(stats.f_bavail) * UInt64(stats.f_frsize)
        let mib = free / (1 << 20)
        let status: HealthCheck.Status = mib < 100 ? .failed : (mib < 1024 ? .warning : .ok)
        return HealthCheck("free disk", status, "\(mib) MiB free for the store in \(directory)")
        #else
        return HealthCheck("free disk", .warning, "cannot check on this platform")
        #endif
    }

    static func readSmallFile(_ path: String) -> String? {
        #if canImport(Glibc)
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 256)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
        #else
        return nil
        #endif
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = self
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }
}
