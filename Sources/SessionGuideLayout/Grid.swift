import SessionGuideContent

/// What a cell means on screen. The terminal layer maps each role to colours and attributes for the terminal it
/// runs on (and to bold/reverse alone on a monochrome one), so meaning never depends on colour alone.
public enum StyleRole: String, CaseIterable, Hashable, Sendable {
    case normal
    /// Less important text: hints, the scroll indicator, "next:".
    case dim
    case heading
    /// The top and bottom bars.
    case bar
    /// The key names inside the footer.
    case key
    /// Therapist scripts: their label and text.
    case scriptLabel
    case script
    /// Running timer digits and progress.
    case timer
    /// A finished timer, "DONE".
    case done
    /// Paused timers and safety notes.
    case warning
    /// The selected row of a menu or list.
    case selected
    /// A drill timer's phases, each its own colour for its large word and its digits (`PhaseLook`).
    case phaseGetReady
    case phaseWork
    case phaseHold
    case phaseRest
    case phaseSwitch
    /// A running phase's last seconds.
    case finalSeconds
}

public struct Style: Hashable, Sendable {
    public var role: StyleRole
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(_ role: StyleRole = .normal, bold: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
    }

    public static let normal = Style()
}

public struct Size: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public var description: String { "\(width)×\(height)" }
}

/// One screen cell: a grapheme and its style. A grapheme wider than one cell fills its cell and marks the next
/// ones as its continuations, which the terminal skips.
public struct Cell: Hashable, Sendable {
    public var character: Character
    public var style: Style
    public var isContinuation: Bool

    public init(_ character: Character = " ", style: Style = .normal, isContinuation: Bool = false) {
        self.character = character
        self.style = style
        self.isContinuation = isContinuation
    }

    public static let blank = Cell()
}

/// A screen laid out as rows of styled cells. Pure: tests compare its text dump with a snapshot.
public struct Grid: Hashable, Sendable {
    public let size: Size
    public private(set) var cells: [Cell]

    public init(size: Size) {
        self.size = Size(width: max(0, size.width), height: max(0, size.height))
        self.cells = Array(repeating: .blank, count: self.size.width * self.size.height)
    }

    public subscript(column: Int, row: Int) -> Cell {
        get { cells[row * size.width + column] }
        set { cells[row * size.width + column] = newValue }
    }

    /// Writes `text` from (column, row), clipped at `limit` (default: the right edge). Returns the column after
    /// the last cell written. A grapheme with no width (a lone mark or joiner) is left out.
    @discardableResult
    public mutating func write(_ text: some StringProtocol, column: Int, row: Int, style: Style = .normal,
                               limit: Int? = nil) -> Int {
        guard row >= 0, row < size.height else { return column }
        let end = min(limit ?? size.width, size.width)
        var x = column
        for character in text {
            let width = DisplayWidth.of(character)
            // Controls, bidi overrides and other invisible formatting are dropped: the screen's edge never lets a
            // byte of an escape sequence through. Each of them is a grapheme of its own (Unicode's grapheme break
            // class Control), so the first scalar tells.
            if width == 0 || character.unicodeScalars.first.map(TextSafety.isUnsafe) == true { continue }
            if x + width > end { break }
            if x >= 0 {
                self[x, row] = Cell(character, style: style)
                // A wide grapheme (or an Indic cluster of several letters) covers the cells after it.
                for next in x + 1 ..< x + width { self[next, row] = Cell(" ", style: style, isContinuation: true) }
            }
            x += width
        }
        return x
    }

    /// Writes a line of a `BigFont.Drawing` from (column, row), clipped at the right edge: one cell per Unicode
    /// scalar, which is what the font draws with (blocks, half blocks and spaces, each a one-cell grapheme of its
    /// own). Much faster than `write`, which has to find graphemes and measure each: the large digits are
    /// written every frame.
    public mutating func writeDrawingLine(_ line: String, column: Int, row: Int, style: Style) {
        guard row >= 0, row < size.height else { return }
        var x = column
        for scalar in line.unicodeScalars {
            if x >= size.width { break }
            if x >= 0 { self[x, row] = Cell(Character(scalar), style: style) }
            x += 1
        }
    }

    /// Fills a run of cells with one character and style.
    public mutating func fill(_ character: Character = " ", columns: Range<Int>, row: Int, style: Style) {
        guard row >= 0, row < size.height else { return }
        for x in columns.clamped(to: 0..<size.width) {
            self[x, row] = Cell(character, style: style)
        }
    }

    /// The same screen with every character an ASCII stand-in, cell for cell, for terminals without UTF-8.
    /// Box-drawing characters are kept: the terminal draws them with its own line-drawing set.
    ///
    /// A "…" (what `truncated` and the note field mark a cut with) would fold to a lone "." that reads as a full
    /// stop, so it becomes "..." instead, taking the two cells of the cut text beside it: "Movement & I…" shows
    /// as "Movement &..." (or "Movement..." with room to spare after it), "…end of note" as "...d of note".
    public func asciiFolded() -> Grid {
        var folded = self
        for index in cells.indices where !cells[index].character.isASCII && !Self.boxDrawing.contains(cells[index].character) {
            folded.cells[index].character = ASCIIFolding.foldCell(cells[index].character)
        }
        for index in cells.indices where cells[index].character == "…" {
            folded.markCut(at: index % size.width, row: index / size.width)
        }
        return folded
    }

    /// Turns the cut mark at (column, row) and two cells of the same style beside it into "...": blank cells
    /// after it when the cut left room (and a blank after those, so the dots don't touch a border), else the end of the text before it, else (the mark starting a line) the
    /// start of the text after it.
    private mutating func markCut(at column: Int, row: Int) {
        let before = self
        let style = before[column, row].style
        let sameStyle = { (x: Int) in x >= 0 && x < before.size.width && before[x, row].style == style }
        let isText = { (x: Int) in sameStyle(x) && before[x, row].character != " " }
        let columns: [Int]
        let isBlankAfter = { (x: Int) in x >= before.size.width || before[x, row].character == " " }
        if sameStyle(column + 1), sameStyle(column + 2), !isText(column + 1), !isText(column + 2),
           isBlankAfter(column + 3), isText(column - 1) {
            columns = [column, column + 1, column + 2]  // room left after the cut, in the cut text's style
        } else if sameStyle(column - 1), sameStyle(column - 2), isText(column - 1) || isText(column - 2) {
            columns = [column - 2, column - 1, column]
        } else if sameStyle(column + 1), sameStyle(column + 2), isText(column + 1) {
            columns = [column, column + 1, column + 2]
        } else {
            return
        }
        for x in columns {
            // A wide character cut in half loses its other half too, so no continuation is left without its owner.
            if self[x, row].isContinuation, x - 1 >= 0, !columns.contains(x - 1) {
                var owner = x - 1
                while owner > 0, self[owner, row].isContinuation { owner -= 1 }
                self[owner, row].character = " "
            }
            self[x, row] = Cell(".", style: self[x, row].style)
        }
        if let last = columns.last {
            var x = last + 1
            while x < size.width, self[x, row].isContinuation {
                self[x, row] = Cell(" ", style: self[x, row].style)
                x += 1
            }
        }
    }

    public static let boxDrawing: Set<Character> = ["─", "│", "┌", "┐", "└", "┘"]

    /// The screen as plain text, one line per row with trailing spaces removed: what a snapshot stores.
    public var text: String {
        (0..<size.height).map { row in
            var line = ""
            for column in 0..<size.width where !self[column, row].isContinuation {
                line.append(self[column, row].character)
            }
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
