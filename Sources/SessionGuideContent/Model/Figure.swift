/// A small drawing of one position of a drill (where the movement starts, where it ends), written in a drill's
/// `# Figures` section as a fenced block: ```` ```figure Start ````, the drawing, then ```` ``` ````.
///
/// Figures are plain printable ASCII, so every terminal (even one without UTF-8) shows them the same, and every
/// character is one cell wide, so a line's length is its width on screen.
public struct Figure: Hashable, Sendable, Codable {
    /// Wide enough for a stick figure lying down; narrow enough that one fits beside a drill's steps on a wide
    /// screen and two fit side by side on an 80-column one.
    public static let maximumWidth = 30
    /// Tall enough for a standing figure; short enough to share a screen with the timer.
    public static let maximumHeight = 12
    /// Start and end, with room for one position in between.
    public static let maximumCount = 3

    /// A short label such as "Start" or "End: back rounded"; empty when the file gives none.
    public var caption: String
    /// The drawing, without blank lines above or below it, trailing spaces, or indentation common to every line.
    public var lines: [String]

    public init(caption: String, lines: [String]) {
        self.caption = caption
        self.lines = lines
    }

    /// Columns the drawing takes.
    public var width: Int { lines.map(\.count).max() ?? 0 }
}

/// Lines kept exactly as written between two fences of three backticks, and the text after the opening
/// backticks (the "info string", such as `figure Start`).
public struct FencedText: Hashable, Sendable, Codable {
    public var lines: [String]
    public var info: String
    /// Where the opening fence is; the lines follow it, one file line each.
    public var location: SourceLocation

    public init(lines: [String], info: String = "", location: SourceLocation) {
        self.lines = lines
        self.info = info
        self.location = location
    }
}
