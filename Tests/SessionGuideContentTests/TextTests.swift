import Testing
@testable import SessionGuideContent

@Suite("Inline text, display width, wrapping and suggestions")
struct TextTests {
    @Test func emphasisAndStrong() {
        let text = InlineParser.parse("Keep it *slow* and **controlled**, _always_ __calm__.")
        #expect(text.inlines == [
            .text("Keep it "), .emphasis([.text("slow")]), .text(" and "), .strong([.text("controlled")]),
            .text(", "), .emphasis([.text("always")]), .text(" "), .strong([.text("calm")]), .text("."),
        ])
        #expect(text.plainText == "Keep it slow and controlled, always calm.")
    }

    @Test func nestedEmphasis() {
        #expect(InlineParser.parse("**very *slow* now**").inlines == [
            .strong([.text("very "), .emphasis([.text("slow")]), .text(" now")]),
        ])
    }

    @Test func literalMarkers() {
        #expect(InlineParser.parse("snake_case_name stays").plainText == "snake_case_name stays")
        #expect(InlineParser.parse("2 * 3 * 4").plainText == "2 * 3 * 4")
        #expect(InlineParser.parse("an *unclosed marker").plainText == "an *unclosed marker")
        #expect(InlineParser.parse(#"a \*literal\* star"#).inlines == [.text("a *literal* star")])
        #expect(InlineParser.parse("tabs\tbecome spaces").plainText == "tabs become spaces")
    }

    @Test("plan typography survives", arguments: ["Hips = mobility joints.", "move more → strain",
                                                   "“Free hips — a team.”", "Treatment 8 – Hip–Lumbar"])
    func typography(text: String) {
        #expect(InlineParser.parse(text).plainText == text)
    }

    @Test func manyUnmatchedMarkersStayLinear() {
        // Each marker without a closer must not rescan the rest of the line: every one of them stays plain
        // text. (How fast is the benchmark's question, not a test's: a test never times real work.)
        let line = String(repeating: "*a _b ", count: 1_600)
        #expect(InlineParser.parse(line).plainText == line)
    }

    @Test func displayWidths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("→ – — “”") == 8)
        #expect(DisplayWidth.of("日本") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)  // e + combining acute
        #expect(DisplayWidth.of("👍") == 2)
        #expect(DisplayWidth.of("\u{200B}") == 0)
    }

    @Test func wrapsByDisplayWidth() {
        #expect(TextWrapper.wrap("one two three four", width: 9) == ["one two", "three", "four"])
        #expect(TextWrapper.wrap("日本語の文章", width: 5) == ["日本", "語の", "文章"])
        #expect(TextWrapper.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(TextWrapper.wrap("", width: 10) == [""])
        for line in TextWrapper.wrap(String(repeating: "word ", count: 50), width: 17) {
            #expect(DisplayWidth.of(line) <= 17)
        }
    }

    @Test func suggestions() {
        #expect(Suggestion.closest(to: "tilte", in: ["title", "kind", "id"]) == "title")
        #expect(Suggestion.closest(to: "cat-cw", in: ["cat-cow", "hip-rocks"]) == "cat-cow")
        #expect(Suggestion.closest(to: "sesion", in: ["session", "drill", "routine", "deck"]) == "session")
        #expect(Suggestion.closest(to: "treatment-8", in: ["treatment-08"]) == "treatment-08")
        #expect(Suggestion.closest(to: "xyz", in: ["title", "kind"]) == nil)
        #expect(Suggestion.hint(for: "title", in: ["title"]) == "")
        #expect(Suggestion.editDistance(Array("ab".unicodeScalars), Array("ba".unicodeScalars)) == 1)
    }
}
