import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout
import Testing

/// The shipped `waiting-room` deck on the kiosk screen. The deck's default dwell is 20 s; eight of its fourteen
/// slides say `[dwell: 30s]`. With the loop started at `KioskRun.start`, slide n goes up at:
///
///        0  1 Your hips and your low back (30 s)   180 000   8 Why hips get stiff
///   30 000  2 Hips move, the low back steadies    200 000   9 Could your hips be involved?
///   50 000  3 One link in a chain (30 s)          220 000  10 Who can benefit (30 s)
///   80 000  4 Tight hip flexors (30 s)            250 000  11 What therapy does (30 s)
///  110 000  5 Reaching the leg behind you         280 000  12 Massage and mobility work together
///  130 000  6 Turning at the hip                  300 000  13 Small daily habits (30 s)
///  150 000  7 Loading and unloading (30 s)        330 000  14 Ready to start? (the call to action)
///                                                 350 000  (the loop starts again)
private enum KioskRun {
    static let start: Int64 = 2_000_000

    /// A moment `milliseconds` after the loop started.
    static func after(_ milliseconds: Int64) -> Moment { .ms(start + milliseconds) }

    /// Wednesday, 10:05, inside any sensible opening hours.
    static let morning = WallTime(weekday: 3, hour: 10, minute: 5)
    /// Saturday, 12:30.
    static let saturday = WallTime(weekday: 6, hour: 12, minute: 30)

    static func deck() throws -> Deck {
        guard case .deck(let deck) = try Shipped.document("waiting-room") else {
            throw Shipped.Missing(description: "waiting-room is not a deck")
        }
        return deck
    }

    /// The engine on the shipped deck, ticked to `moment` as the app does before a draw. No burn-in shift unless
    /// asked for, so the slides' snapshots don't depend on when they were taken.
    static func engine(at moment: Moment, options: KioskEngine.Options = .init(shiftMilliseconds: 0)) throws
        -> KioskEngine
    {
        var engine = KioskEngine(deck: try deck(), options: options, at: .ms(start))
        engine.tick(at: moment)
        return engine
    }
}

/// Every size the kiosk is snapshotted at: the usual three and the Linux console (80×25) a kiosk box boots to.
private let kioskSizes = screenSizes + [Size(width: 80, height: 25)]

/// The big screens the kiosk's letters are snapshotted at: a treatment-room monitor, a waiting-room TV and a
/// large TV.
private let kioskLargeSizes = [Size(width: 120, height: 40), Size(width: 200, height: 60), Size(width: 300, height: 90)]

/// A deck read from `text` (front matter and slides), for slides the shipped deck hasn't got.
private func deck(_ text: String) throws -> Deck {
    let parsed = DocumentParser.parse(text: "---\nkind: deck\nid: test\ntitle: Test deck\n---\n" + text, path: "test.md")
    guard case .deck(let deck) = parsed.document else {
        throw Shipped.Missing(description: "not a deck: \(parsed.diagnostics)")
    }
    return deck
}

/// A slide's words as the font shows them: capitals, the long dash as the font's one dash, list markers left out.
private func letterWords(_ text: String) -> [String] {
    text.replacingOccurrences(of: "—", with: "-").uppercased().split(separator: " ").map(String.init)
        .filter { $0 != "-" && $0 != "•" }
}

/// The slide's title and text, as plain strings: each paragraph and each list item.
private func texts(of slide: Slide) -> [String] {
    [slide.title.plainText] + slide.blocks.flatMap { block -> [String] in
        switch block {
        case .paragraph(let text): [text.plainText]
        case .bulletList(let items), .numberedList(let items): items.map(\.plainText)
        default: []
        }
    }
}

