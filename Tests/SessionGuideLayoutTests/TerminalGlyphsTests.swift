import SessionGuideContent
import Testing
@testable import SessionGuideLayout

/// What reaches ncurses for each grapheme: whole when the terminal counts it as the table does, a stand-in of
/// exactly the table's width when it does not (measured in tmux 3.3a, see TerminalGlyphs).
struct TerminalGlyphsTests {
    typealias Glyph = TerminalGlyphs.Glyph

    static func glyphs(_ character: Character) -> [Glyph] {
        TerminalGlyphs.glyphs(for: character, width: DisplayWidth.of(character))
    }

    static func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }

    @Test func plainCharactersAreSentWhole() {
        #expect(Self.glyphs("a") == [Glyph(offset: 0, ["a"])])
        #expect(Self.glyphs("漢") == [Glyph(offset: 0, ["漢"])])
        #expect(Self.glyphs("👍") == [Glyph(offset: 0, ["👍"])])
        #expect(Self.glyphs("e\u{301}") == [Glyph(offset: 0, Self.scalars("e\u{301}"))])
        #expect(Self.glyphs("\u{AD}") == [Glyph(offset: 0, ["\u{AD}"])])  // a soft hyphen: 1 cell everywhere
        #expect(Self.glyphs("⌚\u{FE0E}") == [Glyph(offset: 0, Self.scalars("⌚\u{FE0E}"))])
        #expect(Self.glyphs("👍\u{FE0F}") == [Glyph(offset: 0, Self.scalars("👍\u{FE0F}"))])  // already wide
    }

    @Test func aSkinToneIsDroppedForItsBase() {
        // tmux draws the modifier as a second wide character: 👍🏽 would take 4 cells.
        #expect(Self.glyphs("👍🏽") == [Glyph(offset: 0, ["👍"])])
        #expect(Self.glyphs("🏽") == [Glyph(offset: 0, ["🏽"])])  // alone it is one wide character
    }

    @Test func aZWJSequenceIsDrawnAsItsFirstEmoji() {
        #expect(Self.glyphs("👨‍👩‍👧") == [Glyph(offset: 0, ["👨"])])
        #expect(Self.glyphs("👩🏽‍🔬") == [Glyph(offset: 0, ["👩"])])
        // A narrow first emoji keeps the table's 2 cells with a blank: 🏳️‍🌈 is 🏳 and a space.
        #expect(Self.glyphs("🏳️‍🌈") == [Glyph(offset: 0, ["🏳"])])
        #expect(TerminalGlyphs.glyphs(for: "🏳️‍🌈", width: 2).map(TerminalGlyphs.terminalWidth) == [1])
    }

    @Test func noJoinerReachesTheTerminal() {
        // A dangling ZWJ makes tmux glue the next character into the cell.
        #expect(Self.glyphs("a\u{200D}") == [Glyph(offset: 0, ["a"])])
        #expect(Self.glyphs("👍\u{200D}") == [Glyph(offset: 0, ["👍"])])
        #expect(TerminalGlyphs.glyphs(for: "\u{200D}", width: 0).isEmpty)
    }

    @Test func vs16OnANarrowBaseIsDrawnNarrowAndPadded() {
        // tmux ignores VS16: ❤️ takes 1 cell there, 2 by the table.
        #expect(Self.glyphs("❤️") == [Glyph(offset: 0, ["❤"])])
        #expect(Self.glyphs("1️⃣") == [Glyph(offset: 0, Self.scalars("1\u{20E3}"))])
    }

    @Test func flagsAreDrawnAsTheirLetters() {
        #expect(Self.glyphs("🇺🇸") == [Glyph(offset: 0, ["U"]), Glyph(offset: 1, ["S"])])
        #expect(Self.glyphs("🇺") == [Glyph(offset: 0, ["U"])])
    }

    @Test func anIndicClusterIsOneCellPerLetter() {
        let clusters = Array("नमस्ते")
        #expect(clusters.count == 3)
        #expect(Self.glyphs(clusters[2]) == [Glyph(offset: 0, Self.scalars("स्")), Glyph(offset: 1, Self.scalars("ते"))])
        #expect(Self.glyphs(Character("क्षि" as String)) == [Glyph(offset: 0, Self.scalars("क्")), Glyph(offset: 1, ["ष"]),
                                          Glyph(offset: 2, ["\u{93F}"])])
    }

    @Test func tooManyMarksAreCutAtTheCellLimit() {
        let zalgo = Character("a" + String(repeating: "\u{301}", count: 9))
        #expect(Self.glyphs(zalgo) == [Glyph(offset: 0, ["a", "\u{301}", "\u{301}", "\u{301}", "\u{301}"])])
    }

    @Test func aGlyphTooWideForItsCellsBecomesAReplacement() {
        // A wide character whose second cell the layout wrote over.
        #expect(TerminalGlyphs.glyphs(for: "漢", width: 1) == [Glyph(offset: 0, ["\u{FFFD}"])])
    }

    /// Every grapheme of the classes: the glyphs, as the terminal counts them, never pass the table width,
    /// never overlap, hold at most CCHARW_MAX characters and never a joiner, a skin tone or a regional indicator.
    @Test(arguments: ["👍🏽", "🇺🇸", "🇬🇧", "🇺", "नमस्ते", "हिन्दी", "क्षत्रिय", "👨‍👩‍👧‍👦", "👩‍❤️‍💋‍👨", "🏴‍☠️", "❤️", "☺️", "⌚︎", "#️⃣",
                      "a\u{200D}", "\u{200D}", "a\u{AD}b", "漢字", "한국어", "กำ", "שלום", "e\u{301}\u{302}"])
    func glyphsKeepTheTableWidth(text: String) {
        for character in text {
            let width = DisplayWidth.of(character)
            var end = 0
            for glyph in TerminalGlyphs.glyphs(for: character, width: width) {
                #expect(glyph.offset >= end)
                end = glyph.offset + TerminalGlyphs.terminalWidth(of: glyph)
                #expect(TerminalGlyphs.terminalWidth(of: glyph) > 0)
                #expect(glyph.scalars.count <= TerminalGlyphs.scalarsPerCell)
                #expect(!glyph.scalars.contains { $0.value == 0x200D || (0x1F1E6...0x1F1FF).contains($0.value)
                    || (0x1F3FB...0x1F3FF).contains($0.value) && glyph.scalars.count > 1 })
            }
            #expect(end <= width)
        }
    }

    @Test func theGridCoversEveryCellOfACluster() {
        var grid = Grid(size: Size(width: 12, height: 1))
        let end = grid.write("नमस्ते👍🏽🇺🇸|", column: 0, row: 0)
        #expect(end == 9)  // 4 + 2 + 2 + 1
        #expect(grid[8, 0].character == "|")
        #expect(grid[3, 0].isContinuation)  // स्ते: two letters, two cells
        #expect(grid.text == "नमस्ते👍🏽🇺🇸|")
    }
}
