import SessionGuideContent

/// The parts every screen shares: the title bar, the footer of keys, boxes for overlays, the scroll bar and the
/// too-small notice.
enum Chrome {
    /// The smallest screen anything is drawn on; below it the screen says how big it must be.
    static let minimumSize = Size(width: 30, height: 8)

    /// A full-width bar with `left` and `right` text; the left side is cut first.
    static func bar(_ grid: inout Grid, row: Int, left: String, right: String) {
        let style = Style(.bar)
        grid.fill(columns: 0..<grid.size.width, row: row, style: style)
        let rightText = truncated(right, to: max(0, grid.size.width - 2))
        let rightWidth = DisplayWidth.of(rightText)
        let leftSpace = grid.size.width - rightWidth - (rightWidth > 0 ? 3 : 2)
        let leftStyle = Style(.bar, bold: true)
        let end = grid.write(shortened(left, to: max(0, leftSpace)), column: 1, row: row, style: leftStyle)
        // The room left after a cut is padded in the title's own style, so that in ASCII the "…" can widen
        // into "..." there instead of eating the end of the last word (`Grid.asciiFolded`).
        grid.fill(columns: end..<(1 + max(0, leftSpace)), row: row, style: leftStyle)
        grid.write(rightText, column: grid.size.width - rightWidth - 1, row: row, style: style)
    }

    /// `text` cut to `width` so that its start stays and "…" says it was shortened: after the last whole word (or
    /// part of a dashed one) that fits, unless that loses more than a third of the room, then mid-word as
    /// `truncated` does. Separators left dangling at the cut ("&", "–", ",") go too.
    private static let wordEndingMarks: Set<Character> = ["–", "—", "-", "/"]
    private static let marksAfterWords: Set<Character> = [" ", ",", ";", ":", "&", "–", "—", "-", "·", "|", "/", "+"]

    static func shortened(_ text: String, to width: Int) -> String {
        guard DisplayWidth.of(text) > width else { return text }
        let cut = truncated(text, to: width)
        // One pass (the header is laid out every frame): each character kept with the width up to its end.
        var kept: [(character: Character, widthSoFar: Int)] = []
        var used = 0
        var best: (count: Int, width: Int)?
        for character in text {
            // A word ends at a space, or after a dash or slash inside it ("Hip–|Lumbar").
            if character == " " || kept.last.map({ wordEndingMarks.contains($0.character) }) == true {
                var end = kept.count
                while end > 0, marksAfterWords.contains(kept[end - 1].character) { end -= 1 }
                if end > 0, kept[end - 1].widthSoFar + 1 <= width { best = (end, kept[end - 1].widthSoFar) }
            }
            used += DisplayWidth.of(character)
            if used > width { break }
            kept.append((character, used))
        }
        guard let best, best.width + 1 >= width * 2 / 3 else { return cut }
        return String(kept.prefix(best.count).map(\.character)) + "…"
    }

    /// A key hint: the key in the key style, its meaning after it. Lower priorities are dropped first when the
    /// footer is too narrow for all of them.
    struct KeyHint {
        var key: String
        var action: String
        var priority: Int = 0

        var width: Int { DisplayWidth.of(key) + 1 + DisplayWidth.of(action) }
    }

    /// The footer row: the most important key hints that fit, shown in their given order.
    static func keys(_ grid: inout Grid, row: Int, hints: [KeyHint]) {
        grid.fill(columns: 0..<grid.size.width, row: row, style: Style(.bar))
        var shown = Set<Int>()
        var used = 0
        for index in hints.indices.sorted(by: { (hints[$0].priority, $0) < (hints[$1].priority, $1) }) {
            let needed = hints[index].width + (shown.isEmpty ? 0 : 2)
            if used + needed <= grid.size.width - 2 {
                shown.insert(index)
                used += needed
            }
        }
        var x = 1
        for (index, hint) in hints.enumerated() where shown.contains(index) {
            x = grid.write(hint.key, column: x, row: row, style: Style(.bar, bold: true))
            x = grid.write(" " + hint.action, column: x, row: row, style: Style(.bar))
            x += 2
        }
    }

    /// A line of dim text such as "Next: …".
    static func note(_ grid: inout Grid, row: Int, label: String, text: String) {
        let x = grid.write(label, column: 1, row: row, style: Style(.dim))
        grid.write(truncated(text, to: max(0, grid.size.width - x - 1)), column: x, row: row, style: Style(.dim))
    }

    /// Draws `lines` from `offset` into rows `top..<top+height`, with a scroll bar in the last column when they
    /// don't all fit. Returns the largest useful offset.
    @discardableResult
    static func scrolled(_ grid: inout Grid, lines: [StyledLine], offset: Int, top: Int, height: Int,
                         left: Int, width: Int) -> Int {
        guard height > 0 else { return 0 }
        let maximum = max(0, lines.count - height)
        let start = min(max(0, offset), maximum)
        for row in 0..<height where start + row < lines.count {
            grid.write(lines[start + row], column: left, row: top + row, limit: left + width)
        }
        if maximum > 0 {
            let column = grid.size.width - 1
            let thumbHeight = max(1, height * height / lines.count)
            let thumbTop = maximum == 0 ? 0 : (height - thumbHeight) * start / maximum
            for row in 0..<height {
                let isThumb = row >= thumbTop && row < thumbTop + thumbHeight
                grid.write(isThumb ? "┃" : "│", column: column, row: top + row, style: Style(isThumb ? .normal : .dim))
            }
            if start > 0 { grid.write("↑", column: column, row: top, style: Style(.key)) }
            if start < maximum { grid.write("↓", column: column, row: top + height - 1, style: Style(.key)) }
        }
        return maximum
    }

