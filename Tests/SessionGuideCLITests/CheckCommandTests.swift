import Foundation
import Testing

/// `N file(s), N error(s), N warning(s)`, read back into numbers.
func parseSummary(_ line: String) -> (files: Int, errors: Int, warnings: Int)? {
    let parts = line.split(separator: ", ", omittingEmptySubsequences: false)
    guard parts.count == 3 else { return nil }
    func count(_ part: Substring, _ noun: String) -> Int? {
        let words = part.split(separator: " ", omittingEmptySubsequences: false)
        guard words.count == 2, let number = Int(words[0]) else { return nil }
        return words[1] == (number == 1 ? noun : noun + "s") ? number : nil
    }
    guard let files = count(parts[0], "file"), let errors = count(parts[1], "error"),
          let warnings = count(parts[2], "warning")
    else { return nil }
    return (files, errors, warnings)
}

@Suite("check")
struct CheckCommandTests {
    /// How many content files the bundled folder holds, counted the way FORMAT.md describes.
    static func bundledFileCount() throws -> Int {
        let content = BinaryRunner.packageRoot.appendingPathComponent("Content")
        let enumerator = try #require(FileManager.default.enumerator(atPath: content.path))
        var count = 0
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasSuffix(".md"), !["README.md", "FORMAT.md"].contains(name), !name.hasPrefix(".") { count += 1 }
        }
        return count
    }

    @Test("bundled content checks clean from the package root")
    func bundledContentFromPackageRoot() async throws {
        let result = try await BinaryRunner.run(["check"], workingDirectory: BinaryRunner.packageRoot)
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        let last = try #require(result.stdoutLines.last, Comment(rawValue: result.summary))
        #expect(last.hasSuffix("0 errors, 0 warnings"))
        let summary = try #require(parseSummary(last), "last line is not a summary: \(last)")
        #expect(summary.files == (try Self.bundledFileCount()))
        #expect(summary.files >= 14)
        #expect(result.stdoutLines.count == 1, "a clean check prints only its summary")
        #expect(result.stderr.isEmpty)
    }

    @Test("bundled content is found from the program's location, whatever the working directory")
    func bundledContentFromElsewhere() async throws {
        try await withTemporaryFolder { folder in
            let result = try await BinaryRunner.run(["check"], workingDirectory: folder.url)
            #expect(result.exitCode == 0, Comment(rawValue: result.summary))
            let last = try #require(result.stdoutLines.last)
            let summary = try #require(parseSummary(last), "last line is not a summary: \(last)")
            #expect(summary.files == (try Self.bundledFileCount()))
            #expect(last.hasSuffix("0 errors, 0 warnings"))

            // The same folder, listed from elsewhere, holds the clinic's session.
            let list = try await BinaryRunner.run(["list"], workingDirectory: folder.url)
            #expect(list.exitCode == 0, Comment(rawValue: list.summary))
            #expect(list.stdout.contains("treatment-08"))
        }
    }

    @Test("an empty folder checks as 0 files")
    func emptyFolder() async throws {
        try await withTemporaryFolder { folder in
            let result = try await BinaryRunner.run(["check", folder.path])
            #expect(result.exitCode == 0, Comment(rawValue: result.summary))
            #expect(result.stdoutLines == ["0 files, 0 errors, 0 warnings"])
        }
    }

    @Test("README.md, FORMAT.md, hidden files and backups are not content")
    func skippedFiles() async throws {
        let junk: FileContents = "not content at all\n"
        try await withTemporaryFolder([
            "README.md": junk, "FORMAT.md": junk, ".hidden.md": junk, "draft.md~": junk, ".git/x.md": junk,
            "notes.txt": junk, "drills/cat-cow.md": .text(validCatCowDrill),
        ]) { folder in
            let result = try await BinaryRunner.run(["check", folder.path])
            #expect(result.exitCode == 0, Comment(rawValue: result.summary))
            #expect(result.stdoutLines == ["1 file, 0 errors, 0 warnings"])
        }
    }

    // MARK: - Malformed input, one file each

    @Test("a malformed file is reported as path:line:column: error: message", arguments: MalformedCase.all)
    func malformedFile(_ example: MalformedCase) async throws {
        var files = example.otherFiles
        files[example.fileName] = example.contents
        try await withTemporaryFolder(files) { folder in
            let result = try await BinaryRunner.run(["check", folder.path],
                                                    environment: BinaryRunner.colourfulEnvironment)
            #expect(result.exitCode == 65, Comment(rawValue: result.summary))

            let path = folder.path(of: example.fileName)
            let fragment = example.fragment.replacingOccurrences(of: "{folder}", with: folder.path)
            let errors = PrintedDiagnostic.all(in: result.stdout).filter { $0.severity == "error" }
            let found = try #require(
                errors.first { $0.path == path && $0.message.contains(fragment) },
                "no error containing \"\(fragment)\" for \(path)\n\(result.summary)")
            #expect(found.line == example.line, Comment(rawValue: "\(found)"))
            #expect(found.column == example.column, Comment(rawValue: "\(found)"))
            // The exact form editors jump to.
            let prefix = "\(path):\(example.line):\(example.column): error: "
            #expect(result.stdoutLines.contains { $0.hasPrefix(prefix) && $0.contains(fragment) })

            let summary = try #require(result.stdoutLines.last.flatMap(parseSummary),
                                       Comment(rawValue: result.summary))
            #expect(summary.files == files.count)
            #expect(summary.errors == errors.count)
            #expect(summary.errors >= 1)
            #expect(!result.stdoutData.contains(0x1B), "no escape codes when output is not a terminal")
        }
    }

    @Test("both files of a duplicate id name each other")
    func duplicateIDsNameEachOther() async throws {
        let second = validCatCowDrill.replacingOccurrences(of: "title: Cat-cow", with: "title: Cat-cow again")
        try await withTemporaryFolder(["a.md": .text(validCatCowDrill), "b.md": .text(second)]) { folder in
            let result = try await BinaryRunner.run(["check", folder.path])
            #expect(result.exitCode == 65, Comment(rawValue: result.summary))
            let a = folder.path(of: "a.md"), b = folder.path(of: "b.md")
            #expect(result.stdoutLines.contains(
                "\(a):3:5: error: duplicate id 'cat-cow'; it is used again by \(b):3:5"), Comment(rawValue: result.summary))
            #expect(result.stdoutLines.contains(
                "\(b):3:5: error: duplicate id 'cat-cow'; it is already used by \(a):3:5"), Comment(rawValue: result.summary))
            #expect(result.stdoutLines.last == "2 files, 2 errors, 0 warnings")
        }
    }

    @Test("check of single files rather than a folder")
    func checkSingleFiles() async throws {
        try await withTemporaryFolder([
            "good.md": .text(validCatCowDrill), "bad.md": "---\nkind: drill\n",
        ]) { folder in
            let good = try await BinaryRunner.run(["check", folder.path(of: "good.md")])
            #expect(good.exitCode == 0, Comment(rawValue: good.summary))
            #expect(good.stdoutLines == ["1 file, 0 errors, 0 warnings"])

            let both = try await BinaryRunner.run(["check", folder.path(of: "good.md"), folder.path(of: "bad.md")])
            #expect(both.exitCode == 65, Comment(rawValue: both.summary))
            #expect(both.stdoutLines.contains {
                $0.hasPrefix("\(folder.path(of: "bad.md")):1:1: error: front matter is not closed")
            })
            #expect(both.stdoutLines.last == "2 files, 1 error, 0 warnings")
        }
    }

    @Test("check of a path that doesn't exist exits 66")
    func checkMissingPath() async throws {
        try await withTemporaryFolder { folder in
            let missing = folder.path(of: "nope.md")
            let result = try await BinaryRunner.run(["check", missing])
            #expect(result.exitCode == 66, Comment(rawValue: result.summary))
            #expect(result.stderrLines == ["session-guide: no such file or folder: \(missing)"])
            #expect(result.stdout.isEmpty)
        }
    }

    // MARK: - Line endings, byte-order mark, tabs

    static let tabbedDrill = """
        ---
        kind:\tdrill
        id: crlf-drill
        title:\tTabbed drill
        purpose: Written on Windows, with tabs.
        work:\t45s
        rest: 15 s
        sets: 2
        ---
        # Steps
        1.\tKneel on the mat.
        \tKeep your back long.
        2. Rock back\tslowly.

        # Safety
        Pain-free,\tcontrolled movement.

        """

    static func crlf(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: "\r\n") }
    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    @Test("CRLF line endings, a byte-order mark and tabs are accepted")
    func crlfBOMAndTabsAccepted() async throws {
        let contents = FileContents.bytes(Self.bom + Array(Self.crlf(Self.tabbedDrill).utf8))
        try await withTemporaryFolder(["windows.md": contents]) { folder in
            let result = try await BinaryRunner.run(["check", folder.path])
            #expect(result.exitCode == 0, Comment(rawValue: result.summary))
            #expect(result.stdoutLines == ["1 file, 0 errors, 0 warnings"])

            // The title is read without a stray carriage return, and the timing without the tab.
            let list = try await BinaryRunner.run(["list", "--content", folder.path])
            #expect(list.exitCode == 0, Comment(rawValue: list.summary))
            let row = try #require(list.stdoutLines.first { $0.hasPrefix("drill ") }, Comment(rawValue: list.summary))
            #expect(row.contains("crlf-drill  Tabbed drill  "))
            #expect(!list.stdout.contains("\r"))
            #expect(!list.stdout.contains("\t"))
        }
    }

    @Test("positions are the same with LF, CRLF, and CRLF after a byte-order mark", arguments: [
        "LF", "CRLF", "BOM+CRLF",
    ])
    func positionsIgnoreLineEndings(_ variant: String) async throws {
        let broken = Self.tabbedDrill.replacingOccurrences(of: "work:\t45s", with: "work:\t45")
        let bytes: [UInt8] = switch variant {
        case "LF": Array(broken.utf8)
        case "CRLF": Array(Self.crlf(broken).utf8)
        default: Self.bom + Array(Self.crlf(broken).utf8)
        }
        try await withTemporaryFolder(["drill.md": .bytes(bytes)]) { folder in
            let result = try await BinaryRunner.run(["check", folder.path])
            #expect(result.exitCode == 65, Comment(rawValue: result.summary))
            // A tab is one character: `work:<tab>45` has its value at column 7.
            #expect(result.stdoutLines.first
                == "\(folder.path(of: "drill.md")):6:7: error: '45' has no unit; write '45s' or '45 min'",
                Comment(rawValue: result.summary))
            #expect(result.stdoutLines.last == "1 file, 1 error, 0 warnings")
        }
    }

    @Test("the source excerpt under a diagnostic shows the line and a caret at the column")
    func excerptAndCaret() async throws {
        let text = "---\nkind: deck\nid: x\ntitle: Café – x: y\n---\n# Slide\nHello.\n"
        try await withTemporaryFolder(["deck.md": .text(text)]) { folder in
            let result = try await BinaryRunner.run(["check", folder.path])
            #expect(result.exitCode == 65, Comment(rawValue: result.summary))
            // Columns count characters: the second ':' is the 16th character of the line.
            #expect(result.stdoutLines == [
                "\(folder.path(of: "deck.md")):4:16: error: front matter is not valid YAML: mapping values are not "
                    + "allowed in this context; put a value that contains ': ' in double quotes",
                "  title: Café – x: y",
                "                 ^",
                "1 file, 1 error, 0 warnings",
            ])
        }
    }

    @Test("invalid UTF-8 names the broken lead byte")
    func invalidUTF8NamesTheBadByte() async throws {
        // "naïve" saved as Latin-1: 0xEF starts a 3-byte sequence that the following 'v' (0x76) breaks; the
        // message names 0xEF, the byte to fix, not the plain 'v'.
        let bytes = Array("---\nkind: deck\nid: x\ntitle: X\n---\n# Slide\nCafé na".utf8) + [0xEF] + Array("ve.\n".utf8)
        try await withTemporaryFolder(["latin1.md": .bytes(bytes)]) { folder in
            let result = try await BinaryRunner.run(["check", folder.path])
            #expect(result.exitCode == 65, Comment(rawValue: result.summary))
            let first = try #require(result.stdoutLines.first)
            #expect(first.hasPrefix("\(folder.path(of: "latin1.md")):7:8: error: invalid UTF-8"))
            #expect(first.contains("(byte 0xEF)"), Comment(rawValue: first))
        }
    }

    @Test("the source excerpt is right for files with CRLF line endings")
    func excerptInCRLFFile() async throws {
        // In Swift "\r\n" is one Character, so an excerpt reader that split text on "\n" saw a CRLF file as a
        // single line; it must split bytes.
        let broken = Self.crlf(Self.tabbedDrill.replacingOccurrences(of: "work:\t45s", with: "work:\t45"))
        try await withTemporaryFolder(["drill.md": .text(broken), "front.md": .text(Self.crlf("kind: drill\nid: x\n"))]) { folder in
            let result = try await BinaryRunner.run(["check", folder.path])
            #expect(result.exitCode == 65, Comment(rawValue: result.summary))
            let lines = result.stdoutLines
            let drillLine = try #require(lines.firstIndex { $0.hasPrefix(folder.path(of: "drill.md") + ":6:7: error:") })
            let frontLine = try #require(lines.firstIndex { $0.hasPrefix(folder.path(of: "front.md") + ":1:1: error:") })
            #expect(lines.indices.contains(drillLine + 2) && lines[drillLine + 1] == "  work: 45"
                && lines[drillLine + 2] == "        ^", Comment(rawValue: result.summary))
            #expect(lines.indices.contains(frontLine + 1) && lines[frontLine + 1] == "  kind: drill",
                    Comment(rawValue: result.summary))
        }
    }
}

