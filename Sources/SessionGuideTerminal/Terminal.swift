import CNcursesW
import Glibc
import SessionGuideEngine
import SessionGuideLayout
import SessionGuideRuntime

/// A paste of more than a few lines is never typing: it is thrown away as it arrives instead of being read key
/// by key (a megabyte would keep the program busy for seconds). The terminal hands a big paste over in pieces of
/// at most its input buffer (4 KB on Linux), so every piece of 1 KB or more waiting at once is flushed; only the
/// last, smaller piece is read, which bounds the work whatever the size. Notes pasted by a therapist stay well
/// under the limit.
enum PasteGuard {
    static let flushFrom = 1_024

    /// How long the input must stay quiet for a paste to be over.
    static let quietMilliseconds: Int32 = 50

    /// When `flushFrom` bytes or more wait on standard input, flushes them with `flush`, and goes on flushing
    /// until the input has been quiet for a moment (the rest of the paste); true when it did.
    static func discardLargePaste(_ flush: () -> Void) -> Bool {
        var waiting: Int32 = 0
        guard ioctl(STDIN_FILENO, UInt(FIONREAD), &waiting) == 0, waiting >= flushFrom else { return false }
        var input = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        repeat {
            flush()
            input.revents = 0
        } while poll(&input, 1, quietMilliseconds) > 0 && input.revents & Int16(POLLIN) != 0
        return true
    }
}

/// Why the full-screen program can't start here; each is one line that suggests `session-guide print`.
public enum TerminalError: Error, CustomStringConvertible {
    case notATerminal
    case unusableTerminal(String)

    public var description: String {
        switch self {
        case .notATerminal:
            "full-screen mode needs a terminal on standard input and output; "
                + "use 'session-guide print ID' for plain text"
        case .unusableTerminal(let term):
            "this terminal (TERM=\(term.isEmpty ? "unset" : term)) can't show full-screen screens; "
                + "use 'session-guide print ID' for plain text"
        }
    }
}

/// The look of the full-screen modes.
public enum ThemeName: String, CaseIterable, Sendable {
    /// Colours on the terminal's own background.
    case `default`
    /// Bright, bold colours and no dim text, for weak eyes and washed-out screens.
    case highContrast = "high-contrast"
    /// No colour at all: bold, underline and reverse keep every kind of text apart.
    case mono
}

public struct TerminalOptions: Sendable {
    public var useColor: Bool
    public var theme: ThemeName
    /// No screen flashes (the bell still rings unless the mode is quiet).
    public var reduceMotion: Bool
    /// Only ASCII reaches the terminal (and its own line-drawing characters for borders).
    public var ascii: Bool
    /// True: Ctrl-C, Ctrl-Z and Ctrl-\ act as usual (quit, suspend). False (kiosk): they arrive as keys.
    public var keyboardSignals: Bool
    /// Report mouse clicks and taps as `.click` keys.
    public var mouse: Bool

    public init(useColor: Bool = true, theme: ThemeName = .default, reduceMotion: Bool = false, ascii: Bool = false,
                keyboardSignals: Bool = true, mouse: Bool = false) {
        self.useColor = useColor
        self.ascii = ascii
        self.theme = theme
        self.reduceMotion = reduceMotion
        self.keyboardSignals = keyboardSignals
        self.mouse = mouse
    }
}

/// The only code that talks to ncurses. It draws grids (letting ncurses send only the cells that changed),
/// turns key codes into `KeyEvent`s, reports termination signals as input, and sleeps in `poll` until a key,
/// a signal or the caller's deadline.
public final class Terminal: RuntimeIO {
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private let signals: TerminationSignals
    private var theme: Theme
    private let reduceMotion: Bool
    private let ascii: Bool
    private var isStopped = false

