#if canImport(Glibc)
internal import Glibc

/// Turns errno after a failed chip open or line request into the error a
/// volunteer can act on. Shared by the libgpiod 1.x and 2.x code paths.
enum GPIOOpenErrors {
    static func chipOpen(errno code: Int32, path: String, call: String) -> GPIOError {
        switch code {
        case ENOENT:
            return GPIOError(
                .chipNotFound, chip: path, call: call, errno: code,
                detail: "no such GPIO chip; list chips with `gpiodetect` and set [gpio] chip")
        case EACCES, EPERM:
            return GPIOError(
                .permissionDenied, chip: path, call: call, errno: code,
                detail: "not allowed to open the chip; add the service user to group `gpio` (see Hardware/udev)")
        case ENOTTY, ENODEV, EINVAL:
            return GPIOError(
                .notAGPIOChip, chip: path, call: call, errno: code,
                detail: "the file is not a GPIO character device")
        default:
            return GPIOError(.requestFailed, chip: path, call: call, errno: code, detail: "cannot open the chip")
        }
    }

    static func request(errno code: Int32, path: String, line: String, call: String, holder: String?) -> GPIOError {
        switch code {
        case EBUSY:
            let who = holder.map { "\"\($0)\"" } ?? "another process or a kernel driver"
            return GPIOError(
                .lineBusy, chip: path, line: line, call: call, errno: code,
                detail: "the line is in use by \(who); stop it (another sid? gpiomon?) or pick a free pin")
        case EACCES, EPERM:
            return GPIOError(
                .permissionDenied, chip: path, line: line, call: call, errno: code,
                detail: "not allowed to request the line")
        default:
            return GPIOError(
                .requestFailed, chip: path, line: line, call: call, errno: code,
                detail: "the kernel refused the rising-edge request (bias or active-low unsupported by this chip?)")
        }
    }
}
#endif
