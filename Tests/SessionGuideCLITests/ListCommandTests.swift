import Foundation
import Testing

@Suite("list")
struct ListCommandTests {
    /// The character offsets where each header word starts.
    static func columnStarts(of header: String, _ names: [String]) throws -> [Int] {
        let characters = Array(header)
        return try names.map { name in
            let range = try #require(header.range(of: name), "no \(name) in header: \(header)")
            let offset = header.distance(from: header.startIndex, to: range.lowerBound)
            #expect(offset == 0 || characters[offset - 1] == " ")
            return offset
        }
    }

    /// Checks that every row's cells start exactly under the header's words, with at least two spaces between.
    static func expectAligned(_ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let header = try #require(lines.first)
        let starts = try columnStarts(of: header, ["KIND", "ID", "TITLE", "LENGTH"])
        for row in lines.dropFirst() {
            let characters = Array(row)
            for start in starts.dropFirst() {
                let aligned = characters.count > start && characters[start] != " "
                    && characters[start - 1] == " " && characters[start - 2] == " "
                #expect(aligned, "row not aligned at column \(start + 1): \(row)", sourceLocation: sourceLocation)
            }
            #expect(row.last != " ", "trailing space in: \(row)", sourceLocation: sourceLocation)
        }
    }

    /// The cells of a row: the text between runs of two or more spaces.
    static func cells(_ row: String) -> [String] {
        row.split(separator: "  ", omittingEmptySubsequences: true)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    @Test("list prints an aligned table of the bundled content")
    func bundled() async throws {
        let result = try await BinaryRunner.run(["list"])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        #expect(result.stderr.isEmpty)
        let lines = result.stdoutLines
        let header = try #require(lines.first)
        #expect(Self.cells(header) == ["KIND", "ID", "TITLE", "LENGTH"])
        #expect(header.hasPrefix("KIND  "))
        try Self.expectAligned(lines)

        let row = try #require(lines.first { Self.cells($0).dropFirst().first == "treatment-08" },
                               Comment(rawValue: result.summary))
        #expect(Self.cells(row) == [
            "session", "treatment-08",
            "Treatment 8 – Hip–Lumbar Connection, Functional Movement & Integrating Mobility With Massage", "9 steps",
        ])
        // Sessions come first, then drills, routines and decks.
        let kinds = lines.dropFirst().map { Self.cells($0).first ?? "" }
        #expect(kinds.first == "session")
        let order = ["session", "drill", "routine", "deck"]
        #expect(kinds.map { order.firstIndex(of: $0) ?? 99 } == kinds.map { order.firstIndex(of: $0) ?? 99 }.sorted())
        #expect(lines.count == (try CheckCommandTests.bundledFileCount()) + 1)
        #expect(lines.contains { Self.cells($0) == ["drill", "cat-cow", "Cat-cow", "40 s"] })
    }

    @Test("list still lists the good documents when one file is broken, and exits 65")
    func brokenFile() async throws {
        let broken: FileContents = "---\nkind: deck\nid: broken-deck\ntitle: Broken\ndwell: 45\n---\n# Slide\nHi.\n"
        try await withTemporaryFolder(["cat-cow.md": .text(validCatCowDrill), "broken.md": broken]) { folder in
            let result = try await BinaryRunner.run(["list", "--content", folder.path])
            #expect(result.exitCode == 65, Comment(rawValue: result.summary))
            #expect(result.stdoutLines.count == 2, Comment(rawValue: result.summary))
            #expect(Self.cells(result.stdoutLines.first ?? "") == ["KIND", "ID", "TITLE", "LENGTH"])
            #expect(result.stdoutLines.contains { Self.cells($0) == ["drill", "cat-cow", "Cat-cow", "40 s"] },
                    Comment(rawValue: result.summary))
            #expect(!result.stdout.contains("broken-deck"))
            try Self.expectAligned(result.stdoutLines)
            #expect(result.stderrLines == [
                "session-guide: 1 file with errors left out (\(folder.path(of: "broken.md"))); "
                    + "run 'session-guide check' for details",
            ])
        }
    }

    @Test("list aligns wide and combining characters by display width")
    func wideTitles() async throws {
        func drill(_ id: String, _ title: String) -> FileContents {
            .text(validCatCowDrill.replacingOccurrences(of: "id: cat-cow", with: "id: \(id)")
                .replacingOccurrences(of: "title: Cat-cow", with: "title: \(title)"))
        }
        try await withTemporaryFolder([
            "a.md": drill("a", "Plain"), "b.md": drill("b", "股関節のストレッチ"), "c.md": drill("c", "Cafe\u{301} stretch"),
        ]) { folder in
            let result = try await BinaryRunner.run(["list", "--content", folder.path])
            #expect(result.exitCode == 0, Comment(rawValue: result.summary))
            // The LENGTH column starts at the same terminal column in every row: "股関節のストレッチ" is 9
            // characters but 18 cells wide, and "Café" written with a combining accent is 4 cells.
            let lengthColumn = try #require(result.stdoutLines.first?.range(of: "LENGTH")).lowerBound
            let header = try #require(result.stdoutLines.first)
            let headerCells = header.distance(from: header.startIndex, to: lengthColumn)
            #expect(headerCells == "KIND   ID  ".count + "股関節のストレッチ".count * 2 + 2)
            for row in result.stdoutLines.dropFirst() {
                let range = try #require(row.range(of: "40 s"), Comment(rawValue: row))
                let before = String(row[..<range.lowerBound])
                let cells = before.unicodeScalars.reduce(0) { width, scalar in
                    if scalar.properties.generalCategory == .nonspacingMark { return width }
                    return width + (scalar.properties.isIdeographic || (0x30A0...0x30FF).contains(scalar.value)
                        || (0x3040...0x309F).contains(scalar.value) ? 2 : 1)
                }
                #expect(cells == headerCells, "LENGTH not aligned in: \(row)")
            }
        }
    }

    @Test("list of an empty folder says so")
    func emptyFolder() async throws {
        try await withTemporaryFolder { folder in
            let result = try await BinaryRunner.run(["list", "--content", folder.path])
            #expect(result.exitCode == 0, Comment(rawValue: result.summary))
            #expect(result.stdoutLines == ["No documents in \(folder.path)."])
        }
    }
}
