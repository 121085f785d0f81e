import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout
import Testing

/// A pasted table and link on a kiosk slide and on a session's step, as the screen draws them.
@Suite("Pasted Markdown: screen snapshots")
struct PastedMarkdownSnapshotTests {
    private static let deckText = """
        ---
        kind: deck
        id: hours
        title: Opening hours
        ---
        # When we are open

        | Day | Hours | Notes |
        |---|---|---|
        | Monday to Friday | 8:00–18:00 | Appointments all day, and walk-in from 8 to 10 |
        | Saturday | 9:00–12:00 | Appointments only |

        Book at [the front desk](https://example.org/book) or by phone.

        # Pasted from a web page
        ![A map of the car park](map.png) Parking is behind the building, <b>free</b> for patients.
        """

    private func deck() throws -> Deck {
        let library = ContentLibrary(files: [DocumentParser.parse(text: Self.deckText, path: "decks/hours.md")])
        guard case .deck(let deck)? = library.document(id: "hours") else {
            throw Shipped.Missing(description: "the test deck did not parse: \(library.diagnostics)")
        }
        return deck
    }

    @Test("a slide with a table and a link", arguments: [Size(width: 80, height: 24), Size(width: 40, height: 12),
                                                          Size(width: 120, height: 40)])
    func slide(size: Size) throws {
        let engine = KioskEngine(deck: try deck(), options: .init(shiftMilliseconds: 0), at: .ms(0))
        let grid = KioskScreen.render(engine, at: .ms(1_000), wall: WallTime(weekday: 3, hour: 10, minute: 5), size: size)
        let text = grid.text
        // The link is its words, never its address; the table's cells line up under their headers. (At 40×12
        // the slide is cut with "…": what `check` warns about.)
        #expect(!text.contains("https://"))
        if size.width >= 80 {
            #expect(text.contains("the front desk"))
            let header = text.split(separator: "\n").first { $0.contains("Day") && $0.contains("Hours") } ?? ""
            let saturday = text.split(separator: "\n").first { $0.contains("Saturday") } ?? ""
            #expect(header.firstIndex(of: "│") != nil)
            #expect(header.distance(from: header.startIndex, to: header.firstIndex(of: "│")!)
                == saturday.distance(from: saturday.startIndex, to: saturday.firstIndex(of: "│") ?? saturday.startIndex))
        }
        assertScreen(grid, named: "pasted-table-slide-\(size.name)")
    }

    @Test func anImageShowsItsWordsAndHTMLItsCharacters() throws {
        var engine = KioskEngine(deck: try deck(), options: .init(shiftMilliseconds: 0), at: .ms(0))
        _ = engine.handle(.right, at: .ms(1_000), screenWidth: 80, wall: WallTime(weekday: 3, hour: 10, minute: 5))
        let grid = KioskScreen.render(engine, at: .ms(1_000), wall: WallTime(weekday: 3, hour: 10, minute: 5),
                                      size: Size(width: 80, height: 24))
        #expect(grid.text.contains("A map of the car park Parking is behind the building, <b>free</b> for"))
        #expect(!grid.text.contains("map.png"))
        assertScreen(grid, named: "pasted-image-html-slide-80x24")
    }
}