/// What the slide area shows in letters, read in the order of `texts`: each run of rows with block characters
/// (the rows between blank ones) read with `BigFont.find` as the next words of the text being read (a list item's
/// first line after its "- " marker), with the rows it takes. Nil when a run isn't the words that come next.
private func readLetters(in grid: Grid, texts: [String]) -> [(text: String, height: Int)]? {
    let texts = texts.map { $0.replacingOccurrences(of: "—", with: "-").split(separator: " ").map(String.init) }
    var (text, word) = (0, 0)  // where the next run should start
    let rows = grid.text.components(separatedBy: "\n")
    let lit = { (row: String) in row.contains { "█▀▄#".contains($0) } }
    var found: [(text: String, height: Int)] = []
    var row = 1
    while row < grid.size.height - 2 {
        guard lit(rows[row]) else { row += 1; continue }
        var end = row
        while end < grid.size.height - 2, lit(rows[end]) { end += 1 }
        if text < texts.count, word == texts[text].count { (text, word) = (text + 1, 0) }
        guard text < texts.count else { return nil }
        let words = texts[text]
        // Every run of the words from here, longest first; at a text's start also with a list's marker.
        let candidates = (word + 1...words.count).reversed().flatMap { end in
            let run = words[word..<end].joined(separator: " ")
            return word == 0 ? ["- " + run, run] : [run]
        }
        guard let shown = BigFont.find(candidates, in: Array(rows[row..<end])) else { return nil }
        found.append((shown.text, end - row))
        let marked = word == 0 && shown.text.hasPrefix("- ") && words.first != "-"
        word += shown.text.split(separator: " ").count - (marked ? 1 : 0)
        row = end
    }
    return found
}

/// The row of progress dots (second row from the bottom) as the index of the filled dot, or nil.
private func filledDot(in grid: Grid) -> Int? {
    let rows = grid.text.split(separator: "\n", omittingEmptySubsequences: false)
    let dots = rows[grid.size.height - 2].filter { $0 == "●" || $0 == "○" }
    return dots.firstIndex(of: "●").map { dots.distance(from: dots.startIndex, to: $0) }
}

/// The words a screen shows in its slide area (between the top line and the dots), in reading order.
private func slideWords(in grid: Grid) -> [String] {
    let rows = grid.text.split(separator: "\n", omittingEmptySubsequences: false)
    return rows[1..<(grid.size.height - 2)].flatMap { $0.split(separator: " ").map(String.init) }
        .filter { !$0.allSatisfy { "─-•·".contains($0) } }
}

@Suite("Kiosk snapshots")
struct KioskSnapshotTests {
    @Test("headlines in block letters on big screens (the kiosk's --large default)", arguments: kioskLargeSizes)
    func bigHeadlines(size: Size) throws {
        // The first slide: "Your hips and your low back", six words, in letters (on one line or two).
        let first = KioskScreen.render(try KioskRun.engine(at: KioskRun.after(12_000)), at: KioskRun.after(12_000),
                                       wall: KioskRun.morning, size: size, large: true)
        let firstLines = first.text.components(separatedBy: "\n")
        #expect(!first.text.contains("Your hips and your low back"))
        #expect(BigFont.find(["YOUR HIPS AND YOUR LOW BACK", "YOUR HIPS", "YOUR HIPS AND", "YOUR HIPS AND YOUR"], in: firstLines) != nil,
                "\(first.text)")
        assertScreen(first, named: "kiosk-first-large-\(size.name)")
        // A four-word headline, "Why hips get stiff", on one line; at 200×60 at least 7 rows tall.
        let now = KioskRun.after(185_000)
        let engine = try KioskRun.engine(at: now)
        #expect(engine.slideIndex == 7)
        let grid = KioskScreen.render(engine, at: now, wall: KioskRun.morning, size: size, large: true)
        assertScreen(grid, named: "kiosk-four-words-large-\(size.name)")
        let headline = try #require(bigText(["WHY HIPS GET STIFF"], in: grid), "\(size.name):\n\(grid.text)")
        if size.width >= 200 { #expect(headline.height >= 7) }
    }

