import Foundation
import Testing

/// Where the content comes from: `--content`, `$SESSION_GUIDE_CONTENT`, or the bundled `Content/`.
@Suite("content folder")
struct ContentLocationTests {
    static func drill(id: String, title: String) -> FileContents {
        .text(validCatCowDrill.replacingOccurrences(of: "id: cat-cow", with: "id: \(id)")
            .replacingOccurrences(of: "title: Cat-cow", with: "title: \(title)"))
    }

    @Test("--content of a folder that doesn't exist exits 66 with a one-line message",
          arguments: [["check"], ["list"], ["print", "treatment-08"]])
    func missingContentFolder(command: [String]) async throws {
        let missing = "/nonexistent"
        #expect(!FileManager.default.fileExists(atPath: missing))
        let result = try await BinaryRunner.run(command + ["--content", missing])
        #expect(result.exitCode == 66, Comment(rawValue: result.summary))
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines == [
            "session-guide: content folder '/nonexistent' (from --content) does not exist or is not a folder",
        ])
    }

    @Test("--content of a file rather than a folder exits 66")
    func contentIsAFile() async throws {
        try await withTemporaryFolder(["cat-cow.md": .text(validCatCowDrill)]) { folder in
            let file = folder.path(of: "cat-cow.md")
            let result = try await BinaryRunner.run(["list", "--content", file])
            #expect(result.exitCode == 66, Comment(rawValue: result.summary))
            #expect(result.stderrLines == [
                "session-guide: content folder '\(file)' (from --content) does not exist or is not a folder",
            ])
        }
    }

    @Test("$SESSION_GUIDE_CONTENT is used when there is no --content")
    func environmentVariable() async throws {
        try await withTemporaryFolder(["env.md": Self.drill(id: "env-only-drill", title: "From the environment")]) {
            folder in
            let list = try await BinaryRunner.run(["list"], environment: ["SESSION_GUIDE_CONTENT": folder.path])
            #expect(list.exitCode == 0, Comment(rawValue: list.summary))
            #expect(list.stdout.contains("env-only-drill"))
            #expect(!list.stdout.contains("treatment-08"), "the bundled content was read instead")
            #expect(list.stdoutLines.count == 2)

            let check = try await BinaryRunner.run(["check"], environment: ["SESSION_GUIDE_CONTENT": folder.path])
            #expect(check.exitCode == 0, Comment(rawValue: check.summary))
            #expect(check.stdoutLines == ["1 file, 0 errors, 0 warnings"])

            let print = try await BinaryRunner.run(["print", "env-only-drill"],
                                                   environment: ["SESSION_GUIDE_CONTENT": folder.path])
            #expect(print.exitCode == 0, Comment(rawValue: print.summary))
            #expect(print.stdout.hasPrefix("From the environment\n"))
        }
    }

    @Test("--content wins over $SESSION_GUIDE_CONTENT")
    func optionWins() async throws {
        let fromEnvironment = try TemporaryFolder(["a.md": Self.drill(id: "env-drill", title: "Env")])
        defer { fromEnvironment.remove() }
        let fromOption = try TemporaryFolder(["b.md": Self.drill(id: "option-drill", title: "Option")])
        defer { fromOption.remove() }
        let result = try await BinaryRunner.run(["list", "--content", fromOption.path],
                                                environment: ["SESSION_GUIDE_CONTENT": fromEnvironment.path])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        #expect(result.stdout.contains("option-drill"))
        #expect(!result.stdout.contains("env-drill"))

        // Even when the variable names a folder that doesn't exist.
        let overridden = try await BinaryRunner.run(["list", "--content", fromOption.path],
                                                    environment: ["SESSION_GUIDE_CONTENT": "/nonexistent"])
        #expect(overridden.exitCode == 0, Comment(rawValue: overridden.summary))
        #expect(overridden.stdout.contains("option-drill"))
    }

    @Test("$SESSION_GUIDE_CONTENT naming a missing folder exits 66 and says where it came from")
    func environmentVariableMissing() async throws {
        let result = try await BinaryRunner.run(["list"], environment: ["SESSION_GUIDE_CONTENT": "/nonexistent"])
        #expect(result.exitCode == 66, Comment(rawValue: result.summary))
        #expect(result.stderrLines == [
            "session-guide: content folder '/nonexistent' (from $SESSION_GUIDE_CONTENT) does not exist or is not "
                + "a folder",
        ])
    }

    @Test("an empty $SESSION_GUIDE_CONTENT falls back to the bundled content")
    func emptyEnvironmentVariable() async throws {
        let result = try await BinaryRunner.run(["list"], environment: ["SESSION_GUIDE_CONTENT": ""])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        #expect(result.stdout.contains("treatment-08"))
    }

    @Test("relative --content paths are read from the working directory")
    func relativeContentPath() async throws {
        try await withTemporaryFolder(["sub/x.md": Self.drill(id: "relative-drill", title: "Relative")]) { folder in
            let result = try await BinaryRunner.run(["check", "--content", "sub"], workingDirectory: folder.url)
            #expect(result.exitCode == 0, Comment(rawValue: result.summary))
            #expect(result.stdoutLines == ["1 file, 0 errors, 0 warnings"])

            try folder.write("sub/bad.md", "---\nkind: drill\n")
            let bad = try await BinaryRunner.run(["check", "--content", "sub"], workingDirectory: folder.url)
            #expect(bad.exitCode == 65, Comment(rawValue: bad.summary))
            #expect(bad.stdoutLines.first?.hasPrefix("sub/bad.md:1:1: error: ") == true, Comment(rawValue: bad.summary))
        }
    }
}
