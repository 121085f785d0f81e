import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hostile and huge input: `check` must always end normally (exit 0 or 65), within the deadline, with a summary.
@Suite("robustness")
struct RobustnessTests {
    /// Runs `check` on `folder` and expects a normal end with a summary line; returns the result.
    @discardableResult
    static func checkEndsNormally(_ folder: TemporaryFolder, files: Int = 1, _ context: String = "",
                                  sourceLocation: SourceLocation = #_sourceLocation) async throws -> RunResult {
        let result = try await BinaryRunner.run(["check", folder.path],
                                                environment: BinaryRunner.colourfulEnvironment,
                                                sourceLocation: sourceLocation)
        let note = Comment(rawValue: (context.isEmpty ? "" : context + "\n") + result.summary)
        #expect(!result.signalled, note, sourceLocation: sourceLocation)
        #expect(result.exitCode == 0 || result.exitCode == 65, note, sourceLocation: sourceLocation)
        let summary = result.stdoutLines.last.flatMap(parseSummary)
        #expect(summary?.files == files, note, sourceLocation: sourceLocation)
        if let summary {
            #expect((summary.errors == 0) == (result.exitCode == 0), note, sourceLocation: sourceLocation)
        }
        #expect(!result.stdoutData.contains(0x1B), "escape byte in the output", sourceLocation: sourceLocation)
        return result
    }

    @Test("a random binary file", arguments: [1, 2, 3, 42] as [UInt64])
    func randomBinary(seed: UInt64) async throws {
        var generator = SeededGenerator(seed: seed)
        let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try await withTemporaryFolder(["random.md": .bytes(bytes)]) { folder in
            let result = try await Self.checkEndsNormally(folder)
            #expect(result.exitCode == 65)
            #expect(PrintedDiagnostic.all(in: result.stdout).first?.path == folder.path(of: "random.md"))
        }
    }

    @Test("random text-like bytes with the occasional control character", arguments: [7, 8, 9] as [UInt64])
    func randomTextLike(seed: UInt64) async throws {
        var generator = SeededGenerator(seed: seed)
        let alphabet = Array("---\nkind: drill\n# [drill: x]> [!script]`*_\\:é—→ \t\r\u{1B}\u{7F}".utf8)
        let bytes = (0..<3000).map { _ in alphabet.randomElement(using: &generator)! }
        try await withTemporaryFolder(["noise.md": .bytes(bytes)]) { folder in
            try await Self.checkEndsNormally(folder)
        }
    }

    @Test("a file with a single 2 MB line")
    func twoMegabyteLine() async throws {
        let bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 2 * 1024 * 1024)
        try await withTemporaryFolder(["huge.md": .bytes(bytes)]) { folder in
            let result = try await Self.checkEndsNormally(folder)
            #expect(result.exitCode == 65)
            #expect(result.stdoutLines.first
                == "\(folder.path(of: "huge.md")):1:1: error: file is 2 MiB; a content file may be at most 1 MiB")
        }
    }

    @Test("a 900 KB file with a 200,000-character line")
    func longLine() async throws {
        var text = "---\nkind: deck\nid: long\ntitle: Long\n---\n# Slide\n" + String(repeating: "y", count: 200_000)
            + "\n"
        let filler = "Some ordinary text in a paragraph that goes on for a while, with – and → in it.\n"
        while text.utf8.count < 900 * 1024 { text += filler }
        #expect(text.utf8.count < 1 << 20)
        try await withTemporaryFolder(["long.md": .text(text)]) { folder in
            let result = try await Self.checkEndsNormally(folder)
            #expect(result.exitCode == 65)
            // Reported at the first character past the limit of 10,000.
            #expect(result.stdoutLines.contains("\(folder.path(of: "long.md")):7:10001: error: line is longer "
                + "than 10000 characters; break it into shorter lines"), Comment(rawValue: result.summary))
            #expect(result.stdoutData.count < 10_000, "the excerpt is cut to a window, not the whole line")
        }
    }

    /// A valid drill with multi-byte characters, CRLF endings and a byte-order mark, so cuts land inside
    /// characters and between '\r' and '\n'.
    static let drillToCut: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("""
        ---
        kind: drill
        id: cut-drill
        title: “Cut” drill – hips → back
        purpose: Moves the hips; keeps the back steady.
        equipment: a mat
        hold: 1m 30s
        sets: 2
        rest: 15s
        per-side: yes
        ---
        # Steps
        1. Kneel with one foot forward — like a lunge.
        2. Shift your weight *slowly* forward.
           Keep your back **long**.

        # Cues
        - Breathe out as you move.

        # Safety
        Pain-free, controlled movement. Stop if it hurts.

        # Figure
        ```
          o
         /|\\
         / \\
        ```

        """.replacingOccurrences(of: "\n", with: "\r\n").utf8)

    @Test("a valid drill cut at every 7th byte")
    func truncatedDrill() async throws {
        let whole = Self.drillToCut
        try await withTemporaryFolder(["whole.md": .bytes(whole)]) { folder in
            let result = try await Self.checkEndsNormally(folder)
            #expect(result.exitCode == 0, "the uncut drill is valid")
        }
        var lengths = Array(stride(from: 0, to: whole.count, by: 7))
        lengths.append(whole.count - 1)
        // Run a few at a time; every run gets the usual deadline.
        for start in stride(from: 0, to: lengths.count, by: 4) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for length in lengths[start..<min(start + 4, lengths.count)] {
                    group.addTask {
                        let folder = try TemporaryFolder(["cut.md": .bytes(Array(whole.prefix(length)))])
                        defer { folder.remove() }
                        try await Self.checkEndsNormally(folder, "cut after \(length) of \(whole.count) bytes")
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test("a named pipe called *.md is reported, not opened")
    func namedPipe() async throws {
        // Opening a FIFO with no writer blocks forever, so the loader must refuse anything but a regular file.
        try await withTemporaryFolder(["cat-cow.md": .text(validCatCowDrill)]) { folder in
            #expect(mkfifo(folder.path(of: "pipe.md"), 0o600) == 0)
            // A hung open would run into the runner's deadline, which kills the run and fails the test.
            let result = try await BinaryRunner.run(["check", folder.path], deadline: .seconds(20))
            #expect(result.exitCode == 65, Comment(rawValue: result.summary))
            #expect(result.stdout.contains("pipe.md:1:1: error: can't read file: it is not a regular file"),
                    Comment(rawValue: result.summary))
        }
    }

    @Test("3,000 small valid drill files are all checked")
    func manyFiles() async throws {
        try await withTemporaryFolder { folder in
            for index in 0..<3000 {
                let id = String(format: "drill-%04d", index)
                try folder.write("group-\(index % 10)/\(id).md", .text("""
                    ---
                    kind: drill
                    id: \(id)
                    title: Drill \(index)
                    purpose: Keeps things moving.
                    work: 30s
                    ---
                    # Steps
                    1. Move.

                    # Safety
                    Pain-free, controlled movement.

                    """))
            }
            let result = try await BinaryRunner.run(["check", folder.path])
            #expect(result.exitCode == 0, Comment(rawValue: result.summary))
            #expect(result.stdoutLines == ["3000 files, 0 errors, 0 warnings"])
            // How fast is the benchmark's to measure (docs/benchmarks.md, content at scale), not a timed test's.
        }
    }
}
