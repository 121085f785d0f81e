import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

// End to end, on the real binary in a real terminal (tmux) and on the test clock: a therapist prescribes a
// programme for JD on the session's homework step, JD runs it with the new dose, and `history`, `print` and
// `notes` show it; a second patient's records are untouched, and forgetting JD removes JD's alone.

/// One test's own state and home folders, and the wall-clock times its programs start at: the session at
/// 09:00 UTC on Friday 4 December 2026, the routine an hour later, the reports an hour after that.
fileprivate final class PatientSandbox: Sendable {
    let folder: TemporaryFolder
    static let sessionStart = 1_796_374_800

    init() throws {
        folder = try TemporaryFolder()
        for path in [home, state] { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    }

    deinit { folder.remove() }

    var home: String { folder.path(of: "home") }
    var state: String { folder.path(of: "state") }

    func environment(hoursAfterTheSession hours: Int) -> [String: String?] {
        ["XDG_STATE_HOME": state, "HOME": home, "XDG_RUNTIME_DIR": nil, "TZ": "UTC",
         "SESSION_GUIDE_TEST_CLOCK_START": "\(Self.sessionStart + hours * 3600)"]
    }

    /// A report command, on a clock standing at two hours after the session.
    func report(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> RunResult {
        var environment = environment(hoursAfterTheSession: 2)
        environment["SESSION_GUIDE_TEST_CLOCK"] = "fast-forward"
        let result = try await BinaryRunner.run(arguments, environment: environment, sourceLocation: sourceLocation)
        #expect(result.exitCode == 0, Comment(rawValue: result.summary), sourceLocation: sourceLocation)
        return result
    }
}

/// In the home menu: `u`, the label, Enter; waits until the menu says whose it is.
private func choosePatient(_ label: String, in terminal: TmuxTerminal) async throws {
    try await terminal.waitFor("u patient")
    try await terminal.press("u")
    try await terminal.waitFor("Which patient?")
    try await terminal.type(label)
    try await terminal.press("Enter")
    try await terminal.waitFor("Patient: \(label).")
}

@Suite("Patients' programmes, end to end")
struct PatientProgrammeEndToEndTests {
    @Test func prescribedInASessionRunByThePatientShownAtTheNextVisit() async throws {
        let sandbox = try PatientSandbox()

        // A second patient's visit first: it must come through untouched.
        try await withTmuxTerminal(["session", "treatment-08", "--patient", "AB"],
                                   environment: sandbox.environment(hoursAfterTheSession: -24)) { terminal in
            try await terminal.waitFor("Step 1/9")
            try await terminal.press("q")  // nothing under way: no question
            #expect(try await terminal.waitForExit().status == 0)
        }

        // The visit: on the homework step, e opens JD's programme; Cat-cow goes from 12 to 14 reps, the other
        // drills are left out, and a note for JD.
        try await withTmuxTerminal(["session", "treatment-08", "--patient", "JD"], width: 100, height: 30,
                                   environment: sandbox.environment(hoursAfterTheSession: 0)) { terminal in
            try await terminal.waitFor("Step 1/9", "Since the last visit", "Nothing recorded for JD yet")
            try await terminal.press("t")
            try await terminal.waitFor("Contents")
            try await terminal.press("9")  // step 9: the homework
            try await terminal.waitFor("Step 9/9", "e programme")
            try await terminal.press("e")
            try await terminal.waitFor("Programme for JD", "first programme", "12 reps")
            try await terminal.press("Down", "Right", "+", "+", "Left", "Left")
            try await terminal.waitFor("14 reps")
            for _ in 0..<7 { try await terminal.press("Down", "Space") }
            try await terminal.press("Down", "Down", "Down", "Enter")
            try await terminal.waitFor("Enter keep the note")
            try await terminal.type("Keep the range small this week")
            try await terminal.press("Enter")
            try await terminal.waitForAbsence(of: "Enter keep the note")
            let editor = try await terminal.capture()
            let hipRocks = editor.lines.first { $0.contains("Hip rocks") } ?? ""
            #expect(hipRocks.contains("[ ]"), "\(editor.text)")
            let catCow = editor.lines.first { $0.contains("Cat-cow") } ?? ""
            #expect(catCow.contains("[x]") && catCow.contains("14 reps"), "\(editor.text)")
            try await terminal.press("s")
            try await terminal.waitFor("Programme version 1 saved for JD.")
            try await terminal.press("q")
            #expect(try await terminal.waitForExit().status == 0)
        }

        // JD at home, an hour later: their programme, their dose and note, and a question after the drill.
        try await withTmuxTerminal(["routine", "--patient", "JD"], width: 100, height: 30,
                                   environment: sandbox.environment(hoursAfterTheSession: 1)) { terminal in
            let intro = try await terminal.waitFor("JD's programme (version 1", "Cat-cow · 1 set × 14 reps")
            #expect(intro.text.contains("Keep the range small this week"))
            #expect(!intro.text.contains("Hip rocks"))
            try await terminal.press("Space")
            try await terminal.waitFor("Before you start")
            try await terminal.press("3")
            try await terminal.waitFor("GET READY")
            try await terminal.advance(by: 10_000 + 14 * 4_000)  // get ready, then 14 reps at 4 s
            try await terminal.waitFor("How was Cat-cow?", "1 too easy")
            try await terminal.press("3")
            try await terminal.waitFor("How much pain do you feel now?")
            try await terminal.press("1")
            try await terminal.waitFor("Well done!", "Saved to your history")
            try await terminal.press("q")
            #expect(try await terminal.waitForExit().status == 0)
        }

        // The next visit's view of JD: one day done of the one prescribed so far, the pain, the drill too hard.
        let summary = try await sandbox.report(["history", "--patient", "JD"]).stdout
        #expect(summary.contains("Programme: version 1 of Daily hip and low-back mobility, given 2026-12-04"), "\(summary)")
        #expect(summary.contains("Days done since the last visit (2026-12-04): 1 of 1 prescribed"), "\(summary)")
        #expect(summary.contains("Pain before → after (0-10): 3→1"), "\(summary)")
        #expect(summary.contains("Cat-cow: too hard, once"), "\(summary)")
        let exported = try await sandbox.report(["history", "--patient", "JD", "--json"]).stdoutData
        let json = try #require(try JSONSerialization.jsonObject(with: exported) as? [String: Any])
        #expect(json["days_done"] as? [String] == ["2026-12-04"])

        // The take-home sheet: the dose and the note, a box for each day until the next visit.
        let sheet = try await sandbox.report(["print", "--patient", "JD", "--format", "html"]).stdout
        #expect(sheet.contains("14 reps"))
        #expect(sheet.contains("Keep the range small this week"))
        #expect(sheet.contains("Programme for JD"))
        #expect(sheet.components(separatedBy: "class=\"box\"").count - 1 == 8)  // 4 to 11 December
        #expect(!sheet.contains("Hip rocks"))

        // The session's record names the programme given in it; AB's records are as they were.
        let notes = try await sandbox.report(["notes", "--patient", "JD"]).stdout
        #expect(notes.contains("Programme given: version 1 of Daily hip and low-back mobility"), "\(notes)")
        let other = try await sandbox.report(["history", "--patient", "AB"]).stdout
        #expect(other.contains("Programme: none prescribed yet"), "\(other)")
        #expect(!other.contains("Recent runs"), "\(other)")
        let abNotes = try await sandbox.report(["notes", "--patient", "AB", "--json"]).stdoutData
        #expect((try JSONSerialization.jsonObject(with: abNotes) as? [Any])?.count == 1)

        // The next visit, from the menu: u chooses JD, and the session's recap starts with what JD did.
        try await withTmuxTerminal([], width: 100, height: 30,
                                   environment: sandbox.environment(hoursAfterTheSession: 3)) { terminal in
            try await choosePatient("JD", in: terminal)
            try await terminal.press("Enter")  // the session, first in the menu
            try await terminal.waitFor("Step 1/9", "Since the last visit",
                                       "Days done since the last visit (2026-12-04): 1 of 1 prescribed")
            try await terminal.press("q")
            try await terminal.waitFor("u patient")
            try await terminal.press("q")
            #expect(try await terminal.waitForExit().status == 0)
        }

        // Forgetting JD (no terminal to ask on: --yes) removes JD's three records and leaves AB's session.
        let forgot = try await sandbox.report(["history", "--forget-patient", "JD", "--yes"]).stdout
        #expect(forgot.contains("Removed 2 sessions, 1 routine run, 1 programme for JD (4 records in all)."), "\(forgot)")
        let after = try await sandbox.report(["history", "--patient", "JD"]).stdout
        #expect(after.contains("Nothing recorded for JD yet"), "\(after)")
        let abAfter = try await sandbox.report(["notes", "--patient", "AB", "--json"]).stdoutData
        #expect((try JSONSerialization.jsonObject(with: abAfter) as? [Any])?.count == 1)
    }

    @Test func forgettingWithoutATerminalOrYesRefusesAndRemovesNothing() async throws {
        let sandbox = try PatientSandbox()
        try await withTmuxTerminal(["session", "treatment-08", "--patient", "JD"],
                                   environment: sandbox.environment(hoursAfterTheSession: 0)) { terminal in
            try await terminal.waitFor("Step 1/9")
            try await terminal.press("q")  // nothing under way: no question
            #expect(try await terminal.waitForExit().status == 0)
        }
        var environment = sandbox.environment(hoursAfterTheSession: 1)
        environment["SESSION_GUIDE_TEST_CLOCK"] = "fast-forward"
        let refused = try await BinaryRunner.run(["notes", "--forget-patient", "JD"], environment: environment)
        #expect(refused.exitCode == 64)
        #expect(refused.stderr.contains("this removes 1 session, 0 routine runs, 0 programmes for JD"), "\(refused.summary)")
        let kept = try await sandbox.report(["notes", "--patient", "JD", "--json"]).stdoutData
        #expect((try JSONSerialization.jsonObject(with: kept) as? [Any])?.count == 1)
        let badLabel = try await BinaryRunner.run(["history", "--forget-patient", "A\u{7}B", "--yes"], environment: environment)
        #expect(badLabel.exitCode == 64)
        #expect(badLabel.stderr.contains("--forget-patient must be one line of printable text"), "\(badLabel.summary)")
    }

    @Test func theMenuRemembersTheLastPatientOnlyWhenTheMachineIsSetTo() async throws {
        let sandbox = try PatientSandbox()
        let config = sandbox.folder.path(of: "config")
        try FileManager.default.createDirectory(atPath: config + "/session-guide", withIntermediateDirectories: true)
        var environment = sandbox.environment(hoursAfterTheSession: 0)
        environment["XDG_CONFIG_HOME"] = config
        let remembered = sandbox.state + "/session-guide/last-patient"
        for remember in [false, true] {
            try Data("remember-patient: \(remember ? "yes" : "no")\n".utf8)
                .write(to: URL(fileURLWithPath: config + "/session-guide/config.yaml"))
            try await withTmuxTerminal([], environment: environment) { terminal in
                try await choosePatient("JD", in: terminal)
                try await terminal.press("q")
                #expect(try await terminal.waitForExit().status == 0)
            }
            #expect(FileManager.default.fileExists(atPath: remembered) == remember)
            try await withTmuxTerminal([], environment: environment) { terminal in
                let menu = try await terminal.waitFor("u patient")
                #expect(menu.text.contains("Patient: JD.") == remember, "\(menu.text)")
                try await terminal.press("q")
                #expect(try await terminal.waitForExit().status == 0)
            }
        }
        var info = stat()
        #expect(stat(remembered, &info) == 0 && info.st_mode & 0o777 == 0o600)
        // Turned off again, the label kept before is removed at the next start.
        try Data("remember-patient: no\n".utf8).write(to: URL(fileURLWithPath: config + "/session-guide/config.yaml"))
        try await withTmuxTerminal([], environment: environment) { terminal in
            let menu = try await terminal.waitFor("u patient")
            #expect(!menu.text.contains("Patient: JD."))
            try await terminal.press("q")
            _ = try await terminal.waitForExit()
        }
        #expect(!FileManager.default.fileExists(atPath: remembered))
    }
}