    public init(options: TerminalOptions) throws(TerminalError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        guard !term.isEmpty, term != "dumb" else { throw .unusableTerminal(term) }

        signals = TerminationSignals()

        setlocale(LC_ALL, "")  // before ncurses starts, or it assumes Latin-1
        guard let screen = newterm(nil, sg_stdout(), sg_stdin()) else {
            throw .unusableTerminal(term)
        }
        // A terminal without cursor addressing can't draw a screen.
        let cursorAddress = tigetstr("cup")
        if cursorAddress == nil || Int(bitPattern: cursorAddress) == -1 {
            endwin()
            delscreen(screen)
            throw .unusableTerminal(term)
        }
        self.screen = screen
        guard let window = sg_stdscr() else {
            endwin()
            throw .unusableTerminal(term)
        }
        self.window = window
        if options.keyboardSignals { cbreak() } else { raw() }
        noecho()
        nonl()
        keypad(window, true)
        nodelay(window, true)
        set_escdelay(25)  // the default second makes Esc feel broken
        curs_set(0)
        leaveok(window, true)
        if options.mouse {
            mousemask(sg_button1_clicked() | sg_button1_pressed() | sg_button1_released(), nil)
            mouseinterval(0)
        }
        reduceMotion = options.reduceMotion
        ascii = options.ascii
        theme = Theme.make(options.theme, useColor: options.useColor && has_colors())
        theme.install()
        sg_install_crash_restorer()
    }

    deinit {
        stop()
    }

    /// Restores the terminal (echo, line mode, the normal screen, the cursor). Safe to call more than once.
    public func stop() {
        guard !isStopped else { return }
        isStopped = true
        curs_set(1)
        endwin()
        delscreen(screen)
    }

    public var size: Size {
        Size(width: Int(getmaxx(window)), height: Int(getmaxy(window)))
    }

    public var hasColor: Bool { theme.hasColor }

    // MARK: - Drawing

    /// Puts the grid on screen. Every cell is written into ncurses' virtual screen, and ncurses sends only the
    /// cells that differ from what the terminal shows, so a one-second tick costs a few bytes.
    public func draw(_ grid: Grid) {
        let grid = ascii ? grid.asciiFolded() : grid
        let rows = min(grid.size.height, Int(getmaxy(window)))
        let columns = min(grid.size.width, Int(getmaxx(window)))
        var characters = [wchar_t](repeating: 0, count: TerminalGlyphs.scalarsPerCell + 1)
        var cell = cchar_t()
        for row in 0..<rows {
            for column in 0..<columns {
                let gridCell = grid[column, row]
                if gridCell.isContinuation { continue }
                let (attributes, pair) = theme.attributes(for: gridCell.style)
                if ascii, let line = Self.lineDrawing(gridCell.character) {
                    mvwaddch(window, Int32(row), Int32(column), line | chtype(attributes) | sg_color_pair(Int32(pair)))
                    continue
                }
                // Most cells: one ASCII character, not standing in for a wide one (as `--ascii` folds them).
                let covers = column + 1 < grid.size.width && grid[column + 1, row].isContinuation
                if !covers, let byte = gridCell.character.asciiValue, byte >= 0x20, byte < 0x7F {
                    characters[0] = wchar_t(byte)
                    characters[1] = 0
                    setcchar(&cell, characters, attributes, pair, nil)
                    mvwadd_wch(window, Int32(row), Int32(column), &cell)
                    continue
                }
                // The whole grapheme, or a stand-in exactly as wide, so that no row shifts (TerminalGlyphs).
                var width = 1
                while column + width < grid.size.width, grid[column + width, row].isContinuation { width += 1 }
                var end = 0  // glyphs run from the cell's left edge, one after another
                for glyph in TerminalGlyphs.glyphs(for: gridCell.character, width: width) {
                    let glyphWidth = TerminalGlyphs.terminalWidth(of: glyph)
                    guard column + glyph.offset + glyphWidth <= columns else { break }
                    for (index, scalar) in glyph.scalars.enumerated() {
                        characters[index] = wchar_t(bitPattern: scalar.value)
                    }
                    characters[glyph.scalars.count] = 0
                    setcchar(&cell, characters, attributes, pair, nil)
                    mvwadd_wch(window, Int32(row), Int32(column + glyph.offset), &cell)
                    end = glyph.offset + glyphWidth
                }
                // The cells the stand-in leaves are blanked, or they would keep what was drawn there before.
                characters[0] = 0x20
                characters[1] = 0
                setcchar(&cell, characters, attributes, pair, nil)
                for offset in end..<max(end, width) where column + offset < columns {
                    mvwadd_wch(window, Int32(row), Int32(column + offset), &cell)
                }
            }
        }
        wnoutrefresh(window)
        doupdate()
    }

