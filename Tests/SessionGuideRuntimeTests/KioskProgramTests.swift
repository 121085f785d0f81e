import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout
import SessionGuideRuntime
import Testing

@Suite("kiosk program on the runtime, in-process")
struct KioskProgramTests {
    static let headings = ["Slide Alpha", "Slide Bravo", "Slide Charlie"]

    func shown(_ harness: ProgramHarness<KioskProgram>) -> Int? {
        Self.headings.firstIndex { harness.contains($0) }
    }

    @Test("slides advance on their own at each dwell's end and loop 1 → 2 → 3 → 1")
    func slidesLoop() throws {
        let harness = ProgramHarness(KioskProgram(deck: try testDeck(dwell: "2s"), fallbackTitle: "Welcome",
                                                  options: KioskEngine.Options(), large: false))
        #expect(shown(harness) == 0)
        harness.advance(by: 1_999)
        #expect(shown(harness) == 0)
        harness.advance(by: 1)
        #expect(shown(harness) == 1)
        harness.advance(by: 2_000)
        #expect(shown(harness) == 2)
        harness.advance(by: 2_000)
        #expect(shown(harness) == 0, "\(harness.text)")
        // Many loops at once: each deadline is woken for, none is skipped.
        harness.advance(by: 2_000 * 30 + 1_000)
        #expect(shown(harness) == 0)
    }

    @Test("SIGTERM and SIGHUP end it with 128 + the signal, as documented; Ctrl-C, Ctrl-\\, q and Esc do nothing",
          arguments: [(TerminalSignal.terminate, Int32(143)), (.hangup, 129)])
    func signals(_ signal: TerminalSignal, code: Int32) throws {
        let harness = ProgramHarness(KioskProgram(deck: try testDeck(), fallbackTitle: "Welcome",
                                                  options: KioskEngine.Options(), large: false))
        harness.signal(.interrupt)
        harness.signal(.quit)
        harness.press(.character("q"), .escape, .control("c"), .control("z"))
        #expect(harness.exitCode == nil)
        harness.signal(signal)
        #expect(harness.exitCode == code)
    }
}

/// The kiosk's logic on the runtime, on a manual clock: what the tmux tests used to wait for in real time.
@Suite("kiosk program: browsing, the exit chord, the wall clock and opening hours, deck edits")
struct KioskProgramTimeTests {
    static let headings = KioskProgramTests.headings

    func kiosk(dwell: String = "2s", options: KioskEngine.Options = KioskEngine.Options(),
               clock: ManualClock = ManualClock(), size: Size = Size(width: 80, height: 24))
        throws -> ProgramHarness<KioskProgram>
    {
        ProgramHarness(KioskProgram(deck: try testDeck(dwell: dwell), fallbackTitle: "Welcome", options: options,
                                    large: false), size: size, clock: clock)
    }

    func shown(_ harness: ProgramHarness<KioskProgram>) -> Int? {
        Self.headings.firstIndex { harness.contains($0) }
    }

    func isBlank(_ harness: ProgramHarness<KioskProgram>) -> Bool { harness.screen.allSatisfy(\.isEmpty) }

