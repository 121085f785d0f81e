import Foundation
import SessionGuideTestSupport
import Testing

// The clinic's shared record store on the real binary: a real PostgreSQL server on the loopback address, its
// own for each test (started and stopped by the test), named by the config file's `history:` setting.

/// A test's own state, home and config folders, with `history:` set to the server's URL.
fileprivate final class ClinicSandbox: Sendable {
    let folder: TemporaryFolder
    let server: PostgresTestServer
    let url: String

    init() throws {
        server = try PostgresTestServer.start()
        url = try server.freshDatabase()
        folder = try TemporaryFolder(["config/session-guide/config.yaml": .text("history: \(url)\n")])
        try FileManager.default.createDirectory(atPath: folder.path(of: "home"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.path(of: "state"), withIntermediateDirectories: true)
    }

    deinit {
        server.remove()
        folder.remove()
    }

    var database: String { String(URLComponents(string: url)?.path.dropFirst() ?? "") }
    var outbox: String { folder.path(of: "state") + "/session-guide/unsaved-records.jsonl" }
    var environment: [String: String?] {
        ["XDG_STATE_HOME": folder.path(of: "state"), "HOME": folder.path(of: "home"),
         "XDG_CONFIG_HOME": folder.path(of: "config"), "XDG_RUNTIME_DIR": nil, "PGPASSFILE": nil]
    }

    /// Rows of `table` on the server, read with psql (not through the program under test).
    func count(_ table: String) throws -> Int {
        Int(try server.psql(database, "SELECT count(*) FROM \(table)").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// The sessions as `notes --json` gives them (which must succeed).
    func sessions(sourceLocation: SourceLocation = #_sourceLocation) async throws -> [[String: Any]] {
        let result = try await BinaryRunner.run(["notes", "--json"], environment: environment,
                                                sourceLocation: sourceLocation)
        try #require(result.exitCode == 0, Comment(rawValue: result.summary), sourceLocation: sourceLocation)
        return try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]],
                            sourceLocation: sourceLocation)
    }
}

/// Waits (with a generous deadline) until `condition` holds.
fileprivate func waitUntil(_ what: String, _ condition: () throws -> Bool,
                           sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let deadline = ContinuousClock.now + .seconds(60)
    while ContinuousClock.now < deadline {
        if (try? condition()) == true { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("waited 60 s for \(what)", sourceLocation: sourceLocation)
}

@Suite("One record store for the clinic, on a PostgreSQL server")
struct SharedHistoryTests {
    @Test("the server stopped mid-session: the session ends normally, its record waits in the outbox, the next run sends it")
    func serverStoppedMidSession() async throws {
        let sandbox = try ClinicSandbox()
        try await withTmuxTerminal(["session", "treatment-08", "--patient", "AB"], environment: sandbox.environment) {
            terminal in
            try await terminal.waitFor("Step 1/9", "Simple Recap")
            // Saved as it happens: the open record is on the server before anything else is done.
            try await waitUntil("the open session on the server") { try sandbox.count("session_record") == 1 }
            sandbox.server.stop()
            try await terminal.press("w")
            try await terminal.waitFor("Esc cancel")
            try await terminal.type("Noted while the server was down")
            try await terminal.press("Enter")
            try await terminal.waitForAbsence(of: "Esc cancel")
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            let said = exit.screen.lines.joined(separator: "\n")
            #expect(said.contains("can't reach the history server"), "\(exit)")
            #expect(said.contains("kept in \(sandbox.outbox)"), "\(exit)")
        }
        // The closed record, with its note, is in the outbox.
        let outbox = try String(contentsOfFile: sandbox.outbox, encoding: .utf8)
        #expect(outbox.contains("Noted while the server was down"), "\(outbox)")
        #expect(outbox.contains("\"in_progress\":false"), "\(outbox)")

        try sandbox.server.restart()
        #expect(try sandbox.count("session_record") == 1, "still the open record from before the server stopped")
        try await withTmuxTerminal(["session", "treatment-08", "--patient", "CD"], environment: sandbox.environment) {
            terminal in
            try await terminal.waitFor("Step 1/9")
            try await terminal.press("q")
            let exit = try await terminal.waitForExit()
            #expect(exit.status == 0, "\(exit)")
            #expect(exit.screen.lines.joined(separator: "\n").contains("1 record that could not be saved earlier is now "
                + "in the history"), "\(exit)")
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.outbox), "the outbox is emptied once it is sent")
        // Two sessions were held and two are on the server: the first one updated in place under its key (closed,
        // with its note), not added a second time.
        #expect(try sandbox.count("session_record") == 2)
        let sessions = try await sandbox.sessions()
        #expect(sessions.count == 2)
        let first = sessions.first { $0["patient"] as? String == "AB" }
        let notes = (first?["notes"] as? [[String: Any]])?.compactMap { $0["text"] as? String }
        #expect(notes == ["Noted while the server was down"], "\(sessions)")
        #expect(first?["interrupted"] as? Bool == false, "\(sessions)")
    }

    @Test("PostgreSQL's client library is loaded only when the history is on a server, never for a file")
    func clientLibraryOnlyForAServer() async throws {
        let sandbox = try ClinicSandbox()
        /// Whether the session's process has libpq mapped once its open record is saved.
        func sessionLoadsLibPQ(history extra: [String], saved: @escaping () throws -> Bool) async throws -> Bool {
            var loaded = false
            try await withTmuxTerminal(["session", "treatment-08"] + extra, environment: sandbox.environment) {
                terminal in
                try await terminal.waitFor("Step 1/9")
                try await waitUntil("the open session saved", saved)
                // Read to the end: /proc files have no size, and a read by size stops short.
                let maps = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/\(try await terminal.programID())/maps"))
                    .readToEnd().map { String(decoding: $0, as: UTF8.self) } ?? ""
                loaded = maps.contains("/libpq.so")
                try await terminal.press("q")
                #expect(try await terminal.waitForExit().status == 0)
            }
            return loaded
        }
        let roomFile = sandbox.folder.path(of: "room.sqlite")
        #expect(try await !sessionLoadsLibPQ(history: ["--history", roomFile]) {
            FileManager.default.fileExists(atPath: roomFile)
        }, "a session keeping its history in a file loaded libpq")
        #expect(try await sessionLoadsLibPQ(history: []) { try sandbox.count("session_record") == 1 },
                "a session keeping its history on the server did not load libpq")
    }

    /// libpq hidden from the program: an empty file mounted over it, in a mount namespace of the program's own
    /// (so only as root, as CI runs).
    @Test("without PostgreSQL's client library on the machine, a server history says to install libpq5",
          .enabled(if: geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")))
    func withoutLibPQ() async throws {
        let library = try #require(["/usr/lib/x86_64-linux-gnu/libpq.so.5", "/usr/lib/aarch64-linux-gnu/libpq.so.5",
                                    "/usr/lib/libpq.so.5"].first { FileManager.default.fileExists(atPath: $0) },
                                   "libpq.so.5 is not where Debian puts it")
        let result = try await BinaryRunner.run(
            ["history", "--history", "postgres://clinic@127.0.0.1:9/records"],
            launcher: ["/usr/bin/unshare", "-m", "/bin/sh", "-c",
                       "mount --bind /dev/null \(library) && exec \"$0\" \"$@\""])
        #expect(result.exitCode == 74, Comment(rawValue: result.summary))
        #expect(result.stderr.contains("PostgreSQL's client library is not installed on this machine (Debian's "
            + "libpq5: apt-get install libpq5)"), Comment(rawValue: result.summary))
    }

    @Test("history import sends another machine's file to the server once, however often it is imported")
    func importIsIdempotent() async throws {
        let sandbox = try ClinicSandbox()
        // Room 3's own history file, made by a session there (no server involved: --history names a file).
        let roomFile = sandbox.folder.path(of: "room-3.sqlite")
        try await withTmuxTerminal(["session", "treatment-08", "--history", roomFile, "--patient", "EF"],
                                   environment: sandbox.environment) { terminal in
            try await terminal.waitFor("Step 1/9")
            try await terminal.press("q")
            #expect(try await terminal.waitForExit().status == 0)
        }
        let first = try await BinaryRunner.run(["history", "import", roomFile], environment: sandbox.environment)
        #expect(first.exitCode == 0, Comment(rawValue: first.summary))
        #expect(first.stdout.contains("Imported 1 record"), Comment(rawValue: first.summary))
        let again = try await BinaryRunner.run(["history", "import", roomFile], environment: sandbox.environment)
        #expect(again.exitCode == 0, Comment(rawValue: again.summary))
        #expect(again.stdout.contains("Imported 0 records") && again.stdout.contains("1 was already there"),
                Comment(rawValue: again.summary))
        // Nothing from the server on standard error: its notices (the tables "already exist, skipping" on this
        // second contact) would land over a full screen.
        #expect(again.stderr.isEmpty, Comment(rawValue: again.summary))
        #expect(try sandbox.count("session_record") == 1)
        let sessions = try await sandbox.sessions()
        #expect(sessions.map { $0["patient"] as? String } == ["EF"])
    }
}