    @Test("the first slide", arguments: kioskSizes)
    func firstSlide(size: Size) throws {
        let now = KioskRun.after(12_000)
        let engine = try KioskRun.engine(at: now)
        #expect(engine.slideIndex == 0)
        let grid = KioskScreen.render(engine, at: now, wall: KioskRun.morning, size: size)
        assertScreen(grid, named: "kiosk-first-\(size.name)")
        #expect(grid.text.contains("10:05"))
        #expect(filledDot(in: grid) == 0 || size.width < 30)
    }

    @Test("a middle slide: the longest paragraph", arguments: kioskSizes)
    func middleSlide(size: Size) throws {
        let now = KioskRun.after(165_000)
        let engine = try KioskRun.engine(at: now)
        #expect(engine.slide?.title.plainText == "Loading and unloading")
        let grid = KioskScreen.render(engine, at: now, wall: KioskRun.morning, size: size)
        assertScreen(grid, named: "kiosk-middle-\(size.name)")
        #expect(filledDot(in: grid) == 6)
    }

    @Test("a middle slide: a list", arguments: kioskSizes)
    func listSlide(size: Size) throws {
        let now = KioskRun.after(235_000)
        let engine = try KioskRun.engine(at: now)
        #expect(engine.slide?.title.plainText == "Who can benefit")
        let grid = KioskScreen.render(engine, at: now, wall: KioskRun.morning, size: size)
        assertScreen(grid, named: "kiosk-list-\(size.name)")
        #expect(filledDot(in: grid) == 9)
    }

    @Test("the last slide, the call to action", arguments: kioskSizes)
    func lastSlide(size: Size) throws {
        let now = KioskRun.after(369_999)
        let engine = try KioskRun.engine(at: now)
        #expect(engine.slideIndex == engine.deck.slides.count - 1)
        #expect(engine.slide?.title.plainText == "Ready to start?")
        let grid = KioskScreen.render(engine, at: now, wall: KioskRun.morning, size: size)
        assertScreen(grid, named: "kiosk-last-\(size.name)")
        #expect(filledDot(in: grid) == 14)
    }

    @Test("the first slide after burn-in shifts", arguments: kioskSizes)
    func shifted(size: Size) throws {
        // Two shifts of 3 min after the start: one cell right and one down. One loop is 370 s, so +385 s is
        // 15 s into the first slide again.
        let now = KioskRun.after(385_000)
        let engine = try KioskRun.engine(at: now, options: .init(shiftMilliseconds: 180_000))
        #expect(engine.slideIndex == 0)
        let (x, y) = engine.shift(at: now)
        #expect(x == 1 && y == 1)
        let grid = KioskScreen.render(engine, at: now, wall: KioskRun.morning, size: size)
        assertScreen(grid, named: "kiosk-shifted-\(size.name)")
        // Same words as unshifted: the shift moves the slide, it must not cut it.
        let unshifted = KioskScreen.render(try KioskRun.engine(at: KioskRun.after(15_000)), at: KioskRun.after(15_000),
                                           wall: KioskRun.morning, size: size)
        #expect(slideWords(in: grid) == slideWords(in: unshifted))
    }

    @Test("blank outside opening hours", arguments: kioskSizes)
    func blank(size: Size) throws {
        let hours = OpeningHours(opens: 8 * 60, closes: 18 * 60, days: Set(1...5))
        let now = KioskRun.after(40_000)
        var engine = try KioskRun.engine(at: now, options: .init(shiftMilliseconds: 0, openingHours: hours))
        #expect(engine.isBlank(at: now, wall: KioskRun.saturday))
        let grid = KioskScreen.render(engine, at: now, wall: KioskRun.saturday, size: size)
        assertScreen(grid, named: "kiosk-blank-\(size.name)")
        #expect(grid == Grid(size: size), "a blank kiosk draws nothing at all, not even the clock")

        // A key wakes it: the same slide comes back, not the next one.
        _ = engine.handle(.right, at: now + 1_000, screenWidth: size.width, wall: KioskRun.saturday)
        let woken = KioskScreen.render(engine, at: now + 1_000, wall: KioskRun.saturday, size: size)
        #expect(woken != Grid(size: size))
        #expect(filledDot(in: woken) == 1)
    }