    /// A date from its UTC parts.
    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    @Test("the dots follow the slide, and the HH:MM clock on the top row turns at the wall clock's minute")
    func dotsAndClock() throws {
        // 2026-05-28 20:26:40 UTC, shown in Berlin (UTC+2 in summer).
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_780_000_000),
                                timeZone: TimeZone(identifier: "Europe/Berlin")!)
        let harness = try kiosk(clock: clock)
        #expect(harness.screen[0].hasSuffix("22:26"), "\(harness.text)")
        #expect(harness.screen[0].count == 79, "the clock ends one column before the edge")
        #expect(harness.screen[22].trimmingCharacters(in: .whitespaces) == "● ○ ○", "\(harness.text)")
        harness.advance(by: 2_000)
        #expect(harness.screen[22].trimmingCharacters(in: .whitespaces) == "○ ● ○", "\(harness.text)")
        harness.advance(by: 17_999)  // 20:26:59.999
        #expect(harness.screen[0].hasSuffix("22:26"), "\(harness.text)")
        harness.advance(by: 1)
        #expect(harness.screen[0].hasSuffix("22:27"), "\(harness.text)")
    }

    @Test("→ and ← browse and hold the loop for --idle; then it runs on from the browsed slide")
    func browseThenIdle() throws {
        let harness = try kiosk(options: KioskEngine.Options(idleMilliseconds: 2_000))
        harness.advance(by: 500)
        harness.press(.right)
        #expect(shown(harness) == 1)
        // Slide 2's own 2 s would end here; browsing holds it until 2 s after the key.
        harness.advance(by: 1_999)
        #expect(shown(harness) == 1)
        harness.advance(by: 1)
        #expect(shown(harness) == 1, "the loop takes over, and slide 2 gets its full dwell from now")
        harness.advance(by: 2_000)
        #expect(shown(harness) == 2)
        harness.advance(by: 2_000)
        #expect(shown(harness) == 0)
        // ← from the first slide goes round to the last, and holds it too.
        harness.press(.left)
        #expect(shown(harness) == 2)
        harness.advance(by: 1_999)
        #expect(shown(harness) == 2)
        harness.advance(by: 2_001)
        #expect(shown(harness) == 0)
        // → → ← is one step each.
        harness.press(.right)
        harness.press(.right)
        #expect(shown(harness) == 2)
        harness.press(.left)
        #expect(shown(harness) == 1)
    }

    @Test("the exit chord: two presses, more than 2 s, a third do nothing; three within 2 s end it with 0")
    func exitChordWindow() throws {
        let chord = try #require(ExitChord.parse("ctrl-x"))
        let harness = try kiosk(options: KioskEngine.Options(exitChord: chord))
        harness.press(.control("x"))
        harness.advance(by: 200)
        harness.press(.control("x"))
        harness.advance(by: 2_300)
        harness.press(.control("x"))
        #expect(harness.exitCode == nil)
        // Another key in between starts the count again.
        harness.advance(by: 200)
        harness.press(.control("x"))
        harness.advance(by: 200)
        harness.press(.right)
        harness.advance(by: 200)
        harness.press(.control("x"))
        #expect(harness.exitCode == nil)
        // Pasted together, or typed faster than a person can (a held key), presses never count.
        harness.advance(by: 2_100)
        harness.press(.control("x"), .control("x"), .control("x"))
        harness.type([.character("a"), .control("x"), .control("x"), .control("x")])
        #expect(harness.exitCode == nil)
        harness.advance(by: 2_100)
        harness.press(.control("x"))
        harness.advance(by: 900)
        harness.press(.control("x"))
        harness.advance(by: 900)
        #expect(harness.exitCode == nil)
        harness.press(.control("x"))
        #expect(harness.exitCode == 0)
    }

    @Test("without an exit chord, three Ctrl-X do nothing")
    func noChord() throws {
        let harness = try kiosk()
        harness.press(.control("x"), .control("x"), .control("x"))
        #expect(harness.exitCode == nil)
    }

    @Test("opening hours past midnight belong to the evening they opened, on the wall clock")
    func hoursAcrossMidnight() throws {
        // Thursday 2026-05-28 21:59 UTC; open Thursdays 22:00 to 02:00.
        let clock = ManualClock(start: Self.utc(2026, 5, 28, 21, 59))
        let options = KioskEngine.Options(openingHours: OpeningHours(opens: 22 * 60, closes: 2 * 60, days: [4]))
        let harness = try kiosk(dwell: "10m", options: options, clock: clock)
        #expect(isBlank(harness), "blank before opening:\n\(harness.text)")
        harness.advance(by: 60_000)
        #expect(shown(harness) != nil, "open at 22:00:\n\(harness.text)")
        harness.advance(by: (3 * 60 + 59) * 60_000)  // Friday 01:59
        #expect(shown(harness) != nil, "still open after midnight:\n\(harness.text)")
        harness.advance(by: 60_000)  // Friday 02:00
        #expect(isBlank(harness), "closed at 02:00:\n\(harness.text)")
        harness.advance(by: 20 * 60 * 60_000)  // Friday 22:00: not a Thursday
        #expect(isBlank(harness), "Friday night is not open:\n\(harness.text)")
    }

    @Test("opening hours follow the local clock across the change to summer time")
    func hoursAcrossDST() throws {
        // Berlin, Saturday night 2026-03-28 into Sunday: at 01:00 UTC the clocks go from 02:00 to 03:00.
        // Open Saturdays 22:00 to 02:30 local.
        let clock = ManualClock(start: Self.utc(2026, 3, 28, 22, 0), timeZone: TimeZone(identifier: "Europe/Berlin")!)
        let options = KioskEngine.Options(openingHours: OpeningHours(opens: 22 * 60, closes: 2 * 60 + 30, days: [6]))
        let harness = try kiosk(dwell: "10m", options: options, clock: clock)
        #expect(shown(harness) != nil, "23:00 local: open\n\(harness.text)")
        harness.advance(by: 2 * 60 * 60_000)  // 00:00 UTC, 01:00 local
        #expect(shown(harness) != nil, "01:00 local: open\n\(harness.text)")
        #expect(harness.screen[0].hasSuffix("01:00"), "\(harness.text)")
        harness.advance(by: 60 * 60_000)  // 01:00 UTC: 03:00 summer time, past closing (02:00 on a fixed offset)
        #expect(isBlank(harness), "03:00 local: closed\n\(harness.text)")
    }

    @Test("outside hours a key wakes the slides for a minute; the loop runs while awake; then blank again")
    func wakeOutsideHours() throws {
        // Thursday 20:26 UTC; open 08:00 to 18:00.
        let options = KioskEngine.Options(openingHours: OpeningHours(opens: 8 * 60, closes: 18 * 60, days: Set(1...7)))
        let harness = try kiosk(options: options)
        #expect(isBlank(harness))
        harness.advance(by: 5_000)
        #expect(isBlank(harness))
        harness.press(.character(" "))
        let woken = shown(harness)
        #expect(woken != nil, "\(harness.text)")
        harness.advance(by: 2_000)
        #expect(shown(harness) != nil && shown(harness) != woken, "the loop runs while awake:\n\(harness.text)")
        harness.advance(by: 58_000)
        #expect(isBlank(harness), "blank again after the wake period:\n\(harness.text)")
    }

    @Test("a good deck arriving mid-slide replaces the text at once; the loop keeps its place")
    func deckEdited() throws {
        let harness = try kiosk()
        harness.advance(by: 2_500)
        #expect(shown(harness) == 1)
        let renamed = try testDeck(dwell: "2s", headings: ["Slide Alpha", "Hello Delta", "Slide Charlie"])
        harness.send(.deckLoaded(renamed))
        #expect(harness.contains("Hello Delta") && !harness.contains("Slide Bravo"), "\(harness.text)")
        harness.advance(by: 1_500)
        #expect(shown(harness) == 2, "the slide's time runs on from when it went up:\n\(harness.text)")
        // A broken edit never reaches the program (the deck port sends nil): the slides stay.
        harness.send(.deckLoaded(nil))
        #expect(shown(harness) == 2)
    }

    @Test("without a deck: the fallback title alone, centred, until a good deck arrives")
    func fallback() throws {
        let harness = ProgramHarness(KioskProgram(deck: nil, fallbackTitle: "Riverside Clinic",
                                                  options: KioskEngine.Options(), large: false))
        #expect(harness.screen[12].trimmingCharacters(in: .whitespaces) == "Riverside Clinic", "\(harness.text)")
        harness.advance(by: 10_000)
        #expect(harness.screen.filter { !$0.isEmpty }.count <= 2, "\(harness.text)")
        harness.send(.deckLoaded(try testDeck()))
        #expect(shown(harness) == 0, "\(harness.text)")
    }

    @Test("--shift-every moves the slide by a cell, then back", arguments: [1_000])
    func burnInShift(every: Int64) throws {
        let harness = try kiosk(dwell: "60s", options: KioskEngine.Options(shiftMilliseconds: every))
        #expect(harness.screen[0].hasPrefix(" Test Deck"))
        harness.advance(by: every)
        #expect(harness.screen[0].hasPrefix("  Test Deck") && harness.screen[0].count == 78, "\(harness.text)")
        harness.advance(by: 3 * every)
        #expect(harness.screen[0].hasPrefix(" Test Deck") && harness.screen[0].count == 79, "\(harness.text)")
    }
}

@Suite("kiosk program: suspended")
struct KioskSuspendTests {
    @Test("a SIGTSTP stops the loop: after a minute stopped, the same slide for the rest of its dwell")
    func suspendedDwell() throws {
        let harness = ProgramHarness(KioskProgram(deck: try testDeck(dwell: "10s"), fallbackTitle: "Welcome",
                                                  options: KioskEngine.Options(), large: false))
        harness.advance(by: 4_000)
        #expect(harness.contains("Slide Alpha"))
        harness.suspend(for: 60_000)
        #expect(harness.contains("Slide Alpha"), "the dwell counted while stopped")
        harness.advance(by: 5_999)
        #expect(harness.contains("Slide Alpha"))
        harness.advance(by: 1)
        #expect(harness.contains("Slide Bravo"))
    }
}
