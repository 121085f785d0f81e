import Testing
@testable import SessionGuideContent
@testable import SessionGuideLayout

@Suite("the screen's edge: what a grid lets through")
struct GridSafetyTests {
    @Test("controls, bidi overrides and separators are dropped from a row; the text around them stays in place")
    func unsafeCharactersAreDropped() {
        var grid = Grid(size: Size(width: 30, height: 1))
        let end = grid.write("a\u{1B}]0;T\u{07}b\u{9B}c\u{202E}d\u{2028}e\r\nf\u{FEFF}g", column: 0, row: 0)
        #expect(grid.text == "a]0;Tbcdefg")
        #expect(end == 11)
        let scalars = grid.cells.flatMap { $0.character.unicodeScalars }
        #expect(!scalars.contains(where: TextSafety.isUnsafe))
    }

    @Test("joiners, variation selectors and skin tones are not taken for controls")
    func graphemesStay() {
        var grid = Grid(size: Size(width: 12, height: 1))
        grid.write("👨‍👩‍👧👍🏽❤️", column: 0, row: 0)
        let characters = grid.cells.filter { !$0.isContinuation }.map(\.character)
        #expect(characters.prefix(3) == ["👨‍👩‍👧", "👍🏽", "❤️"])
    }
}
