import Foundation

/// The operating system's words for why a file could not be read or written,
/// such as `No such file or directory` or `Permission denied`.
///
/// Foundation wraps the `errno` of a failed read or write in a Cocoa error whose
/// own text ("The operation could not be completed. The file doesn't exist.")
/// hides the reason a person can act on. Every message that tells a person a
/// file could not be read or written takes its reason from here, so they all
/// read alike: `x.swb: cannot read: No such file or directory`.
public enum SystemReason {
    /// The system's reason for `error`: the POSIX error in it or under it
    /// (`NSUnderlyingErrorKey`), else the error's own description.
    public static func text(for error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return text(errno: Int32(nsError.code)) }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? any Error { return text(for: underlying) }
        // Text that does not decode: macOS says "inapplicable string encoding", Linux "corrupt file".
        let undecodable = [CocoaError.fileReadInapplicableStringEncoding.rawValue, CocoaError.fileReadCorruptFile.rawValue]
        if nsError.domain == NSCocoaErrorDomain, undecodable.contains(nsError.code) { return "not UTF-8 text" }
        if nsError.domain == NSCocoaErrorDomain { return nsError.localizedDescription }
        return String(describing: error)
    }

    /// The system's words for an `errno` value, as `strerror` gives them.
    public static func text(errno code: Int32) -> String {
        String(cString: strerror(code))
    }
}