@Suite("Where records are kept: the history setting")
struct HistorySettingTests {
    @Test("config shows the history: setting in force and its line; a relative path is the config folder's")
    func configShowsTheSetting() async throws {
        let folder = try TemporaryFolder(["config/session-guide/config.yaml": .text("theme: mono\nhistory: rooms/h.sqlite\n")])
        defer { folder.remove() }
        let environment: [String: String?] = ["XDG_CONFIG_HOME": folder.path(of: "config"),
                                              "XDG_STATE_HOME": folder.path(of: "state"), "HOME": folder.path(of: "home")]
        let shown = try await BinaryRunner.run(["config"], environment: environment)
        #expect(shown.exitCode == 0, Comment(rawValue: shown.summary))
        let row = shown.stdoutLines.first { $0.hasPrefix("history") } ?? ""
        #expect(row.contains(folder.path(of: "config") + "/session-guide/rooms/h.sqlite"), "\(row)")
        #expect(row.contains("config.yaml:2"), "\(row)")
        // A routine run on it lands in that file.
        let run = try await BinaryRunner.run(["routine", "daily-hip-back", "--plain", "--no-pain-check"],
                                             environment: environment)
        #expect(run.exitCode == 0, Comment(rawValue: run.summary))
        #expect(FileManager.default.fileExists(atPath: folder.path(of: "config") + "/session-guide/rooms/h.sqlite"))
    }

    @Test("a history URL that can't be used is refused before anything starts, saying why, and no password is shown")
    func aBadURLIsRefused() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let environment: [String: String?] = ["XDG_CONFIG_HOME": folder.path(of: "config"),
                                              "XDG_STATE_HOME": folder.path(of: "state"), "HOME": folder.path(of: "home")]
        let result = try await BinaryRunner.run(["routine", "daily-hip-back", "--plain", "--history",
                                                 "postgres://ab:hunter2@db/x?sslmode=maybe"], environment: environment)
        #expect(result.exitCode == 64, Comment(rawValue: result.summary))
        #expect(result.stderr.contains("sslmode=maybe is not one of disable, allow, prefer, require, verify-ca, verify-full"),
                Comment(rawValue: result.summary))
        #expect(!result.stderr.contains("hunter2"), Comment(rawValue: result.summary))
        #expect(!FileManager.default.fileExists(atPath: folder.path(of: "state") + "/session-guide"))
    }
}
