import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// End-to-end tests of patient mode (`session-guide routine`) and of the history it keeps (`session-guide
// history`), on the real binary: line by line without a terminal (`--plain`), full-screen in a real terminal
// (tmux, see TmuxHarness.swift), with signals, a damaged history, two programs at once, kill -9, file
// permissions and speech.
//
// Every test has its own sandbox: a content folder holding a short routine (a few seconds), and its own
// XDG_STATE_HOME and HOME, so the tester's real history is never read or written. Tests run in parallel.

// MARK: - Test content

/// A drill file for a test routine.
fileprivate struct TestDrill: Sendable {
    var id: String
    var title: String
    /// Timing lines of the front matter, such as `work: 2s`.
    var timing: [String]
    var cues: [String] = []

    static let purpose = "A short drill for the routine tests."

    var text: String {
        var text = "---\nkind: drill\nid: \(id)\ntitle: \(title)\npurpose: \(Self.purpose)\n"
        text += timing.map { $0 + "\n" }.joined()
        text += "---\n# Steps\n1. Move gently.\n\n"
        if !cues.isEmpty { text += "# Cues\n" + cues.map { "- \($0)\n" }.joined() + "\n" }
        text += "# Safety\nPain-free, controlled movement.\n"
        return text
    }
}

/// A routine file and the drills it uses.
fileprivate struct TestRoutine: Sendable {
    static let safety = "Use only pain-free, controlled movement."

    var id: String
    var title: String
    var getReady = "1s"
    var restBetween = "1s"
    var drills: [TestDrill]

    /// Relative path → contents, for a content folder.
    var files: [String: FileContents] {
        var files: [String: FileContents] = [:]
        for drill in drills { files["drills/\(drill.id).md"] = .text(drill.text) }
        files["routines/\(id).md"] = .text("""
            ---
            kind: routine
            id: \(id)
            title: \(title)
            safety: \(Self.safety)
            get-ready: \(getReady)
            rest-between: \(restBetween)
            ---
            A routine for the end-to-end tests.

            \(drills.map { "[drill: \($0.id)]" }.joined(separator: "\n"))

            """)
        return files
    }

    /// 17 seconds: get ready 1 s; Quick work 2 × 2 s with 1 s rest; rest 1 s; Side hold 1 s each side with the
    /// 5-second switch; rest 1 s; Tempo reps 2 × 1 s.
    static let standard = TestRoutine(id: "test-routine", title: "Test routine", drills: [
        TestDrill(id: "quick-work", title: "Quick work", timing: ["work: 2s", "sets: 2", "rest: 1s"],
                  cues: ["Breathe out.", "Stay tall."]),
        TestDrill(id: "side-hold", title: "Side hold", timing: ["hold: 1s", "per-side: yes"],
                  cues: ["Relax your shoulders."]),
        TestDrill(id: "tempo-reps", title: "Tempo reps", timing: ["reps: 2", "tempo: 1s"]),
    ])

    /// The standard routine with 2-second get-ready and rests, so a test watching the screen can't miss them.
    static let fullScreen: TestRoutine = {
        var routine = standard
        routine.getReady = "2s"
        routine.restBetween = "2s"
        return routine
    }()

    /// 3 seconds: get ready 1 s, one drill of 2 s.
    static let tiny = TestRoutine(id: "tiny-routine", title: "Tiny routine", drills: [
        TestDrill(id: "one-move", title: "One move", timing: ["work: 2s"]),
    ])

    /// Two long drills to press keys in, then a short one.
    static let keys = TestRoutine(id: "keys-routine", title: "Keys routine", drills: [
        TestDrill(id: "first-long", title: "First long drill", timing: ["work: 30s"]),
        TestDrill(id: "second-long", title: "Second long drill", timing: ["work: 30s"]),
        TestDrill(id: "last-drill", title: "Last drill", timing: ["work: 2s"]),
    ])

    /// A short drill that gets done, then a long one to be interrupted in.
    static let interrupted = TestRoutine(id: "term-routine", title: "Term routine", drills: [
        TestDrill(id: "warm-up", title: "Warm-up", timing: ["work: 2s"]),
        TestDrill(id: "second-long", title: "Second long drill", timing: ["work: 30s"]),
        TestDrill(id: "last-drill", title: "Last drill", timing: ["work: 2s"]),
    ])
}

/// What `routine test-routine --plain` prints without a terminal, line by line.
fileprivate let standardTranscript = [
    "Test routine",
    "3 drills, about 17 s.",
    "Safety: Use only pain-free, controlled movement.",
    "Get ready. First: Quick work.",
    "Quick work, 2 seconds. Set 1 of 2. Breathe out.",
    "1",
    "Rest.",
    "Quick work, 2 seconds. Set 2 of 2. Stay tall.",
    "1",
    "Rest. Next: Side hold.",
    "Side hold, left side, 1 second. Relax your shoulders.",
    "Switch sides.",
    "3",
    "2",
    "1",
    "Side hold, right side, 1 second. Relax your shoulders.",
    "Rest. Next: Tempo reps.",
    "Tempo reps, 2 reps.",
    "1",
    "Done.",
    "Routine finished.",
    "Drills done: 3 of 3. Skipped: 0.",
    "Time: 0:17.",
    savedLine,
]

/// What `routine tiny-routine --plain` prints, up to the line about the history.
fileprivate let tinyTranscript = [
    "Tiny routine",
    "1 drills, about 3 s.",  // sic: see oneDrillIsSingular
    "Safety: Use only pain-free, controlled movement.",
    "Get ready. First: One move.",
    "One move, 2 seconds.",
    "1",
    "Done.",
    "Routine finished.",
    "Drills done: 1 of 1. Skipped: 0.",
    "Time: 0:03.",
]

fileprivate let savedLine = "Saved to your history ('session-guide history' shows it)."

/// The announcements a voice makes for the standard routine, in order (countdown words aside).
fileprivate let standardAnnouncements = [
    "Get ready. First: Quick work",
    "Quick work, 2 seconds",
    "Rest",
    "Quick work, 2 seconds",
    "Rest. Next: Side hold",
    "Side hold, left side, 1 second",
    "Switch sides",
    "Side hold, right side, 1 second",
    "Rest. Next: Tempo reps",
    "Tempo reps, 2 reps",
]

// MARK: - Sandbox

/// One run as `history --json` exports it.
fileprivate struct ExportedRoutineRun: Decodable, Sendable {
    struct Drill: Decodable, Sendable {
        var drill_id: String
        var title: String
        var status: String
    }

    var id: Int?
    var routine_id: String
    var routine_title: String
    var started_at: String
    var seconds: Int
    var completed: Bool
    var interrupted: Bool
    var pain_before: Int?
    var pain_after: Int?
    var drills: [Drill]

    var statuses: [String] { drills.map(\.status) }
}

