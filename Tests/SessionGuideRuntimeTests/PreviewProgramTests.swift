import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout
import SessionGuideRuntime
import Testing

// `preview FILE` on the runtime with a manual clock: a good save is drawn at once, where the writer was; a broken
// one keeps the last good view and names the problem on the bottom line.

private func deckText(_ second: String) -> String {
    "---\nkind: deck\nid: room\ntitle: Room\n---\n# First slide\nHello.\n\n# Second slide\n\(second)\n"
}

private func drillText(reps: Int) -> String {
    "---\nkind: drill\nid: bend\ntitle: Side bend\npurpose: Bends.\nreps: \(reps)\ntempo: 4s\n---\n# Steps\n1. Lean.\n\n"
        + "# Safety\nPain-free, controlled movement; stop if it hurts.\n"
}

@Suite struct PreviewProgramTests {
    @Test func aDeckIsTheKioskAndASaveIsDrawnAtTheSameSlide() throws {
        let first = try library(["decks/room.md": deckText("Version one.")])
        let harness = ProgramHarness(PreviewProgram(library: first, documentID: "room", fileName: "decks/room.md",
                                                    problem: nil, kioskSize: Size(width: 60, height: 16)),
                                     size: Size(width: 80, height: 24))
        #expect(harness.contains("First slide"))
        #expect(harness.contains("the kiosk at 60×16"))
        #expect(harness.contains("Preview of decks/room.md"))
        harness.press(.right)
        #expect(harness.contains("Version one."))
        harness.send(.contentEdited(.loaded(try library(["decks/room.md": deckText("Version two, saved.")]))))
        #expect(harness.contains("Version two, saved."))
        #expect(harness.contains("Second slide"))
        // A broken save: the last good slide stays, and the problem is on the bottom line.
        harness.send(.contentEdited(.broken("decks/room.md:3:5: id 'Room' must be lower-case letters")))
        #expect(harness.contains("Version two, saved."))
        #expect(harness.screen.last?.contains("decks/room.md:3:5: id 'Room' must be lower-case") == true)
        harness.send(.contentEdited(.loaded(try library(["decks/room.md": deckText("Fixed.")]))))
        #expect(harness.contains("Fixed."))
        #expect(harness.screen.last?.contains("Preview of decks/room.md") == true)
        harness.press(.character("q"))
        #expect(harness.exitCode == 0)
    }

    @Test func aDrillIsADrillStepWithItsTimerAndTakesANewDose() throws {
        let harness = ProgramHarness(PreviewProgram(library: try library(["drills/bend.md": drillText(reps: 10)]),
                                                    documentID: "bend", fileName: "drills/bend.md", problem: nil),
                                     size: Size(width: 80, height: 30))
        #expect(harness.contains("10 reps"))
        #expect(harness.contains("READY"))
        harness.send(.contentEdited(.loaded(try library(["drills/bend.md": drillText(reps: 12)]))))
        #expect(harness.contains("12 reps"))
        #expect(harness.contains("of 0:48"))
        harness.press(.character(" "))
        harness.advance(seconds: 4)
        #expect(harness.contains("RUNNING") || harness.contains("Rep 2 of 12"))
    }

    @Test func aFileBrokenFromTheStartShowsItsProblemUntilItIsFixed() throws {
        let harness = ProgramHarness(PreviewProgram(library: nil, documentID: nil, fileName: "drills/bend.md",
                                                    problem: "drills/bend.md:6:7: '10x' is not a whole number"),
                                     size: Size(width: 80, height: 24))
        #expect(harness.contains("Nothing to show until the file has no errors."))
        #expect(harness.screen.last?.contains("drills/bend.md:6:7: '10x' is not a whole number") == true)
        // Fixed: the file's document is found by its path in the library, and shown.
        let fixed = ContentLibrary(files: [DocumentParser.parse(text: drillText(reps: 10), path: "drills/bend.md")])
        harness.send(.contentEdited(.loaded(fixed)))
        #expect(harness.contains("Side bend"))
        #expect(harness.contains("10 reps"))
        #expect(harness.screen.last?.contains("Preview of drills/bend.md") == true)
    }
}
