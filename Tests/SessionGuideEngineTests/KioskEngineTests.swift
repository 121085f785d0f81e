import Foundation
import Testing
import SessionGuideContent
import SessionGuideEngine

// MARK: - Support

/// Decks for the kiosk tests, parsed from text the way the kiosk loads them.
private enum KioskFixture {
    /// Four slides, deck default 10 s: A 10 s, B 30 s (`[dwell: 30s]`), C 10 s, D 5 s (`[dwell: 5s]`).
    /// One loop is 55 s: A 0–10, B 10–40, C 40–50, D 50–55.
    static let deckText = """
        ---
        kind: deck
        id: test-deck
        title: Test deck
        dwell: 10s
        ---
        # A
        First slide.

        # B
        Second slide, longer.
        [dwell: 30s]

        # C
        Third slide.

        # D
        Fourth slide, short.
        [dwell: 5s]
        """

    static let dwells: [Int64] = [10_000, 30_000, 10_000, 5_000]
    static let loop: Int64 = 55_000

    static func parse(_ text: String) -> ParsedFile {
        DocumentParser.parse(text: text, path: "decks/test.md")
    }

    static func deck(_ text: String = deckText) throws -> Deck {
        let file = parse(text)
        try #require(!file.hasErrors, "\(file.diagnostics)")
        guard case .deck(let deck)? = file.document else {
            Issue.record("not a deck: \(String(describing: file.document))")
            throw NotADeck()
        }
        return deck
    }

    /// A deck with `count` slides named S1, S2, … and the deck's default dwell of 10 s.
    static func deck(slides count: Int, hours: String = "") throws -> Deck {
        let slides = (1...count).map { "# S\($0)\nSlide \($0).\n" }.joined(separator: "\n")
        return try deck("---\nkind: deck\nid: n\ntitle: N\ndwell: 10s\n\(hours)---\n\(slides)")
    }

    static let empty = Deck(id: "empty", title: "Welcome", slides: [],
                            location: SourceLocation(path: "", line: 1, column: 1))

    /// The slide (index) and the moment it went up, for a loop that started at `start` and ran untouched.
    static func expected(at now: Moment, start: Moment) -> (index: Int, shownAt: Moment) {
        let elapsed = now - start
        let intoLoop = elapsed % loop
        var offset: Int64 = 0
        for (index, dwell) in dwells.enumerated() {
            if intoLoop < offset + dwell { return (index, start + (elapsed - intoLoop + offset)) }
            offset += dwell
        }
        fatalError("unreachable")
    }

    struct NotADeck: Error {}
}

/// Wall times: ISO weekday 1 = Monday … 7 = Sunday.
private func wall(_ weekday: Int, _ hour: Int, _ minute: Int = 0) -> WallTime {
    WallTime(weekday: weekday, hour: hour, minute: minute)
}

private let wednesdayMorning = wall(3, 10)
private let wednesdayNight = wall(3, 21)
/// 08:00–18:00, Monday to Friday.
private let officeHours = OpeningHours(opens: 8 * 60, closes: 18 * 60, days: Set(1...5))

private func title(_ engine: KioskEngine) -> String? { engine.slide?.title.plainText }

extension KioskEngine {
    /// Presses a key (inside opening hours unless told otherwise), on an 80-column screen.
    @discardableResult
    fileprivate mutating func press(_ key: KeyEvent, at now: Moment, wall: WallTime = wednesdayMorning,
                                    width: Int = 80) -> Action? {
        handle(key, at: now, screenWidth: width, wall: wall)
    }
}

/// The start of every test's clock: not zero, so nothing may assume the loop began at the origin.
private let t0 = Moment(milliseconds: 1_000_000)

// MARK: - The loop

