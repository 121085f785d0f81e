import Foundation
import Testing
@testable import SessionGuideContent

/// One malformed input and the diagnostic it must produce.
struct MalformedCase: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    var line: Int
    var column: Int
    var message: String
    var severity: Severity = .error

    var testDescription: String { name }
}

private let header = "---\nkind: drill\nid: d\ntitle: D\npurpose: P\n"
private let drillBody = "# Steps\n- a\n# Safety\nPain-free, controlled movement.\n"

let malformedCases: [MalformedCase] = [
    MalformedCase(name: "empty file", text: "", line: 1, column: 1, message: "file is empty"),
    MalformedCase(name: "only blank lines", text: "\n  \n", line: 1, column: 1, message: "file is empty"),
    MalformedCase(name: "missing front matter", text: "kind: drill\nid: d\n", line: 1, column: 1,
                  message: "missing front matter; add a line '---' above the keys"),
    MalformedCase(name: "heading instead of front matter", text: "# Title\ntext\n", line: 1, column: 1,
                  message: "missing front matter"),
    MalformedCase(name: "unclosed front matter", text: "\n---\nkind: drill\nid: d\n# Steps\n", line: 2,
                  column: 1, message: "front matter is not closed"),
    MalformedCase(name: "YAML syntax error", text: "---\nkind: drill\ntitle: a: b\n---\n", line: 3, column: 9,
                  message: "front matter is not valid YAML"),
    MalformedCase(name: "front matter that is not key-value", text: "---\n- a\n- b\n---\n", line: 2,
                  column: 1, message: "front matter must be 'key: value' lines"),
    MalformedCase(name: "key given twice", text: "---\nkind: drill\nkind: deck\n---\n", line: 3, column: 1,
                  message: "key 'kind' is given more than once"),
    MalformedCase(name: "missing kind", text: "---\nid: d\ntitle: D\n---\n", line: 1, column: 1,
                  message: "missing key 'kind' (one of session, drill, routine, deck)"),
    MalformedCase(name: "unknown kind", text: "---\nkind: sesion\nid: d\ntitle: D\n---\n", line: 2, column: 7,
                  message: "unknown kind 'sesion'; did you mean 'session'?"),
    MalformedCase(name: "missing id", text: "---\nkind: deck\ntitle: D\n---\n# S\ntext\n", line: 1, column: 1,
                  message: "missing key 'id'"),
    MalformedCase(name: "invalid id", text: "---\nkind: deck\nid: Cat Cow\ntitle: D\n---\n# S\ntext\n", line: 3,
                  column: 5, message: "id 'Cat Cow' must be lower-case letters, digits and hyphens (at most 64); did you mean 'cat-cow'?"),
    MalformedCase(name: "missing title", text: "---\nkind: deck\nid: d\n---\n# S\ntext\n", line: 1, column: 1,
                  message: "missing key 'title'"),
    MalformedCase(name: "empty title", text: "---\nkind: deck\nid: d\ntitle:\n---\n# S\ntext\n", line: 4,
                  column: 1, message: "'title' has no value"),
    MalformedCase(name: "unknown key with a suggestion", text: "---\nkind: deck\nid: d\ntitle: D\ntilte: x\n---\n# S\nt\n",
                  line: 5, column: 1, message: "unknown key 'tilte'; did you mean 'title'?"),
    MalformedCase(name: "key of another kind", text: "---\nkind: deck\nid: d\ntitle: D\nreps: 3\n---\n# S\nt\n",
                  line: 5, column: 1, message: "key 'reps' is used in a drill, not in a deck"),
    MalformedCase(name: "list where text belongs", text: "---\nkind: deck\nid: d\ntitle: [a, b]\n---\n# S\nt\n",
                  line: 4, column: 8, message: "'title' takes a single value, not a list"),
    MalformedCase(name: "duration without unit", text: header + "work: 45\n---\n" + drillBody, line: 6, column: 7,
                  message: "'45' has no unit; write '45s' or '45 min'"),
    MalformedCase(name: "zero duration", text: header + "work: 0s\n---\n" + drillBody, line: 6, column: 7,
                  message: "duration '0s' must be more than zero"),
    MalformedCase(name: "negative duration", text: header + "work: 30s\nsets: 2\nrest: -5s\n---\n" + drillBody,
                  line: 8, column: 7, message: "duration '-5s' must be more than zero"),
    MalformedCase(name: "unreadable duration", text: header + "hold: soon\n---\n" + drillBody, line: 6, column: 7,
                  message: "'soon' is not a duration"),
    MalformedCase(name: "zero sets", text: header + "work: 30s\nsets: 0\n---\n" + drillBody, line: 7, column: 7,
                  message: "'0' is not a whole number from 1 to 99"),
    MalformedCase(name: "drill with neither time nor reps", text: header + "---\n" + drillBody, line: 1, column: 1,
                  message: "drill has neither a time nor reps"),
    MalformedCase(name: "drill with both time and reps", text: header + "work: 30s\nreps: 5\n---\n" + drillBody,
                  line: 7, column: 1, message: "give only one of 'work', 'hold' and 'reps' (found work and reps)"),
    MalformedCase(name: "tempo without reps", text: header + "work: 30s\ntempo: 3s\n---\n" + drillBody, line: 7,
                  column: 1, message: "'tempo' is the time for one repetition and goes with 'reps'"),
    MalformedCase(name: "drill without steps", text: header + "work: 30s\n---\n# Safety\nCareful.\n", line: 1,
                  column: 1, message: "drill has no steps"),
    MalformedCase(name: "drill without safety", text: header + "work: 30s\n---\n# Steps\n- a\n", line: 1, column: 1,
                  message: "drill has no safety note"),
    MalformedCase(name: "unknown drill section", text: header + "work: 30s\n---\n" + drillBody + "# Cuse\n- x\n",
                  line: 12, column: 1, message: "unknown drill section 'Cuse'; did you mean 'Cues'?"),
    MalformedCase(name: "empty session", text: "---\nkind: session\nid: s\ntitle: S\n---\n", line: 1, column: 1,
                  message: "session has no steps"),
    MalformedCase(name: "text before the first heading", text: "---\nkind: session\nid: s\ntitle: S\n---\n\nIntro.\n# A\nb\n",
                  line: 7, column: 1, message: "text before the first heading belongs to no step"),
    MalformedCase(name: "deck with no slides", text: "---\nkind: deck\nid: d\ntitle: D\n---\n", line: 1, column: 1,
                  message: "deck has no slides"),
    MalformedCase(name: "routine with no drills", text: "---\nkind: routine\nid: r\ntitle: R\nsafety: Careful.\n---\nIntro.\n",
                  line: 1, column: 1, message: "routine has no drills"),
    MalformedCase(name: "routine without safety note", text: "---\nkind: routine\nid: r\ntitle: R\n---\n[drill: a]\n",
                  line: 1, column: 1, message: "missing key 'safety'"),
    MalformedCase(name: "script in a routine", text: "---\nkind: routine\nid: r\ntitle: R\nsafety: S\n---\n[drill: a]\n\n> [!script] Say\n> Hello\n",
                  line: 9, column: 1, message: "therapist scripts belong in sessions only"),
    MalformedCase(name: "script in a deck", text: "---\nkind: deck\nid: d\ntitle: D\n---\n# A\n  > [!script]\n  > Hi\n",
                  line: 7, column: 3, message: "therapist scripts belong in sessions only; a deck is shown to patients"),
    MalformedCase(name: "empty script", text: "---\nkind: session\nid: s\ntitle: S\n---\n# A\n> [!script] Label\n",
                  line: 7, column: 1, message: "therapist script has no text"),
    MalformedCase(name: "unknown callout", text: "---\nkind: session\nid: s\ntitle: S\n---\n# A\n> [!scirpt]\n> x\n",
                  line: 7, column: 3, message: "unknown block '[!scirpt]'; did you mean 'script'?"),
    MalformedCase(name: "drill in a deck", text: "---\nkind: deck\nid: d\ntitle: D\n---\n# A\n[drill: cat-cow]\n",
                  line: 7, column: 1, message: "drills can't be used here"),
    MalformedCase(name: "unknown directive", text: "---\nkind: session\nid: s\ntitle: S\n---\n# A\n[drll: cat-cow]\n",
                  line: 7, column: 2, message: "unknown '[drll: …]' line; did you mean 'drill'?"),
    MalformedCase(name: "unknown timing override", text: "---\nkind: session\nid: s\ntitle: S\n---\n# A\n[drill: a, wrok: 3s]\n",
                  line: 7, column: 12, message: "unknown timing key 'wrok'; did you mean 'work'?"),
    MalformedCase(name: "bad override value", text: "---\nkind: session\nid: s\ntitle: S\n---\n# A\n[drill: a, work: 0s]\n",
                  line: 7, column: 18, message: "duration '0s' must be more than zero"),
    MalformedCase(name: "unclosed directive", text: "---\nkind: session\nid: s\ntitle: S\n---\n# A\n[drill: a\n",
                  line: 7, column: 10, message: "a '[…]' line must end with ']'"),
    MalformedCase(name: "dwell outside a deck", text: "---\nkind: session\nid: s\ntitle: S\n---\n# A\n[dwell: 5s]\n",
                  line: 7, column: 1, message: "'[dwell: …]' sets a slide's time and is only used in decks"),
    MalformedCase(name: "heading level 3", text: "---\nkind: session\nid: s\ntitle: S\n---\n# A\n### B\nx\n",
                  line: 7, column: 1, message: "only '#' and '##' headings are used"),
    MalformedCase(name: "sub-heading before any heading", text: "---\nkind: session\nid: s\ntitle: S\n---\n## A\nx\n",
                  line: 6, column: 1, message: "'##' heading comes before any '#' heading"),
    MalformedCase(name: "unclosed fence", text: "---\nkind: session\nid: s\ntitle: S\n---\n# A\n```\nx\n",
                  line: 7, column: 1, message: "fenced block is not closed"),
    MalformedCase(name: "invalid UTF-8", text: "---\nkind: session\nid: s\ntitle: S\n---\n# A\nab\u{FFFF}PLACEHOLDER\n",
                  line: 7, column: 3, message: "invalid UTF-8 (byte 0xFF)"),
    MalformedCase(name: "NUL byte", text: "---\nkind: session\nid: s\ntitle: S\u{0}\n---\n", line: 4, column: 9,
                  message: "control character NUL (U+0000) is not allowed in content"),
    MalformedCase(name: "NUL bytes of a binary file", text: "---\nkind: session\nid: s\ntitle: S\u{0}\u{0}\u{0}\u{0}\u{0}\n---\n",
                  line: 4, column: 9, message: "NUL byte: this looks like a binary file"),
    MalformedCase(name: "escape sequence in a title", text: "---\nkind: deck\nid: d\ntitle: \u{1B}[2JD\n---\n# A\nx\n",
                  line: 4, column: 8, message: "control character ESC (U+001B) is not allowed in content: control characters and terminal escape sequences"),
    MalformedCase(name: "C1 control in the body", text: "---\nkind: deck\nid: d\ntitle: D\n---\n# A\nx\u{9B}y\n",
                  line: 7, column: 2, message: "control character CSI (U+009B)"),
    MalformedCase(name: "line too long", text: "---\nkind: deck\nid: d\ntitle: D\n---\n# A\n" + String(repeating: "x", count: 10_050) + "\n",
                  line: 7, column: 10_001, message: "line is longer than 10000 characters"),
    MalformedCase(name: "empty section warns", text: "---\nkind: session\nid: s\ntitle: S\n---\n# A\n# B\nx\n",
                  line: 6, column: 1, message: "section 'A' is empty", severity: .warning),
    MalformedCase(name: "missing space after #", text: "---\nkind: session\nid: s\ntitle: S\n---\n# A\n#Steps\n",
                  line: 7, column: 1, message: "put a space after '#' to make a heading ('# Steps')", severity: .warning),
]

