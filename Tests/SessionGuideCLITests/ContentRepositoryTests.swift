import Foundation
import Testing

// Content from one place, with real git: the clinic's content lives in a central repository whose pre-receive
// hook refuses content that doesn't pass `check --strict`; staff commit through the pre-commit hook; each
// machine pulls (fast-forward only), and a running kiosk takes the pulled deck up without a restart.

/// Runs git in `folder` with a private home and identity, so the tester's own git settings never count.
@discardableResult
private func git(_ arguments: [String], in folder: String, home: String,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    var environment = ProcessInfo.processInfo.environment
    environment["HOME"] = home
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    environment["GIT_AUTHOR_NAME"] = "Front Desk"
    environment["GIT_AUTHOR_EMAIL"] = "desk@clinic.example"
    environment["GIT_COMMITTER_NAME"] = "Front Desk"
    environment["GIT_COMMITTER_EMAIL"] = "desk@clinic.example"
    environment["SESSION_GUIDE"] = BinaryRunner.executable?.path ?? "session-guide"
    environment["NO_COLOR"] = "1"
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

private func deck(heading: String, id: String = "room") -> String {
    "---\nkind: deck\nid: \(id)\ntitle: Front desk\ndwell: 60s\n---\n# \(heading)\nPlease tell the front desk you are here.\n"
}

private let hooks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("scripts/content-hooks").path

@Suite("content from one git repository")
struct ContentRepositoryTests {
    @Test func hooksRefuseBrokenContentAndAMachinesKioskTakesUpAPulledDeck() async throws {
        try await withTemporaryFolder([:]) { folder in
            let home = folder.path(of: "home"), central = folder.path(of: "central.git")
            let desk = folder.path(of: "desk"), kioskBox = folder.path(of: "kiosk")
            for path in [home, desk] { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
            // The central repository, with the pre-receive hook.
            #expect(try git(["init", "--quiet", "--bare", "--initial-branch=main", central], in: folder.path, home: home).status == 0)
            try FileManager.default.copyItem(atPath: hooks + "/pre-receive", toPath: central + "/hooks/pre-receive")
            // The front desk's clone, with the pre-commit hook, and a first deck.
            try git(["init", "--quiet", "--initial-branch=main", desk], in: folder.path, home: home)
            try git(["remote", "add", "origin", central], in: desk, home: home)
            try FileManager.default.copyItem(atPath: hooks + "/pre-commit", toPath: desk + "/.git/hooks/pre-commit")
            try FileManager.default.createDirectory(atPath: desk + "/decks", withIntermediateDirectories: true)
            try Data(deck(heading: "Alpha welcome").utf8).write(to: URL(fileURLWithPath: desk + "/decks/room.md"))
            try git(["add", "."], in: desk, home: home)
            let first = try git(["commit", "--quiet", "-m", "The front desk's deck"], in: desk, home: home)
            #expect(first.status == 0, "\(first.output)")
            #expect(try git(["push", "--quiet", "origin", "main"], in: desk, home: home).status == 0)

            // A broken edit is refused at the commit, with check's words.
            try Data(deck(heading: "Broken", id: "Front Desk").utf8).write(to: URL(fileURLWithPath: desk + "/decks/room.md"))
            try git(["add", "."], in: desk, home: home)
            let refused = try git(["commit", "--quiet", "-m", "broken"], in: desk, home: home)
            #expect(refused.status != 0)
            #expect(refused.output.contains("decks/room.md:3:5: error: id 'Front Desk' must be lower-case letters"),
                    "\(refused.output)")
            #expect(refused.output.contains("commit refused"))
            #expect(try git(["rev-list", "--count", "HEAD"], in: desk, home: home).output.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
            // Committed past the hook, it is refused by the central repository.
            #expect(try git(["commit", "--quiet", "--no-verify", "-m", "broken anyway"], in: desk, home: home).status == 0)
            let pushed = try git(["push", "--quiet", "origin", "main"], in: desk, home: home)
            #expect(pushed.status != 0)
            #expect(pushed.output.contains("push to refs/heads/main refused"), "\(pushed.output)")
            try git(["reset", "--quiet", "--hard", "origin/main"], in: desk, home: home)

            // The waiting-room box: a clone of the central repository, and its kiosk running on it.
            #expect(try git(["clone", "--quiet", central, kioskBox], in: folder.path, home: home).status == 0)
            try await withTmuxTerminal(["kiosk", "--no-large", "--content", kioskBox, "--log", folder.path(of: "kiosk.log")]) { terminal in
                try await terminal.waitFor("Alpha welcome")
                // A good edit goes through both hooks and reaches the box with a pull.
                try Data(deck(heading: "Bravo welcome").utf8).write(to: URL(fileURLWithPath: desk + "/decks/room.md"))
                try git(["add", "."], in: desk, home: home)
                let good = try git(["commit", "--quiet", "-m", "A new welcome"], in: desk, home: home)
                #expect(good.status == 0, "\(good.output)")
                let delivered = try git(["push", "--quiet", "origin", "main"], in: desk, home: home)
                #expect(delivered.status == 0, "\(delivered.output)")
                #expect(try git(["pull", "--quiet", "--ff-only"], in: kioskBox, home: home).status == 0)
                try await terminal.advance(by: 100, until: "the pulled heading “Bravo welcome”") { screen in
                    screen.text.contains("Bravo welcome") && !screen.text.contains("Alpha welcome")
                }
            }
        }
    }
}
