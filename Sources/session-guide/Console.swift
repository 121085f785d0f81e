import Foundation
import Glibc
import SessionGuideContent

/// Writing to standard output and error, and deciding about colour.
///
/// Every byte the program prints outside the full screen goes through `write`, with `write(2)` itself: a
/// failed write never traps (as `FileHandle.write` does) and never raises SIGPIPE (ignored from the start).
/// A closed pipe (`session-guide list | head -1`) stops all further output quietly and the program ends with
/// 141, as if SIGPIPE had ended it; any other failure (a full disk, a vanished terminal) is reported once on
/// standard error and the program ends with 74. What could not be printed is the caller's to keep elsewhere
/// (`write` says whether it got through).
enum Console {
    enum Stream {
        case output
        case error

        var descriptor: Int32 { self == .output ? STDOUT_FILENO : STDERR_FILENO }
        var name: String { self == .output ? "standard output" : "standard error" }
    }

    /// Set when the locale isn't UTF-8 or `--ascii` is given: everything written is folded to ASCII.
    nonisolated(unsafe) static var asciiOnly = false

    /// The first failure on each stream (errno), after which nothing more is written to it.
    nonisolated(unsafe) private static var failures: [Int32: Int32] = [:]

    /// Called first thing: SIGPIPE and SIGXFSZ (a file-size limit) become errors of the write that caused them,
    /// which this program handles, instead of ending it on the spot.
    static func prepare() {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
    }

    /// A failure to write standard output met outside `write` (the plain modes' own lines): reported and
    /// counted as if `write` had met it.
    static func outputFailed(errno number: Int32) {
        guard failures[STDOUT_FILENO] == nil else { return }
        failures[STDOUT_FILENO] = number
        if number != EPIPE { error("can't write to standard output: \(reason(number))") }
    }

    /// Writes all of `text`, or as much as the stream takes. False when it did not all get through (now or at
    /// an earlier write): the caller keeps what matters some other way. Only ``SafeText`` is taken: whatever a
    /// message interpolates (an id, a path, an argument, a title) has had its controls made visible.
    @discardableResult
    static func write(_ safe: SafeText, to stream: Stream = .output) -> Bool {
        let descriptor = stream.descriptor
        guard failures[descriptor] == nil else { return false }
        let text = safe.text
        let bytes = Array((asciiOnly ? ASCIIFolding.fold(text) : text).utf8)
        if let failure = writeAll(bytes, to: descriptor) {
            failures[descriptor] = failure
            // Reported once, where it still can be; a closed pipe is the reader's choice, not a problem.
            if failure != EPIPE, stream == .output {
                error("can't write to standard output: \(reason(failure))")
            }
            return false
        }
        return true
    }

    /// `write(2)` until done; the errno of a failure, or nil.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return errno
            }
            if result == 0 { return EIO }
            written += result
        }
        return nil
    }

    /// An errno in the words a clinic's IT person would use.
    static func reason(_ number: Int32) -> String {
        switch number {
        case ENOSPC: "the disk is full"
        case EFBIG: "the file size limit is reached (the disk is full for this program)"
        case EPIPE: "the program reading it has stopped"
        case EIO: "the terminal or device is gone (input/output error)"
        default: String(cString: strerror(number))
        }
    }

    /// The exit code once the command is done: 141 after a closed pipe on standard output, 74 after any other
    /// failure to write it, else `code`.
    static func exitCode(_ code: Int32) -> Int32 {
        switch failures[STDOUT_FILENO] {
        case nil: code
        case EPIPE?: code == 0 ? 128 + SIGPIPE : code
        default: code == 0 ? SysExit.ioError : code
        }
    }

    /// Whether standard output stopped taking text.
    static var outputFailed: Bool { failures[STDOUT_FILENO] != nil }

    /// `session-guide: message` on standard error.
    static func error(_ message: SafeText) {
        write("session-guide: \(message)\n", to: .error)
    }

    /// True when the environment forbids colour whatever the output is.
    static var colorVetoed: Bool {
        let environment = ProcessInfo.processInfo.environment
        return !(environment["NO_COLOR"] ?? "").isEmpty || environment["TERM"] == "dumb"
    }

    /// Colour only on a terminal, and never with `--no-color`, `NO_COLOR` or `TERM=dumb`.
    static func useColor(on stream: Stream, disabled: Bool) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        if disabled { return false }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isatty(stream.descriptor) == 1
    }
}