@Suite("KioskEngine: the automatic loop")
struct KioskLoopTests {
    @Test func eachSlideStaysForItsDwell() throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(), at: t0)
        #expect(title(engine) == "A")
        let checks: [(Int64, String)] = [(0, "A"), (9_999, "A"), (10_000, "B"), (39_999, "B"), (40_000, "C"),
                                         (49_999, "C"), (50_000, "D"), (54_999, "D"), (55_000, "A"), (64_999, "A"),
                                         (65_000, "B")]
        for (offset, expected) in checks {
            engine.tick(at: t0 + offset)
            #expect(title(engine) == expected, "at +\(offset) ms")
        }
        #expect(engine.slideShownAt == t0 + 55_000 + 10_000)
    }

    @Test func theDeckDefaultDwellAppliesWhenNoneIsGiven() throws {
        let deck = try KioskFixture.deck("---\nkind: deck\nid: d\ntitle: D\n---\n# One\nx\n\n# Two\ny\n")
        #expect(deck.dwell == Deck.defaultDwell)
        var engine = KioskEngine(deck: deck, at: t0)
        engine.tick(at: t0 + (Int64(Deck.defaultDwell) * 1000 - 1))
        #expect(engine.slideIndex == 0)
        engine.tick(at: t0 + Int64(Deck.defaultDwell) * 1000)
        #expect(engine.slideIndex == 1)
    }

    @Test func theLoopGoesBackToTheFirstSlide() throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(), at: t0)
        var seen: [String] = []
        var now = t0
        for dwell in KioskFixture.dwells + KioskFixture.dwells {
            seen.append(title(engine) ?? "-")
            now = now + dwell
            engine.tick(at: now)
        }
        #expect(seen == ["A", "B", "C", "D", "A", "B", "C", "D"])
        #expect(engine.slideIndex == 0)
        #expect(engine.slideShownAt == t0 + 2 * KioskFixture.loop)
    }

    @Test func noDriftOverManyLoopsTickedEverySecond() throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(), at: t0)
        let loops: Int64 = 500
        var now = t0
        while now < t0 + loops * KioskFixture.loop {
            now = now + 1_000
            engine.tick(at: now)
            let expected = KioskFixture.expected(at: now, start: t0)
            guard engine.slideIndex == expected.index, engine.slideShownAt == expected.shownAt else {
                Issue.record("at \(now): slide \(engine.slideIndex) since \(engine.slideShownAt), expected \(expected)")
                return
            }
        }
        #expect(engine.slideIndex == 0)
        #expect(engine.slideShownAt == t0 + loops * KioskFixture.loop)
    }

    @Test func lateTicksLandOnTheRightSlide() throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(), at: t0)
        var random = SplitMix64(seed: 42)
        var now = t0
        for _ in 0..<20_000 {
            now = now + Int64.random(in: 1...7_919, using: &random)  // late, irregular wake-ups
            engine.tick(at: now)
            let expected = KioskFixture.expected(at: now, start: t0)
            guard engine.slideIndex == expected.index, engine.slideShownAt == expected.shownAt else {
                Issue.record("at \(now): slide \(engine.slideIndex) since \(engine.slideShownAt), expected \(expected)")
                return
            }
        }
    }

    @Test("a suspended box wakes up on the right slide",
          arguments: [3 * 3_600_000 + 42_000, 7 * 24 * 3_600_000 + 12_345, 2 * 55_000 + 1, 110_000, 109_999] as [Int64])
    func suspendedBox(after gap: Int64) throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(), at: t0)
        engine.tick(at: t0 + 12_000)  // on B
        #expect(title(engine) == "B")
        let later = t0 + 12_000 + gap
        engine.tick(at: later)
        let expected = KioskFixture.expected(at: later, start: t0)
        #expect(engine.slideIndex == expected.index)
        #expect(engine.slideShownAt == expected.shownAt)
        #expect(engine.nextDeadline(after: later) <= expected.shownAt + KioskFixture.dwells[expected.index])
    }
}

// MARK: - Browsing

@Suite("KioskEngine: browsing")
struct KioskBrowsingTests {
    static let forwardKeys: [KeyEvent] = [.right, .character("l"), .character(" "), .pageDown]
    static let backKeys: [KeyEvent] = [.left, .character("h"), .pageUp]

    @Test("forward keys go to the next slide, wrapping", arguments: forwardKeys)
    func forward(key: KeyEvent) throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(), at: t0)
        #expect(engine.press(key, at: t0 + 1_000) == nil)
        #expect(title(engine) == "B")
        #expect(engine.isBrowsing)
        engine.press(key, at: t0 + 2_000)
        engine.press(key, at: t0 + 3_000)
        #expect(title(engine) == "D")
        engine.press(key, at: t0 + 4_000)
        #expect(title(engine) == "A")
    }

    @Test("back keys go to the previous slide, wrapping", arguments: backKeys)
    func back(key: KeyEvent) throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(), at: t0)
        #expect(engine.press(key, at: t0 + 1_000) == nil)
        #expect(title(engine) == "D")
        engine.press(key, at: t0 + 2_000)
        #expect(title(engine) == "C")
        #expect(engine.isBrowsing)
    }

    @Test("a tap on the right half goes forward, on the left half back", arguments: [80, 40, 132, 81])
    func taps(width: Int) throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(), at: t0)
        engine.press(.click(column: width - 1, row: 3), at: t0 + 1_000, width: width)
        #expect(title(engine) == "B")
        engine.press(.click(column: (width + 1) / 2, row: 0), at: t0 + 2_000, width: width)
        #expect(title(engine) == "C")
        engine.press(.click(column: 0, row: 10), at: t0 + 3_000, width: width)
        #expect(title(engine) == "B")
        engine.press(.click(column: width / 2 - 1, row: 5), at: t0 + 4_000, width: width)
        #expect(title(engine) == "A")
    }

    @Test func browsingHoldsTheSlidePastItsDwell() throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(), options: .init(idleMilliseconds: 60_000), at: t0)
        engine.press(.right, at: t0 + 5_000)  // B, browsing until +65 s
        #expect(engine.browsingUntil == t0 + 65_000)
        engine.tick(at: t0 + 64_999)  // B's 30 s would have ended long ago
        #expect(title(engine) == "B")
        #expect(engine.isBrowsing)
    }

    @Test func theIdleTimeoutResumesTheLoopFromTheBrowsedSlide() throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(), options: .init(idleMilliseconds: 60_000), at: t0)
        engine.tick(at: t0 + 41_000)  // C
        engine.press(.right, at: t0 + 45_000)  // D, browsing until +105 s
        engine.press(.right, at: t0 + 50_000)  // A, browsing until +110 s: every key restarts the wait
        #expect(title(engine) == "A")
        #expect(engine.browsingUntil == t0 + 110_000)
        engine.tick(at: t0 + 109_999)
        #expect(title(engine) == "A")
        engine.tick(at: t0 + 110_000)
        #expect(!engine.isBrowsing)
        #expect(title(engine) == "A")  // the browsed slide gets its full dwell once the loop resumes
        #expect(engine.slideShownAt == t0 + 110_000)
        engine.tick(at: t0 + 119_999)
        #expect(title(engine) == "A")
        engine.tick(at: t0 + 120_000)
        #expect(title(engine) == "B")
        engine.tick(at: t0 + 150_000)
        #expect(title(engine) == "C")
    }

    @Test func aLateTickAfterBrowsingLandsOnTheRightSlide() throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(), options: .init(idleMilliseconds: 60_000), at: t0)
        engine.press(.left, at: t0 + 1_000)  // D, browsing until +61 s; the loop resumes there
        let resumed = t0 + 61_000
        // D (5 s) then A B C D … from +61 s, as if the loop had started at +56 s on A.
        let later = resumed + 10 * 3_600_000 + 777
        engine.tick(at: later)
        let expected = KioskFixture.expected(at: later, start: resumed + (-50_000))
        #expect(engine.slideIndex == expected.index)
        #expect(engine.slideShownAt == expected.shownAt)
    }

    static let inertKeys: [KeyEvent] = [
        .character("q"), .character("Q"), .escape, .control("c"), .control("z"), .control("\\"), .control("d"),
        .character("a"), .character("x"), .character("j"), .character("k"), .character("L"), .character("H"),
        .enter, .tab, .up, .down, .home, .end, .delete, .function(1), .resize,
    ]

    @Test("keys that must do nothing", arguments: inertKeys)
    func inert(key: KeyEvent) throws {
        let chord = try #require(ExitChord.parse("ctrl-x"))
        var engine = KioskEngine(deck: try KioskFixture.deck(), options: .init(exitChord: chord), at: t0)
        engine.tick(at: t0 + 12_000)  // B since +10 s
        for offset in [13_000, 13_100, 13_200, 13_300] as [Int64] {
            #expect(engine.press(key, at: t0 + offset) == nil)
        }
        #expect(title(engine) == "B")
        #expect(!engine.isBrowsing)
        #expect(engine.slideShownAt == t0 + 10_000)  // the loop's timing is untouched
        engine.tick(at: t0 + 40_000)
        #expect(title(engine) == "C")
    }

    @Test func withoutAnExitChordNothingExits() throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(), at: t0)
        for index in 0..<20 {
            for key in [KeyEvent.control("x"), .function(10), .control("q"), .escape, .character("q")] {
                #expect(engine.press(key, at: t0 + Int64(index) * 10) == nil)
            }
        }
        #expect(title(engine) == "A")
    }
}