@Suite("Diagnostics point at the problem")
struct DiagnosticTests {
    @Test("malformed input", arguments: malformedCases)
    func malformed(_ testCase: MalformedCase) {
        var bytes = Array(testCase.text.utf8)
        // Swift strings can't hold invalid UTF-8: the placeholder U+FFFF stands for a lone 0xFF byte.
        if let range = findPlaceholder(in: bytes) {
            bytes.replaceSubrange(range, with: [0xFF])
        }
        let file = DocumentParser.parse(bytes: bytes, path: "bad.md")
        let match = file.diagnostics.first { $0.message.contains(testCase.message) }
        #expect(match != nil, "expected '\(testCase.message)' in \(file.diagnostics.map(\.description))")
        if let match {
            #expect(match.location == SourceLocation(path: "bad.md", line: testCase.line, column: testCase.column),
                    "\(match)")
            #expect(match.severity == testCase.severity)
        }
        if testCase.severity == .error { #expect(file.document == nil) }
    }

    private func findPlaceholder(in bytes: [UInt8]) -> Range<Int>? {
        let marker = Array("\u{FFFF}PLACEHOLDER".utf8)
        guard bytes.count >= marker.count else { return nil }
        for start in 0...(bytes.count - marker.count) where Array(bytes[start..<start + marker.count]) == marker {
            return start..<start + marker.count
        }
        return nil
    }