    /// The terminal's own line-drawing character for a box-drawing character (VT100's alternate set).
    private static func lineDrawing(_ character: Character) -> chtype? {
        switch character {
        case "─": sg_acs_hline()
        case "│": sg_acs_vline()
        case "┌": sg_acs_ulcorner()
        case "┐": sg_acs_urcorner()
        case "└": sg_acs_llcorner()
        case "┘": sg_acs_lrcorner()
        default: nil
        }
    }

    /// Sets the locale from the environment (as curses needs before it starts) and tells whether it is UTF-8.
    public static func localeIsUTF8() -> Bool {
        setlocale(LC_ALL, "")
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    public func bell() {
        beep()
    }

    /// A visible bell; nothing with reduced motion, for people who flashing unsettles.
    public func flash() {
        guard !reduceMotion else { return }
        CNcursesW.flash()
    }

    // MARK: - Input

    /// Sleeps until a key, a signal, one of `descriptors` being readable, or `timeout` milliseconds (nil: no
    /// limit), and returns everything that arrived. An empty result means the time ran out.
    public func wait(timeout: Int64?, descriptors extra: [Int32]) -> [RuntimeEvent] {
        var inputs = drainKeys()
        guard inputs.isEmpty else { return inputs }
        var descriptors = [
            pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
            pollfd(fd: signals.descriptor, events: Int16(POLLIN), revents: 0),
        ]
        descriptors += extra.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let ready = sg_poll_letting_resize_in(&descriptors, nfds_t(descriptors.count),
                                              timeout.map { Int32(clamping: max(0, $0)) } ?? -1)
        if ready < 0, errno != EINTR {
            return [.signal(.hangup)]  // the terminal is gone
        }
        if descriptors[1].revents & Int16(POLLIN) != 0 {
            inputs += signals.drain()
        }
        for entry in descriptors.dropFirst(2) where entry.revents != 0 {
            inputs.append(.readable(entry.fd))
        }
        if descriptors[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
            inputs.append(.signal(.hangup))
        }
        // Keys, and the KEY_RESIZE that ncurses queues when SIGWINCH interrupted the sleep.
        inputs += drainKeys()
        return inputs
    }

    /// Ctrl-Z: the terminal as it was before (normal screen, echo, line mode) while stopped; after `fg` the
    /// program's modes again and the whole screen repainted.
    public func suspendUntilContinued() {
        endwin()
        TerminationSignals.stopUntilContinued()
        reset_prog_mode()
        redrawwin(window)
        wrefresh(window)
    }

    /// The full screen speaks in frames, not lines.
    public func say(_ line: String) {}
    public func readLine(_ on: Bool) {}

    private func drainKeys() -> [RuntimeEvent] {
        _ = PasteGuard.discardLargePaste { flushinp() }
        var inputs: [RuntimeEvent] = []
        var character: wint_t = 0
        while inputs.count < 64 {
            let status = wget_wch(window, &character)
            if status == ERR { break }
            if let key = KeyDecoder.decode(status: status, code: UInt32(character), mouse: readMouse) {
                inputs.append(.key(key))
            }
        }
        return inputs
    }

    private func readMouse() -> KeyEvent? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let pressed = sg_button1_clicked() | sg_button1_pressed() | sg_button1_released()
        guard event.bstate & pressed != 0, event.bstate & sg_button1_released() == 0 else { return nil }
        return .click(column: Int(event.x), row: Int(event.y))
    }
}