// MARK: - Exit chord

@Suite("KioskEngine: the exit chord")
struct KioskExitChordTests {
    @Test("accepted spellings",
          arguments: [("ctrl-x", .control("x")), ("C-x", .control("x")), ("CTRL-Q", .control("q")),
                      ("c-k", .control("k")), ("f10", .function(10)), ("F1", .function(1)),
                      ("f12", .function(12))] as [(String, KeyEvent)])
    func accepted(text: String, key: KeyEvent) throws {
        let chord = try #require(ExitChord.parse(text))
        #expect(chord == ExitChord(key: key, presses: 3, windowMilliseconds: 2_000))
    }

    @Test func caretSpellingIsAccepted() {
        // `^x` is documented in parse's own check (`hasPrefix("^")`), but the letter is taken as the text after
        // the last "-", which for "^x" is the whole "^x": two characters, so it is rejected.
        #expect(ExitChord.parse("^x")?.key == .control("x"))
        #expect(ExitChord.parse("^Q")?.key == .control("q"))
    }

    @Test("rejected spellings",
          arguments: ["ctrl-c", "ctrl-m", "ctrl-i", "ctrl-j", "ctrl-h", "ctrl-z", "C-c", "^c", "^m", "nonsense", "",
                      "x", "ctrl-", "ctrl-xy", "ctrl-1", "ctrl-é", "f0", "f13", "f", "fx", "alt-x", "ctrl+x"])
    func rejected(text: String) {
        #expect(ExitChord.parse(text) == nil)
    }