// MARK: - The malformed examples

struct MalformedCase: Sendable, CustomTestStringConvertible {
    var name: String
    var fileName = "doc.md"
    var contents: FileContents
    /// Files written beside it (a drill to refer to, say).
    var otherFiles: [String: FileContents] = [:]
    var line: Int
    var column: Int
    /// Part of the message; `{folder}` stands for the temporary folder's path.
    var fragment: String

    var testDescription: String { name }

    static func deck(_ frontMatter: String, body: String = "# Slide\nHello.\n") -> FileContents {
        .text("---\nkind: deck\nid: x\n\(frontMatter)---\n\(body)")
    }

    static func drill(timing: String) -> FileContents {
        .text("""
            ---
            kind: drill
            id: x
            title: X
            purpose: Moves the spine.
            \(timing)---
            # Steps
            1. Do it.

            # Safety
            Pain-free, controlled movement.

            """)
    }

    static func bytes(_ parts: [UInt8]...) -> FileContents { .bytes(parts.flatMap { $0 }) }
    static func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

    static let all: [MalformedCase] = [
        MalformedCase(name: "missing front matter", contents: "\n\nkind: drill\nid: x\ntitle: X\n",
                      line: 3, column: 1, fragment: "missing front matter; add a line '---' above the keys"),
        MalformedCase(name: "front matter not closed", contents: "---\nkind: drill\nid: x\ntitle: X\n# Steps\n",
                      line: 1, column: 1, fragment: "front matter is not closed; add a line '---' after the last key"),
        MalformedCase(name: "unknown key tilte", contents: deck("tilte: X\n"),
                      line: 4, column: 1, fragment: "unknown key 'tilte'; did you mean 'title'?"),
        MalformedCase(name: "missing title", contents: deck(""),
                      line: 1, column: 1, fragment: "missing key 'title'"),
        MalformedCase(name: "unknown kind sesion",
                      contents: "---\nkind: sesion\nid: x\ntitle: X\n---\n# Step\nHello.\n",
                      line: 2, column: 7, fragment: "unknown kind 'sesion'; did you mean 'session'?"),
        MalformedCase(name: "duration without a unit", contents: drill(timing: "work: 45\n"),
                      line: 6, column: 7, fragment: "'45' has no unit"),
        MalformedCase(name: "zero duration", contents: drill(timing: "work: 0s\n"),
                      line: 6, column: 7, fragment: "duration '0s' must be more than zero"),
        MalformedCase(name: "negative rest", contents: drill(timing: "reps: 10\nrest: -5s\n"),
                      line: 7, column: 7, fragment: "duration '-5s' must be more than zero"),
        MalformedCase(name: "drill with neither time nor reps", contents: drill(timing: "sets: 2\n"),
                      line: 1, column: 1, fragment: "drill has neither a time nor reps"),
        MalformedCase(name: "deck with no slides", contents: deck("title: X\n", body: ""),
                      line: 1, column: 1, fragment: "deck has no slides"),
        MalformedCase(name: "empty file", contents: "",
                      line: 1, column: 1, fragment: "file is empty"),
        MalformedCase(name: "only blank lines", contents: "\n  \n\t\n",
                      line: 1, column: 1, fragment: "file is empty"),
        // "Café naïve." saved as Latin-1 in one word: 0xEF is the 8th character of the line.
        MalformedCase(name: "invalid UTF-8 (Latin-1 ï)",
                      contents: bytes(utf8("---\nkind: deck\nid: x\ntitle: X\n---\n# Slide\nCafé na"), [0xEF],
                                      utf8("ve.\n")),
                      line: 7, column: 8, fragment: "invalid UTF-8"),
        MalformedCase(name: "invalid UTF-8 byte 0xFF after multi-byte characters",
                      contents: bytes(utf8("---\nkind: deck\nid: x\ntitle: X\n---\n# Slide\n“Hi” → "), [0xFF],
                                      utf8("\n")),
                      line: 7, column: 8, fragment: "invalid UTF-8 (byte 0xFF)"),
        MalformedCase(name: "NUL byte", contents: bytes(utf8("---\nkind: deck\nid: x\ntitle: X\n---\n# Slide\nab"),
                                                        [0x00], utf8("cd\n")),
                      line: 7, column: 3, fragment: "control character NUL (U+0000) is not allowed in content"),
        MalformedCase(name: "ESC in the title", contents: deck("title: Hi \u{1B}[31mred\n"),
                      line: 4, column: 11, fragment: "control character ESC (U+001B)"),
        MalformedCase(name: "ESC in a body line", contents: deck("title: X\n", body: "# Slide\n“Hi” \u{1B}[2J\n"),
                      line: 7, column: 6, fragment: "control character ESC (U+001B)"),
        MalformedCase(name: "YAML syntax error", contents: deck("title: Hip: the basics\n"),
                      line: 4, column: 11,
                      fragment: "front matter is not valid YAML: mapping values are not allowed in this context"),
        MalformedCase(name: "therapist script in a routine",
                      contents: .text("---\nkind: routine\nid: r\ntitle: R\nsafety: Pain-free.\n---\n"
                          + "[drill: cat-cow]\n\n> [!script] Say\n> Hello there.\n"),
                      otherFiles: ["cat-cow.md": .text(validCatCowDrill)],
                      line: 9, column: 1, fragment: "therapist scripts belong in sessions only; a routine"),
        MalformedCase(name: "therapist script in a deck",
                      contents: deck("title: X\n", body: "# Slide\nHi.\n\n> [!script]\n> Hello there.\n"),
                      line: 9, column: 1, fragment: "therapist scripts belong in sessions only; a deck"),
        MalformedCase(name: "unknown drill reference cat-cw",
                      contents: "---\nkind: session\nid: s\ntitle: S\n---\n# Warm up\n[drill: cat-cw]\n",
                      otherFiles: ["cat-cow.md": .text(validCatCowDrill)],
                      line: 7, column: 9, fragment: "unknown drill 'cat-cw'; did you mean 'cat-cow'?"),
        MalformedCase(name: "duplicate id across two files", fileName: "dup.md",
                      contents: .text(validCatCowDrill.replacingOccurrences(of: "title: Cat-cow",
                                                                            with: "title: Cat-cow 2")),
                      otherFiles: ["cat-cow.md": .text(validCatCowDrill)],
                      line: 3, column: 5,
                      fragment: "duplicate id 'cat-cow'; it is already used by {folder}/cat-cow.md:3:5"),
        MalformedCase(name: "unknown directive drll",
                      contents: "---\nkind: session\nid: s\ntitle: S\n---\n# Warm up\n[drll: cat-cow]\n",
                      otherFiles: ["cat-cow.md": .text(validCatCowDrill)],
                      line: 7, column: 2, fragment: "unknown '[drll: …]' line; did you mean 'drill'?"),
    ]
}
