import Testing
@testable import SessionGuideContent

/// Markdown that clinic staff paste from elsewhere: tables, links, images, HTML and deeper headings are either
/// shown properly or named by `check` with their line and column.
@Suite struct PastedMarkdownTests {
    private static func deck(_ body: String) -> String {
        "---\nkind: deck\nid: pasted\ntitle: Pasted\n---\n# Slide\n" + body
    }

    private static func parse(_ body: String) -> ParsedFile {
        DocumentParser.parse(text: deck(body), path: "decks/pasted.md")
    }

    private static func blocks(_ body: String) -> [Block] {
        guard case .deck(let deck)? = parse(body).document else { return [] }
        return deck.slides.first?.blocks ?? []
    }

    @Test func aTableIsReadWithItsHeaderAndRows() throws {
        let blocks = Self.blocks("""
            | Day | Hours |
            |:----|------:|
            | Monday | 9–17 |
            | Saturday |
            """)
        guard case .table(let table)? = blocks.first else {
            Issue.record("not a table: \(blocks)")
            return
        }
        #expect(table.header.map(\.plainText) == ["Day", "Hours"])
        #expect(table.rows.map { $0.map(\.plainText) } == [["Monday", "9–17"], ["Saturday", ""]])
        #expect(table.location.line == 7)
        #expect(Self.parse("| a | b |\n|---|---|\n| 1 | 2 |").diagnostics.isEmpty)
    }

    @Test func pipeLinesWithoutTheDashLineAreText() {
        let blocks = Self.blocks("| not | a table |\nmore text")
        guard case .paragraph(let text)? = blocks.first else {
            Issue.record("\(blocks)")
            return
        }
        #expect(text.plainText.hasPrefix("| not | a table |"))
    }

    @Test func aRowWithTooManyCellsIsNamed() {
        let file = Self.parse("| a | b |\n|---|---|\n| 1 | 2 | 3 |")
        #expect(file.diagnostics.map(\.message) == ["this row has 3 cells and the header 2; the cells past the last column are left out"])
        #expect(file.diagnostics.first?.location.line == 9)
    }

    @Test func linksKeepTheirWordsAndAddress() {
        let text = InlineParser.parse("See [our *hours*](https://example.org/h) or \\[not a link](x).")
        #expect(text.inlines == [.text("See "), .link([.text("our "), .emphasis([.text("hours")])], url: "https://example.org/h"),
                                 .text(" or [not a link](x).")])
        #expect(text.plainText == "See our hours or [not a link](x).")
        // Brackets without an address, or with a space in it, are text.
        #expect(InlineParser.parse("[1] and [a](b c)").plainText == "[1] and [a](b c)")
    }

    @Test func imagesAndHTMLAreNamedWithTheirColumn() {
        let file = Self.parse("A map: ![the clinic](map.png) and <b>bold</b>.")
        #expect(file.diagnostics.map(\.severity) == [.warning, .warning])
        #expect(file.diagnostics.map(\.location.column) == [8, 35])
        #expect(file.diagnostics[0].message.hasPrefix("images are not shown"))
        #expect(file.diagnostics[1].message.hasPrefix("HTML is not read"))
        // The image's words stay; "a < b" and an escaped tag are text.
        guard case .paragraph(let text)? = Self.blocks("A map: ![the clinic](map.png).").first else {
            Issue.record("not a paragraph")
            return
        }
        #expect(text.plainText == "A map: the clinic.")
        #expect(Self.parse("If a < b and 3<4, fine; \\<b> too.").diagnostics.isEmpty)
    }

    @Test func aDeeperHeadingIsOneErrorAndItsWordsStay() {
        let file = Self.parse("Text.\n\n### Small heading\n\nMore.")
        #expect(file.diagnostics.count == 1)
        #expect(file.diagnostics.first?.message
            == "only '#' and '##' headings are used; this one has 3 '#': make it a '#' heading, or bold text (**like this**)")
        let session = DocumentParser.parse(text: "---\nkind: session\nid: s\ntitle: S\n---\n# A\n### B\n", path: "s.md")
        #expect(session.diagnostics.map(\.message) == ["only '#' and '##' headings are used; this one has 3 '#': make it a "
            + "'#' or '##' heading, or bold text (**like this**)"])
    }

    @Test func aTableFitsItsWidthWrapsInsideCellsAndFallsBackWhenTooNarrow() {
        let table = Table(header: [RichText(plain: "Day"), RichText(plain: "Notes")],
                          rows: [[RichText(plain: "Monday"), RichText(plain: "Walk-in in the morning, appointments later")]],
                          location: SourceLocation(path: "t.md", line: 1, column: 1))
        let wide = TableText.lines(table, width: 80).map(\.text)
        #expect(wide == ["Day    │ Notes", "───────┼───────────────────────────────────────────",
                         "Monday │ Walk-in in the morning, appointments later"])
        let narrow = TableText.lines(table, width: 30).map(\.text)
        #expect(narrow.allSatisfy { DisplayWidth.of($0) <= 30 })
        #expect(narrow.count > 3)
        #expect(narrow.joined(separator: " ").contains("appointments"))
        let fallback = TableText.lines(table, width: 14).map(\.text)
        #expect(fallback.joined(separator: " ").contains("Day: Monday"), "\(fallback)")
        #expect(fallback.allSatisfy { DisplayWidth.of($0) <= 14 })
        #expect(TableText.lines(table, width: 80, ascii: true)[1].text.hasPrefix("-------+-"))
    }

    @Test func printWritesTablesAndLinkAddresses() throws {
        let file = Self.parse("| Day | Hours |\n|---|---|\n| Monday | 9–17 |\n\nSee [our site](https://example.org).")
        let library = ContentLibrary(files: [file])
        let document = try #require(library.document(id: "pasted"))
        let text = DocumentPrinter(library: library, format: .text, width: 60).render(document)
        #expect(text.contains("  Day    │ Hours\n  ───────┼──────\n  Monday │ 9–17"), "\(text)")
        #expect(text.contains("See our site (https://example.org)."))
        let markdown = DocumentPrinter(library: library, format: .markdown, width: 60).render(document)
        #expect(markdown.contains("| Day | Hours |\n|---|---|\n| Monday | 9–17 |"), "\(markdown)")
        #expect(markdown.contains("See [our site](https://example.org)."))
    }

    @Test func printShowsAnImagesWordsAndHTMLAsTyped() throws {
        let file = Self.parse("![A map of the car park](map.png) Parking is <b>free</b>.")
        let library = ContentLibrary(files: [file])
        let document = try #require(library.document(id: "pasted"))
        let text = DocumentPrinter(library: library, format: .text, width: 80).render(document)
        #expect(text.contains("A map of the car park Parking is <b>free</b>."), "\(text)")
        #expect(!text.contains("map.png"))
    }
}

@Suite struct DrillVersionPrintTests {
    @Test func printListsADrillsEasierVersion() throws {
        let library = try Support.shippedLibrary()
        let squat = try #require(library.document(id: "functional-squat"))
        let text = DocumentPrinter(library: library, format: .text, width: 100).render(squat)
        #expect(text.contains("Easier version:\n  1. Stand in front of the chair as usual"), "\(text)")
        #expect(!text.contains("Harder version"))
        let cat = try #require(library.document(id: "cat-cow"))
        #expect(!DocumentPrinter(library: library, format: .text, width: 100).render(cat).contains("Easier version"))
    }
}
