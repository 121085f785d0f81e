import SessionGuideContent

/// What the terminal is sent for one grid cell, so that the cell takes exactly the cells the width table gives
/// it. Pure: the terminal layer hands each glyph to ncurses (`setcchar`, `mvwadd_wch`) and draws the rest blank.
///
/// ncurses keeps one spacing character per cell plus at most `CCHARW_MAX - 1` marks, and moves its cursor by
/// the C library's `wcwidth` of that character; terminals advance the same way. Measured in tmux 3.3a (glibc
/// 2.36): a skin tone is a second wide character (👍🏽 takes 4 cells), a ZWJ joins the next emoji into its cell,
/// VS16 does not widen a narrow emoji (❤️ takes 1), each regional indicator takes 1. Graphemes the terminal
/// would draw at another width than the table are drawn as a stand-in of the table's width instead.
public enum TerminalGlyphs {
    /// One ncurses cell: a spacing character and its marks, `offset` cells right of the grid cell.
    public struct Glyph: Hashable, Sendable {
        public var offset: Int
        public var scalars: [Unicode.Scalar]

        public init(offset: Int, _ scalars: [Unicode.Scalar]) {
            self.offset = offset
            self.scalars = scalars
        }
    }

    /// ncurses' `CCHARW_MAX`: the characters one cell holds, the spacing one included.
    public static let scalarsPerCell = 5

    /// The glyphs for `character`, which takes `width` cells by the table; cells no glyph covers are drawn
    /// blank. Every glyph's width as the terminal counts it fits inside `width`.
    public static func glyphs(for character: Character, width: Int) -> [Glyph] {
        guard width > 0 else { return [] }
        let scalars = Array(character.unicodeScalars)
        if scalars.count == 1, scalars[0].isASCII { return [Glyph(offset: 0, scalars)] }

        // A flag (or a lone regional indicator) as its letters: 🇺🇸 is "US".
        if let first = scalars.first, isRegionalIndicator(first.value) {
            let letters = scalars.prefix(2).filter { isRegionalIndicator($0.value) }
            return letters.prefix(width).enumerated().compactMap { index, scalar in
                Unicode.Scalar(scalar.value - 0x1F1E6 + 0x41).map { Glyph(offset: index, [$0]) }
            }
        }

        // An emoji sequence (ZWJ, skin tone, VS16 on a narrow base) as its first emoji alone, padded.
        let joins = scalars.contains { $0.value == 0x200D || isSkinTone($0.value) }
        let presentation = scalars.contains { $0.value == 0xFE0F }
        if let base = scalars.first, joins || presentation, DisplayWidth.of(base) > 0 {
            if joins || DisplayWidth.of(base) < 2 {
                let marks = scalars.dropFirst().prefix { $0.value != 0x200D }.filter(isKeptMark)
                    .prefix(scalarsPerCell - 1)
                return fitted([Glyph(offset: 0, [base] + marks)], width: width)
            }
        }

        // Anything else: one ncurses cell per spacing character, its marks with it (an Indic cluster such as
        // स्ते is two cells, स् and ते), with no joiner left to glue a cell to the next.
        var glyphs: [Glyph] = []
        var offset = 0
        for scalar in scalars where scalar.value != 0x200D {
            let cells = DisplayWidth.of(scalar)
            if cells == 0 {
                if var last = glyphs.last, last.scalars.count < scalarsPerCell {
                    last.scalars.append(scalar)
                    glyphs[glyphs.count - 1] = last
                }
                continue
            }
            glyphs.append(Glyph(offset: offset, [scalar]))
            offset += cells
        }
        return fitted(glyphs, width: width)
    }

    /// Cells the terminal gives a glyph: its spacing character's width.
    public static func terminalWidth(of glyph: Glyph) -> Int {
        glyph.scalars.first.map { DisplayWidth.of($0) } ?? 0
    }

    /// The glyphs when they fit inside `width` (the rest is drawn blank); a replacement character otherwise, so
    /// that the row keeps its width whatever the grapheme was.
    private static func fitted(_ glyphs: [Glyph], width: Int) -> [Glyph] {
        let end = glyphs.map { $0.offset + terminalWidth(of: $0) }.max() ?? 0
        if !glyphs.isEmpty, end <= width { return glyphs }
        return [Glyph(offset: 0, ["\u{FFFD}"])]
    }

    /// Marks kept beside an emoji's stand-in: enclosing and nonspacing marks (a keycap's ⃣), not the joiners,
    /// skin tones and presentation selectors that the terminal would count differently.
    private static func isKeptMark(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return DisplayWidth.of(scalar) == 0 && value != 0x200D && value != 0xFE0F && value != 0xFE0E
    }

    private static func isRegionalIndicator(_ value: UInt32) -> Bool { (0x1F1E6...0x1F1FF).contains(value) }
    private static func isSkinTone(_ value: UInt32) -> Bool { (0x1F3FB...0x1F3FF).contains(value) }
}
