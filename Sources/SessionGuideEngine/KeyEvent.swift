/// A key press or terminal event in the program's own terms. The terminal layer decodes ncurses key codes into
/// these; nothing else ever sees a curses constant.
public enum KeyEvent: Hashable, Sendable {
    case character(Character)
    /// Ctrl plus a letter, as the lower-case letter (`.control("c")` is Ctrl-C).
    case control(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, tab, backTab, escape, backspace, delete
    case function(Int)
    /// The terminal changed size; the new size is read when the screen is laid out.
    case resize
    /// A mouse click or touch tap at a cell (column, row), 0-based from the top left.
    case click(column: Int, row: Int)
}

/// A point on the monotonic clock, in milliseconds from an arbitrary origin. Engines get it passed in and never
/// read a clock themselves, so tests run on a manual clock and wall-clock changes (NTP, daylight saving) change
/// nothing.
public struct Moment: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public static func seconds(_ seconds: Int) -> Moment { Moment(milliseconds: Int64(seconds) * 1000) }

    public static func < (lhs: Moment, rhs: Moment) -> Bool { lhs.milliseconds < rhs.milliseconds }

    public static func + (lhs: Moment, milliseconds: Int64) -> Moment {
        Moment(milliseconds: lhs.milliseconds + milliseconds)
    }

    public static func - (lhs: Moment, rhs: Moment) -> Int64 { lhs.milliseconds - rhs.milliseconds }

    public var description: String { "\(milliseconds) ms" }
}