/// A test's own content folder, XDG_STATE_HOME and HOME.
fileprivate final class RoutineSandbox: Sendable {
    let folder: TemporaryFolder
    let routine: TestRoutine

    init(_ routine: TestRoutine, extraFiles: [String: FileContents] = [:]) throws {
        var files: [String: FileContents] = [:]
        for (name, contents) in routine.files.merging(extraFiles, uniquingKeysWith: { $1 }) {
            files["content/" + name] = contents
        }
        folder = try TemporaryFolder(files)
        self.routine = routine
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
    }

    var content: String { folder.path(of: "content") }
    var home: String { folder.path(of: "home") }
    var state: String { folder.path(of: "state") }
    var historyFolder: String { state + "/session-guide" }
    var historyFile: String { historyFolder + "/history.sqlite" }

    /// Private state and home folders, and no speech command or content folder from the tester's environment.
    var environment: [String: String?] {
        ["XDG_STATE_HOME": state, "HOME": home, "SESSION_GUIDE_SPEECH_COMMAND": nil, "SESSION_GUIDE_CONTENT": nil,
         "XDG_RUNTIME_DIR": nil]
    }

    /// `routine ID --content DIR` and `extra`.
    func routineArguments(_ extra: [String]) -> [String] {
        ["routine", routine.id, "--content", content] + extra
    }

    func runRoutine(_ extra: [String] = ["--plain"], environment changes: [String: String?] = [:],
                    launcher: [String] = [],
                    sourceLocation: SourceLocation = #_sourceLocation) async throws -> RunResult {
        try await BinaryRunner.run(routineArguments(extra),
                                   environment: environment.merging(changes, uniquingKeysWith: { $1 }),
                                   launcher: launcher, sourceLocation: sourceLocation)
    }

    func history(_ extra: [String] = [], launcher: [String] = [],
                 sourceLocation: SourceLocation = #_sourceLocation) async throws -> RunResult {
        try await BinaryRunner.run(["history"] + extra, environment: environment, launcher: launcher,
                                   sourceLocation: sourceLocation)
    }

    /// The runs in the history, read with `history --json` (which must succeed).
    func recordedRuns(sourceLocation: SourceLocation = #_sourceLocation) async throws -> [ExportedRoutineRun] {
        let result = try await history(["--json"], sourceLocation: sourceLocation)
        try #require(result.exitCode == 0, Comment(rawValue: result.summary), sourceLocation: sourceLocation)
        do {
            return try JSONDecoder().decode([ExportedRoutineRun].self, from: result.stdoutData)
        } catch {
            Issue.record(Comment(rawValue: "history --json is not the expected JSON: \(error)\n\(result.summary)"),
                         sourceLocation: sourceLocation)
            throw error
        }
    }
}

/// Rows of a CSV export, its header included (lines end in CR LF).
fileprivate func csvRows(_ result: RunResult) -> Int {
    result.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count
}

/// The times (`t=`) of the program's `wait` lines in its trace file, once it has gone to sleep at least `count`
/// times, or at `reaching` or later (or has ended, with an `exit` line).
fileprivate func traceWaits(_ path: String, atLeast count: Int = 1, reaching moment: Int64? = nil,
                            sourceLocation: SourceLocation = #_sourceLocation) async throws -> [Int64] {
    func read() -> (waits: [Int64], exited: Bool) {
        let lines = RunResult.lines(of: (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
        let waits = lines.filter { $0.hasPrefix("wait t=") }.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("t=") }.flatMap { Int64($0.dropFirst(2)) }
        }
        return (waits, lines.contains { $0.hasPrefix("exit ") })
    }
    let reached = try await eventually(timeout: .seconds(30)) {
        let (waits, exited) = read()
        if exited { return true }
        guard waits.count >= count else { return false }
        return moment.map { target in waits.contains { $0 >= target } } ?? true
    }
    if !reached {
        Issue.record("the program never went to sleep as expected; its trace:\n\(read())", sourceLocation: sourceLocation)
    }
    return read().waits
}

/// Compares lines one by one and reports the first difference, with both lists.
fileprivate func expectLines(_ actual: [String], _ expected: [String], _ context: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    for index in 0..<max(actual.count, expected.count) {
        let got = actual.indices.contains(index) ? actual[index] : "(no line)"
        let wanted = expected.indices.contains(index) ? expected[index] : "(no line)"
        if got != wanted {
            Issue.record(Comment(rawValue: "line \(index + 1): expected \(wanted.debugDescription), got "
                + "\(got.debugDescription)\n--- expected:\n\(expected.joined(separator: "\n"))\n\(context)"),
                sourceLocation: sourceLocation)
            return
        }
    }
}

/// The permission bits of a file or folder, or nil when it doesn't exist.
fileprivate func filePermissions(of path: String) -> Int? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Int(info.st_mode & 0o7777)
}

fileprivate func octal(_ mode: Int?) -> String { mode.map { "0" + String($0, radix: 8) } ?? "missing" }

/// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held.
fileprivate func eventually(timeout: Duration, _ condition: () -> Bool) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        if condition() { return true }
        if clock.now >= deadline { return false }
        try await Task.sleep(for: .milliseconds(50))
    }
}

/// The routine screen shows `title` as a line of its own (centred), with `subtitle` (when given) on the next line.
/// Rows are not fixed: the layout centres what fits the terminal.
fileprivate func showsHeadline(_ screen: TerminalScreen, _ title: String, _ subtitle: String? = nil) -> Bool {
    let lines = screen.lines.map { $0.trimmingCharacters(in: .whitespaces) }
    return lines.indices.contains { index in
        lines[index] == title && (subtitle == nil || (index + 1 < lines.count && lines[index + 1] == subtitle))
    }
}

/// Waits until the routine screen's headline is `title` (and the line under it `subtitle`, when given).
@discardableResult
fileprivate func waitForHeadline(_ terminal: TmuxTerminal, _ title: String, _ subtitle: String? = nil,
                                 timeout: Duration = TmuxTerminal.defaultTimeout,
                                 sourceLocation: SourceLocation = #_sourceLocation) async throws -> TerminalScreen {
    try await terminal.waitUntil("the headline “\(title)”" + (subtitle.map { " over “\($0)”" } ?? ""),
                                 timeout: timeout, sourceLocation: sourceLocation) { screen in
        showsHeadline(screen, title, subtitle)
    }
}

/// Moves the routine's clock on in 100 ms steps until the headline is `title` (over `subtitle`): every phase
/// lasts a second or more, so none can pass unseen between two steps.
@discardableResult
fileprivate func advanceToHeadline(_ terminal: TmuxTerminal, _ title: String, _ subtitle: String? = nil,
                                   sourceLocation: SourceLocation = #_sourceLocation) async throws -> TerminalScreen {
    let screen = try await terminal.capture()
    if showsHeadline(screen, title, subtitle) { return screen }
    return try await terminal.advance(by: 100, until: "the headline “\(title)”" + (subtitle.map { " over “\($0)”" } ?? ""),
                                      sourceLocation: sourceLocation) { showsHeadline($0, title, subtitle) }
}

// MARK: - A program to watch while it runs

