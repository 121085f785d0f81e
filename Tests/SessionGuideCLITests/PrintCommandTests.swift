import Foundation
import SessionGuideContent
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("print")
struct PrintCommandTests {
    /// The clinic's own plan for treatment 8, kept with the content tests.
    static let planURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("SessionGuideContentTests/Fixtures/treatment-08-plan.txt")

    @Test("print treatment-08 --width 0 holds every line of the clinic's plan")
    func treatmentHoldsThePlan() async throws {
        let plan = try String(contentsOf: Self.planURL, encoding: .utf8)
        let planLines = plan.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        #expect(planLines.count > 30, "the plan fixture looks truncated")

        let result = try await BinaryRunner.run(["print", "treatment-08", "--width", "0"])
        #expect(result.exitCode == 0, Comment(rawValue: result.stderr))
        #expect(result.stderr.isEmpty)
        // Lines are not wrapped with --width 0, so each plan line is found whole (perhaps after a prefix such as
        // "Step 1 of 9: " or "  - ").
        let output = result.stdout
        for line in planLines {
            #expect(output.contains(line), "missing from the printed session: \(line)")
        }
        // In the plan's order, too.
        var searchFrom = output.startIndex
        for line in planLines {
            guard let range = output.range(of: line, range: searchFrom..<output.endIndex) else {
                Issue.record("out of order in the printed session: \(line)")
                break
            }
            searchFrom = range.upperBound
        }
        #expect(output.hasPrefix("Treatment 8 – Hip–Lumbar Connection"))
        #expect(output.contains("Step 1 of 9: Simple Recap"))
        #expect(output.contains("Session Goal: Explain how hip mobility"))
        #expect(!result.stdoutData.contains(0x1B))
    }

    static let bundledIDs = ["treatment-08", "cat-cow", "starter-5", "daily-hip-back", "waiting-room"]

    @Test("print wraps every line at --width 60", arguments: bundledIDs)
    func widthWraps(id: String) async throws {
        let wrapped = try await BinaryRunner.run(["print", id, "--width", "60"])
        #expect(wrapped.exitCode == 0, Comment(rawValue: wrapped.summary))
        let overlong = wrapped.stdoutLines.filter { $0.count > 60 }
        #expect(overlong.isEmpty, "lines over 60 characters: \(overlong)")

        let unwrapped = try await BinaryRunner.run(["print", id, "--width", "0"])
        #expect(unwrapped.exitCode == 0)
        #expect((unwrapped.stdoutLines.map(\.count).max() ?? 0) > 60, "--width 0 keeps long lines whole")
    }

    @Test("narrow widths hold for labels and indented lines", arguments: [20, 40])
    func narrowWidths(width: Int) async throws {
        let result = try await BinaryRunner.run(["print", "treatment-08", "--width", String(width)])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        let overlong = result.stdoutLines.filter { $0.count > width }
        // Script labels ("Suggested Therapist Script (for the therapist):", 47 characters) and indented lines
        // such as "    | “Did you notice any" must wrap too.
        #expect(overlong.isEmpty, "lines over \(width) characters: \(overlong)")
    }

    @Test("print treatment-08 --format markdown")
    func markdown() async throws {
        let result = try await BinaryRunner.run(["print", "treatment-08", "--format", "markdown"])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        #expect(result.stdoutLines.first?.hasPrefix("# Treatment 8") == true, Comment(rawValue: result.summary))
        #expect(result.stdout.contains("# Treatment 8 – Hip–Lumbar Connection"))
        #expect(result.stdout.contains("Simple Recap"))
        #expect(result.stderr.isEmpty)
    }

    @Test("print of every kind of document in the bundled content", arguments: [
        ("cat-cow", "Cat-cow"), ("starter-5", "Five-minute starter"), ("waiting-room", "Your hips and your low back"),
    ])
    func printEachKind(id: String, title: String) async throws {
        for format in ["text", "markdown"] {
            let result = try await BinaryRunner.run(["print", id, "--format", format])
            #expect(result.exitCode == 0, Comment(rawValue: result.summary))
            #expect(result.stdout.contains(title))
        }
    }

