import Foundation
import SessionGuideHistory
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Hostile text: control characters, escape sequences, bidi overrides and line breaks hidden in content, file
/// names, arguments, the environment and the config file. For every case each command a clinic would run on it is
/// run (`check`, `list`, `print` in each format, the plain modes), and every byte it writes is scanned: no C0
/// control but line feed and tab, no DEL, no C1 (raw or UTF-8), no bidi override, always valid UTF-8. Each run is
/// bounded by `prlimit`: 2 s of CPU and 100 MB of data, so a hang or a blow-up is a failure, not a slow test.
@Suite("hostile text never reaches an output raw")
struct HostileCorpusTests {
    // MARK: - The payloads

    /// Text a hostile (or careless) author could put anywhere; each is named for the test's output.
    static let payloads: [(name: String, text: String)] = [
        ("osc-title", "\u{1B}]0;INJECTED-TITLE\u{07}"),
        ("osc-52-clipboard", "\u{1B}]52;c;SU5KRUNURUQ=\u{07}"),
        ("csi-8-bit", "\u{9B}2J"),
        ("cursor-report", "\u{1B}[6n"),
        ("clear-screen", "\u{1B}[2J\u{1B}[H"),
        ("carriage-return", "over\rwritten"),
        ("nul", "a\u{0}b"),
        ("del", "a\u{7F}b"),
        ("backspace", "ab\u{8}\u{8}"),
        ("bell", "ring\u{7}"),
        ("form-feed", "page\u{C}"),
        ("vertical-tab", "v\u{B}tab"),
        ("next-line-c1", "n\u{85}el"),
        ("line-separator", "l\u{2028}s"),
        ("right-to-left-override", "abc\u{202E}fed"),
        ("isolates", "\u{2066}x\u{2069}"),
        ("byte-order-mark", "b\u{FEFF}om"),
        ("line-break", "one\nforged: line"),
    ]

    /// Unusual but harmless text, which must come through whole.
    static let unicode: [(name: String, text: String)] = [
        ("emoji-skin-tone", "Thumbs 👍🏽"), ("flag", "Flag 🇺🇸"), ("zwj-family", "Family 👨‍👩‍👧"),
        ("devanagari", "नमस्ते"), ("hebrew", "שלום"), ("arabic", "مرحبا"), ("cjk", "日本語の体操"),
        ("combining", "Cafe\u{301}"), ("fullwidth", "ＡＢＣ"), ("thai", "สวัสดี"), ("vs16", "Heart ❤️"),
        ("soft-hyphen", "stretch\u{AD}ing"),
    ]

    // MARK: - The cases