    private func engine() throws -> KioskEngine {
        KioskEngine(deck: try KioskFixture.deck(), options: .init(exitChord: try #require(ExitChord.parse("ctrl-x"))),
                    at: t0)
    }

    @Test func threePressesWithinTwoSecondsExit() throws {
        var engine = try engine()
        #expect(engine.press(.control("x"), at: t0 + 0) == nil)
        #expect(engine.press(.control("x"), at: t0 + 900) == nil)
        #expect(engine.press(.control("x"), at: t0 + 1_800) == .exit)
    }

    @Test func threeQuickPressesByHandExit() throws {
        var engine = try engine()
        #expect(engine.press(.control("x"), at: t0) == nil)
        #expect(engine.press(.control("x"), at: t0 + 150) == nil)
        #expect(engine.press(.control("x"), at: t0 + 300) == .exit)
    }

    @Test("a paste (keys at the same moment) or a held key (repeats 30 ms apart) never makes the chord",
          arguments: [0, 30, 149] as [Int64])
    func pastedOrHeldPressesNeverExit(gap: Int64) throws {
        var engine = try engine()
        for index in 0..<12 {
            #expect(engine.press(.control("x"), at: t0 + Int64(index) * gap) == nil, "press \(index + 1)")
        }
        // "hello^X^X^Xworld" pasted: one read, all at once.
        for key in "hello".map(KeyEvent.character) + [.control("x"), .control("x"), .control("x")]
            + "world".map(KeyEvent.character) {
            #expect(engine.press(key, at: t0 + 5_000) == nil)
        }
        // A person afterwards still can.
        #expect(engine.press(.control("x"), at: t0 + 6_000) == nil)
        #expect(engine.press(.control("x"), at: t0 + 6_200) == nil)
        #expect(engine.press(.control("x"), at: t0 + 6_400) == .exit)
    }

    @Test func slowerPressesDoNotExit() throws {
        var engine = try engine()
        for index in 0..<10 {
            #expect(engine.press(.control("x"), at: t0 + Int64(index) * 1_100) == nil, "press \(index + 1)")
        }
    }

    @Test func pressesSpreadOverMoreThanTwoSecondsDoNotExit() throws {
        var engine = try engine()
        #expect(engine.press(.control("x"), at: t0) == nil)
        #expect(engine.press(.control("x"), at: t0 + 1_000) == nil)
        #expect(engine.press(.control("x"), at: t0 + 2_100) == nil)  // the first has left the window
        #expect(engine.press(.control("x"), at: t0 + 2_300) == .exit)  // +1.0, +2.1, +2.3 are within it
    }

    @Test("another key in between starts the count again",
          arguments: [.right, .character("a"), .control("c"), .click(column: 3, row: 3), .escape,
                      .control("y")] as [KeyEvent])
    func interrupted(other: KeyEvent) throws {
        var engine = try engine()
        #expect(engine.press(.control("x"), at: t0) == nil)
        #expect(engine.press(.control("x"), at: t0 + 200) == nil)
        #expect(engine.press(other, at: t0 + 400) == nil)
        #expect(engine.press(.control("x"), at: t0 + 600) == nil)
        #expect(engine.press(.control("x"), at: t0 + 800) == nil)
        #expect(engine.press(.control("x"), at: t0 + 1_000) == .exit)
    }

    @Test func theChordKeyDoesNotBrowse() throws {
        var engine = try engine()
        engine.press(.control("x"), at: t0 + 100)
        #expect(title(engine) == "A")
        #expect(!engine.isBrowsing)
    }

    @Test func aFunctionKeyChord() throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(),
                                 options: .init(exitChord: try #require(ExitChord.parse("f10"))), at: t0)
        #expect(engine.press(.function(10), at: t0) == nil)
        #expect(engine.press(.function(9), at: t0 + 200) == nil)
        #expect(engine.press(.function(10), at: t0 + 400) == nil)
        #expect(engine.press(.function(10), at: t0 + 600) == nil)
        #expect(engine.press(.function(10), at: t0 + 800) == .exit)
    }

    @Test func theChordWorksOnABlankScreen() throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(),
                                 options: .init(exitChord: try #require(ExitChord.parse("ctrl-x")),
                                                openingHours: officeHours), at: t0)
        #expect(engine.isBlank(at: t0, wall: wednesdayNight))
        #expect(engine.press(.control("x"), at: t0, wall: wednesdayNight) == nil)
        #expect(engine.press(.control("x"), at: t0 + 500, wall: wednesdayNight) == nil)
        #expect(engine.press(.control("x"), at: t0 + 1_000, wall: wednesdayNight) == .exit)
    }
}

// MARK: - Opening hours

@Suite("Opening hours")
struct OpeningHoursTests {
    @Test("valid hours", arguments: [("08:00-18:00", 480, 1_080), ("8:30-17:45", 510, 1_065),
                                     (" 22:00 - 02:00 ", 1_320, 120), ("00:00-24:00", 0, 1_440),
                                     ("07:05-7:10", 425, 430)] as [(String, Int, Int)])
    func validHours(text: String, opens: Int, closes: Int) throws {
        let (parsedOpens, parsedCloses) = try OpeningHours.parseHours(text).get()
        #expect(parsedOpens == opens)
        #expect(parsedCloses == closes)
    }

    @Test("invalid hours", arguments: ["08:00", "8-18", "08:00-08:00", "25:00-26:00", "08:60-18:00", "08:0-18:00",
                                       "", "08:00-18:00-20:00", "eight to six", "24:30-08:00",
                                       "08:00 to 18:00"])
    func invalidHours(text: String) {
        guard case .failure(let error) = OpeningHours.parseHours(text) else {
            Issue.record("'\(text)' was accepted")
            return
        }
        #expect(error.message.contains("is not an opening time"))
    }

    @Test("valid days", arguments: [("mon-fri", Set(1...5)), ("sat-mon", [6, 7, 1]), ("fri-tue", [5, 6, 7, 1, 2]),
                                    ("sun-sat", Set(1...7)), ("mon,wed,fri", [1, 3, 5]), ("daily", Set(1...7)),
                                    ("Every Day", Set(1...7)), ("Sat-Sun", [6, 7]), ("sun", [7]),
                                    ("mon-fri, sun", [1, 2, 3, 4, 5, 7]), ("monday-friday", Set(1...5)),
                                    ("wed-wed", [3]), (" tue , thu ", [2, 4])] as [(String, Set<Int>)])
    func validDays(text: String, days: Set<Int>) throws {
        #expect(try OpeningHours.parseDays(text).get() == days)
    }

    @Test("invalid days", arguments: ["funday", "mon-xyz", "", "mon-tue-wed", "mo", "1-5", "weekdays", ","])
    func invalidDays(text: String) {
        guard case .failure = OpeningHours.parseDays(text) else {
            Issue.record("'\(text)' was accepted")
            return
        }
    }

