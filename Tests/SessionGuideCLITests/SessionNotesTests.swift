import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// End-to-end tests of session notes and the session record: `w` in a real terminal (tmux), `--patient`,
// `--no-log`, saving on q and on a signal, a history that can't be used, `session --plain`'s note prompt, and
// `session-guide notes` with its exports. Each test has its own XDG_STATE_HOME and HOME, so the tester's own
// history is never read or written.

/// A session as `notes --json` exports it.
fileprivate struct ExportedSession: Decodable, Sendable {
    struct Step: Decodable, Sendable {
        var position: Int
        var title: String
        var group: String?
        var seconds: Int
        var drill_id: String?
        var timer: String?
    }

    struct Note: Decodable, Sendable {
        var step: Int
        var step_title: String
        var text: String
        var written_at: String
    }

    var id: Int?
    var session_id: String
    var session_title: String
    var patient: String?
    var started_at: String
    var ended_at: String
    var seconds: Int
    var interrupted: Bool
    var drill_steps: Int
    var timers_started: Int
    var timers_completed: Int
    var steps: [Step]
    var notes: [Note]
}

/// A test's own state and home folders.
fileprivate final class NotesSandbox: Sendable {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
    }

    deinit { folder.remove() }

    var home: String { folder.path(of: "home") }
    var state: String { folder.path(of: "state") }
    var historyFolder: String { state + "/session-guide" }
    var historyFile: String { historyFolder + "/history.sqlite" }

    var environment: [String: String?] { ["XDG_STATE_HOME": state, "HOME": home, "XDG_RUNTIME_DIR": nil] }

    func notes(_ extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) async throws -> RunResult {
        try await BinaryRunner.run(["notes"] + extra, environment: environment, sourceLocation: sourceLocation)
    }

    /// The sessions in the history, read with `notes --json` (which must succeed).
    func recordedSessions(_ extra: [String] = [],
                          sourceLocation: SourceLocation = #_sourceLocation) async throws -> [ExportedSession] {
        let result = try await notes(["--json"] + extra, sourceLocation: sourceLocation)
        try #require(result.exitCode == 0, Comment(rawValue: result.summary), sourceLocation: sourceLocation)
        do {
            return try JSONDecoder().decode([ExportedSession].self, from: result.stdoutData)
        } catch {
            Issue.record(Comment(rawValue: "notes --json is not the expected JSON: \(error)\n\(result.summary)"),
                         sourceLocation: sourceLocation)
            throw error
        }
    }
}

/// The first note's text: a comma, quotes, an accent typed as two key presses' worth of text, a wide
/// character, and letters that are keys outside the editor (q quits, n and p move, t and s toggle).
fileprivate let firstNote = "Left hip stiffer, \"mornings\" – q n p t s ça 膝"
fileprivate let secondNote = "Cat-cow easy; no pain"

/// Writes a note on the current step: `w`, the text typed literally, Enter; waits until the step shows it.
fileprivate func writeNote(_ text: String, in terminal: TmuxTerminal,
                           sourceLocation: SourceLocation = #_sourceLocation) async throws {
    try await terminal.press("w")
    try await terminal.waitFor("Enter save", "Esc cancel", sourceLocation: sourceLocation)
    try await terminal.type(text)
    try await terminal.waitFor("Note: " + text, sourceLocation: sourceLocation)
    try await terminal.press("Enter")
    try await terminal.waitForAbsence(of: "Esc cancel", sourceLocation: sourceLocation)
}

