import Foundation
import SessionGuideContent

/// Writing to standard output and error, and deciding about colour.
enum Console {
    enum Stream {
        case output
        case error

        var descriptor: Int32 { self == .output ? STDOUT_FILENO : STDERR_FILENO }
    }

    /// Set when the locale isn't UTF-8 or `--ascii` is given: everything written is folded to ASCII.
    nonisolated(unsafe) static var asciiOnly = false

    static func write(_ text: String, to stream: Stream = .output) {
        let handle = stream == .output ? FileHandle.standardOutput : FileHandle.standardError
        handle.write(Data((asciiOnly ? ASCIIFolding.fold(text) : text).utf8))
    }

    /// `session-guide: message` on standard error.
    static func error(_ message: String) {
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