    @Test("a deck with no slides shows the fallback title", arguments: kioskSizes)
    func noSlides(size: Size) throws {
        let deck = Deck(id: "", title: "Riverside Physiotherapy", slides: [],
                        location: SourceLocation(path: "", line: 1, column: 1))
        let now = KioskRun.after(90_000)
        var engine = KioskEngine(deck: deck, options: .init(shiftMilliseconds: 0), at: .ms(KioskRun.start))
        engine.tick(at: now)
        let grid = KioskScreen.render(engine, at: now, wall: KioskRun.morning, size: size)
        assertScreen(grid, named: "kiosk-no-slides-\(size.name)")
        #expect(grid.text.contains("Riverside Physiotherapy"))
        #expect(!grid.text.contains("●") && !grid.text.contains("○"))
    }

    @Test("a screen too small draws nothing",
          arguments: [Size(width: 19, height: 5), Size(width: 19, height: 24), Size(width: 80, height: 5),
                      Size(width: 1, height: 1)])
    func tiny(size: Size) throws {
        let now = KioskRun.after(12_000)
        let grid = KioskScreen.render(try KioskRun.engine(at: now), at: now, wall: KioskRun.morning, size: size)
        if size == Size(width: 19, height: 5) { assertScreen(grid, named: "kiosk-tiny-\(size.name)") }
        #expect(grid == Grid(size: size))
    }

    @Test("the smallest screen that draws", arguments: [Size(width: 20, height: 6)])
    func smallest(size: Size) throws {
        let now = KioskRun.after(12_000)
        let grid = KioskScreen.render(try KioskRun.engine(at: now), at: now, wall: KioskRun.morning, size: size)
        assertScreen(grid, named: "kiosk-smallest-\(size.name)")
    }

    /// The slide area holds `height - 4` lines (8 at 40×12) and anything past that is dropped without a sign;
    /// the burn-in shift's row offset then drops one more line of a slide that exactly fits.
    @Test("every slide fits on the screen, shifted or not", arguments: kioskSizes)
    func everySlideFits(size: Size) throws {
        let deck = try KioskRun.deck()
        // Shifts every second from 0: (0, 0) at 0 ms, (1, 1) at 2 000 ms. Rendering doesn't tick, so both
        // moments show the same slide.
        var engine = KioskEngine(deck: deck, options: .init(shiftMilliseconds: 1_000), at: .ms(0))
        let roomy = Size(width: 200, height: 120)
        var cutSilently: [String] = []
        var cutWhenShifted: [String] = []
        var cutAtAll: [String] = []
        for index in deck.slides.indices {
            let full = slideWords(in: KioskScreen.render(engine, at: .ms(0), wall: KioskRun.morning, size: roomy))
            let unshiftedGrid = KioskScreen.render(engine, at: .ms(0), wall: KioskRun.morning, size: size)
            let unshifted = slideWords(in: unshiftedGrid)
            let shifted = slideWords(in: KioskScreen.render(engine, at: .ms(2_000), wall: KioskRun.morning, size: size))
            let name = "slide \(index + 1) '\(deck.slides[index].title.plainText)'"
            if unshifted != full { cutAtAll.append(name) }
            // A slide too long for a small screen may be cut, but only with a visible "…".
            if unshifted != full, !unshiftedGrid.text.contains("…") {
                cutSilently.append("\(name): \(full.count - unshifted.count) word(s) missing after '\(unshifted.last ?? "")'")
            }
            // The burn-in shift moves a slide; it never cuts more of it.
            if shifted != unshifted { cutWhenShifted.append(name) }
            _ = engine.handle(.right, at: .ms(0), screenWidth: size.width, wall: KioskRun.morning)
        }
        #expect(cutSilently.isEmpty, "at \(size.name):\n\(cutSilently.joined(separator: "\n"))")
        #expect(cutWhenShifted.isEmpty, "at \(size.name), shifted (1, 1):\n\(cutWhenShifted.joined(separator: "\n"))")
        if size.width >= 80, size.height >= 24 {
            #expect(cutAtAll.isEmpty, "a full-size screen shows every word: \(cutAtAll)")
        }
    }