    @Test func everyProblemInAFileIsReported() {
        let file = Support.parse("""
            ---
            kind: drill
            id: d
            tilte: D
            purpose: P
            work: 0s
            sets: none
            ---
            # Stesp
            - a
            """)
        let messages = file.diagnostics.map(\.message)
        #expect(messages.contains { $0.contains("unknown key 'tilte'") })
        #expect(messages.contains { $0.contains("missing key 'title'") })
        #expect(messages.contains { $0.contains("'0s' must be more than zero") })
        #expect(messages.contains { $0.contains("'none' is not a whole number") })
        #expect(messages.contains { $0.contains("unknown drill section 'Stesp'; did you mean 'Steps'?") })
        #expect(messages.contains { $0.contains("drill has no safety note") })
    }

    @Test func duplicateIDsNameBothFiles() {
        let library = Support.library(["a/one.md": Support.drillFile, "b/two.md": Support.drillFile])
        let messages = library.diagnostics.map(\.description)
        #expect(messages.contains("b/two.md:3:5: error: duplicate id 'cat-cow'; it is already used by a/one.md:3:5"))
        #expect(messages.contains("a/one.md:3:5: error: duplicate id 'cat-cow'; it is used again by b/two.md:3:5"))
        #expect(library.document(id: "cat-cow") == nil)
    }

