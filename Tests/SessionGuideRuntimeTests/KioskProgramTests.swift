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

    @Test("SIGTERM and SIGHUP end it with 0; Ctrl-C, Ctrl-\\, q and Esc do nothing")
    func signals() throws {
        let harness = ProgramHarness(KioskProgram(deck: try testDeck(), fallbackTitle: "Welcome",
                                                  options: KioskEngine.Options(), large: false))
        harness.signal(.interrupt)
        harness.signal(.quit)
        harness.press(.character("q"), .escape, .control("c"), .control("z"))
        #expect(harness.exitCode == nil)
        harness.signal(.terminate)
        #expect(harness.exitCode == 0)
    }
}