    @Test func aMistypedDaySuggestsTheNearestOne() throws {
        guard case .failure(let error) = OpeningHours.parseDays("mon,fir") else {
            Issue.record("accepted")
            return
        }
        #expect(error.message == "'fir' is not a day or range of days such as 'mon-fri'; did you mean 'fri'?")
    }

    @Test func daytimeHours() {
        let hours = officeHours
        #expect(!hours.isOpen(weekday: 1, minuteOfDay: 7 * 60 + 59))
        #expect(hours.isOpen(weekday: 1, minuteOfDay: 8 * 60))
        #expect(hours.isOpen(weekday: 5, minuteOfDay: 17 * 60 + 59))
        #expect(!hours.isOpen(weekday: 5, minuteOfDay: 18 * 60))
        #expect(!hours.isOpen(weekday: 6, minuteOfDay: 10 * 60))
        #expect(!hours.isOpen(weekday: 7, minuteOfDay: 10 * 60))
        #expect(!hours.isOpen(weekday: 3, minuteOfDay: 0))
    }

    @Test func aRangePastMidnightBelongsToTheDayItOpened() {
        // Friday and Saturday nights, 22:00 to 02:00.
        let hours = OpeningHours(opens: 22 * 60, closes: 2 * 60, days: [5, 6])
        #expect(!hours.isOpen(weekday: 5, minuteOfDay: 21 * 60 + 59))
        #expect(hours.isOpen(weekday: 5, minuteOfDay: 22 * 60))
        #expect(hours.isOpen(weekday: 5, minuteOfDay: 23 * 60 + 59))
        #expect(hours.isOpen(weekday: 6, minuteOfDay: 0))  // Friday night, after midnight
        #expect(hours.isOpen(weekday: 6, minuteOfDay: 1 * 60 + 59))
        #expect(!hours.isOpen(weekday: 6, minuteOfDay: 2 * 60))
        #expect(!hours.isOpen(weekday: 6, minuteOfDay: 12 * 60))
        #expect(hours.isOpen(weekday: 6, minuteOfDay: 22 * 60))
        #expect(hours.isOpen(weekday: 7, minuteOfDay: 1 * 60))  // Saturday night
        #expect(!hours.isOpen(weekday: 7, minuteOfDay: 22 * 60))
        #expect(!hours.isOpen(weekday: 1, minuteOfDay: 1 * 60))
        #expect(!hours.isOpen(weekday: 5, minuteOfDay: 1 * 60))  // Thursday night is not open
    }

    @Test func aSundayNightRangeRunsIntoMonday() {
        let hours = OpeningHours(opens: 20 * 60, closes: 1 * 60, days: [7])
        #expect(hours.isOpen(weekday: 7, minuteOfDay: 20 * 60))
        #expect(hours.isOpen(weekday: 1, minuteOfDay: 30))
        #expect(!hours.isOpen(weekday: 1, minuteOfDay: 20 * 60))
        #expect(!hours.isOpen(weekday: 7, minuteOfDay: 30))
    }

    @Test func theWholeDay() {
        let hours = OpeningHours(opens: 0, closes: 24 * 60, days: [2])
        #expect(hours.isOpen(weekday: 2, minuteOfDay: 0))
        #expect(hours.isOpen(weekday: 2, minuteOfDay: 23 * 60 + 59))
        #expect(!hours.isOpen(weekday: 3, minuteOfDay: 0))
    }
}

@Suite("KioskEngine: opening hours")
struct KioskOpeningHoursTests {
    private func engine(idle: Int64 = 60_000, wake: Int64 = 60_000) throws -> KioskEngine {
        KioskEngine(deck: try KioskFixture.deck(),
                    options: .init(idleMilliseconds: idle, openingHours: officeHours, wakeMilliseconds: wake), at: t0)
    }

    @Test func blankOnlyOutsideHours() throws {
        let engine = try engine()
        #expect(!engine.isBlank(at: t0, wall: wednesdayMorning))
        #expect(engine.isBlank(at: t0, wall: wednesdayNight))
        #expect(engine.isBlank(at: t0, wall: wall(3, 7, 59)))
        #expect(!engine.isBlank(at: t0, wall: wall(3, 8, 0)))
        #expect(engine.isBlank(at: t0, wall: wall(3, 18, 0)))
        #expect(engine.isBlank(at: t0, wall: wall(6, 12)))
    }

    @Test func withoutHoursItIsNeverBlank() throws {
        let engine = KioskEngine(deck: try KioskFixture.deck(), at: t0)
        #expect(engine.openingHours == nil)
        #expect(!engine.isBlank(at: t0, wall: wall(7, 3)))
    }

    @Test func theFirstKeyWakesWithoutBrowsingAndLaterKeysBrowse() throws {
        var engine = try engine()
        engine.press(.right, at: t0 + 1_000, wall: wednesdayNight)
        #expect(!engine.isBlank(at: t0 + 1_000, wall: wednesdayNight))
        #expect(title(engine) == "A")  // woken, not moved
        #expect(!engine.isBrowsing)
        #expect(engine.awakeUntil == t0 + 61_000)
        engine.press(.right, at: t0 + 2_000, wall: wednesdayNight)
        #expect(title(engine) == "B")
        #expect(engine.isBrowsing)
        #expect(engine.awakeUntil == t0 + 62_000)  // every key keeps it awake
    }

