import Foundation
import SessionGuideContent
import SessionGuideHandout
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The shipped content, and small libraries made of in-memory files.
private enum Library {
    static let contentFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Content").path

    static func shipped() throws -> ContentLibrary { try ContentLoader.load([contentFolder]) }

    static func of(_ files: [String: String]) -> ContentLibrary {
        ContentLibrary(files: files.map { DocumentParser.parse(text: $0.value, path: $0.key) })
    }
}

/// A drill whose every piece of text tries to be markup.
private let hostileDrill = """
    ---
    kind: drill
    id: hostile
    title: "Bad <script>alert(1)</script> drill"
    purpose: "Purpose <img src=x onerror=alert(2)> & more"
    equipment: "a mat\\" onload=\\"alert(3)"
    work: 30s
    ---
    # Steps
    1. Step <script>alert(1)</script> one.
    2. Already escaped &lt;b&gt; stays as typed & so does &amp;.

    # Figures
    ```figure Start <b>bold</b> & </pre>
     <o>
     </pre>&
    ```

    # Cues
    - Cue <i>x</i>

    # Safety
    Pain-free, controlled movement <script>x()</script>; stop if it hurts.
    """

private let hostileRoutine = """
    ---
    kind: routine
    id: hostile-routine
    title: "Routine </title><script>alert(4)</script>"
    goal: "Goal <b>"
    safety: "Pain-free, controlled movement <script>alert(5)</script>"
    ---
    Homework: <script>alert(6)</script> twice a day.

    [drill: hostile]
    """

