import Foundation
import Testing
@testable import SessionGuideContent

@Suite("Parsing every construct of the format")
struct ParserTests {
    @Test func sessionWithEveryBlock() throws {
        let file = Support.parse("""
            ---
            kind: session
            id: demo
            title: "Demo – session"
            goal: Show every block.
            duration: 45 min
            ---
            # Recap
            First line of a paragraph
            joined with the second.

            - bullet one
              continued here
            - bullet *two*

            1. first
            2. second

            > “Quoted speech.”

            > [!script] Suggested Therapist Script
            > “First paragraph.”
            >
            > Second paragraph.

            > [!script]
            > Default label.

            ```
              o
             /|\\
            ```

            # Drills

            ## Cat-cow for spinal motion
            [drill: cat-cow, work: 30s, sets: 2, rest: 10s, per-side: yes]

            ## Hip rocks
            [drill:hip-rocks]
            """)
        #expect(Support.errors(file).isEmpty, "\(file.diagnostics)")
        let session = try #require(file.session)
        #expect(session.title == "Demo – session")
        #expect(session.goal == "Show every block.")
        #expect(session.plannedSeconds == 45 * 60)
        #expect(session.sections.count == 2)

        let recap = session.sections[0].blocks
        #expect(recap[0] == .paragraph(RichText(plain: "First line of a paragraph joined with the second.")))
        #expect(recap[1] == .bulletList([RichText(plain: "bullet one continued here"),
                                         RichText([.text("bullet "), .emphasis([.text("two")])])]))
        #expect(recap[2] == .numberedList([RichText(plain: "first"), RichText(plain: "second")]))
        #expect(recap[3] == .quote([RichText(plain: "“Quoted speech.”")]))
        let script = try #require(recap[4].script)
        #expect(script.label == "Suggested Therapist Script")
        #expect(script.paragraphs.map(\.plainText) == ["“First paragraph.”", "Second paragraph."])
        #expect(script.location.line == 21)
        #expect(recap[5].script?.label == TherapistScript.defaultLabel)
        #expect(recap[6].fencedText?.lines == ["  o", " /|\\"])

        let drills = session.sections[1]
        #expect(drills.blocks.isEmpty)
        #expect(drills.subsections.map(\.title.plainText) == ["Cat-cow for spinal motion", "Hip rocks"])
        let reference = try #require(drills.subsections[0].blocks.first?.drillReference)
        #expect(reference.drillID == "cat-cow")
        #expect(reference.override == TimingOverride(work: 30, sets: 2, rest: 10, perSide: true))
        #expect(reference.location == SourceLocation(path: "test.md", line: 37, column: 9))
        #expect(drills.subsections[1].blocks.first?.drillReference?.drillID == "hip-rocks")
    }

    @Test func sessionStepsFlattenGroups() throws {
        let file = Support.parse("""
            ---
            kind: session
            id: s
            title: S
            ---
            # One
            text
            # Group
            intro
            ## A
            a
            ## B
            b
            # Last
            - x
            """)
        let steps = try #require(file.session).steps
        #expect(steps.map(\.title.plainText) == ["One", "Group", "A", "B", "Last"])
        #expect(steps.map { $0.group?.plainText } == [nil, nil, "Group", "Group", nil])
    }

    @Test func drillWithAllKeys() throws {
        let file = Support.parse("""
            ---
            kind: drill
            id: stretch
            title: Stretch
            purpose: Lengthens the hip flexors.
            equipment: a mat
            hold: 30s
            sets: 2
            rest: 10s
            per-side: yes
            ---
            # How to
            1. Kneel.
            2. Shift forward.

            # Cues
            - Tall spine.

            # Safety
            Pain-free, controlled movement.

            # Figures
            ```figure Start
             o
            /|
            ```
            """)
        #expect(file.diagnostics.isEmpty, "\(file.diagnostics)")
        let drill = try #require(file.drill)
        #expect(drill.timing == DrillTiming(effort: .hold(seconds: 30), sets: 2, rest: 10, perSide: true))
        #expect(drill.timing.totalSeconds == 2 * (2 * 30 + DrillTiming.switchSidesSeconds) + 10)
        #expect(drill.steps.map(\.plainText) == ["Kneel.", "Shift forward."])
        #expect(drill.cues.map(\.plainText) == ["Tall spine."])
        #expect(drill.safety == [.paragraph(RichText(plain: "Pain-free, controlled movement."))])
        #expect(drill.figures == [Figure(caption: "Start", lines: [" o", "/|"])])
        #expect(drill.equipment == "a mat")
    }

    @Test func timingOverridesReplaceTheEffort() {
        let timing = DrillTiming(effort: .reps(count: 10, tempo: 4), sets: 1, rest: 0)
        #expect(timing.applying(TimingOverride(work: 30)).effort == .work(seconds: 30))
        #expect(timing.applying(TimingOverride(tempo: 3)).effort == .reps(count: 10, tempo: 3))
        #expect(timing.applying(TimingOverride(reps: 5)).effort == .reps(count: 5, tempo: nil))
        #expect(timing.applying(TimingOverride(sets: 3, rest: 20)).totalSeconds == 3 * 40 + 2 * 20)
        #expect(DrillTiming(effort: .reps(count: 10, tempo: nil)).isEstimate)
    }

    @Test func routineAndResolvedTotals() throws {
        let library = Support.library([
            "cat-cow.md": Support.drillFile,
            "r.md": """
                ---
                kind: routine
                id: r
                title: R
                safety: Pain-free, controlled movement; stop if it hurts.
                rest-between: 20s
                get-ready: 5s
                ---
                A short introduction.

                [drill: cat-cow]
                [drill: cat-cow, reps: 5, tempo: 2s, sets: 2, rest: 10s]
                """,
        ])
        #expect(library.errorCount == 0, "\(library.diagnostics)")
        guard case .routine(let routine)? = library.document(id: "r") else {
            Issue.record("routine missing")
            return
        }
        #expect(routine.introduction == [.paragraph(RichText(plain: "A short introduction."))])
        #expect(routine.drills.count == 2)
        // 5 get-ready + 40 + (2 × 10 + 10) + 20 between
        #expect(library.totalSeconds(of: routine) == 5 + 40 + 30 + 20)
        #expect(library.resolve(routine.drills[1])?.timing.effort == .reps(count: 5, tempo: 2))
    }

    @Test func deckSlidesAndDwell() throws {
        let file = Support.parse("""
            ---
            kind: deck
            id: d
            title: D
            dwell: 15s
            ---
            # First
            Text.
            [dwell: 30s]

            # Second
            - a
            - b
            """)
        #expect(file.diagnostics.isEmpty, "\(file.diagnostics)")
        let deck = try #require(file.deck)
        #expect(deck.dwell == 15)
        #expect(deck.slides.map(\.dwell) == [30, nil])
        #expect(deck.loopSeconds == 45)
        #expect(deck.slides[0].blocks == [.paragraph(RichText(plain: "Text."))])
    }

    @Test func crlfByteOrderMarkAndTabsAreAccepted() throws {
        let text = "\u{FEFF}" + Support.drillFile
            .replacingOccurrences(of: "reps: 10", with: "reps:\t10")
            .replacingOccurrences(of: "- Slow and smooth.", with: "-\tSlow and smooth.")
            .replacingOccurrences(of: "\n", with: "\r\n")
        let file = Support.parse(text)
        #expect(file.diagnostics.isEmpty, "\(file.diagnostics)")
        #expect(file.drill?.cues.map(\.plainText) == ["Slow and smooth."])
        #expect(file.drill?.timing.effort == .reps(count: 10, tempo: 4))
    }

    @Test func yamlValuesAreReadAsWritten() throws {
        let file = Support.parse("""
            ---
            kind: drill
            id: d
            title: no
            purpose: 1:30
            hold: 1:30
            ---
            # Steps
            - a
            # Safety
            b
            """)
        let drill = try #require(file.drill, "\(file.diagnostics)")
        #expect(drill.title == "no")  // YAML 1.1 would say false
        #expect(drill.purpose == "1:30")  // and 90
        #expect(drill.timing.effort == .hold(seconds: 90))
    }
}
