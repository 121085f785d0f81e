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
}