    @Test("a slide's text in letters at 200×60 and up, smaller than the headline (--large)",
          arguments: ["first", "middle", "list", "last"], kioskLargeSizes)
    func slideTextInLetters(name: String, size: Size) throws {
        // When each slide is up (see KioskRun): the headline alone, the longest paragraph, a list, the last.
        let milliseconds: [String: Int64] = ["first": 12_000, "middle": 165_000, "list": 235_000, "last": 349_999]
        let now = KioskRun.after(milliseconds[name]!)
        let engine = try KioskRun.engine(at: now)
        let slide = try #require(engine.slide)
        let grid = KioskScreen.render(engine, at: now, wall: KioskRun.morning, size: size, large: true)
        // The first slide's snapshot is the headlines test's kiosk-first-large.
        if name != "first" { assertScreen(grid, named: "kiosk-\(name)-large-\(size.name)") }
        #expect(grid.text.contains("10:05"))
        #expect(filledDot(in: grid) == engine.slideIndex)
        let texts = texts(of: slide)
        let body = texts.dropFirst().flatMap(letterWords)
        guard size.width >= 200 else {
            // 120×40: the slides are too long for letters smaller than a headline; they are ordinary text, whole.
            let shown = slideWords(in: grid).joined(separator: " ")
            for text in texts.dropFirst() { #expect(shown.contains(text), "\(grid.text)") }
            return
        }
        // Every word of the slide, in order, read back from the letters: the headline's lines, then the text's.
        let runs = try #require(readLetters(in: grid, texts: texts), "\(size.name):\n\(grid.text)")
        let words = runs.flatMap { letterWords($0.text) }
        #expect(words == letterWords(texts[0]) + body, "\(size.name):\n\(grid.text)")
        // The headline's lines are those that make up the title; each is taller than every line of the text.
        var headlineWords = 0
        let headlineRuns = runs.prefix { run in
            defer { headlineWords += letterWords(run.text).count }
            return headlineWords < letterWords(texts[0]).count
        }
        let textRuns = runs.dropFirst(headlineRuns.count)
        #expect(!textRuns.isEmpty)
        #expect(headlineRuns.map(\.height).min()! > textRuns.map(\.height).max()!, "\(runs)")
        // No ordinary text in the slide area: it is all letters.
        #expect(!slideWords(in: grid).contains { $0.contains { $0.isLowercase } }, "\(grid.text)")
    }

    @Test("every shipped slide: in letters at 200×60 and 300×90, whole and ordinary at 80×24 (--large)",
          arguments: [Size(width: 80, height: 24), Size(width: 80, height: 25)] + kioskLargeSizes)
    func everySlideLarge(size: Size) throws {
        let deck = try KioskRun.deck()
        var engine = KioskEngine(deck: deck, options: .init(shiftMilliseconds: 0), at: .ms(0))
        for index in deck.slides.indices {
            let grid = KioskScreen.render(engine, at: .ms(0), wall: KioskRun.morning, size: size, large: true)
            let slide = deck.slides[index]
            let name = "\(size.name) slide \(index + 1) '\(slide.title.plainText)'"
            let texts = texts(of: slide)
            if size.width >= 200 {
                let runs = readLetters(in: grid, texts: texts)
                #expect(runs.map { $0.flatMap { letterWords($0.text) } } == texts.flatMap(letterWords),
                        "\(name) in letters:\n\(grid.text)")
            } else {
                // Ordinary text, every word of it (the headline may be in letters).
                let shown = slideWords(in: grid).joined(separator: " ")
                for text in texts.dropFirst() { #expect(shown.contains(text), "\(name):\n\(grid.text)") }
            }
            _ = engine.handle(.right, at: .ms(0), screenWidth: size.width, wall: KioskRun.morning)
        }
    }

    @Test("a long slide's text stays ordinary under a headline in letters, even at 300×90",
          arguments: [Size(width: 200, height: 60), Size(width: 300, height: 90)])
    func longSlide(size: Size) throws {
        let sentence = "Gentle movement every day keeps the hips supple and the low back calm."
        let paragraph = Array(repeating: sentence, count: 12).joined(separator: " ")
        let deck = try deck("# Keep moving\n\(paragraph)\n")
        var engine = KioskEngine(deck: deck, options: .init(shiftMilliseconds: 0), at: .ms(0))
        engine.tick(at: .ms(0))
        let grid = KioskScreen.render(engine, at: .ms(0), wall: KioskRun.morning, size: size, large: true)
        assertScreen(grid, named: "kiosk-long-large-\(size.name)")
        #expect(grid.text.contains("Gentle movement every day keeps the hips"), "\(grid.text)")
        #expect(slideWords(in: grid).filter { $0.contains { $0.isLowercase } }.count == 12 * 13, "every word shown")
        #expect(bigText(["KEEP MOVING"], in: grid) != nil, "the headline is still in letters")
        // Ordinary text keeps a reading width, centred: at most 90 columns, its margins equal within a cell.
        let rows = grid.text.components(separatedBy: "\n").filter { $0.contains("Gentle") || $0.contains("calm") }
        let left = rows.map { $0.prefix { $0 == " " }.count }.min()!
        let right = rows.map { $0.count }.max()!
        #expect(right - left <= 90)
        #expect(abs(left - (size.width - right)) <= 3, "left \(left), right \(size.width - right)")
    }

    @Test("a slide with a drawing: the figure beside the text when there is room, in the text when not",
          arguments: [Size(width: 80, height: 24), Size(width: 200, height: 60), Size(width: 300, height: 90)])
    func figureBeside(size: Size) throws {
        let deck = try deck("""
            # Sit tall
            Feet flat, knees over ankles, and let the chair hold your weight while your back stays long.

            ```figure Sitting tall
              o
             /|\\
              |_
            ```
            """)
        var engine = KioskEngine(deck: deck, options: .init(shiftMilliseconds: 0), at: .ms(0))
        engine.tick(at: .ms(0))
        for large in [false, true] {
            let grid = KioskScreen.render(engine, at: .ms(0), wall: KioskRun.morning, size: size, large: large)
            assertScreen(grid, named: "kiosk-figure\(large ? "-large" : "")-\(size.name)")
            let rows = grid.text.components(separatedBy: "\n")
            let textRow = try #require(rows.firstIndex { $0.contains("Feet flat") }, "\(grid.text)")
            let figureRows = rows.indices.filter { ["o", "/|\\", "|_"].contains(rows[$0].split(separator: " ").last ?? "") }
            #expect(figureRows.count == 3, "\(grid.text)")
            let figureRow = try #require(figureRows.first)
            let textLeft = rows[textRow].prefix { $0 == " " }.count
            if size.width >= 100 {
                // Beside the text, from its first line, next to its longest line rather than at the screen's edge.
                let figureLeft = figureRows.map { rows[$0].count - rows[$0].split(separator: " ").last!.count }.min()!
                let textRight = rows[textRow].replacingOccurrences(of: "\\s+o$", with: "", options: .regularExpression).count
                #expect(figureRow == textRow, "\(grid.text)")
                #expect(figureLeft > textRight && figureLeft - textRight <= 10, "text ends \(textRight), figure \(figureLeft)")
                // The text and the figure (its caption the widest part) centred together.
                let right = try #require(rows.first { $0.hasSuffix("Sitting tall") }).count
                #expect(abs(textLeft - (size.width - right)) <= 3, "margins \(textLeft) and \(size.width - right)")
            } else {
                // No room beside: under the text, as before.
                let figureLeft = rows[figureRow].prefix { $0 == " " }.count
                #expect(figureRow > textRow + 1 && figureLeft < textLeft + 10, "\(grid.text)")
            }
        }
    }
}
