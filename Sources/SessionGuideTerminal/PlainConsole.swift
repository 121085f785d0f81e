import CNcursesW
import Glibc
import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout
import SessionGuideRuntime

/// Line-by-line output for screen readers and braille displays, with the same signal handling and key input as
/// the full-screen terminal but no curses: keys are read without echo when standard input is a terminal, and
/// not at all when it isn't (so a routine can run from a script).
public final class PlainConsole: RuntimeIO {
    private let signals = TerminationSignals()
    private var savedAttributes: termios?
    /// The settings for single keys without echo, to go back to after a line was typed.
    private var keyAttributes: termios?
    public let readsKeys: Bool
    /// Fold every line to ASCII (a terminal or locale without UTF-8).
    public var ascii = false
    private var pending: [UInt8] = []
    /// True while a line of text is being typed (`beginLine`): the terminal's own line editing and echo are
    /// on, so a screen reader speaks what is typed and Backspace works as in any other program.
    public private(set) var isReadingLine = false
    private var pendingLine: [UInt8] = []

    public init() {
        readsKeys = isatty(STDIN_FILENO) == 1
        if readsKeys {
            var attributes = termios()
            if tcgetattr(STDIN_FILENO, &attributes) == 0 {
                savedAttributes = attributes
                attributes.c_lflag &= ~tcflag_t(ICANON | ECHO)
                attributes.c_cc.6 = 1  // VMIN
                attributes.c_cc.5 = 0  // VTIME
                keyAttributes = attributes
                tcsetattr(STDIN_FILENO, TCSANOW, &attributes)
            }
        }
    }

    /// Switches to reading a line: `wait` then returns nothing until Enter, and then the line as `.character`
    /// keys followed by `.enter` (or `.escape` when the line is ended with Ctrl-D).
    public func beginLine() {
        guard readsKeys, !isReadingLine, var line = savedAttributes else { return }
        line.c_lflag |= tcflag_t(ICANON | ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &line)
        isReadingLine = true
        pendingLine = []
    }

    /// Back to single keys without echo. Whatever was typed or pasted after the line is dropped: the lines
    /// after the first of a paste must not turn into commands.
    public func endLine() {
        guard isReadingLine else { return }
        isReadingLine = false
        pendingLine = []
        if var keys = keyAttributes { tcsetattr(STDIN_FILENO, TCSAFLUSH, &keys) }
    }

    deinit {
        stop()
    }

    /// Puts the terminal's line mode and echo back.
    public func stop() {
        if var saved = savedAttributes {
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            savedAttributes = nil
        }
    }

    /// The errno of the first line that could not be written (a closed pipe, a full disk); nothing more is
    /// written after it, and the program reports it once it ends.
    public private(set) var outputFailure: Int32?