/// `session-guide` started in the background, so a test can read its output while it runs and send it signals.
fileprivate final class RunningProgram: @unchecked Sendable {
    let arguments: [String]
    private let process = Process()
    private let scratch: TemporaryFolder
    private let handles: [FileHandle]

    /// - Parameter launcher: runs the program through this command line (`["/bin/sh", "-c", SCRIPT]`, whose
    ///   `$0` is then the program and `$@` the arguments).
    init(_ arguments: [String], environment changes: [String: String?], launcher: [String] = []) throws {
        guard let executable = BinaryRunner.executable else {
            throw RunnerError(description: "the session-guide executable was not found; run 'swift build' first")
        }
        self.arguments = arguments
        scratch = try TemporaryFolder(["stdout": "", "stderr": ""])
        var environment = ProcessInfo.processInfo.environment
        environment["SESSION_GUIDE_CONTENT"] = nil
        environment["SESSION_GUIDE_TEST_CLOCK"] = BinaryRunner.testClockFastForward
        for (key, value) in changes { environment[key] = value }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path(of: "stdout")))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path(of: "stderr")))
        guard let input = FileHandle(forReadingAtPath: "/dev/null") else {
            throw RunnerError(description: "can't open /dev/null")
        }
        handles = [output, errors, input]
        BinaryRunner.setCommand(of: process, executable: executable, arguments: arguments, launcher: launcher)
        process.environment = environment
        process.currentDirectoryURL = BinaryRunner.packageRoot
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for handle in handles { try? handle.close() }
    }

    var stdout: String { (try? String(contentsOfFile: scratch.path(of: "stdout"), encoding: .utf8)) ?? "" }

    /// Sends `signal` to the program, unless it has already ended.
    func send(_ signal: Int32) {
        if process.isRunning { kill(process.processIdentifier, signal) }
    }

    /// Polls standard output every 50 ms until `condition` holds for its lines.
    func waitForOutput(_ what: String, timeout: Duration = .seconds(30),
                       sourceLocation: SourceLocation = #_sourceLocation,
                       _ condition: ([String]) -> Bool) async throws {
        if try await eventually(timeout: timeout, { condition(RunResult.lines(of: stdout)) }) { return }
        let message = "waited \(timeout) for \(what); the output was:\n\(stdout)"
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        throw RunnerError(description: message)
    }

    /// Waits for the program to end (killing it at the deadline) and returns what it did.
    func waitForExit(timeout: Duration = .seconds(60),
                     sourceLocation: SourceLocation = #_sourceLocation) async throws -> RunResult {
        let ended = try await eventually(timeout: timeout) { !process.isRunning }
        if !ended {
            send(SIGKILL)
            _ = try await eventually(timeout: .seconds(10)) { !process.isRunning }
            let message = "session-guide \(arguments.joined(separator: " ")) ran over \(timeout) and was killed"
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
            throw RunnerError(description: message)
        }
        return RunResult(
            arguments: arguments, status: process.terminationStatus,
            signalled: process.terminationReason == .uncaughtSignal,
            stdoutData: (try? Data(contentsOf: URL(fileURLWithPath: scratch.path(of: "stdout")))) ?? Data(),
            stderrData: (try? Data(contentsOf: URL(fileURLWithPath: scratch.path(of: "stderr")))) ?? Data(),
            seconds: 0)
    }
}

// MARK: - The tests

@Suite("patient routines and their history, end to end", .timeLimit(.minutes(10)))
struct RoutineTests {
    // MARK: Plain, without a terminal

    @Test("routine --plain without a terminal runs hands-free: the exact transcript, exit 0; history shows the run")
    func plainTranscriptAndHistory() async throws {
        let sandbox = try RoutineSandbox(.standard)
        let result = try await sandbox.runRoutine(["--plain"])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        expectLines(result.stdoutLines, standardTranscript, result.summary)
        #expect(result.stderr.isEmpty, Comment(rawValue: result.summary))
        #expect(!result.stdoutData.contains(0x1B), "escape codes in plain output")
        #expect(!result.stdoutData.contains(0x07), "a bell in plain output")

        // --json: exactly this run, finished, every drill done, no pain checks (hands-free skips them).
        let runs = try await sandbox.recordedRuns()
        try #require(runs.count == 1, "\(runs)")
        let run = runs[0]
        #expect(run.routine_id == "test-routine")
        #expect(run.routine_title == "Test routine")
        #expect(run.completed)
        #expect(run.seconds == 17)
        #expect(run.pain_before == nil && run.pain_after == nil)
        #expect(run.drills.map(\.drill_id) == ["quick-work", "side-hold", "tempo-reps"])
        #expect(run.drills.map(\.title) == ["Quick work", "Side hold", "Tempo reps"])
        #expect(run.statuses == ["done", "done", "done"])
        let started = ISO8601DateFormatter().date(from: run.started_at)
        #expect(started != nil, "started_at \(run.started_at) is not an ISO 8601 time")
        if let started {
            // The program's clock is the test's, which starts at 2026-05-28 20:26:40 UTC.
            #expect(started == Date(timeIntervalSince1970: 1_780_000_000),
                    "started_at \(run.started_at) is not the time the run began on the program's clock")
        }

