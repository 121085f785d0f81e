import Foundation
import Testing
@testable import SessionGuideContent

@Suite("Printing documents as linear text and markdown")
struct PrinterTests {
    @Test func sessionAsTextContainsEveryPlanLine() throws {
        let library = try Support.shippedLibrary()
        let document = try #require(library.document(id: "treatment-08"))
        let text = DocumentPrinter(library: library, format: .text, width: 0).render(document)
        for line in try Support.fixture("treatment-08-plan.txt").split(separator: "\n") {
            let point = line.trimmingSpaces()
            guard !point.isEmpty, point != "Suggested Therapist Script" else { continue }
            #expect(text.contains(point), "missing: \(point)")
        }
        #expect(text.contains("Step 5 of 9: Functional Examples › Cat-cow for spinal motion"))
        #expect(text.contains("Suggested Therapist Script (for the therapist):"))
        // Drill references are written out in full.
        #expect(text.contains("Drill: Cat-cow"))
        #expect(text.contains("Steps:\n  1. "))
        #expect(text.contains("Safety:\n"))
    }

    @Test func wrapsTextToTheWidth() throws {
        let library = try Support.shippedLibrary()
        let document = try #require(library.document(id: "treatment-08"))
        let text = DocumentPrinter(library: library, format: .text, width: 60).render(document)
        for line in text.split(separator: "\n") {
            #expect(DisplayWidth.of(line) <= 60, "\(line)")
        }
    }

    @Test func markdownKeepsStructureAndEscapes() {
        let library = Support.library([
            "cat-cow.md": Support.drillFile,
            "s.md": """
                ---
                kind: session
                id: s
                title: "Star * title"
                goal: A goal.
                ---
                # Recap
                - **strong** and *soft*

                > [!script] Say
                > “Hello.”

                # Move
                [drill: cat-cow, reps: 6]
                """,
        ])
        let document = library.document(id: "s")!
        let markdown = DocumentPrinter(library: library, format: .markdown).render(document)
        #expect(markdown.hasPrefix("# Star \\* title\n\n**Session Goal:** A goal.\n"))
        #expect(markdown.contains("## Step 1 of 2: Recap"))
        #expect(markdown.contains("- **strong** and *soft*"))
        #expect(markdown.contains("> **Say** (for the therapist)\n>\n> “Hello.”"))
        #expect(markdown.contains("### Drill: Cat-cow"))
        #expect(markdown.contains("**Timing:** 1 set × 6 reps at your own pace (about 18 s in all)"))
    }

    @Test func routineShowsSafetyTotalAndEveryDrill() throws {
        let library = try Support.shippedLibrary()
        let document = try #require(library.document(id: "starter-5"))
        let text = DocumentPrinter(library: library, width: 0).render(document)
        #expect(text.contains("Total time: 5 min"))
        #expect(text.contains("Safety: "))
        #expect(text.contains("Drill 1 of 5: Cat-cow"))
        #expect(text.contains("Drill 5 of 5: "))
    }

    @Test func deckListsSlidesWithDwell() throws {
        let library = try Support.shippedLibrary()
        let document = try #require(library.document(id: "waiting-room"))
        let text = DocumentPrinter(library: library, width: 0).render(document)
        #expect(text.contains("Slide 1: "))
        #expect(text.contains("(30 s)"))
        #expect(!text.contains("for the therapist"))
    }

    @Test func drillFiguresUnderTheStepsWithTheirCaptions() throws {
        let library = try Support.shippedLibrary()
        let document = try #require(library.document(id: "hip-rocks"))
        let text = DocumentPrinter(library: library, format: .text, width: 80).render(document)
        #expect(text.contains("""
            Figures:
              Start: back long and level
                o__________
                 |         |
                 |         |___

              End: hips back toward heels
                  o_______
                 /        \\
                /        __\\__

            Cues:
            """))
        #expect(text.range(of: "Steps:")!.lowerBound < text.range(of: "Figures:")!.lowerBound)

        let markdown = DocumentPrinter(library: library, format: .markdown).render(document)
        #expect(markdown.contains("### Figures\n\n**Start: back long and level**\n\n```\no__________\n"))

        // Read aloud, a drawing is noise: the captions say the positions.
        var spoken = DocumentPrinter(library: library, format: .text, width: 0)
        spoken.drawsFigures = false
        let said = spoken.render(document)
        #expect(said.contains("Figures:\n  Start: back long and level\n  End: hips back toward heels\n\nCues:"))
        #expect(!said.contains("o__"))
    }

    @Test func aFigureWiderThanThePageIsLeftOutWithANote() {
        let library = Support.library(["d.md": """
            ---
            kind: drill
            id: d
            title: D
            purpose: P
            work: 30s
            ---
            # Steps
            1. Lie down.

            # Figures
            ```figure Start
            o____________________________
            ```

            # Safety
            Pain-free, controlled movement; stop if it hurts.
            """])
        let text = DocumentPrinter(library: library, format: .text, width: 24).render(library.document(id: "d")!)
        #expect(!text.contains("o___"))
        #expect(text.contains("Start (left out: it"))
        #expect(text.split(separator: "\n").allSatisfy { DisplayWidth.of($0) <= 24 })
    }

    @Test func timingInWords() {
        #expect(TimingDescription.describe(DrillTiming(effort: .hold(seconds: 30), sets: 2, rest: 10, perSide: true))
            == "2 sets × 30 s hold, each side; 10 s rest between sets")
        #expect(TimingDescription.describe(DrillTiming(effort: .work(seconds: 45)))
            == "1 set × 45 s of movement")
        #expect(TimingDescription.total(DrillTiming(effort: .reps(count: 10, tempo: nil))) == "about 30 s")
    }
}