    @Test func aTapAlsoOnlyWakes() throws {
        var engine = try engine()
        engine.press(.click(column: 79, row: 12), at: t0 + 1_000, wall: wednesdayNight)
        #expect(title(engine) == "A")
        #expect(!engine.isBlank(at: t0 + 1_000, wall: wednesdayNight))
        engine.press(.click(column: 79, row: 12), at: t0 + 1_500, wall: wednesdayNight)
        #expect(title(engine) == "B")
    }

    @Test func itBlanksAgainAfterTheWakePeriod() throws {
        var engine = try engine()
        engine.press(.character("q"), at: t0 + 1_000, wall: wednesdayNight)
        #expect(!engine.isBlank(at: t0 + 60_999, wall: wednesdayNight))
        engine.tick(at: t0 + 61_000)
        #expect(engine.awakeUntil == nil)
        #expect(engine.isBlank(at: t0 + 61_000, wall: wednesdayNight))
        // Asleep again: the next key wakes only.
        engine.press(.right, at: t0 + 70_000, wall: wednesdayNight)
        #expect(!engine.isBlank(at: t0 + 70_000, wall: wednesdayNight))
        #expect(!engine.isBrowsing)
    }

    @Test func insideHoursKeysBrowseAtOnceAndDoNotWake() throws {
        var engine = try engine()
        engine.press(.right, at: t0 + 1_000, wall: wednesdayMorning)
        #expect(title(engine) == "B")
        #expect(engine.awakeUntil == nil)
    }

    @Test func theLoopRunsOnWhileBlank() throws {
        var engine = try engine()
        engine.tick(at: t0 + 45_000)
        #expect(title(engine) == "C")
        #expect(engine.isBlank(at: t0 + 45_000, wall: wednesdayNight))
    }

    @Test func theDecksOwnHoursFromItsFrontMatter() throws {
        let deck = try KioskFixture.deck(slides: 3, hours: "hours: 09:00-17:00\ndays: mon-fri\n")
        #expect(deck.openingHours == OpeningHours(opens: 9 * 60, closes: 17 * 60, days: Set(1...5)))
        let engine = KioskEngine(deck: deck, at: t0)
        #expect(engine.openingHours == deck.openingHours)
        #expect(!engine.isBlank(at: t0, wall: wall(2, 9)))
        #expect(engine.isBlank(at: t0, wall: wall(2, 8, 59)))
        #expect(engine.isBlank(at: t0, wall: wall(6, 12)))
    }

    @Test func theOptionsHoursOverrideTheDecks() throws {
        let deck = try KioskFixture.deck(slides: 3, hours: "hours: 09:00-17:00\ndays: mon-fri\n")
        let always = OpeningHours(opens: 0, closes: 24 * 60)
        let engine = KioskEngine(deck: deck, options: .init(openingHours: always), at: t0)
        #expect(engine.openingHours == always)
        #expect(!engine.isBlank(at: t0, wall: wall(6, 12)))
        #expect(!engine.isBlank(at: t0, wall: wall(2, 3)))

        let evenings = OpeningHours(opens: 18 * 60, closes: 22 * 60, days: Set(1...7))
        let evening = KioskEngine(deck: deck, options: .init(openingHours: evenings), at: t0)
        #expect(evening.isBlank(at: t0, wall: wall(2, 12)))  // open by the deck's hours, closed by the options'
        #expect(!evening.isBlank(at: t0, wall: wall(6, 19)))
    }

    @Test func theNextDeadlineIsNeverAStaleWakeEnd() throws {
        // Reproduction: `--idle 120` outside opening hours. A key wakes the screen (awake until +61 s), a second
        // key browses (browsing until +122 s, awake until +62 s). At +62 s `tick` returns early because browsing
        // hasn't ended, so `awakeUntil` stays at +62 s and `nextDeadline` answers "now" on every call until +122 s:
        // the kiosk's loop spins for a minute at full CPU.
        var engine = try engine(idle: 120_000)
        engine.press(.character("a"), at: t0 + 1_000, wall: wednesdayNight)
        engine.press(.right, at: t0 + 2_000, wall: wednesdayNight)
        #expect(engine.browsingUntil == t0 + 122_000)
        let now = t0 + 70_000
        engine.tick(at: now)
        #expect(engine.isBlank(at: now, wall: wednesdayNight))
        #expect(engine.nextDeadline(after: now) > now)
    }
}

// MARK: - Burn-in shift and deadlines

@Suite("KioskEngine: burn-in shift and deadlines")
struct KioskShiftAndDeadlineTests {
    @Test func theShiftCyclesEveryShiftMilliseconds() throws {
        let engine = KioskEngine(deck: try KioskFixture.deck(), options: .init(shiftMilliseconds: 180_000), at: t0)
        let checks: [(Int64, Int, Int)] = [(0, 0, 0), (179_999, 0, 0), (180_000, 1, 0), (359_999, 1, 0),
                                           (360_000, 1, 1), (540_000, 0, 1), (720_000, 0, 0), (900_000, 1, 0),
                                           (100 * 720_000 + 360_000, 1, 1)]
        for (offset, column, row) in checks {
            let (x, y) = engine.shift(at: t0 + offset)
            #expect(x == column && y == row, "at +\(offset) ms: (\(x), \(y))")
        }
    }

    @Test func noShiftWhenTurnedOff() throws {
        let engine = KioskEngine(deck: try KioskFixture.deck(), options: .init(shiftMilliseconds: 0), at: t0)
        for offset in [0, 180_000, 360_000, 10_000_000] as [Int64] {
            let (x, y) = engine.shift(at: t0 + offset)
            #expect(x == 0 && y == 0)
        }
    }

