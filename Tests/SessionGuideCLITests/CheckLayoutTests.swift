import Foundation
import Testing

// `check` sees what the screen will get wrong: a slide cut off on its kiosk's screen, a session's text step that
// needs scrolling, a drill, routine or deck without the clinic's safety rule; `--strict` fails on warnings.

private func drill(id: String = "bend", safety: String) -> String {
    """
    ---
    kind: drill
    id: \(id)
    title: Side bend
    purpose: Bends the trunk.
    work: 20s
    ---
    # Steps
    1. Lean a little to one side.

    # Safety
    \(safety)
    """
}

private func deck(screen: String? = nil, slides: String) -> String {
    "---\nkind: deck\nid: room\ntitle: Room\n" + (screen.map { "screen: \($0)\n" } ?? "") + "---\n" + slides
}

@Suite("check: layout and safety warnings, --strict")
struct CheckLayoutTests {
    @Test func aSafetyNoteWithoutTheRuleIsAWarningAndStrictFailsOnIt() async throws {
        try await withTemporaryFolder(["drills/bend.md": .text(drill(safety: "Be careful."))]) { folder in
            let plain = try await BinaryRunner.run(["check", folder.path])
            #expect(plain.exitCode == 0, Comment(rawValue: plain.summary))
            #expect(plain.stdoutLines.first == "\(folder.path(of: "drills/bend.md")):11:1: warning: this safety note doesn't "
                + "give the clinic's safety rule; say it in your words: keep to pain-free, controlled movement, and stop if "
                + "it hurts", Comment(rawValue: plain.summary))
            #expect(plain.stdoutLines.last == "1 file, 0 errors, 1 warning")
            let strict = try await BinaryRunner.run(["check", "--strict", folder.path])
            #expect(strict.exitCode == 65, Comment(rawValue: strict.summary))
        }
        try await withTemporaryFolder(["drills/bend.md": .text(drill(safety: "Use pain-free, controlled movement."))]) { folder in
            let strict = try await BinaryRunner.run(["check", "--strict", folder.path])
            #expect(strict.exitCode == 0, Comment(rawValue: strict.summary))
            #expect(strict.stdoutLines.last == "1 file, 0 errors, 0 warnings")
        }
    }

    @Test func aRoutineWithoutTheRuleAndADeckThatSaysMoveWithoutItAreWarnings() async throws {
        let routine = "---\nkind: routine\nid: r\ntitle: R\nsafety: Take care.\n---\n[drill: bend]\n"
        let moving = deck(slides: "# Daily habits\nA few minutes of gentle hip movement every day.\n\n# Hours\nOpen 9 to 5.\n")
        try await withTemporaryFolder([
            "drills/bend.md": .text(drill(safety: "Pain-free, controlled movement; stop if it hurts.")),
            "routines/r.md": .text(routine), "decks/room.md": .text(moving),
        ]) { folder in
            let result = try await BinaryRunner.run(["check", folder.path])
            #expect(result.stdoutLines.contains("\(folder.path(of: "routines/r.md")):5:9: warning: the routine's 'safety:' "
                + "doesn't give the clinic's safety rule; say it in your words: keep to pain-free, controlled movement, "
                + "and stop if it hurts"), Comment(rawValue: result.summary))
            #expect(result.stdoutLines.contains("\(folder.path(of: "decks/room.md")):6:1: warning: slide 'Daily habits' tells "
                + "people to move, and no slide gives the safety rule; add a line or a slide: keep to pain-free, "
                + "controlled movement, and stop if it hurts"), Comment(rawValue: result.summary))
            #expect(result.stdoutLines.last == "3 files, 0 errors, 2 warnings")
        }
    }

    @Test func aSlideTooLongForItsKioskScreenNamesTheLinesCutOff() async throws {
        let long = (1...12).map { "- Point number \($0) on this slide" }.joined(separator: "\n")
        let text = deck(screen: "60x16", slides: "# A long slide\n\(long)\n\n# A short slide\nOne line.\n")
        try await withTemporaryFolder(["decks/room.md": .text(text)]) { folder in
            let result = try await BinaryRunner.run(["check", "--strict", folder.path])
            #expect(result.exitCode == 65, Comment(rawValue: result.summary))
            // 16 rows leave 11 for the slide: the heading and 12 points are 13, even without the rule and gaps.
            #expect(result.stdoutLines.first == "\(folder.path(of: "decks/room.md")):7:1: warning: slide 'A long slide' is "
                + "2 lines too long for a 60×16 kiosk screen: its end is cut off there; shorten it or split it into two "
                + "slides (or set 'screen:' to the kiosk's size)", Comment(rawValue: result.summary))
            #expect(result.stdoutLines.last == "1 file, 0 errors, 1 warning")
        }
        // The same slide on the default 80×24 fits.
        try await withTemporaryFolder(["decks/room.md": .text(deck(slides: "# A long slide\n\(long)\n"))]) { folder in
            let result = try await BinaryRunner.run(["check", "--strict", folder.path])
            #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        }
    }

    @Test func aScreenSizeThatIsNotOneIsAnError() async throws {
        for (written, message) in [("big", "'screen' is columns x rows, such as 80x24; 'big' is not"),
                                   ("20x5", "'screen' must be between 30×8 and 1000×500; 20×5 is not")] {
            try await withTemporaryFolder(["decks/room.md": .text(deck(screen: written, slides: "# A\nText.\n"))]) { folder in
                let result = try await BinaryRunner.run(["check", folder.path])
                #expect(result.exitCode == 65)
                #expect(result.stdoutLines.first == "\(folder.path(of: "decks/room.md")):5:9: error: \(message)",
                        Comment(rawValue: result.summary))
            }
        }
    }

    @Test func aSessionsLongTextStepIsAWarningItsDrillStepsNever() async throws {
        let points = (1...30).map { "- Talking point \($0)" }.joined(separator: "\n")
        let session = """
            ---
            kind: session
            id: s
            title: Session
            ---
            # Talk
            \(points)

            # Move
            [drill: bend]
            """
        try await withTemporaryFolder([
            "sessions/s.md": .text(session),
            "drills/bend.md": .text(drill(safety: "Pain-free, controlled movement; stop if it hurts.")),
        ]) { folder in
            let result = try await BinaryRunner.run(["check", folder.path])
            let warnings = result.stdoutLines.filter { $0.contains(": warning: ") }
            #expect(warnings.count == 1, Comment(rawValue: result.summary))
            #expect(warnings.first?.hasPrefix("\(folder.path(of: "sessions/s.md")):6:1: warning: step 'Talk' is ") == true)
            #expect(warnings.first?.contains("longer than a 80×24 screen: the therapist scrolls to see its end") == true)
        }
    }

    @Test func theShippedContentChecksCleanUnderStrict() async throws {
        let result = try await BinaryRunner.run(["check", "--strict"])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        #expect(result.stdoutLines.last?.hasSuffix(", 0 errors, 0 warnings") == true, Comment(rawValue: result.summary))
    }
}