    /// A bordered box centred on the screen, with a title; returns the inner rectangle.
    ///
    /// Everything between the top bar and the bottom row (the keys) is blanked first, so no half-covered digit,
    /// bar or line around the box looks live. Blank rather than dim: the mono and high-contrast themes draw
    /// `.dim` at full strength, where a dimmed screen would look exactly like a live one. The box always fits
    /// between the two bars (at most the width less a column each side); callers fit their rows to the inner
    /// rectangle it returns.
    static func box(_ grid: inout Grid, title: String, width: Int, height: Int) -> (left: Int, top: Int, width: Int, height: Int) {
        clearBody(&grid)
        let boxWidth = max(0, min(width, grid.size.width - 2))
        let boxHeight = max(0, min(height, grid.size.height - 2))
        let left = (grid.size.width - boxWidth) / 2
        let top = (grid.size.height - boxHeight) / 2
        let border = Style(.heading)
        for row in top..<(top + boxHeight) {
            grid.fill(columns: left..<(left + boxWidth), row: row, style: .normal)
            grid.write("│", column: left, row: row, style: border)
            grid.write("│", column: left + boxWidth - 1, row: row, style: border)
        }
        let horizontal = String(repeating: "─", count: max(0, boxWidth - 2))
        grid.write("┌" + horizontal + "┐", column: left, row: top, style: border)
        grid.write("└" + horizontal + "┘", column: left, row: top + boxHeight - 1, style: border)
        grid.write(" " + truncated(title, to: boxWidth - 6) + " ", column: left + 2, row: top,
                   style: Style(.heading, bold: true))
        return (left + 2, top + 1, boxWidth - 4, boxHeight - 2)
    }

    /// The width `box` gives a box asked to be `width` wide, and the width inside its border and margins.
    static func boxInnerWidth(_ grid: Grid, width: Int) -> Int {
        max(0, min(width, grid.size.width - 2) - 4)
    }

    /// Blanks every row between the top bar and the bottom row, under an overlay.
    static func clearBody(_ grid: inout Grid) {
        for row in 1..<max(1, grid.size.height - 1) {
            grid.fill(columns: 0..<grid.size.width, row: row, style: .normal)
        }
    }

    /// The notice shown instead of a screen that can't fit.
    static func tooSmall(_ size: Size, minimum: Size = minimumSize) -> Grid {
        var grid = Grid(size: size)
        let lines = ["Terminal too small", "Need \(minimum.width)×\(minimum.height),", "now \(size.width)×\(size.height)."]
        let top = max(0, (size.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            let text = truncated(line, to: size.width)
            grid.write(text, column: max(0, (size.width - DisplayWidth.of(text)) / 2), row: top + index,
                       style: Style(index == 0 ? .warning : .normal))
        }
        return grid
    }

    static func fits(_ size: Size, minimum: Size = minimumSize) -> Bool {
        size.width >= minimum.width && size.height >= minimum.height
    }
}

/// A laid-out screen and what the engine needs to know about it to scroll.
public struct Screen: Sendable {
    public var grid: Grid
    /// How far the body can scroll, and how many lines a page holds.
    public var maximumScroll: Int
    public var pageSize: Int
    /// Where the note being written is shown from when it scrolls sideways (`SessionEngine.keepNoteScroll`).
    public var noteFirstVisible: Int?

    public init(grid: Grid, maximumScroll: Int, pageSize: Int, noteFirstVisible: Int? = nil) {
        self.grid = grid
        self.maximumScroll = maximumScroll
        self.pageSize = pageSize
        self.noteFirstVisible = noteFirstVisible
    }
}

/// A one-line notice under a whole screen (a content edit that couldn't be used, say): the screen is laid out
/// one row shorter, so nothing on it, the safety note and the keys included, is covered.
public enum NoticeLine {
    /// The size the screen itself is laid out in: a row less when the notice shows.
    public static func contentSize(size: Size, notice: String?) -> Size {
        guard notice != nil, size.height >= 10, Chrome.fits(size) else { return size }
        return Size(width: size.width, height: size.height - 1)
    }

    public static func compose(size: Size, notice: String?, render: (Size) -> Grid) -> Grid {
        let inner = contentSize(size: size, notice: notice)
        guard let notice, inner != size else { return render(size) }
        let screen = render(inner)
        var grid = Grid(size: size)
        for row in 0..<screen.size.height {
            for column in 0..<screen.size.width { grid[column, row] = screen[column, row] }
        }
        let row = size.height - 1
        grid.fill(columns: 0..<size.width, row: row, style: Style(.warning))
        grid.write(truncated("⚠ " + notice, to: size.width - 2), column: 1, row: row, style: Style(.warning, bold: true))
        return grid
    }
}
