import Foundation
import Testing

// Content edited while the therapist's session or the patient's routine runs (issue #9): a good edit shows at
// the next step change, never under the reader's eyes; a broken one keeps the last good content and says so in
// one line under the screen. Each test edits its own copy of the shipped content.

/// A copy of the shipped content in a temporary folder.
fileprivate func copyOfShippedContent() throws -> TemporaryFolder {
    let folder = try TemporaryFolder()
    let shipped = BinaryRunner.packageRoot.appendingPathComponent("Content")
    for name in try FileManager.default.contentsOfDirectory(atPath: shipped.path) {
        try FileManager.default.copyItem(at: shipped.appendingPathComponent(name), to: folder.url.appendingPathComponent(name))
    }
    return folder
}

/// Replaces `old` with `new` in a content file, as an editor saves it (a new file renamed over the old one).
fileprivate func edit(_ folder: TemporaryFolder, _ name: String, replacing old: String, with new: String) throws {
    let path = folder.path(of: name)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    try #require(text.contains(old), "'\(old)' is not in \(name)")
    try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
}

@Suite("content edited while a session or routine runs (tmux)")
struct LiveReloadTests {
    @Test("a session shows an edit at the next step, not on the step being read; a broken edit keeps the last good content with a notice, until it is fixed")
    func sessionEdits() async throws {
        let content = try copyOfShippedContent()
        let state = try TemporaryFolder()
        try await withTmuxTerminal(["session", "treatment-08", "--content", content.path, "--no-log"],
                                   environment: ["XDG_STATE_HOME": state.path]) { terminal in
            try await terminal.waitFor("Step 1/9", "Mobility is controlled movement.")

            // Step 1's own text is edited while it is read: it stays as it was until the therapist moves on.
            let loaded = terminal.portInputs("content-loaded")
            try edit(content, "sessions/treatment-08.md", replacing: "- Mobility is controlled movement.",
                     with: "- Mobility is movement you control.")
            try edit(content, "sessions/treatment-08.md", replacing: "- Hips = mobility joints.",
                     with: "- Hips are made to move.")
            let unchanged = try await terminal.capture()
            #expect(unchanged.contains("Mobility is controlled movement."), "\(unchanged)")
            // The program has read the edit: it must still not show.
            try await terminal.advance(by: 100, untilPort: "content-loaded", moreThan: loaded)
            try await terminal.advance(by: 1_000)
            #expect(try await terminal.capture().text == unchanged.text, "the step changed under the reader's eyes")

            try await terminal.press("Right")
            try await terminal.waitFor("Step 2/9", "Hips are made to move.")
            try await terminal.press("Left")
            try await terminal.waitFor("Step 1/9", "Mobility is movement you control.")

            // A broken edit: the last good content stays, and one line says what is wrong and where.
            try edit(content, "sessions/treatment-08.md", replacing: "kind: session", with: "kind: sesion")
            try await terminal.advance(by: 100, untilPort: "content-broken", moreThan: 0)
            try await terminal.waitFor("Edit not used", "sessions/treatment-08.md:2")
            try await terminal.press("Right")
            try await terminal.waitFor("Step 2/9", "Hips are made to move.", "Edit not used")

            // Fixed: the notice goes, and the screen is whole again.
            let loadedBeforeFix = terminal.portInputs("content-loaded")
            try edit(content, "sessions/treatment-08.md", replacing: "kind: sesion", with: "kind: session")
            try await terminal.advance(by: 100, untilPort: "content-loaded", moreThan: loadedBeforeFix)
            try await terminal.waitForAbsence(of: "Edit not used")
            try await terminal.waitFor("Step 2/9", "q quit")
            try await terminal.press("q")
            #expect(try await terminal.waitForExit().status == 0)
        }
    }

    @Test("a routine shows a reworded drill from the next drill on, and refuses a timing change until its next run")
    func routineEdits() async throws {
        let content = try copyOfShippedContent()
        let state = try TemporaryFolder()
        try await withTmuxTerminal(["routine", "starter-5", "--content", content.path, "--no-log", "--quiet",
                                    "--no-pain-check"],
                                   environment: ["XDG_STATE_HOME": state.path]) { terminal in
            try await terminal.waitFor("Space")
            try await terminal.press("Space")
            try await terminal.waitUntil("the routine running") { $0.contains("Cat-cow") }

            // The next drill is reworded while the first runs: it shows reworded when it comes.
            try edit(content, "drills/hip-rocks.md", replacing: "title: Hip rocks", with: "title: Gentle hip rocks")
            try await terminal.advance(by: 100, untilPort: "content-loaded", moreThan: 0)
            try await terminal.press("Right", "Right")  // past the get-ready and the first drill
            try await terminal.waitFor("Drill 2 of 5", "Gentle hip rocks")

            // Timing changes are refused while it runs, and it says so at once.
            let loaded = terminal.portInputs("content-loaded")
            try edit(content, "routines/starter-5.md", replacing: "rest-between: 15s", with: "rest-between: 25s")
            try await terminal.advance(by: 100, untilPort: "content-loaded", moreThan: loaded)
            try await terminal.waitFor("Drills or timing changed: the edit shows from the next run.")
            try await terminal.waitFor("Gentle hip rocks")
        }
    }
}