    /// Writes one line. Only ``SafeText``: content and notes reach it with their controls already shown visibly.
    public func line(_ safe: SafeText) {
        guard outputFailure == nil else { return }
        let text = safe.text
        let bytes = Array(((ascii ? ASCIIFolding.fold(text) : text) + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if result < 0, errno == EINTR || errno == EAGAIN { continue }
            if result <= 0 {
                outputFailure = result < 0 ? errno : EIO
                return
            }
            written += result
        }
    }

    // MARK: - As the runtime's IO

    public var size: Size { Size(width: 0, height: 0) }
    public func draw(_ grid: Grid) {}
    /// The plain programs' lines hold content (titles, steps, cues): made safe here, their one way out.
    public func say(_ line: String) { self.line(SafeText(lines: line)) }
    public func readLine(_ on: Bool) { if on { beginLine() } else { endLine() } }
    public func bell() {}
    public func flash() {}

    /// Ctrl-Z: the terminal's own line mode and echo while stopped; after `fg`, this program's mode again
    /// (single keys without echo, or the line being typed).
    public func suspendUntilContinued() {
        if var saved = savedAttributes { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
        TerminationSignals.stopUntilContinued()
        guard readsKeys, let saved = savedAttributes else { return }
        var mode = keyAttributes ?? saved
        if isReadingLine { mode = saved; mode.c_lflag |= tcflag_t(ICANON | ECHO) }
        tcsetattr(STDIN_FILENO, TCSANOW, &mode)
    }

    /// Sleeps until a key, a signal, one of `descriptors` or `timeout` milliseconds (nil: no limit).
    public func wait(timeout: Int64?, descriptors extra: [Int32]) -> [RuntimeEvent] {
        var descriptors = [pollfd(fd: signals.descriptor, events: Int16(POLLIN), revents: 0)]
        if readsKeys { descriptors.append(pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)) }
        let keyboard = descriptors.count
        descriptors += extra.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        _ = poll(&descriptors, nfds_t(descriptors.count), timeout.map { Int32(clamping: max(0, $0)) } ?? -1)
        var inputs: [RuntimeEvent] = []
        if descriptors[0].revents & Int16(POLLIN) != 0 {
            inputs += signals.drain()
        }
        for entry in descriptors.dropFirst(keyboard) where entry.revents != 0 {
            inputs.append(.readable(entry.fd))
        }
        if readsKeys, descriptors[1].revents != 0,
           PasteGuard.discardLargePaste({ tcflush(STDIN_FILENO, TCIFLUSH) }) {
            pending = []
        } else if readsKeys, descriptors[1].revents != 0 {
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = read(STDIN_FILENO, &buffer, buffer.count)
            let hungUp = descriptors[1].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
            if isReadingLine, count >= 0, !hungUp {
                inputs += lineKeys(count == 0 ? nil : Array(buffer[0..<count]))
            } else if count <= 0 {
                inputs.append(.signal(.hangup))  // the terminal went away
            } else {
                pending += buffer[0..<count]
                inputs += decodeKeys().map(RuntimeEvent.key)
            }
        }
        return inputs
    }

    /// A typed line, once it is complete, as keys. `bytes` nil: Ctrl-D at the start of a line, which cancels.
    private func lineKeys(_ bytes: [UInt8]?) -> [RuntimeEvent] {
        guard let bytes else { return [.key(.escape)] }
        pendingLine += bytes
        guard let end = pendingLine.firstIndex(of: 0x0A) else { return [] }
        let line = String(decoding: pendingLine[..<end], as: UTF8.self)
        pendingLine.removeSubrange(...end)
        return Self.withoutEscapeSequences(line).map { .key(.character($0)) } + [.key(.enter)]
    }

    /// A line without the escape sequences that arrow keys leave in it (the terminal's line editing doesn't
    /// move the cursor with them) and without control characters.
    static func withoutEscapeSequences(_ line: String) -> String {
        var result = ""
        var scalars = line.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            if scalar == "\u{1B}" {
                // ESC [ parameters final, or ESC and one character.
                if scalars.first == "[" {
                    scalars.removeFirst()
                    while let next = scalars.popFirst(), !(0x40...0x7E).contains(next.value) {}
                } else if !scalars.isEmpty {
                    scalars.removeFirst()
                }
            } else if scalar.properties.generalCategory != .control {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Bytes to keys: printable characters, Enter, Esc, and the arrow keys' escape sequences.
    private func decodeKeys() -> [KeyEvent] {
        var keys: [KeyEvent] = []
        while let byte = pending.first {
            if byte == 0x1B {
                if pending.count >= 3, pending[1] == UInt8(ascii: "[") {
                    let code = pending[2]
                    pending.removeFirst(3)
                    switch code {
                    case UInt8(ascii: "A"): keys.append(.up)
                    case UInt8(ascii: "B"): keys.append(.down)
                    case UInt8(ascii: "C"): keys.append(.right)
                    case UInt8(ascii: "D"): keys.append(.left)
                    default: break
                    }
                    continue
                }
                pending.removeFirst()
                keys.append(.escape)
                continue
            }
            pending.removeFirst()
            switch byte {
            case 0x0A, 0x0D: keys.append(.enter)
            case 0x7F, 0x08: keys.append(.backspace)
            case 0x20...0x7E: keys.append(.character(Character(Unicode.Scalar(byte))))
            default: break
            }
        }
        return keys
    }
}
