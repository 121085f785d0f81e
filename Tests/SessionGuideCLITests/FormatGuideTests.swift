import Foundation
import Testing

// Content/FORMAT.md is what clinic staff copy from: every example file in it is checked here, so the guide can't
// go stale; and `session-guide new` writes files that check clean for every kind.

/// The examples of FORMAT.md: each fenced block after a `<!-- example: PATH -->` line, by path.
func formatGuideExamples() throws -> [(path: String, text: String)] {
    let guide = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Content/FORMAT.md")
    let lines = try String(contentsOf: guide, encoding: .utf8).components(separatedBy: "\n")
    var examples: [(String, String)] = []
    var index = 0
    while index < lines.count {
        let line = lines[index]
        index += 1
        guard line.hasPrefix("<!-- example: "), line.hasSuffix(" -->") else { continue }
        let path = String(line.dropFirst("<!-- example: ".count).dropLast(" -->".count))
        guard index < lines.count else { break }
        let fence = String(lines[index].prefix { $0 == "`" })
        index += 1
        var body: [String] = []
        while index < lines.count, lines[index] != fence {
            body.append(lines[index])
            index += 1
        }
        index += 1
        examples.append((path, body.joined(separator: "\n") + "\n"))
    }
    return examples
}

@Suite("FORMAT.md and session-guide new")
struct FormatGuideTests {
    @Test func everyExampleInTheGuideChecksCleanUnderStrict() async throws {
        let examples = try formatGuideExamples()
        #expect(Set(examples.map { $0.path.split(separator: "/").first.map(String.init) ?? "" })
            == ["drills", "routines", "decks", "sessions"], "one complete file per kind")
        var files: [String: FileContents] = [:]
        for example in examples { files[example.path] = .text(example.text) }
        try await withTemporaryFolder(files) { folder in
            let result = try await BinaryRunner.run(["check", "--strict", folder.path])
            #expect(result.exitCode == 0, Comment(rawValue: result.summary))
            #expect(result.stdoutLines.last == "\(examples.count) files, 0 errors, 0 warnings", Comment(rawValue: result.summary))
        }
    }

    @Test func newWritesAFileOfEachKindThatChecksClean() async throws {
        try await withTemporaryFolder([:]) { folder in
            let content = folder.path(of: "content")
            try FileManager.default.createDirectory(atPath: content, withIntermediateDirectories: true)
            // A routine or a session needs a drill to use first.
            let early = try await BinaryRunner.run(["new", "routine", "home", "--content", content])
            #expect(early.exitCode == 64)
            #expect(early.stderr.contains("make one first with 'session-guide new drill ID'"), Comment(rawValue: early.summary))
            for (kind, id) in [("drill", "side-bend"), ("routine", "home"), ("deck", "waiting"), ("session", "visit-1")] {
                let made = try await BinaryRunner.run(["new", kind, id, "--content", content])
                #expect(made.exitCode == 0, Comment(rawValue: made.summary))
                #expect(made.stdout == "Wrote \(content)/\(kind)s/\(id).md. Edit it, then run: session-guide check\n")
            }
            let title = try await BinaryRunner.run(["new", "drill", "hash", "--title", "#1: the best", "--content", content])
            #expect(title.exitCode == 0, Comment(rawValue: title.summary))
            let checked = try await BinaryRunner.run(["check", "--strict", "--content", content])
            #expect(checked.exitCode == 0, Comment(rawValue: checked.summary))
            #expect(checked.stdoutLines.last == "5 files, 0 errors, 0 warnings", Comment(rawValue: checked.summary))
            let listed = try await BinaryRunner.run(["list", "--content", content])
            #expect(listed.stdout.contains("Side bend") && listed.stdout.contains("#1: the best"), Comment(rawValue: listed.summary))
        }
    }

    @Test func newNeverOverwritesAndRefusesAnIdInUseOrABadOne() async throws {
        try await withTemporaryFolder(["content/drills/side-bend.md": .text("not even content")]) { folder in
            let content = folder.path(of: "content")
            let clash = try await BinaryRunner.run(["new", "drill", "side-bend", "--content", content])
            #expect(clash.exitCode == 64, Comment(rawValue: clash.summary))
            #expect(clash.stderr.contains("it already exists (nothing was changed)"), Comment(rawValue: clash.summary))
            #expect(try String(contentsOfFile: content + "/drills/side-bend.md", encoding: .utf8) == "not even content")
            _ = try await BinaryRunner.run(["new", "drill", "cat-cow", "--content", content])
            let inUse = try await BinaryRunner.run(["new", "deck", "cat-cow", "--content", content])
            #expect(inUse.exitCode == 64)
            #expect(inUse.stderr.contains("the id 'cat-cow' is already used by"), Comment(rawValue: inUse.summary))
            let bad = try await BinaryRunner.run(["new", "drill", "Side Bend", "--content", content])
            #expect(bad.exitCode == 64)
            #expect(bad.stderr.contains("the id must be small letters, digits and hyphens (at most 64); try 'side-bend'"),
                    Comment(rawValue: bad.summary))
        }
    }
}