    @Test func theNextSlide() throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(), options: .init(shiftMilliseconds: 0), at: t0)
        #expect(engine.nextDeadline(after: t0) == t0 + 10_000)
        #expect(engine.nextDeadline(after: t0 + 3_000) == t0 + 10_000)
        engine.tick(at: t0 + 10_000)
        #expect(engine.nextDeadline(after: t0 + 10_000) == t0 + 40_000)
        engine.tick(at: t0 + 52_000)
        #expect(engine.nextDeadline(after: t0 + 52_000) == t0 + 55_000)
    }

    @Test func theEndOfBrowsing() throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(), options: .init(idleMilliseconds: 60_000,
                                                                              shiftMilliseconds: 0), at: t0)
        engine.press(.right, at: t0 + 5_000)
        #expect(engine.nextDeadline(after: t0 + 5_000) == t0 + 65_000)  // not B's 30 s: the loop waits
        engine.tick(at: t0 + 65_000)
        #expect(engine.nextDeadline(after: t0 + 65_000) == t0 + 95_000)
    }

    @Test func theEndOfAWake() throws {
        let deck = try KioskFixture.deck("---\nkind: deck\nid: d\ntitle: D\ndwell: 300s\n---\n# One\nx\n")
        var engine = KioskEngine(deck: deck, options: .init(shiftMilliseconds: 0, openingHours: officeHours,
                                                            wakeMilliseconds: 60_000), at: t0)
        engine.press(.enter, at: t0 + 1_000, wall: wednesdayNight)
        #expect(engine.nextDeadline(after: t0 + 1_000) == t0 + 61_000)
        engine.tick(at: t0 + 61_000)
        #expect(engine.nextDeadline(after: t0 + 61_000) == t0 + 300_000)
    }

    @Test func theNextShift() throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(), options: .init(shiftMilliseconds: 7_000), at: t0)
        #expect(engine.nextDeadline(after: t0) == t0 + 7_000)
        #expect(engine.nextDeadline(after: t0 + 7_000) == t0 + 10_000)  // B comes before the next shift
        engine.tick(at: t0 + 12_000)
        #expect(engine.nextDeadline(after: t0 + 12_000) == t0 + 14_000)
        #expect(engine.nextDeadline(after: t0 + 13_999) == t0 + 14_000)
    }

    @Test func aDueDeadlineIsNow() throws {
        let engine = KioskEngine(deck: try KioskFixture.deck(), options: .init(shiftMilliseconds: 0), at: t0)
        #expect(engine.nextDeadline(after: t0 + 20_000) == t0 + 20_000)  // not ticked yet: due at once
    }

    @Test func ticksAtDeadlinesOnlyFollowTheLoopExactly() throws {
        // The app sleeps until the deadline: ticking only then must change slides at exactly the right times.
        var engine = KioskEngine(deck: try KioskFixture.deck(), options: .init(shiftMilliseconds: 180_000), at: t0)
        var now = t0
        var changes: [Moment] = []
        var last = engine.slideIndex
        while now < t0 + 3_600_000 {
            let deadline = engine.nextDeadline(after: now)
            guard deadline > now else {
                Issue.record("deadline \(deadline) is not after \(now)")
                return
            }
            now = deadline
            engine.tick(at: now)
            if engine.slideIndex != last {
                changes.append(now)
                last = engine.slideIndex
            }
        }
        var expected: [Moment] = []
        var moment = t0
        var index = 0
        while true {
            moment = moment + KioskFixture.dwells[index]
            index = (index + 1) % 4
            guard moment <= now else { break }
            expected.append(moment)
        }
        #expect(changes == expected)
    }
}

// MARK: - Live edits and empty decks