/// The parsed page, which must be well-formed XML (the handout is written as XHTML-compatible HTML).
private func parse(_ html: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> XMLDocument {
    do {
        return try XMLDocument(xmlString: html, options: [])
    } catch {
        Issue.record("handout is not well-formed: \(error)\n\(html.prefix(3_000))", sourceLocation: sourceLocation)
        throw error
    }
}

private func texts(_ document: XMLDocument, _ xpath: String) throws -> [String] {
    try document.nodes(forXPath: xpath).map { $0.stringValue ?? "" }
}

@Suite("Printable HTML handouts")
struct HandoutTests {
    @Test("every shipped document makes a well-formed page with nothing to fetch and nothing to run")
    func everyShippedDocument() throws {
        let library = try Library.shipped()
        #expect(library.documents.count >= 14)
        for document in library.documents {
            let html = Handout.html(for: document, library: library)
            #expect(html.hasPrefix("<!DOCTYPE html><html lang=\"en\">"), "\(document.id)")
            let page = try parse(html)
            #expect(try texts(page, "/html/head/title") == [document.title], "\(document.id)")
            #expect(try page.nodes(forXPath: "//script | //link | //img | //iframe | //*[@src] | //*[@href]").isEmpty,
                    "\(document.id)")
            #expect(try page.nodes(forXPath: "/html/head/meta[@charset='UTF-8']").count == 1, "\(document.id)")
        }
    }

    @Test("content that looks like markup comes out as text")
    func escapesContent() throws {
        let library = Library.of(["hostile.md": hostileDrill, "routine.md": hostileRoutine])
        // The tags are named by `check` (they are not read), and nothing else is wrong.
        #expect(library.diagnostics.allSatisfy { $0.severity == .warning && $0.message.hasPrefix("HTML is not read") },
                "\(library.diagnostics)")
        for id in ["hostile", "hostile-routine"] {
            let document = try #require(library.document(id: id))
            let html = Handout.html(for: document, library: library)
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(id)")
            #expect(!html.contains("<script"), "\(id)")
            #expect(!html.contains("<img"), "\(id)")
            #expect(!html.contains("<b>") && !html.contains("<i>"), "\(id)")
            let page = try parse(html)
            #expect(try page.nodes(forXPath: "//script | //img | //b | //i").isEmpty, "\(id)")
            // Read back, every piece of text is exactly what the file says.
            #expect(try texts(page, "//article//ol/li").first == "Step <script>alert(1)</script> one.")
            #expect(try texts(page, "//article//ol/li").last
                == "Already escaped &lt;b&gt; stays as typed & so does &amp;.")
            #expect(try texts(page, "//figure/pre") == ["<o>\n</pre>&"])
            #expect(try texts(page, "//figcaption") == ["Start <b>bold</b> & </pre>"])
            #expect(try texts(page, "//dd").contains("a mat\" onload=\"alert(3)"))
        }
        let drill = try parse(Handout.html(for: try #require(library.document(id: "hostile")), library: library))
        #expect(try texts(drill, "//p[@class='purpose']") == ["Purpose <img src=x onerror=alert(2)> & more"])
        #expect(try texts(drill, "//ul[@class='cues']/li") == ["Cue <i>x</i>"])
        let routine = try parse(Handout.html(for: try #require(library.document(id: "hostile-routine")), library: library))
        #expect(try texts(routine, "/html/head/title") == ["Routine </title><script>alert(4)</script>"])
        #expect(try texts(routine, "//section[@class='notes']/p") == ["Homework: <script>alert(6)</script> twice a day."])
        #expect(try texts(routine, "//header/div[@class='safety']").first?.contains("<script>alert(5)</script>") == true)
    }

    @Test("a routine's handout: every drill with its figures, steps, timing and safety note, and the notes")
    func routineHandout() throws {
        let library = try Library.shipped()
        guard case .routine(let routine)? = library.document(id: "daily-hip-back") else {
            Issue.record("daily-hip-back is missing")
            return
        }
        let page = try parse(Handout.html(for: .routine(routine), library: library))
        let drills = routine.drills.compactMap(library.resolve)
        #expect(drills.count == 8)
        // In two columns, the first half of the drills on the left: reading order is the routine's order.
        let cards = try page.nodes(forXPath: "//section[@class='drills']/div[@class='column']/article")
        #expect(cards.count == drills.count)
        #expect(try page.nodes(forXPath: "//section[@class='drills']/div[@class='column'][1]/article").count == 4)
        for (number, (card, resolved)) in zip(cards, drills).enumerated() {
            let drill = resolved.drill
            #expect(try card.nodes(forXPath: "h2").first?.stringValue == "\(number + 1) \(drill.title)")
            #expect(try card.nodes(forXPath: ".//figure/pre").map { $0.stringValue ?? "" }
                == drill.figures.map { $0.lines.joined(separator: "\n") })
            #expect(try card.nodes(forXPath: ".//figcaption").map { $0.stringValue ?? "" } == drill.figures.map(\.caption))
            #expect(try card.nodes(forXPath: ".//ol/li").map { $0.stringValue ?? "" } == drill.steps.map(\.plainText))
            let facts = card.stringValue ?? ""
            // The timing as this routine sets it (its overrides applied), per side where the drill is.
            #expect(facts.contains(TimingDescription.describe(resolved.timing)), "\(drill.id)")
            #expect(facts.contains("each side") == resolved.timing.perSide, "\(drill.id)")
            let safety = try card.nodes(forXPath: ".//div[@class='safety']").first?.stringValue ?? ""
            #expect(safety.contains("pain-free, controlled movement"), "\(drill.id)")
        }
        let header = try texts(page, "//header").first ?? ""
        #expect(header.contains(routine.title))
        #expect(header.contains(routine.safety))
        #expect(header.contains("About 10 min 17 s in all · 8 drills · 15 s rest between drills"))
        let notes = try texts(page, "//section[@class='notes']").first ?? ""
        #expect(notes.contains("This routine takes about ten minutes, once a day."))
    }

    @Test("a drill's handout has the drill alone, with its cues")
    func drillHandout() throws {
        let library = try Library.shipped()
        let document = try #require(library.document(id: "hip-flexor-stretch"))
        let page = try parse(Handout.html(for: document, library: library))
        #expect(try texts(page, "//h1") == ["Active hip flexor stretch"])
        #expect(try page.nodes(forXPath: "//article").count == 1)
        #expect(try page.nodes(forXPath: "//figure").count == 2)
        #expect(try texts(page, "//ul[@class='cues']/li").first == "Tall chest, tailbone tucked.")
        #expect(try texts(page, "//dd").first == "2 sets × 30 s hold, each side; 10 s rest between sets (2 min 20 s in all)")
    }

    @Test("a session's handout has every step in order, its drills written out and its scripts marked")
    func sessionHandout() throws {
        let library = try Library.shipped()
        guard case .session(let session)? = library.document(id: "treatment-08") else {
            Issue.record("treatment-08 is missing")
            return
        }
        let page = try parse(Handout.html(for: .session(session), library: library))
        let headings = try texts(page, "//section[@class='step']/h2")
        #expect(headings.count == session.steps.count)
        for (heading, step) in zip(headings, session.steps) {
            #expect(heading.hasSuffix(step.title.plainText), "\(heading)")
        }
        #expect(try page.nodes(forXPath: "//section[@class='step']//article[@class='drill']").count == 3)
        #expect(try texts(page, "//div[@class='script']/p[@class='label']").allSatisfy { $0.contains("herapist") })
    }

    @Test("printable: a page rule, print styles, and drill cards kept whole")
    func printStyles() throws {
        let library = try Library.shipped()
        let html = Handout.html(for: try #require(library.document(id: "starter-5")), library: library)
        #expect(html.contains("@page"))
        #expect(html.contains("@media print"))
        #expect(html.contains("break-inside: avoid"))
        #expect(!html.contains("http"))
        #expect(!html.contains("url("))
    }
}

@Suite("Pasted Markdown in handouts")
struct PastedMarkdownHandoutTests {
    @Test func tablesAreTablesAndLinksShowTheirAddress() throws {
        let library = Library.of(["decks/hours.md": """
            ---
            kind: deck
            id: hours
            title: Opening hours
            ---
            # When we are open

            | Day | Hours |
            |---|---|
            | Monday | 8:00–18:00 |
            | Saturday | 9:00–12:00 <script>x</script> |

            Book at [the front desk](https://example.org/book?a=1&b=2).
            """])
        let document = try #require(library.document(id: "hours"))
        let page = try parse(Handout.html(for: document, library: library))
        #expect(try texts(page, "//table/thead/tr/th") == ["Day", "Hours"])
        #expect(try texts(page, "//table/tbody/tr/td") == ["Monday", "8:00–18:00", "Saturday", "9:00–12:00 <script>x</script>"])
        #expect(try texts(page, "//p").contains("Book at the front desk (https://example.org/book?a=1&b=2)."))
        // The address is text, never a link or markup.
        #expect(try page.nodes(forXPath: "//a | //script | //*[@href]").isEmpty)
    }

    @Test func anImageIsItsWordsAndHTMLIsText() throws {
        let library = Library.of(["decks/park.md": """
            ---
            kind: deck
            id: park
            title: Parking
            ---
            # Parking
            ![A map of the car park](map.png) Parking is <b>free</b>.
            """])
        let document = try #require(library.document(id: "park"))
        let html = Handout.html(for: document, library: library)
        let page = try parse(html)
        #expect(try texts(page, "//p").contains("A map of the car park Parking is <b>free</b>."))
        #expect(try page.nodes(forXPath: "//img | //b").isEmpty)
        #expect(!html.contains("map.png"))
    }
}