    /// A content folder and what `check` must say about it.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var files: [String: String]
        /// Documents to print in each format and run in the plain modes: the folder loads.
        var ids: [String] = []
        /// The document the payload broke: `print` must refuse it, showing its diagnostics.
        var broken: String?
        /// `check`'s exit code: 0 when the folder is clean, 65 when it reports an error.
        var checkExit: Int32
        var testDescription: String { name }
    }

    static func yamlEscaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028
                || scalar.value == 0xFEFF || (0x202A...0x202E).contains(scalar.value)
                || (0x2066...0x2069).contains(scalar.value):
                result += String(format: "\\u%04X", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func drill(id: String, title: String = "Hip rocks", purpose: String = "Loosen the hips.",
                      step: String = "Rock gently.", caption: String = "Start") -> String {
        """
        ---
        kind: drill
        id: \(id)
        title: "\(yamlEscaped(title))"
        purpose: "\(yamlEscaped(purpose))"
        work: 5s
        ---
        # Steps
        1. \(step)

        # Figures
        ```figure \(caption)
         o
        /|\\
        ```

        # Safety
        Pain-free, controlled movement.

        """
    }

    static func session(heading: String = "Warm up", script: String = "Let's begin.") -> String {
        """
        ---
        kind: session
        id: visit
        title: Visit
        ---
        # \(heading)
        Some text.

        > [!script] Suggested script
        > \(script)

        [drill: rocks]

        """
    }

    static func deck(title: String = "Waiting room", slide: String = "Move gently.") -> String {
        """
        ---
        kind: deck
        id: room
        title: "\(yamlEscaped(title))"
        dwell: 5s
        ---
        # Your hips
        \(slide)

        """
    }

    static func routine() -> String {
        """
        ---
        kind: routine
        id: daily
        title: Daily
        safety: Use only pain-free, controlled movement.
        rest-between: 1s
        get-ready: 1s
        ---
        [drill: rocks]

        """
    }

    /// Every payload in every place content can hold text, and the harmless Unicode in the same places.
    static let contentCases: [Case] = {
        var cases: [Case] = []
        let allIDs = ["rocks", "visit", "room", "daily"]
        for (name, text) in payloads {
            // Through YAML's own escapes, which no raw-byte check sees: an error with its position.
            cases.append(Case(name: "\(name) in a drill title (YAML escape)",
                              files: ["rocks.md": drill(id: "rocks", title: "Hip \(text) rocks")], broken: "rocks",
                              checkExit: 65))
            cases.append(Case(name: "\(name) in a drill purpose (YAML escape)",
                              files: ["rocks.md": drill(id: "rocks", purpose: "Loosen \(text)")], broken: "rocks",
                              checkExit: 65))
            cases.append(Case(name: "\(name) in a deck title (YAML escape)",
                              files: ["room.md": deck(title: "Room \(text)")], broken: "room", checkExit: 65))
            guard !text.contains("\n") else { continue }  // a raw line break is just the next line
            cases.append(Case(name: "\(name) raw in a drill step",
                              files: ["rocks.md": drill(id: "rocks", step: "Rock \(text) gently.")], broken: "rocks",
                              checkExit: 65))
            cases.append(Case(name: "\(name) raw in a therapist script",
                              files: ["rocks.md": drill(id: "rocks"), "visit.md": session(script: "Say \(text) this.")],
                              broken: "visit", checkExit: 65))
            cases.append(Case(name: "\(name) raw in a slide",
                              files: ["room.md": deck(slide: "Slide \(text) text.")], broken: "room", checkExit: 65))
            // In a file name the text is only ever shown as a path; the file itself is fine.
            if !text.contains("\u{0}") {
                cases.append(Case(name: "\(name) in a file name",
                                  files: ["rocks \(text).md": drill(id: "rocks")], ids: ["rocks"], checkExit: 0))
            }
        }
        // The harmless Unicode in two folders, not one each: the width tests check every kind on its own, and
        // here each run costs a process.
        let halves = [Array(unicode.prefix(unicode.count / 2)), Array(unicode.dropFirst(unicode.count / 2))]
        for half in halves {
            let name = half.map(\.name).joined(separator: ", ")
            let text = half.map(\.text).joined(separator: " ")
            cases.append(Case(name: "\(name) everywhere",
                              files: ["rocks.md": drill(id: "rocks", title: "Rocks \(text)", purpose: "Purpose \(text)",
                                                        step: "Step \(text)."),
                                      "visit.md": session(heading: "Heading \(text)", script: "Script \(text)."),
                                      "room.md": deck(title: "Deck \(text)", slide: "Slide \(text)."),
                                      "daily.md": routine()],
                              ids: allIDs, checkExit: 0))
        }
        return cases
    }()

    // MARK: - Scanning

    /// Why `data` could not go to a terminal as it is, or nil when it could. A CSV export's records end in CR LF
    /// (RFC 4180): there, and only there, a CR right before a line feed is allowed.
    static func problem(in data: Data, csv: Bool = false) -> String? {
        guard let text = String(validating: data, as: UTF8.self) else { return "not valid UTF-8" }
        let scalars = Array(text.unicodeScalars)
        for (offset, scalar) in scalars.enumerated() {
            let value = scalar.value
            if csv, value == 0x0D, offset + 1 < scalars.count, scalars[offset + 1] == "\n" { continue }
            let control = (value < 0x20 && value != 0x0A && value != 0x09) || (0x7F...0x9F).contains(value)
            let invisible = [0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0xFEFF].contains(value)
                || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
            if control || invisible {
                return "U+\(String(value, radix: 16, uppercase: true)) at scalar \(offset)"
            }
        }
        return nil
    }

    /// Runs the program under the bounds, and checks it ended by itself and wrote nothing unsafe.
    @discardableResult
    static func runBounded(_ arguments: [String], environment: [String: String?] = [:], _ context: String,
                           sourceLocation: SourceLocation = #_sourceLocation) async throws -> RunResult {
        let result = try await BinaryRunner.run(arguments, environment: environment,
                                                launcher: ["/usr/bin/prlimit", "--cpu=2", "--data=104857600"],
                                                sourceLocation: sourceLocation)
        let note = Comment(rawValue: "\(context): \(result.summary)")
        #expect(!result.signalled, "ended by a signal (over 2 s of CPU or 100 MB?): \(note.rawValue)",
                sourceLocation: sourceLocation)
        if let problem = problem(in: result.stdoutData, csv: arguments.contains("--csv")) {
            Issue.record("standard output: \(problem)\n\(note.rawValue)", sourceLocation: sourceLocation)
        }
        if let problem = problem(in: result.stderrData) {
            Issue.record("standard error: \(problem)\n\(note.rawValue)", sourceLocation: sourceLocation)
        }
        return result
    }

    /// Every command on the case's folder.
    static func runEveryCommand(on folder: TemporaryFolder, _ hostile: Case) async throws {
        let (ids, name) = (hostile.ids, hostile.name)
        let content = ["--content", folder.path]
        let check = try await runBounded(["check"] + content, name)
        #expect(check.exitCode == hostile.checkExit, "check: \(check.summary)")
        // `list` on a folder whose one file is broken only says so, as `print` does below.
        if !ids.isEmpty { try await runBounded(["list"] + content, name) }
        for id in ids {
            for format in ["text", "markdown", "html"] {
                let printed = try await runBounded(["print", id, "--format", format] + content, "\(name), print \(id)")
                #expect(printed.exitCode == 0, "\(printed.summary)")
            }
        }
        // The broken document is asked for too: its diagnostics are printed with an excerpt of the bad line.
        if let broken = hostile.broken {
            let refused = try await runBounded(["print", broken] + content, "\(name), print \(broken) with errors")
            #expect(refused.exitCode == 65, "\(refused.summary)")
        }
        if ids.contains("visit") { try await runBounded(["session", "visit", "--plain"] + content, name) }
        if ids.contains("daily") {
            try await runBounded(["routine", "daily", "--plain", "--no-log"] + content, name)
        }
    }

    // MARK: - Tests

    @Test("hostile and unusual text in content: every command's output is clean", arguments: contentCases)
    func contentCase(_ hostile: Case) async throws {
        let folder = try TemporaryFolder(hostile.files.mapValues { .text($0) })
        defer { folder.remove() }
        try await Self.runEveryCommand(on: folder, hostile)
    }

    /// Arguments and environment values holding a payload: each command says what's wrong without echoing it raw.
    static let argumentCases: [(name: String, arguments: [String], environment: [String: String])] = {
        let escape = "x\u{1B}]0;INJECTED\u{07}\u{9B}2J\ny"
        return [
            ("print an unknown id", ["print", escape], [:]),
            ("session an unknown id", ["session", escape, "--plain"], [:]),
            ("routine an unknown id", ["routine", escape, "--plain"], [:]),
            ("--content a missing folder", ["list", "--content", "/nonexistent/\(escape)"], [:]),
            ("SESSION_GUIDE_CONTENT a missing folder", ["list"], ["SESSION_GUIDE_CONTENT": "/nonexistent/\(escape)"]),
            ("check a missing path", ["check", "/nonexistent/\(escape)"], [:]),
            ("kiosk --exit-key", ["kiosk", "--exit-key", escape], [:]),
            ("kiosk --hours", ["kiosk", "--hours", escape], [:]),
            ("history --days", ["history", "--days", escape], [:]),
            ("notes --days", ["notes", "--days", escape], [:]),
            ("session --share", ["session", "treatment-08", "--share", escape], [:]),
            ("follow a name", ["follow", escape], [:]),
            ("session --patient", ["session", "treatment-08", "--patient", escape, "--plain"], [:]),
            ("an unknown option", ["list", "--\(escape)"], [:]),
            ("an unknown command", [escape], [:]),
            ("print --width", ["print", "treatment-08", "--width", escape], [:]),
        ]
    }()

    @Test("hostile arguments and environment values are never echoed raw",
          arguments: argumentCases.map { $0.name })
    func argumentCase(_ name: String) async throws {
        let (_, arguments, environment) = Self.argumentCases.first { $0.name == name }!
        let result = try await Self.runBounded(arguments, environment: environment.mapValues { $0 }, name)
        #expect(result.exitCode != 0, "\(result.summary)")
    }

    /// A config file holding payloads: raw bytes, YAML escapes in each setting, an unknown key.
    static let configCases: [(name: String, yaml: String)] = [
        ("raw ESC", "theme: dark\u{1B}]0;INJECTED\u{07}\n"),
        ("raw NUL", "theme: da\u{0}rk\n"),
        ("theme escape", "theme: \"\\e]0;INJECTED\\a\"\n"),
        ("content escape", "content: \"/nowhere/\\e]0;INJECTED\\a\"\n"),
        ("unknown key escape", "\"\\e]0;INJECTED\\a\": yes\n"),
        ("line break in a value", "theme: \"dark\\nforged: line\"\n"),
        ("bidi in a value", "theme: \"\\u202Edark\"\n"),
    ]

    @Test("a hostile config file: `config` and `list` report it cleanly", arguments: configCases.map { $0.name })
    func configCase(_ name: String) async throws {
        let yaml = Self.configCases.first { $0.name == name }!.yaml
        let folder = try TemporaryFolder(["session-guide/config.yaml": .text(yaml)])
        defer { folder.remove() }
        let environment: [String: String?] = ["XDG_CONFIG_HOME": folder.path]
        try await Self.runBounded(["config"], environment: environment, "config, \(name)")
        try await Self.runBounded(["list"], environment: environment, "list, \(name)")
    }

    /// A history another program (an older version, a hand edit) wrote with a payload in every text column: each
    /// report and export prints it safely, and the exports still parse back to the same records.
    @Test("a history holding hostile text: every report and export is clean and still parses",
          arguments: payloads.map(\.name))
    func historyCase(_ name: String) async throws {
        let text = Self.payloads.first { $0.name == name }!.text
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let environment: [String: String?] = ["XDG_STATE_HOME": folder.path]
        let store = try HistoryStore(path: HistoryStore.defaultPath(environment: ["XDG_STATE_HOME": folder.path]))
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        try store.record(RoutineRun(routineID: "daily\(text)", routineTitle: "Daily \(text) routine", startedAt: start,
                                    seconds: 300, completed: true, painBefore: 4, painAfter: 2, drills: [
                                        DrillResult(position: 1, drillID: "rocks\(text)", drillTitle: "Rocks \(text)",
                                                    status: .done),
                                    ]))
        try store.record(SessionRecord(
            sessionID: "visit\(text)", sessionTitle: "Visit \(text)", patient: "AB\(text)", startedAt: start,
            endedAt: start.addingTimeInterval(600), seconds: 600, interrupted: false, drillSteps: 0, timersStarted: 0,
            timersCompleted: 0, steps: [SessionStepRecord(position: 1, title: "Step \(text)", seconds: 600)],
            notes: [SessionNoteRecord(stepPosition: 1, stepTitle: "Step \(text)", text: "Note \(text) end",
                                      writtenAt: start.addingTimeInterval(60))]))
        for arguments in [["history"], ["history", "--csv"], ["notes"], ["notes", "--csv"], ["notes", "--markdown"]] {
            let result = try await Self.runBounded(arguments, environment: environment, "\(name), \(arguments)")
            #expect(result.exitCode == 0, "\(result.summary)")
            if arguments.contains("--csv") {
                // A header and one record: nothing in the text forged another (records end in CR LF, and a line
                // break inside a quoted field is part of it).
                let records = result.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
                #expect(records.count == 2, "\(result.stdout.debugDescription)")
            }
        }
        // JSON keeps the exact words (as escapes): decoded, the text is what was recorded.
        let runs = try await Self.runBounded(["history", "--json"], environment: environment, name)
        let firstRun = (try JSONSerialization.jsonObject(with: runs.stdoutData) as? [[String: Any]])?.first
        // (SQLite hands text back up to a NUL: that much is the history's, not the export's.)
        func recorded(_ written: String) -> String { String(written.prefix { $0 != "\u{0}" }) }
        #expect(firstRun?["routine_title"] as? String == recorded("Daily \(text) routine"), "\(runs.stdout)")
        let notes = try await Self.runBounded(["notes", "--json"], environment: environment, name)
        let sessions = try JSONSerialization.jsonObject(with: notes.stdoutData) as? [[String: Any]]
        let firstNote = ((sessions?.first?["notes"]) as? [[String: Any]])?.first
        #expect(firstNote?["text"] as? String == recorded("Note \(text) end"), "\(notes.stdout)")
    }
}