@Suite("KioskEngine: replaced and empty decks")
struct KioskDeckTests {
    @Test func aReplacedDeckKeepsTheSlideNumberWhenItStillExists() throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(slides: 5), options: .init(shiftMilliseconds: 0), at: t0)
        engine.tick(at: t0 + 25_000)  // S3 since +20 s
        #expect(engine.slideIndex == 2)
        engine.replaceDeck(try KioskFixture.deck(slides: 3), at: t0 + 26_000)
        #expect(engine.slideIndex == 2)
        #expect(title(engine) == "S3")
        #expect(engine.slideShownAt == t0 + 20_000)  // no jump in timing either
        engine.tick(at: t0 + 30_000)
        #expect(title(engine) == "S1")  // and the loop goes round the new deck
    }

    @Test func aReplacedDeckStartsOverWhenTheSlideIsGone() throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(slides: 5), options: .init(shiftMilliseconds: 0), at: t0)
        engine.tick(at: t0 + 45_000)  // S5
        #expect(engine.slideIndex == 4)
        engine.replaceDeck(try KioskFixture.deck(slides: 2), at: t0 + 46_000)
        #expect(engine.slideIndex == 0)
        #expect(title(engine) == "S1")
        #expect(engine.slideShownAt == t0 + 46_000)  // a fresh full dwell
        engine.tick(at: t0 + 55_999)
        #expect(title(engine) == "S1")
        engine.tick(at: t0 + 56_000)
        #expect(title(engine) == "S2")
    }

    @Test func theReplacedDecksContentIsShown() throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(), at: t0)
        let edited = try KioskFixture.deck(KioskFixture.deckText.replacingOccurrences(of: "# A", with: "# A, edited"))
        engine.replaceDeck(edited, at: t0 + 1_000)
        #expect(title(engine) == "A, edited")
    }

    @Test func replacingWithAnEmptyDeckAndBack() throws {
        var engine = KioskEngine(deck: try KioskFixture.deck(), at: t0)
        engine.tick(at: t0 + 45_000)
        engine.replaceDeck(KioskFixture.empty, at: t0 + 46_000)
        #expect(engine.slide == nil)
        #expect(engine.slideIndex == 0)
        engine.tick(at: t0 + 500_000)
        engine.press(.right, at: t0 + 500_001)
        #expect(engine.slide == nil)
        engine.replaceDeck(try KioskFixture.deck(), at: t0 + 600_000)
        #expect(title(engine) == "A")
    }

    @Test func aDeckWithNoSlidesDoesNothing() throws {
        var engine = KioskEngine(deck: KioskFixture.empty,
                                 options: .init(exitChord: ExitChord.parse("ctrl-x"), openingHours: officeHours), at: t0)
        #expect(engine.slide == nil)
        for step in 1...50 {
            let now = t0 + Int64(step) * 7_777
            engine.tick(at: now)
            for key in [KeyEvent.right, .left, .pageUp, .pageDown, .character(" "), .click(column: 0, row: 0),
                        .click(column: 79, row: 0)] {
                #expect(engine.press(key, at: now) == nil)
                #expect(engine.press(key, at: now, wall: wednesdayNight) == nil)
            }
            #expect(engine.slide == nil)
            #expect(engine.slideIndex == 0)
            #expect(!engine.isBrowsing)
        }
        #expect(engine.slideShownAt == t0)
        let (x, y) = engine.shift(at: t0 + 180_000)
        #expect(x == 1 && y == 0)
    }

    @Test func anEmptyDeckDoesNotAskToBeWokenAtOnce() {
        // Reproduction: with no slides, `tick` returns before moving `slideShownAt`, so once the deck's dwell has
        // passed `nextDeadline` is `slideShownAt + dwell`, in the past, and answers "now" forever. The kiosk
        // shows the fallback title exactly in this case, and its loop (`terminal.wait(until: deadline)`) then
        // spins at full CPU.
        var engine = KioskEngine(deck: KioskFixture.empty, at: t0)
        let now = t0 + 30_000
        engine.tick(at: now)
        #expect(engine.nextDeadline(after: now) > now)
    }
}

// MARK: - Deck front matter: hours and days

@Suite("Deck front matter: hours and days")
struct DeckHoursParsingTests {
    private func deckText(_ keys: String) -> String {
        "---\nkind: deck\nid: d\ntitle: D\n\(keys)---\n# A\nx\n"
    }

    private func hours(_ keys: String) throws -> OpeningHours? {
        try KioskFixture.deck(deckText(keys)).openingHours
    }

    @Test func hoursAndDays() throws {
        #expect(try hours("hours: 08:00-18:00\ndays: mon-fri\n")
                == OpeningHours(opens: 480, closes: 1_080, days: Set(1...5)))
        #expect(try hours("days: sat-mon\nhours: 22:00-02:00\n")
                == OpeningHours(opens: 1_320, closes: 120, days: [6, 7, 1]))
        #expect(try hours("hours: \"07:30-12:00\"\n") == OpeningHours(opens: 450, closes: 720, days: Set(1...7)))
    }

    @Test func daysAloneMeanAllDay() throws {
        #expect(try hours("days: mon,wed\n") == OpeningHours(opens: 0, closes: 24 * 60, days: [1, 3]))
    }

    @Test func hoursAloneMeanEveryDay() throws {
        #expect(try hours("hours: 09:00-17:00\n") == OpeningHours(opens: 540, closes: 1_020, days: Set(1...7)))
    }

    @Test func neitherMeansAlwaysOpen() throws {
        #expect(try hours("") == nil)
    }

    struct BadValue: Sendable, CustomTestStringConvertible {
        var keys: String
        var line: Int
        var column: Int
        var message: String
        var testDescription: String { keys.replacingOccurrences(of: "\n", with: " ") }
    }

    static let badValues: [BadValue] = [
        BadValue(keys: "hours: 8 to 6\n", line: 5, column: 8, message: "'8 to 6' is not an opening time"),
        BadValue(keys: "dwell: 10s\nhours:   09:00-09:00\n", line: 6, column: 10,
                 message: "'09:00-09:00' is not an opening time"),
        BadValue(keys: "days: mon-fir\n", line: 5, column: 7, message: "'mon-fir' is not a day or range of days"),
        BadValue(keys: "hours: 08:00-18:00\ndays: weekdays\n", line: 6, column: 7,
                 message: "'weekdays' is not a day or range of days"),
        BadValue(keys: "days: [mon, tue]\n", line: 5, column: 7, message: "'days' takes a single value, not a list"),
        BadValue(keys: "hours:\n", line: 5, column: 1, message: "'hours' has no value"),
    ]

    @Test("an invalid value is reported where it is written", arguments: badValues)
    func invalid(_ bad: BadValue) throws {
        let file = KioskFixture.parse(deckText(bad.keys))
        let errors = file.diagnostics.filter { $0.severity == .error }
        try #require(errors.count == 1, "\(file.diagnostics)")
        #expect(errors[0].location.line == bad.line)
        #expect(errors[0].location.column == bad.column)
        #expect(errors[0].message.hasPrefix(bad.message), "\(errors[0].message)")
    }
}