    @Test func unknownDrillReferenceSuggestsTheNearest() {
        let library = Support.library([
            "cat-cow.md": Support.drillFile,
            "s.md": "---\nkind: session\nid: s\ntitle: S\n---\n# A\n[drill: cat-cw]\n",
        ])
        #expect(library.diagnostics.map(\.description) == [
            "s.md:7:9: error: unknown drill 'cat-cw'; did you mean 'cat-cow'?",
        ])
        #expect(library.document(id: "s") == nil)
        #expect(library.document(id: "cat-cow") != nil)
    }

    @Test func referenceToABrokenDrillSaysWhichFile() {
        let broken = Support.drillFile.replacingOccurrences(of: "reps: 10", with: "reps: ten")
        let library = Support.library([
            "cat-cow.md": broken,
            "s.md": "---\nkind: session\nid: s\ntitle: S\n---\n# A\n[drill: cat-cow]\n",
        ])
        #expect(library.diagnostics.map(\.description).contains(
            "s.md:7:9: error: drill 'cat-cow' can't be used until cat-cow.md is fixed"))
    }

    @Test func referenceToSomethingThatIsNotADrill() {
        let library = Support.library([
            "s.md": "---\nkind: session\nid: s\ntitle: S\n---\n# A\n[drill: s]\n",
        ])
        #expect(library.diagnostics.map(\.message) == ["unknown drill 's'; 's' is not a drill"])
    }

    @Test func tempoOverrideOnATimedDrill() {
        let timed = Support.drillFile.replacingOccurrences(of: "reps: 10\ntempo: 4s", with: "work: 30s")
        let library = Support.library([
            "cat-cow.md": timed,
            "s.md": "---\nkind: session\nid: s\ntitle: S\n---\n# A\n[drill: cat-cow, tempo: 2s]\n",
        ])
        #expect(library.diagnostics.map(\.message) == [
            "'tempo' goes with reps, but 'cat-cow' is timed here; give 'reps' too or leave out 'tempo'",
        ])
    }

    @Test func oneBrokenFileStopsAfterALimit() {
        let lines = (0..<500).map { _ in "[drll: x]" }.joined(separator: "\n")
        let file = Support.parse("---\nkind: session\nid: s\ntitle: S\n---\n# A\n" + lines)
        #expect(file.diagnostics.count == DiagnosticSink.limitPerFile)
        #expect(file.diagnostics.last?.message.contains("too many problems") == true)
    }

    @Test func formatterPrintsCompilerStyleWithExcerpt() {
        let diagnostic = Diagnostic.error("unknown key 'tilte'; did you mean 'title'?",
                                          at: SourceLocation(path: "a.md", line: 4, column: 1))
        let plain = DiagnosticFormatter(useColor: false) { _, _ in "tilte: Cat-cow" }
        #expect(plain.format(diagnostic) == """
            a.md:4:1: error: unknown key 'tilte'; did you mean 'title'?
              tilte: Cat-cow
              ^
            """)
        let colored = DiagnosticFormatter(useColor: true).format(diagnostic).text
        #expect(colored.contains("\u{1B}[1;31merror:"))
        #expect(plain.summary(files: 1, errors: 0, warnings: 2) == "1 file, 0 errors, 2 warnings")
    }

    @Test("the excerpt shows a control visibly, and the caret still points at the column after it")
    func excerptNeverCarriesControlCharacters() {
        let diagnostic = Diagnostic.error("x", at: SourceLocation(path: "a.md", line: 1, column: 4))
        let text = DiagnosticFormatter(useColor: false) { _, _ in "ab\u{1B}[2Jcd" }.format(diagnostic).text
        #expect(text == "a.md:1:4: error: x\n  ab^[[2Jcd\n      ^")
    }

    @Test("a path and a message holding controls (a file name, a value) are shown visibly, colours or not",
          arguments: [false, true])
    func pathAndMessageAreMadeSafe(useColor: Bool) {
        let diagnostic = Diagnostic.error("'\u{1B}]0;T\u{07}' is not a drill\nforged: error",
                                          at: SourceLocation(path: "dir/\u{9B}2J.md", line: 2, column: 1))
        let text = DiagnosticFormatter(useColor: useColor).format(diagnostic).text
        #expect(text.contains("dir/\\u{9b}2J.md:2:1:"))
        #expect(text.contains("'^[]0;T^G' is not a drill^Jforged: error"))
        let escapes = text.unicodeScalars.filter { $0 == "\u{1B}" }.count
        #expect(escapes == (useColor ? 6 : 0), "only the formatter's own colour codes")
        #expect(!text.unicodeScalars.contains { $0 == "\u{9B}" || $0 == "\u{07}" || $0 == "\n" })
    }
}