    @Test("print daily-hip-back --format html: one well-formed page with every drill's figures")
    func htmlHandout() async throws {
        let result = try await BinaryRunner.run(["print", "daily-hip-back", "--format", "html"])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(!result.stdout.contains("<script"))
        let page = try XMLDocument(xmlString: result.stdout, options: [])
        let drawn = try page.nodes(forXPath: "//article//figure/pre").map { $0.stringValue ?? "" }
        let captions = try page.nodes(forXPath: "//article//figcaption").map { $0.stringValue ?? "" }

        let library = try ContentLoader.load([BinaryRunner.packageRoot.appendingPathComponent("Content").path])
        guard case .routine(let routine)? = library.document(id: "daily-hip-back") else {
            Issue.record("daily-hip-back is not a routine")
            return
        }
        let figures = routine.drills.compactMap { library.resolve($0)?.drill.figures }.flatMap { $0 }
        #expect(figures.count == 16, "two figures for each of the eight drills")
        #expect(drawn == figures.map { $0.lines.joined(separator: "\n") })
        #expect(captions == figures.map(\.caption))
        // A figure with '<' and '>' in it comes out as text.
        #expect(result.stdout.contains("&lt;- -&gt;") == figures.contains { $0.lines.contains { $0.contains("<-") } })
    }

    @Test("--format html does the same for every kind of document, and --width does not change it",
          arguments: bundledIDs)
    func htmlEveryKind(id: String) async throws {
        let result = try await BinaryRunner.run(["print", id, "--format", "html"])
        #expect(result.exitCode == 0, Comment(rawValue: result.summary))
        _ = try XMLDocument(xmlString: result.stdout, options: [])
        let narrow = try await BinaryRunner.run(["print", id, "--format", "html", "--width", "20"])
        #expect(narrow.stdout == result.stdout)
    }

    @Test("an unknown --format is refused with the formats there are")
    func unknownFormat() async throws {
        let result = try await BinaryRunner.run(["print", "cat-cow", "--format", "pdf"])
        #expect(result.exitCode == 64, Comment(rawValue: result.summary))
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("'text', 'markdown' or 'html'"), Comment(rawValue: result.summary))
    }

    @Test("print of an unknown id exits 66 and suggests the nearest id")
    func unknownID() async throws {
        let result = try await BinaryRunner.run(["print", "treatment-8"])
        #expect(result.exitCode == 66, Comment(rawValue: result.summary))
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines == [
            "session-guide: no document with id 'treatment-8'; did you mean 'treatment-08'? (see 'session-guide list')",
        ])

        let far = try await BinaryRunner.run(["print", "zzzz-nothing"])
        #expect(far.exitCode == 66, Comment(rawValue: far.summary))
        #expect(far.stderrLines == ["session-guide: no document with id 'zzzz-nothing' (see 'session-guide list')"])
    }

    @Test("print of a document whose file has errors exits 65 and shows the errors")
    func documentWithErrors() async throws {
        let broken: FileContents = "---\nkind: deck\nid: broken-deck\ntitle: Broken\ndwell: 45\n---\n# Slide\nHi.\n"
        try await withTemporaryFolder(["broken.md": broken, "cat-cow.md": .text(validCatCowDrill)]) { folder in
            let result = try await BinaryRunner.run(["print", "broken-deck", "--content", folder.path],
                                                    environment: ["NO_COLOR": nil, "TERM": "xterm-256color"])
            #expect(result.exitCode == 65, Comment(rawValue: result.summary))
            #expect(result.stdout.isEmpty)
            let path = folder.path(of: "broken.md")
            #expect(result.stderrLines.contains("\(path):5:8: error: '45' has no unit; write '45s' or '45 min'"),
                    Comment(rawValue: result.summary))
            #expect(result.stderrLines.last
                == "session-guide: 'broken-deck' has errors in \(path); fix them and run 'session-guide check'")
            #expect(!result.stderrData.contains(0x1B))

            // The good document beside it still prints.
            let good = try await BinaryRunner.run(["print", "cat-cow", "--content", folder.path])
            #expect(good.exitCode == 0, Comment(rawValue: good.summary))
            #expect(good.stdout.hasPrefix("Cat-cow\n"))
        }
    }
}