        // --csv: a header and one row.
        let csv = try await sandbox.history(["--csv"])
        #expect(csv.exitCode == 0, Comment(rawValue: csv.summary))
        let rows = csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        try #require(rows.count == 2, Comment(rawValue: csv.summary))
        #expect(rows[0] == "started_at,routine_id,routine_title,seconds,completed,drills_done,drills_skipped,"
            + "pain_before,pain_after,interrupted")
        #expect(rows[1].split(separator: ",", omittingEmptySubsequences: false).dropFirst()
            == ["test-routine", "Test routine", "17", "yes", "3", "0", "", "", "no"], Comment(rawValue: csv.summary))

        // The text report.
        let text = try await sandbox.history()
        #expect(text.exitCode == 0, Comment(rawValue: text.summary))
        #expect(text.stdout.contains("Days practised: 1 of the last 7"), Comment(rawValue: text.summary))
        #expect(text.stdout.contains("Test routine  0:17  3 done, 0 skipped"), Comment(rawValue: text.summary))
        #expect(text.stderr.isEmpty)
    }

    @Test("--no-log: the run is not recorded, and no history is created")
    func noLog() async throws {
        let sandbox = try RoutineSandbox(.tiny)
        let result = try await sandbox.runRoutine(["--plain", "--no-log"])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        expectLines(Array(result.stdoutLines.enumerated().filter { $0.offset != 1 }.map(\.element)),
                    Array(tinyTranscript.enumerated().filter { $0.offset != 1 }.map(\.element)), result.summary)
        #expect(!result.stdout.contains("history"), Comment(rawValue: result.summary))
        #expect(result.stderr.isEmpty, Comment(rawValue: result.summary))
        #expect(!FileManager.default.fileExists(atPath: sandbox.historyFolder), "--no-log created the history folder")

        let history = try await sandbox.history()
        #expect(history.exitCode == 0, Comment(rawValue: history.summary))
        #expect(history.stdoutLines == ["No routine runs recorded yet."], Comment(rawValue: history.summary))
        #expect(try await sandbox.recordedRuns().isEmpty)
    }

    @Test("a routine of one drill says “1 drill”, not “1 drills”")
    func oneDrillIsSingular() async throws {
        let sandbox = try RoutineSandbox(.tiny)
        let result = try await sandbox.runRoutine(["--plain", "--no-log"])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        #expect(result.stdoutLines.dropFirst().first == "1 drill, about 3 s.", Comment(rawValue: result.summary))
    }

    // MARK: Full screen, in a real terminal

    @Test("full screen at 80x24: pain 4, every phase in turn, pain 2, the finish screen; the bell rang; history has the pains")
    func fullScreenRun() async throws {
        let sandbox = try RoutineSandbox(.fullScreen)
        try await withTmuxTerminal(sandbox.routineArguments([]), width: 80, height: 24,
                                   environment: sandbox.environment, recordOutput: true) { terminal in
            try await terminal.waitFor("Test routine", "3 drills", "Safety: Use only pain-free", "1. Quick work",
                                       "2. Side hold", "3. Tempo reps", "Press Space when you are ready.")
            try await terminal.press("Space")
            try await terminal.waitFor("Before you start: how much pain do you feel right now?", "0 1 2 3 4 5 6 7 8 9 10")
            try await terminal.press("4")

            let getReady = try await waitForHeadline(terminal, "Get ready", "First: Quick work")
            #expect(getReady.row(0).contains("Drill 1 of 3"), "\(getReady)")
            #expect(getReady.contains("⚠ Use only pain-free, controlled movement."), "\(getReady)")
            try await advanceToHeadline(terminal, "Quick work", "Breathe out.")
            try await advanceToHeadline(terminal, "Quick work", "Stay tall.")
            try await advanceToHeadline(terminal, "Rest", "Next: Side hold")
            let switching = try await advanceToHeadline(terminal, "Side hold", "Switch sides")
            #expect(switching.row(0).contains("Drill 2 of 3"), "\(switching)")
            try await advanceToHeadline(terminal, "Rest", "Next: Tempo reps")
            try await advanceToHeadline(terminal, "Tempo reps", TestDrill.purpose)
            try await terminal.advance(by: 100, until: "the question after the drills") {
                $0.contains("How much pain do you feel now?")
            }
            try await terminal.waitFor("How much pain do you feel now?")
            try await terminal.press("2")
            try await terminal.waitFor("Well done!", "Drills done: 3 of 3", "Skipped: 0", "Time: 0:20",
                                       "Pain before → after: 4 → 2", savedLine)
            // The bell reached the terminal: at least once for each of the 11 changes of phase (get ready, 7
            // phases of the drills, 2 rests between them, the end), and more for the last seconds.
            try await terminal.waitUntilOutput("a BEL") { $0.contains(0x07) }
            let bells = terminal.recordedOutput().filter { $0 == 0x07 }.count
            #expect(bells >= 11, "\(bells) bells")

            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
        }

        let runs = try await sandbox.recordedRuns()
        try #require(runs.count == 1, "\(runs)")
        #expect(runs[0].pain_before == 4)
        #expect(runs[0].pain_after == 2)
        #expect(runs[0].completed)
        #expect(runs[0].statuses == ["done", "done", "done"])
    }

    @Test("keys: Space pauses and resumes, → skips a drill, q asks (n goes on), q then y stops early")
    func keys() async throws {
        let sandbox = try RoutineSandbox(.keys)
        try await withTmuxTerminal(sandbox.routineArguments(["--no-pain-check"]), width: 80, height: 24,
                                   environment: sandbox.environment) { terminal in
            try await terminal.waitFor("Keys routine", "Press Space when you are ready.")
            try await terminal.press("Space")
            try await advanceToHeadline(terminal, "First long drill")
            try await terminal.advance(by: 3_000)
            let running = try await terminal.waitUntil("the first drill counting down") { screen in
                showsHeadline(screen, "First long drill") && secondsLeft(on: screen) != nil
            }
            let startedAt = try #require(secondsLeft(on: running))

            // Space pauses: PAUSED, and nothing moves while a minute passes.
            try await terminal.press("Space")
            let paused = try await terminal.waitFor("❚❚ PAUSED", "Space resume")
            let frozen = try #require(secondsLeft(on: paused))
            #expect(frozen == startedAt)
            try await terminal.advance(by: 60_000)
            let still = try await terminal.capture()
            #expect(still.text == paused.text, "the screen changed while paused:\n\(still)\n--- when paused:\n\(paused)")

            // Space resumes from where it was, and the countdown goes on.
            try await terminal.press("Space")
            let resumed = try await terminal.waitUntil("the routine running again") { screen in
                !screen.contains("PAUSED") && screen.contains("Space pause")
            }
            #expect(secondsLeft(on: resumed) == frozen, "time was lost while paused:\n\(resumed)")
            try await terminal.advance(by: 1_000)
            try await terminal.waitUntil("the countdown to go on") { screen in
                secondsLeft(on: screen) == frozen - 1 && showsHeadline(screen, "First long drill")
            }

            // → skips to the next drill.
            try await terminal.press("Right")
            let second = try await waitForHeadline(terminal, "Second long drill")
            #expect(second.row(0).contains("Drill 2 of 3"), "\(second)")

            // q asks; n goes on.
            try await terminal.press("q")
            try await terminal.waitFor("Stop the routine here?", "keep going")
            try await terminal.press("n")
            let kept = try await terminal.waitUntil("the question gone, the drill running") { screen in
                !screen.contains("Stop the routine here?") && screen.contains("Space pause")
                    && showsHeadline(screen, "Second long drill") && secondsLeft(on: screen) != nil
            }
            let left = try #require(secondsLeft(on: kept))
            try await terminal.advance(by: 1_000)
            try await terminal.waitUntil("the countdown to go on after n") { screen in
                secondsLeft(on: screen) == left - 1 && !screen.contains("Stop the routine here?")
            }

            // q, then y: stopped early.
            try await terminal.press("q")
            try await terminal.waitFor("Stop the routine here?")
            try await terminal.press("y")
            try await terminal.waitFor("Routine stopped", "Drills done: 0 of 3", "Skipped: 1", savedLine)
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
        }

        let runs = try await sandbox.recordedRuns()
        try #require(runs.count == 1, "\(runs)")
        #expect(!runs[0].completed)
        #expect(runs[0].statuses == ["skipped", "not-reached", "not-reached"])
        #expect(runs[0].pain_before == nil && runs[0].pain_after == nil)
    }

    @Test("SIGTERM in the middle of a full-screen routine: exit 143, terminal sane, the run recorded as stopped early")
    func sigterm() async throws {
        let sandbox = try RoutineSandbox(.interrupted)
        try await withTmuxTerminal(sandbox.routineArguments(["--no-pain-check"]), width: 80, height: 24,
                                   environment: sandbox.environment) { terminal in
            try await terminal.waitFor("Term routine", "Press Space when you are ready.")
            try await terminal.press("Space")
            try await advanceToHeadline(terminal, "Second long drill")
            try await terminal.advance(by: 2_000)
            let pid = try await terminal.programID()
            #expect(kill(pid, SIGTERM) == 0)
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 143, "\(exit)")
            #expect(exit.terminalIsSane, "\(exit)")
            // Nothing printed after the screen closed (no complaint about the history).
            let printed = exit.screen.lines.prefix { !$0.hasPrefix("speed ") }.filter { !$0.isEmpty }
            #expect(printed.isEmpty, "\(exit)")
        }

        let runs = try await sandbox.recordedRuns()
        try #require(runs.count == 1, "the interrupted run was not recorded: \(runs)")
        #expect(!runs[0].completed)
        #expect(runs[0].statuses == ["done", "not-reached", "not-reached"])
        #expect(runs[0].seconds >= 3)
    }

    // MARK: A history that can't be used

    /// A history the program can't use.
    struct BrokenHistory: Sendable, CustomTestStringConvertible {
        enum Kind: Sendable { case corrupt, uncreatable }
        var kind: Kind
        var testDescription: String {
            kind == .corrupt ? "a corrupt history file" : "a file where the history folder should be"
        }
    }

    @Test("a damaged history is moved aside, kept as it was, and the run saved in a fresh one; history reads it")
    func damagedHistory() async throws {
        let sandbox = try RoutineSandbox(.tiny)
        var generator = SeededGenerator(seed: 74)
        let junk = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try FileManager.default.createDirectory(atPath: sandbox.historyFolder, withIntermediateDirectories: true)
        try junk.write(to: URL(fileURLWithPath: sandbox.historyFile))

        let result = try await sandbox.runRoutine(["--plain"])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        #expect(result.stdoutLines.last == savedLine, Comment(rawValue: result.summary))
        let kept = try FileManager.default.contentsOfDirectory(atPath: sandbox.historyFolder)
            .filter { $0.hasPrefix("history.sqlite.damaged-") }
        try #require(kept.count == 1, "\(kept)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: sandbox.historyFolder + "/" + kept[0])) == junk,
                "the damaged history was changed")
        #expect(result.stderrLines == ["session-guide: the history file was damaged: it is kept as "
                    + "\(sandbox.historyFolder)/\(kept[0]), and a fresh history was started"],
                Comment(rawValue: result.summary))
        let runs = try await sandbox.recordedRuns()
        #expect(runs.count == 1 && runs.first?.completed == true, "\(runs)")
    }

    @Test("a history that can't exist never stops the routine: exit 0, “not saved” on both streams; history exits 74")
    func unusableHistory() async throws {
        let sandbox = try RoutineSandbox(.tiny)
        try Data("not a folder\n".utf8).write(to: URL(fileURLWithPath: sandbox.historyFolder))

        let result = try await sandbox.runRoutine(["--plain"])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        let lines = result.stdoutLines
        expectLines(Array(lines.dropLast().enumerated().filter { $0.offset != 1 }.map(\.element)),
                    Array(tinyTranscript.enumerated().filter { $0.offset != 1 }.map(\.element)), result.summary)
        let notice = lines.last ?? ""
        #expect(notice.hasPrefix("This run was not saved: can't use the history folder \(sandbox.historyFolder): "),
                Comment(rawValue: result.summary))
        // Its own folder can't be made either, so the recovery file can't be: the patient is told so.
        #expect(notice.contains("could not be kept in \(sandbox.historyFolder)/unsaved-records.jsonl either"),
                Comment(rawValue: result.summary))
        let problem = notice.replacingOccurrences(of: "This run was not saved: ", with: "")
        #expect(result.stderrLines == ["session-guide: the run was not saved: " + problem],
                Comment(rawValue: result.summary))

        // `history` says what is wrong instead of reporting no runs.
        for format in [[], ["--json"], ["--csv"]] {
            let history = try await sandbox.history(format)
            #expect(history.exitCode == 74, Comment(rawValue: history.summary))
            #expect(history.stdout.isEmpty, Comment(rawValue: history.summary))
            #expect(history.stderrLines.count == 1, Comment(rawValue: history.summary))
            let line = history.stderrLines.first ?? ""
            #expect(line.hasPrefix("session-guide: can't ") && line.contains(sandbox.historyFile),
                    Comment(rawValue: history.summary))
        }
    }

    @Test("routine --plain, Ctrl-Z in the get-ready for 10 s, fg: nothing moved, and single keys work again (no Enter)")
    func plainSuspendAndResume() async throws {
        let executable = try #require(BinaryRunner.executable, "run 'swift build' first")
        let sandbox = try RoutineSandbox(.tiny)
        let clock = sandbox.folder.path(of: "clock")
        let trace = sandbox.folder.path(of: "trace")
        try #require(mkfifo(clock, 0o600) == 0)
        func advance(_ milliseconds: Int64) throws {
            let writer = open(clock, O_WRONLY | O_NONBLOCK)
            try #require(writer >= 0)
            _ = Array("advance \(milliseconds)\n".utf8).withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
            close(writer)
        }
        let prompt = "SHELL-READY$"
        var environment = sandbox.environment
        environment["PS1"] = prompt + " "
        environment["HISTFILE"] = "/dev/null"
        try await withTmuxTerminal(["--norc", "--noprofile", "-i"], width: 120, environment: environment,
                                   program: "/bin/bash") { terminal in
            try await terminal.waitFor(prompt)
            let command = ["SESSION_GUIDE_TEST_CLOCK=" + shellQuoted(clock), "SESSION_GUIDE_TEST_TRACE=" + shellQuoted(trace),
                           shellQuoted(executable.path)] + sandbox.routineArguments(["--plain", "--quiet", "--no-pain-check"])
                .map(shellQuoted)
            try await terminal.type(command.joined(separator: " "))
            try await terminal.press("Enter")
            try await terminal.waitFor("Press Space to start.")
            try await terminal.send("Space")
            try await terminal.waitFor("Get ready. First: One move.")
            try advance(500)
            _ = try await traceWaits(trace, reaching: (try await traceWaits(trace)).first.map { $0 + 500 } ?? 0)

            try await terminal.send("C-z")
            try await terminal.waitUntil("the job stopped") { $0.contains("Stopped") && $0.lines.last == prompt }
            try advance(10_000)  // while it is stopped: not the routine's time
            try await terminal.type("fg")
            try await terminal.press("Enter")
            let continued = try await eventually(timeout: .seconds(30)) {
                ((try? String(contentsOfFile: trace, encoding: .utf8)) ?? "").contains("\ncontinue ")
            }
            #expect(continued, "no 'continue' in the trace")
            // Single keys again: Space pauses without an Enter.
            try await terminal.send("Space")
            try await terminal.waitFor("Paused. Space resumes.")
            let screen = try await terminal.capture()
            #expect(!screen.contains("One move, 2 seconds."), "the get-ready ended while stopped:\n\(screen)")
            try await terminal.send("Space")
            try await terminal.waitFor("Resumed.")
            try advance(600)
            try await terminal.waitFor("One move, 2 seconds.")
            try advance(3_000)
            try await terminal.waitFor("Routine finished.")
            try await terminal.waitUntil("the prompt after the routine") { $0.lines.last == prompt }
            try await terminal.type("exit")
            try await terminal.press("Enter")
            _ = try await terminal.waitForExit()
        }
        let runs = try await sandbox.recordedRuns()
        #expect(runs.count == 1 && runs[0].completed && runs[0].seconds <= 4, "the stopped time was counted: \(runs)")
    }

    // MARK: A history that defends itself

    @Test("a symbolic link as the history file, to nowhere: refused, nothing created there, the run kept for later")
    func symlinkedHistory() async throws {
        let sandbox = try RoutineSandbox(.tiny)
        try FileManager.default.createDirectory(atPath: sandbox.historyFolder, withIntermediateDirectories: true)
        let target = sandbox.folder.path(of: "somewhere-else.sqlite")
        try #require(symlink(target, sandbox.historyFile) == 0)
        let result = try await sandbox.runRoutine()
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        #expect(result.stdoutLines.last?.hasPrefix("This run was not saved: won't use the history "
            + "\(sandbox.historyFile): it is a symbolic link") == true, Comment(rawValue: result.summary))
        #expect(result.stdoutLines.last?.contains("kept in \(sandbox.historyFolder)/unsaved-records.jsonl") == true,
                Comment(rawValue: result.summary))
        #expect(!FileManager.default.fileExists(atPath: target), "the history was written through the link")
        let history = try await sandbox.history()
        #expect(history.exitCode == 74 && history.stderr.contains("symbolic link"), Comment(rawValue: history.summary))

        // Once the link is gone, the next run takes the kept run in: both are in the history.
        try FileManager.default.removeItem(atPath: sandbox.historyFile)
        let next = try await sandbox.runRoutine()
        #expect(next.stderrLines.first?.contains("1 record that could not be saved earlier is now in the history") == true,
                Comment(rawValue: next.summary))
        #expect(try await sandbox.recordedRuns().count == 2)
        #expect(!FileManager.default.fileExists(atPath: sandbox.historyFolder + "/unsaved-records.jsonl"))
    }

    @Test("a history folder and file others could read (0755, 0644) are made private by the next run")
    func groupReadableHistory() async throws {
        let sandbox = try RoutineSandbox(.tiny)
        _ = try await sandbox.runRoutine()
        #expect(chmod(sandbox.historyFolder, 0o755) == 0 && chmod(sandbox.historyFile, 0o644) == 0)
        let result = try await sandbox.runRoutine()
        #expect(result.stdoutLines.last == savedLine, Comment(rawValue: result.summary))
        var info = stat()
        #expect(stat(sandbox.historyFolder, &info) == 0 && info.st_mode & 0o777 == 0o700)
        #expect(stat(sandbox.historyFile, &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    /// `unshare -m`: the script runs with mounts of its own (a read-only or a tiny file system over the state
    /// folder), then the program as `$0` with its arguments.
    private func inMountNamespace(_ script: String) -> [String] {
        ["/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", script]
    }

    @Test("a read-only history (folder and file): history reads it; a routine runs, says why it was not saved")
    func readOnlyHistory() async throws {
        let sandbox = try RoutineSandbox(.tiny)
        _ = try await sandbox.runRoutine()
        let readOnly = inMountNamespace("""
            mount --bind "$STATE" "$STATE" && mount -o remount,bind,ro "$STATE" && exec "$0" "$@"
            """)
        let environment: [String: String?] = ["STATE": sandbox.state]
        let history = try await BinaryRunner.run(["history", "--csv"],
                                                 environment: sandbox.environment.merging(environment) { $1 },
                                                 launcher: readOnly)
        #expect(history.exitCode == 0 && csvRows(history) == 2, Comment(rawValue: history.summary))
        let notes = try await BinaryRunner.run(["notes"], environment: sandbox.environment.merging(environment) { $1 },
                                               launcher: readOnly)
        #expect(notes.exitCode == 0, Comment(rawValue: notes.summary))
        let run = try await sandbox.runRoutine(environment: environment, launcher: readOnly)
        #expect(run.exitCode == 0, Comment(rawValue: run.summary))
        #expect(run.stdoutLines.last?.hasPrefix("This run was not saved: ") == true, Comment(rawValue: run.summary))
        #expect(try await sandbox.recordedRuns().count == 1)
    }

    @Test("a full disk: reported as a full disk, the run kept in the runtime folder, history still reads, nothing lost")
    func fullDisk() async throws {
        let sandbox = try RoutineSandbox(.tiny)
        _ = try await sandbox.runRoutine()
        let runtime = sandbox.folder.path(of: "runtime")
        try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true)
        // A small file system with the history on it, filled to the last byte.
        let full = inMountNamespace("""
            cp -a "$STATE/session-guide" "$STATE/copy" && mount -t tmpfs -o size=256k tmpfs "$STATE/session-guide" \
              && cp -a "$STATE/copy/." "$STATE/session-guide/" && rm -rf "$STATE/copy" \
              && { dd if=/dev/zero of="$STATE/session-guide/filler" bs=4k 2>/dev/null || true; } \
              && "$0" "$@"; code=$?; echo "HISTORY:"; "$0" history --csv; exit $code
            """)
        let run = try await sandbox.runRoutine(environment: ["STATE": sandbox.state, "XDG_RUNTIME_DIR": runtime],
                                               launcher: full)
        #expect(run.exitCode == 0, Comment(rawValue: run.summary))
        let notice = run.stdoutLines.first { $0.hasPrefix("This run was not saved: ") } ?? ""
        #expect(notice.contains("the disk is full"), Comment(rawValue: run.summary))
        #expect(notice.contains("kept in \(runtime)/session-guide/unsaved-records.jsonl"), Comment(rawValue: run.summary))
        // Read on the full disk: the run from before.
        let afterMarker = run.stdout.components(separatedBy: "HISTORY:\n").last ?? ""
        #expect(afterMarker.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 2,
                Comment(rawValue: run.summary))

        // With room again (the namespace is gone), the next run takes the kept one in.
        let next = try await sandbox.runRoutine(environment: ["XDG_RUNTIME_DIR": runtime])
        #expect(next.stderr.contains("1 record that could not be saved earlier is now in the history"),
                Comment(rawValue: next.summary))
        #expect(try await sandbox.recordedRuns().count == 3)
    }

    @Test("a history from a newer version: not written to, both versions named, the run kept; history still reads it")
    func newerHistory() async throws {
        let sandbox = try RoutineSandbox(.tiny)
        _ = try await sandbox.runRoutine()
        let newer = """
            INSERT INTO grdb_migrations (identifier) VALUES ('v9: devices');
            UPDATE history_info SET value = '9' WHERE name = 'format';
            UPDATE history_info SET value = '9.9.9' WHERE name = 'written_by';
            ALTER TABLE routine_run ADD COLUMN device TEXT NOT NULL DEFAULT 'box';
            """
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [sandbox.historyFile, newer]
        try sqlite.run()
        await Task.detached { sqlite.waitUntilExit() }.value
        try #require(sqlite.terminationStatus == 0)
        let result = try await sandbox.runRoutine()
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        let notice = result.stdoutLines.last ?? ""
        #expect(notice.contains("it was written by session-guide 9.9.9 (history format 9), and this is session-guide "),
                Comment(rawValue: result.summary))
        #expect(notice.contains("(history format 5)") && notice.contains("nothing was written to it"),
                Comment(rawValue: result.summary))
        #expect(FileManager.default.fileExists(atPath: sandbox.historyFolder + "/unsaved-records.jsonl"))
        // Still one run in it (nothing was written), and it can be read.
        let history = try await sandbox.history(["--csv"])
        #expect(history.exitCode == 0 && csvRows(history) == 2, Comment(rawValue: history.summary))
    }

    @Test("a history locked by another program for longer than the retries: the run waits in the recovery file, then goes in")
    func lockedHistory() async throws {
        let sandbox = try RoutineSandbox(.tiny)
        _ = try await sandbox.runRoutine()
        // sqlite3 holds the write lock until its input closes.
        let locker = Process()
        locker.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        locker.arguments = [sandbox.historyFile]
        let input = Pipe()
        let output = Pipe()
        locker.standardInput = input
        locker.standardOutput = output
        try locker.run()
        input.fileHandleForWriting.write(Data("BEGIN EXCLUSIVE;\nSELECT 'locked';\n".utf8))
        let answer = await Task.detached { output.fileHandleForReading.availableData }.value
        try #require(String(decoding: answer, as: UTF8.self).contains("locked"))

        let result = try await sandbox.runRoutine()
        try input.fileHandleForWriting.close()
        await Task.detached { locker.waitUntilExit() }.value
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        let notice = result.stdoutLines.last ?? ""
        #expect(notice.contains("another program is holding it; it is kept in \(sandbox.historyFolder)/unsaved-records.jsonl"),
                Comment(rawValue: result.summary))

        let next = try await sandbox.runRoutine()
        #expect(next.stdoutLines.last == savedLine, Comment(rawValue: next.summary))
        #expect(next.stderr.contains("1 record that could not be saved earlier is now in the history"),
                Comment(rawValue: next.summary))
        let runs = try await sandbox.recordedRuns()
        #expect(runs.count == 3 && runs.allSatisfy { $0.completed && !$0.interrupted }, "\(runs)")
    }

    // MARK: Two at once, and kill -9

    @Test("two routines at once on a history that exists: both exit 0, both runs are kept")
    func twoAtOnceOnExistingHistory() async throws {
        let sandbox = try RoutineSandbox(.tiny)
        let first = try await sandbox.runRoutine()
        #expect(first.stdoutLines.last == savedLine, Comment(rawValue: first.summary))

        async let a = sandbox.runRoutine()
        async let b = sandbox.runRoutine()
        let results = try await [a, b]
        for result in results {
            #expect(result.exitCode == 0, Comment(rawValue: result.summary))
            #expect(result.stdoutLines.last == savedLine, Comment(rawValue: result.summary))
            #expect(result.stderr.isEmpty, Comment(rawValue: result.summary))
        }
        let runs = try await sandbox.recordedRuns()
        #expect(runs.count == 3, "\(runs)")
        #expect(runs.allSatisfy { $0.completed && $0.statuses == ["done"] }, "\(runs)")
    }

    @Test("two routines at once on a new history: both exit 0, both runs are kept")
    func twoAtOnceOnNewHistory() async throws {
        // Three pairs, each on its own new history, so the race at creation shows up on most test runs.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    let sandbox = try RoutineSandbox(.tiny)
                    // Started back to back, as close together as two people pressing Enter at once.
                    let arguments = sandbox.routineArguments(["--plain"])
                    let programs = [try RunningProgram(arguments, environment: sandbox.environment),
                                    try RunningProgram(arguments, environment: sandbox.environment)]
                    var results: [RunResult] = []
                    for program in programs { results.append(try await program.waitForExit()) }
                    for result in results {
                        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
                    }
                    let runs = try await sandbox.recordedRuns()
                    for result in results {
                        #expect(result.stdoutLines.last == savedLine, Comment(rawValue: result.summary))
                    }
                    #expect(runs.count == 2, "\(runs)\n\(results.map(\.summary).joined(separator: "\n"))")
                }
            }
            try await group.waitForAll()
        }
    }

    @Test("kill -9 during a later run of several: the history still opens, holds every run before, and the killed one as interrupted")
    func killNine() async throws {
        let sandbox = try RoutineSandbox(.tiny)
        let arguments = sandbox.routineArguments(["--plain"])
        var saved = 0
        for _ in 0..<3 {
            let program = try RunningProgram(arguments, environment: sandbox.environment)
            let result = try await program.waitForExit()
            #expect(result.exitCode == 0, Comment(rawValue: result.summary))
            saved += result.stdoutLines.filter { $0.hasPrefix("Saved to your history") }.count
        }
        #expect(saved == 3)

        // The fourth run is killed in the middle of its drill: on a clock nobody moves, it stays there.
        let frozenClock = sandbox.folder.path(of: "clock")
        try #require(mkfifo(frozenClock, 0o600) == 0)
        var frozen = sandbox.environment
        frozen["SESSION_GUIDE_TEST_CLOCK"] = frozenClock
        let victim = try RunningProgram(arguments, environment: frozen)
        // Past the second of getting ready, into the drill, and no further.
        try await victim.waitForOutput("the routine to start") { $0.contains("Get ready. First: One move.") }
        let clockWriter = open(frozenClock, O_WRONLY | O_NONBLOCK)
        try #require(clockWriter >= 0)
        _ = Array("advance 1500\n".utf8).withUnsafeBytes { write(clockWriter, $0.baseAddress, $0.count) }
        close(clockWriter)
        try await victim.waitForOutput("the drill to start") { $0.contains("One move, 2 seconds.") }
        victim.send(SIGKILL)
        let killed = try await victim.waitForExit()
        #expect(killed.signalled && killed.status == SIGKILL, Comment(rawValue: killed.summary))
        #expect(!killed.stdout.contains("Done."), "the run ended before the kill: \(killed.summary)")

        var runs = try await sandbox.recordedRuns()
        try #require(runs.count == saved + 1, "\(saved) runs were saved before the kill, and the killed one: \(runs)")
        #expect(runs.prefix(saved).allSatisfy { $0.completed && !$0.interrupted && $0.statuses == ["done"] },
                "\(runs)")
        // Saved as it happened: there, cut short, shown as interrupted, its drill not finished.
        #expect(!runs[saved].completed && runs[saved].interrupted && runs[saved].statuses == ["not-reached"],
                "\(runs[saved])")
        saved += 1
        let text = try await sandbox.history()
        #expect(text.stdout.contains("interrupted"), Comment(rawValue: text.summary))

        // Killed as it finishes, racing the closing write: the run is there either way, with its drills.
        let racer = try RunningProgram(arguments, environment: sandbox.environment)
        try await racer.waitForOutput("Done.") { $0.contains("Done.") }
        racer.send(SIGKILL)
        _ = try await racer.waitForExit()
        runs = try await sandbox.recordedRuns()
        saved += 1
        #expect(runs.count == saved, "\(runs)")
        #expect(runs.allSatisfy { $0.drills.count == 1 }, "a run was kept without its drills: \(runs)")

        // And the history still takes new runs.
        let after = try await sandbox.runRoutine()
        #expect(after.exitCode == 0 && after.stdoutLines.last == savedLine, Comment(rawValue: after.summary))
        #expect(try await sandbox.recordedRuns().count == saved + 1)
    }

    @Test("kill -9 at 10 random moments of a routine: every run is in the history, interrupted unless it had ended")
    func killNineAtRandomMoments() async throws {
        let sandbox = try RoutineSandbox(.tiny)
        var generator = SeededGenerator(seed: 14)
        for round in 0..<10 {
            let clock = sandbox.folder.path(of: "clock-\(round)")
            let trace = sandbox.folder.path(of: "trace-\(round)")
            try #require(mkfifo(clock, 0o600) == 0)
            var environment = sandbox.environment
            environment["SESSION_GUIDE_TEST_CLOCK"] = clock
            environment["SESSION_GUIDE_TEST_TRACE"] = trace
            let victim = try RunningProgram(sandbox.routineArguments(["--plain"]), environment: environment)
            guard let start = try await traceWaits(trace, atLeast: 1).first else { return }
            // Anywhere from the first moment to a little past the routine's end.
            let moment = Int64.random(in: 0...4_500, using: &generator)
            let writer = open(clock, O_WRONLY | O_NONBLOCK)
            try #require(writer >= 0)
            _ = Array("advance \(moment)\n".utf8).withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
            close(writer)
            _ = try await traceWaits(trace, reaching: start + moment)
            victim.send(SIGKILL)
            let killed = try await victim.waitForExit()
            let runs = try await sandbox.recordedRuns()
            try #require(runs.count == round + 1, "round \(round + 1), killed at +\(moment) ms: \(runs)")
            let run = runs[round]
            if killed.signalled, moment < 3_000 {
                #expect(run.interrupted && !run.completed, "killed at +\(moment) ms: \(run)")
            } else if killed.signalled {
                // Past its end: killed as it said goodbye, after the closing save, or just before it.
                #expect(run.interrupted != run.completed, "killed at +\(moment) ms: \(run)")
            } else {
                #expect(run.completed && !run.interrupted, "ended before the kill at +\(moment) ms: \(run)")
            }
            #expect(run.drills.count == 1, "\(run)")
        }
    }

    // MARK: Permissions

    /// Where the history goes and the umask the program runs with.
    struct PermissionsCase: Sendable, CustomTestStringConvertible {
        var name: String
        var useXDG: Bool
        var umask: String?
        var testDescription: String { name }
    }

    @Test("the history is private: its folder 0700, the file 0600", arguments: [
        PermissionsCase(name: "XDG_STATE_HOME (new nested folders), the usual umask", useXDG: true, umask: nil),
        PermissionsCase(name: "HOME/.local/state, umask 000", useXDG: false, umask: "000"),
    ])
    func permissions(_ example: PermissionsCase) async throws {
        let sandbox = try RoutineSandbox(.tiny)
        var environment = sandbox.environment
        let state: String
        if example.useXDG {
            state = sandbox.state + "/nested/deeper"
            environment["XDG_STATE_HOME"] = state
        } else {
            state = sandbox.home + "/.local/state"
            environment["XDG_STATE_HOME"] = .some(nil)
        }
        let launcher = example.umask.map { ["/bin/sh", "-c", "umask \($0); exec \"$0\" \"$@\""] } ?? []
        let program = try RunningProgram(sandbox.routineArguments(["--plain"]), environment: environment,
                                         launcher: launcher)
        let result = try await program.waitForExit()
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        #expect(result.stdoutLines.last == savedLine, Comment(rawValue: result.summary))

        let folder = state + "/session-guide"
        #expect(filePermissions(of: folder) == 0o700, "\(folder) is \(octal(filePermissions(of: folder)))")
        let file = folder + "/history.sqlite"
        #expect(filePermissions(of: file) == 0o600, "\(file) is \(octal(filePermissions(of: file)))")
        for companion in ["-wal", "-shm", "-journal"] where FileManager.default.fileExists(atPath: file + companion) {
            #expect(filePermissions(of: file + companion) == 0o600,
                    "\(file + companion) is \(octal(filePermissions(of: file + companion)))")
        }
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            #expect(filePermissions(of: folder + "/" + entry).map { $0 & 0o077 } == 0, "\(entry) is readable by others")
        }
        // Nothing went to the sandbox's default state folder.
        if !example.useXDG {
            #expect(!FileManager.default.fileExists(atPath: sandbox.historyFolder))
        }
    }

    // MARK: Speech

    /// A speech command that, like a real voice, takes a moment to say its words (half a second, about what
    /// espeak-ng takes for “Done”). It logs when it starts speaking and when it has finished: a new cue may cut
    /// an utterance short (by design), but every cue must start, and the last one must finish.
    fileprivate static func speechRecorder(in sandbox: RoutineSandbox) async throws -> (command: String, log: String) {
        let command = sandbox.folder.path(of: "speak.sh")
        let log = sandbox.folder.path(of: "spoken.log")
        try sandbox.folder.write("speak.src", .text("#!/bin/sh\nprintf '%s\\n' \"$1\" >> \(shellQuoted(log))\n"
            + "sleep 0.5\nprintf 'finished %s\\n' \"$1\" >> \(shellQuoted(log))\n"))
        // The executable is made by `cp` in its own process: a file this (multi-threaded) test process had open
        // for writing can leak into a child forked meanwhile by another test, and stays "busy" (ETXTBSY) to
        // exec for as long as that child lives.
        let copy = Process()
        copy.executableURL = URL(fileURLWithPath: "/bin/cp")
        copy.arguments = [sandbox.folder.path(of: "speak.src"), command]
        // Waited for on a Dispatch thread, never on Swift's cooperative threads.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            DispatchQueue.global().async {
                do {
                    try copy.run()
                    copy.waitUntilExit()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
        #expect(copy.terminationStatus == 0)
        #expect(chmod(command, 0o755) == 0)
        return (command, log)
    }

    /// What began to be spoken, in order.
    fileprivate static func spokenLines(_ log: String) -> [String] {
        loggedLines(log).filter { !$0.hasPrefix("finished ") }
    }

    fileprivate static func loggedLines(_ log: String) -> [String] {
        RunResult.lines(of: (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }

    @Test("--voice speaks every announcement through SESSION_GUIDE_SPEECH_COMMAND, and “Done” at the end")
    func voice() async throws {
        let sandbox = try RoutineSandbox(.standard)
        let (command, log) = try await Self.speechRecorder(in: sandbox)
        let result = try await sandbox.runRoutine(["--plain", "--voice"],
                                                  environment: ["SESSION_GUIDE_SPEECH_COMMAND": command])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        expectLines(result.stdoutLines, standardTranscript, result.summary)
        #expect(result.stderr.isEmpty, Comment(rawValue: result.summary))

        // On the test's fast-forward clock each cue cuts the one before short at once (by design, a new cue stops
        // the old), so only some begin; which ones and in what order the voice is told is tested in-process
        // (RoutineProgramTests). Here: the command is run with the cue as its argument, never with anything
        // else, and the last cue, “Done”, is let finish before the program ends.
        let countdown: Set<String> = ["One", "Two", "Three"]
        let spoken = Self.spokenLines(log)
        #expect(!spoken.isEmpty, "the speech command never ran")
        #expect(spoken.allSatisfy { countdown.contains($0) || standardAnnouncements.contains($0) || $0 == "Done" },
                "something unexpected was spoken: \(spoken)")
        #expect(Self.loggedLines(log).last == "finished Done", "“Done” was cut short: \(Self.loggedLines(log))")
    }

    @Test("--voice --quiet speaks nothing")
    func voiceQuiet() async throws {
        let sandbox = try RoutineSandbox(.tiny)
        let (command, log) = try await Self.speechRecorder(in: sandbox)
        let result = try await sandbox.runRoutine(["--plain", "--voice", "--quiet"],
                                                  environment: ["SESSION_GUIDE_SPEECH_COMMAND": command])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        #expect(result.stdoutLines.last == savedLine, Comment(rawValue: result.summary))
        #expect(result.stderr.isEmpty, Comment(rawValue: result.summary))
        #expect(!FileManager.default.fileExists(atPath: log), "spoken: \(Self.spokenLines(log))")
    }

    @Test("--voice without the speech program: one line about espeak-ng on stderr, and the routine still runs")
    func voiceMissing() async throws {
        let sandbox = try RoutineSandbox(.tiny)
        let missing = sandbox.folder.path(of: "no-such-speech-program")
        let result = try await sandbox.runRoutine(["--plain", "--voice"],
                                                  environment: ["SESSION_GUIDE_SPEECH_COMMAND": missing])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        #expect(result.stderrLines.count == 1, Comment(rawValue: result.summary))
        #expect(result.stderrLines.first?.hasPrefix("session-guide: ") == true, Comment(rawValue: result.summary))
        #expect(result.stderr.contains("espeak-ng"), Comment(rawValue: result.summary))
        // The notice comes after the safety line; the routine is otherwise the same.
        var expected = tinyTranscript
        expected.insert("No voice: espeak-ng is not installed.", at: 3)
        expected.append(savedLine)
        expectLines(Array(result.stdoutLines.enumerated().filter { $0.offset != 1 }.map(\.element)),
                    Array(expected.enumerated().filter { $0.offset != 1 }.map(\.element)), result.summary)
    }

    // MARK: Usage mistakes

    /// A command that must fail before anything runs.
    struct UsageCase: Sendable, CustomTestStringConvertible {
        var name: String
        var arguments: [String]
        /// Replaced by the sandbox's content folder.
        var needsContent = true
        var status: Int32
        var message: String
        var testDescription: String { name }
    }

    @Test("usage mistakes: exit 66 or 64 with a clear message, and no history touched", arguments: [
        UsageCase(name: "an unknown routine id", arguments: ["routine", "test-routin"], status: 66,
                  message: "no document with id 'test-routin'; did you mean 'test-routine'?"),
        UsageCase(name: "a session's id", arguments: ["routine", "a-session"], status: 64,
                  message: "'a-session' is a session, not a routine"),
        UsageCase(name: "history --days 0", arguments: ["history", "--days", "0"], needsContent: false, status: 64,
                  message: "--days must be at least 1"),
    ])
    func usage(_ example: UsageCase) async throws {
        let session = "---\nkind: session\nid: a-session\ntitle: A session\n---\n# A step\nSome text.\n"
        let sandbox = try RoutineSandbox(.standard, extraFiles: ["sessions/a-session.md": .text(session)])
        let arguments = example.arguments + (example.needsContent ? ["--content", sandbox.content, "--plain"] : [])
        let result = try await BinaryRunner.run(arguments, environment: sandbox.environment)
        #expect(result.exitCode == example.status, Comment(rawValue: result.summary))
        #expect(result.stderr.contains(example.message), Comment(rawValue: result.summary))
        #expect(result.stdout.isEmpty, Comment(rawValue: result.summary))
        #expect(!FileManager.default.fileExists(atPath: sandbox.historyFolder), "the history folder was created")
    }
}