@Suite("session notes and the session record, end to end", .timeLimit(.minutes(10)))
struct SessionNotesTests {
    @Test("session treatment-08 --patient AB: notes on two steps with w, q; 'notes' and 'notes --json' show both")
    func twoNotesThenNotes() async throws {
        let sandbox = try NotesSandbox()
        try await withTmuxTerminal(["session", "treatment-08", "--patient", "AB"], environment: sandbox.environment) {
            terminal in
            try await terminal.waitFor("Step 1/9", "Simple Recap", "w note")
            try await writeNote(firstNote, in: terminal)
            // Still on step 1: nothing typed in the editor moved the session or quit it.
            let shown = try await terminal.waitFor("Step 1/9", "Note: " + firstNote)
            #expect(shown.contains("Next: The Hip–Lumbar Connection"), "\(shown)")

            // Step 5, its timer running while the note is typed.
            try await terminal.press("Right", "Right", "Right", "Right")
            try await terminal.waitFor("Step 5/9", "Cat-cow for spinal motion")
            try await terminal.press("Space")
            try await terminal.waitFor("▶ RUNNING")
            try await terminal.press("w")
            let editing = try await terminal.waitFor("Enter save")
            let startedAt = try #require(secondsLeft(on: editing))
            try await terminal.type(secondNote)
            try await terminal.advance(by: 2_000)
            try await terminal.waitUntil("the timer counting down while the note is typed") { screen in
                secondsLeft(on: screen) == startedAt - 2 && screen.contains("Note: " + secondNote)
            }
            try await terminal.press("Enter")
            try await terminal.waitForAbsence(of: "Esc cancel")

            // Back on step 1 its note is still there; w edits it (the old text is in the editor).
            try await terminal.press("t")
            try await terminal.waitFor("Contents")
            try await terminal.press("1")
            try await terminal.waitFor("Step 1/9", "Note: " + firstNote)

            // q asks, because the timer runs; y quits.
            try await terminal.press("q")
            try await terminal.waitFor("Quit?")
            try await terminal.press("y")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
            let printed = exit.screen.lines.prefix { !$0.hasPrefix("speed ") }.filter { !$0.isEmpty }
            #expect(printed.isEmpty, "something was printed after a session that was saved:\n\(exit)")
        }

        let text = try await sandbox.notes()
        #expect(text.exitCode == 0, Comment(rawValue: text.summary))
        #expect(text.stderr.isEmpty, Comment(rawValue: text.summary))
        let lines = text.stdoutLines
        #expect(lines.first?.contains("Treatment 8 – Hip–Lumbar Connection") == true, Comment(rawValue: text.summary))
        #expect(lines.first?.hasSuffix("  patient AB") == true, Comment(rawValue: text.summary))
        #expect(lines.contains("  Step 1, Simple Recap: " + firstNote), Comment(rawValue: text.summary))
        #expect(lines.contains("  Step 5, Cat-cow for spinal motion: " + secondNote), Comment(rawValue: text.summary))

        let sessions = try await sandbox.recordedSessions()
        try #require(sessions.count == 1, "\(sessions)")
        let session = sessions[0]
        #expect(session.session_id == "treatment-08")
        #expect(session.patient == "AB")
        #expect(!session.interrupted)
        #expect(session.notes.map(\.step) == [1, 5])
        #expect(session.notes.map(\.text) == [firstNote, secondNote])
        #expect(session.notes.map(\.step_title) == ["Simple Recap", "Cat-cow for spinal motion"])
        #expect(session.steps.count == 9)
        #expect(session.steps[4].drill_id == "cat-cow" && session.steps[4].timer == "started", "\(session.steps)")
        #expect(session.steps[0].timer == nil)
        #expect(session.drill_steps == 3 && session.timers_started == 1 && session.timers_completed == 0)
        #expect(session.steps.map(\.seconds).reduce(0, +) <= session.seconds + 1)
        // The record's times are the program's clock: the test's, which starts at 2026-05-28 20:26:40 UTC.
        let formatter = ISO8601DateFormatter()
        if let started = formatter.date(from: session.started_at), let ended = formatter.date(from: session.ended_at) {
            #expect(started == Date(timeIntervalSince1970: 1_780_000_000), "\(session.started_at)")
            #expect(ended == started.addingTimeInterval(2), "\(session.ended_at)")
        } else {
            Issue.record("times are not ISO 8601: \(session.started_at), \(session.ended_at)")
        }

        // The filters and the other exports.
        #expect(try await sandbox.recordedSessions(["--patient", "ab"]).count == 1)
        let other = try await sandbox.notes(["--patient", "XY"])
        #expect(other.exitCode == 0 && other.stdoutLines == ["No sessions for patient XY."], Comment(rawValue: other.summary))
        let csv = try await sandbox.notes(["--csv"])
        #expect(csv.exitCode == 0, Comment(rawValue: csv.summary))
        let rows = csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.count == 3, Comment(rawValue: csv.summary))
        #expect(rows.dropFirst().first?.hasSuffix(",AB,1,Simple Recap,\"Left hip stiffer, \"\"mornings\"\" – q n p t s ça 膝\","
            + rows[1].split(separator: ",").last.map(String.init)!) == true, Comment(rawValue: csv.summary))
        let markdown = try await sandbox.notes(["--markdown"])
        #expect(markdown.stdout.contains("- **Step 5, Cat-cow for spinal motion:** Cat-cow easy; no pain"),
                Comment(rawValue: markdown.summary))

        // `history` is about routines: a history holding only sessions has no run yet.
        let history = try await BinaryRunner.run(["history"], environment: sandbox.environment)
        #expect(history.exitCode == 0 && history.stdoutLines == ["No routine runs recorded yet."],
                Comment(rawValue: history.summary))

        // The history is private, as it is for routines.
        var info = stat()
        #expect(stat(sandbox.historyFolder, &info) == 0 && info.st_mode & 0o777 == 0o700)
        #expect(stat(sandbox.historyFile, &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    @Test("Esc cancels, w on a step with a note edits it, and emptying it removes it")
    func editAndCancel() async throws {
        let sandbox = try NotesSandbox()
        try await withTmuxTerminal(["session", "treatment-08"], width: 40, height: 12, environment: sandbox.environment) {
            terminal in
            try await terminal.waitFor("Step 1/9")
            try await writeNote("first", in: terminal)
            try await terminal.press("w")
            try await terminal.waitFor("Note: first", "Esc cancel")
            try await terminal.type(" and more")
            try await terminal.waitFor("Note: first and more")
            try await terminal.press("Escape")
            try await terminal.waitForAbsence(of: "Esc cancel", "and more")
            try await terminal.waitFor("Note: first")
            // Edit: the cursor starts at the end; Left, Backspace and typing work where the cursor is.
            try await terminal.press("w")
            try await terminal.waitFor("Esc cancel")
            try await terminal.press("Left", "Left", "BSpace")
            try await terminal.type("I")
            try await terminal.press("Enter")
            try await terminal.waitForAbsence(of: "Esc cancel")
            try await terminal.waitFor("Note: fiIst")
            // Step 2: a note, then emptied again: no note is kept for it.
            try await terminal.press("Right")
            try await terminal.waitFor("Step 2/9")
            try await writeNote("gone soon", in: terminal)
            try await terminal.press("w")
            try await terminal.waitFor("Esc cancel")
            try await terminal.press("C-u", "Enter")
            try await terminal.waitForAbsence(of: "Esc cancel", "gone soon")
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
        }
        let sessions = try await sandbox.recordedSessions()
        #expect(sessions.first?.notes.map(\.text) == ["fiIst"], "\(sessions)")
        #expect(sessions.first?.patient == nil)
    }

    @Test("a paste with a line break: the first line is the note, the rest is dropped, never taken as keys")
    func pasteWithLineBreaks() async throws {
        let sandbox = try NotesSandbox()
        try await withTmuxTerminal(["session", "treatment-08"], environment: sandbox.environment) { terminal in
            try await terminal.waitFor("Step 1/9")
            try await terminal.press("w")
            try await terminal.waitFor("Esc cancel")
            try await terminal.type("pasted first line\nq\nn n n")
            try await terminal.waitFor("Note: pasted first line")
            try await terminal.waitForAbsence(of: "Esc cancel")
            // Still running, still on step 1: neither the q nor the n of the paste acted.
            let screen = try await terminal.capture()
            #expect(screen.row(0).contains("Step 1/9"), "\(screen)")
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
        }
        let sessions = try await sandbox.recordedSessions()
        #expect(sessions.first?.notes.map(\.text) == ["pasted first line"], "\(sessions)")
    }

    @Test("SIGTERM with a note half-typed: exit 143, terminal sane, the session and the typed note saved")
    func sigtermKeepsTheDraft() async throws {
        let sandbox = try NotesSandbox()
        try await withTmuxTerminal(["session", "treatment-08", "--patient", "C-17"], environment: sandbox.environment) {
            terminal in
            try await terminal.waitFor("Step 1/9")
            try await writeNote("saved one", in: terminal)
            try await terminal.press("Right")
            try await terminal.waitFor("Step 2/9")
            try await terminal.press("w")
            try await terminal.type("typed, not yet saved")
            try await terminal.waitFor("Note: typed, not yet saved")
            let pid = try await terminal.programID()
            #expect(kill(pid, SIGTERM) == 0)
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 143, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
        }
        let sessions = try await sandbox.recordedSessions()
        try #require(sessions.count == 1, "\(sessions)")
        #expect(sessions[0].interrupted)
        #expect(sessions[0].patient == "C-17")
        #expect(sessions[0].notes.map(\.text) == ["saved one", "typed, not yet saved"])
    }

    @Test("--no-log: the session is not saved and no history is created")
    func noLog() async throws {
        let sandbox = try NotesSandbox()
        try await withTmuxTerminal(["session", "treatment-08", "--no-log"], environment: sandbox.environment) {
            terminal in
            try await terminal.waitFor("Step 1/9")
            try await writeNote("not kept", in: terminal)
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.historyFolder), "--no-log created the history folder")
        let notes = try await sandbox.notes()
        #expect(notes.exitCode == 0 && notes.stdoutLines == ["No sessions recorded yet."], Comment(rawValue: notes.summary))
    }

    @Test("a damaged history: kept aside as it was, the session and its note saved in a fresh one, one line why")
    func damagedHistory() async throws {
        let sandbox = try NotesSandbox()
        try FileManager.default.createDirectory(atPath: sandbox.historyFolder, withIntermediateDirectories: true)
        var generator = SeededGenerator(seed: 9)
        let junk = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try junk.write(to: URL(fileURLWithPath: sandbox.historyFile))
        try await withTmuxTerminal(["session", "treatment-08"], width: 160, environment: sandbox.environment) {
            terminal in
            try await terminal.waitFor("Step 1/9")
            try await writeNote("keep me", in: terminal)
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
            let printed = exit.screen.lines.prefix { !$0.hasPrefix("speed ") }.filter { !$0.isEmpty }
            #expect(printed.count == 1, "\(exit)")
            #expect(printed.first?.hasPrefix("session-guide: the history file was damaged: it is kept as "
                + sandbox.historyFile + ".damaged-") == true, "\(exit)")
        }
        let kept = try FileManager.default.contentsOfDirectory(atPath: sandbox.historyFolder)
            .filter { $0.hasPrefix("history.sqlite.damaged-") }
        try #require(kept.count == 1, "\(kept)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: sandbox.historyFolder + "/" + kept[0])) == junk,
                "the damaged file was changed")
        let notes = try await sandbox.notes()
        #expect(notes.exitCode == 0 && notes.stdout.contains("keep me"), Comment(rawValue: notes.summary))
    }

    @Test("kill -9 at 10 random moments of a session: each record there, interrupted, with every note written before")
    func killNineAtRandomMoments() async throws {
        let sandbox = try NotesSandbox()
        var generator = SeededGenerator(seed: 8)
        for round in 0..<10 {
            let patient = "K\(round)"
            var notes: [Int: String] = [:]
            var step = 1
            try await withTmuxTerminal(["session", "treatment-08", "--patient", patient], width: 160,
                                       environment: sandbox.environment) { terminal in
                try await terminal.waitFor("Step 1/9")
                for action in 0..<Int.random(in: 0...5, using: &generator) {
                    switch Int.random(in: 0...2, using: &generator) {
                    case 0 where notes[step] == nil:  // a second note on a step would edit the first
                        let text = "round \(round) note \(action)"
                        try await writeNote(text, in: terminal)
                        notes[step] = text
                    case 1 where step < 9:
                        try await terminal.press("Right")
                        step += 1
                        try await terminal.waitFor("Step \(step)/9")
                    default:
                        try await terminal.advance(by: Int64.random(in: 100...20_000, using: &generator))
                    }
                }
                let pid = try await terminal.programID()
                #expect(kill(pid, SIGKILL) == 0)
                // Killed, it can't put the terminal back: the shell's line lands wherever the cursor was.
                try await terminal.waitUntil("the shell to see the kill") { $0.text.contains("EXIT=137") }
            }
            let sessions = try await sandbox.recordedSessions(["--patient", patient])
            try #require(sessions.count == 1, "round \(round + 1): \(sessions)")
            #expect(sessions[0].interrupted, "\(sessions[0])")
            #expect(sessions[0].notes.map(\.text) == notes.sorted { $0.key < $1.key }.map(\.value),
                    "round \(round + 1): \(sessions[0].notes)")
            #expect(sessions[0].notes.map(\.step) == notes.keys.sorted(), "\(sessions[0].notes)")
        }
        let text = try await sandbox.notes()
        #expect(text.stdout.contains("interrupted: the program was stopped before the session ended"),
                Comment(rawValue: text.summary))
    }

    @Test("session --plain: w asks for the note as a typed line; Enter saves it; q saves the session")
    func plainNote() async throws {
        let sandbox = try NotesSandbox()
        // Wide, so that no line the test waits for is wrapped.
        try await withTmuxTerminal(["session", "treatment-08", "--plain", "--patient", "AB"], width: 160,
                                   environment: sandbox.environment) { terminal in
            try await terminal.waitFor("Step 1 of 9: Simple Recap", "w write a note")
            try await terminal.press("w")
            try await terminal.waitFor("Note on step 1, Simple Recap.", "an empty line leaves it as it is")
            // A typed line reaches the program only with its Enter: nothing to wait for but the terminal's echo.
            try await terminal.type("Spoken note, ça va", settle: false)
            try await terminal.waitFor("Spoken note, ça va")
            try await terminal.press("Enter")
            try await terminal.waitFor("Note saved.")
            // An empty line keeps the note.
            try await terminal.press("w")
            try await terminal.waitFor("It says: Spoken note, ça va.")
            try await terminal.press("Enter")
            try await terminal.waitFor("Note left as it was.")
            try await terminal.press("n")
            try await terminal.waitFor("Step 2 of 9")
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
            #expect(exit.screen.contains("Saved to the history ('session-guide notes' shows it)."), "\(exit)")
        }
        let sessions = try await sandbox.recordedSessions()
        #expect(sessions.first?.notes.map(\.text) == ["Spoken note, ça va"], "\(sessions)")
        #expect(sessions.first?.patient == "AB")
    }

    /// A command that must fail before anything runs.
    struct UsageCase: Sendable, CustomTestStringConvertible {
        var name: String
        var arguments: [String]
        var message: String
        var testDescription: String { name }
    }

    @Test("usage mistakes: exit 64 with a clear message, and no history touched", arguments: [
        UsageCase(name: "an empty label", arguments: ["session", "treatment-08", "--patient", " "],
                  message: "--patient needs a label"),
        UsageCase(name: "a label with a line break", arguments: ["session", "treatment-08", "--patient", "A\nB"],
                  message: "--patient must be one line of printable text"),
        UsageCase(name: "a name, not a label", arguments: ["session", "treatment-08", "--patient",
                                                            "Alexandra Bartholomew-Smith"],
                  message: "--patient must be at most 24 characters"),
        UsageCase(name: "notes --days 0", arguments: ["notes", "--days", "0"], message: "--days must be at least 1"),
        UsageCase(name: "notes with two formats", arguments: ["notes", "--json", "--csv"], message: "--json"),
    ])
    func usage(_ example: UsageCase) async throws {
        let sandbox = try NotesSandbox()
        let result = try await BinaryRunner.run(example.arguments, environment: sandbox.environment)
        #expect(result.exitCode == 64, Comment(rawValue: result.summary))
        #expect(result.stderr.contains(example.message), Comment(rawValue: result.summary))
        #expect(result.stdout.isEmpty, Comment(rawValue: result.summary))
        #expect(!FileManager.default.fileExists(atPath: sandbox.historyFolder), "the history folder was created")
    }

    @Test("notes with no history yet: a plain sentence, empty exports, exit 0, nothing created")
    func noHistoryYet() async throws {
        let sandbox = try NotesSandbox()
        let text = try await sandbox.notes()
        #expect(text.exitCode == 0 && text.stdoutLines == ["No sessions recorded yet."], Comment(rawValue: text.summary))
        #expect(try await sandbox.recordedSessions().isEmpty)
        let csv = try await sandbox.notes(["--csv"])
        #expect(csv.stdoutLines.count == 1 && csv.stdout.hasPrefix("session_record_id,"), Comment(rawValue: csv.summary))
        #expect(!FileManager.default.fileExists(atPath: sandbox.historyFolder))
    }
}
