import Foundation
import Testing
@testable import SessionGuideContent

/// Front matter and config files written to hurt: controls hidden in YAML escapes, aliases that expand without
/// end, nesting past any use. Each is refused at once, at the place to fix, in plain words.
@Suite("Hostile front matter and config files")
struct HostileInputTests {
    static func deck(_ frontMatter: String) -> String {
        "---\nkind: deck\nid: d\ntitle: D\n\(frontMatter)---\n# A\nx\n"
    }

    static func errors(_ text: String) -> [Diagnostic] {
        DocumentParser.parse(text: text, path: "bad.md").diagnostics.filter { $0.severity == .error }
    }

    struct Escape: Sendable, CustomTestStringConvertible {
        var written: String
        var named: String
        var testDescription: String { written }
    }

    @Test("a control written as a YAML escape is an error at the value", arguments: [
        Escape(written: #""Drill \e]0;T\a""#, named: "control character ESC (U+001B)"),
        Escape(written: #""\x9b2J""#, named: "control character CSI (U+009B)"),
        Escape(written: #""one\ntwo""#, named: "control character line feed (U+000A)"),
        Escape(written: #""one\rtwo""#, named: "control character carriage return (U+000D)"),
        Escape(written: #""a\0b""#, named: "control character NUL (U+0000)"),
        Escape(written: #""a\x7Fb""#, named: "control character DEL (U+007F)"),
        Escape(written: #""a\bb""#, named: "control character backspace (U+0008)"),
        Escape(written: #""a\tb""#, named: "control character tab (U+0009)"),
        Escape(written: #""abc\u202Edef""#, named: "bidi control (U+202E)"),
        Escape(written: #""\e[6n""#, named: "control character ESC (U+001B)"),
    ])
    func escapedControl(_ escape: Escape) {
        let errors = Self.errors(Self.deck("dwell: 5s\n").replacingOccurrences(of: "title: D", with: "title: \(escape.written)"))
        let message = "the value of 'title' contains \(escape.named), written as a YAML escape; control characters, "
            + "bidi controls and terminal escape sequences are not allowed in content"
        #expect(errors.contains { $0.message.hasPrefix(message) && $0.location.line == 4 && $0.location.column == 8 },
                "\(errors)")
    }

    @Test func escapedControlsInListsAndKeysToo() {
        let list = Self.errors("---\nkind: drill\nid: d\ntitle: D\nequipment: [mat, \"to\\ewel\"]\n---\n")
        #expect(list.contains { $0.message.hasPrefix("the value of 'equipment' contains control character ESC")
            && $0.location == SourceLocation(path: "bad.md", line: 5, column: 18) }, "\(list)")
        let key = Self.errors(Self.deck("\"ti\\etle\": x\n"))
        #expect(key.contains { $0.message.hasPrefix("a key contains control character ESC") && $0.location.line == 5 },
                "\(key)")
    }

    @Test func lineBreaksAreFineInABlockScalar() {
        let file = DocumentParser.parse(text: "---\nkind: session\nid: s\ntitle: S\ngoal: |\n  One line.\n  Two lines.\n---\n# A\nx\n",
                                        path: "ok.md")
        #expect(!file.hasErrors, "\(file.diagnostics)")
    }

    @Test func rawBidiOverrideIsAnError() {
        let errors = Self.errors(Self.deck("").replacingOccurrences(of: "title: D", with: "title: a\u{202E}b"))
        #expect(errors.contains { $0.message.hasPrefix("bidi control (U+202E) is not allowed in content")
            && $0.location.column == 9 }, "\(errors)")
    }

    /// Nine anchors, each a list aliasing the one before ten times, the last used as a key: 10⁹ nodes once expanded.
    static let billionLaughs: String = {
        var lines = ["a0: &a0 [\"lol\"]"]
        for level in 1...9 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ",") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test func billionLaughsIsRefusedAtTheFirstAlias() {
        let errors = Self.errors(Self.deck(Self.billionLaughs + "? *a9\n: x\n"))
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.message.hasPrefix("'*a0' is a YAML alias; anchors ('&') and aliases ('*') are not used")
            == true)
        #expect(errors.first?.location == SourceLocation(path: "bad.md", line: 6, column: 10))
    }

    @Test func anAliasAsAKeyIsNamedSo() {
        let errors = Self.errors(Self.deck("x: &a1 y\n? *a1\n: z\n"))
        #expect(errors.map(\.message).first?.hasPrefix("a YAML alias ('*a1') can't be used as a key") == true, "\(errors)")
        #expect(errors.first?.location == SourceLocation(path: "bad.md", line: 6, column: 3))
        let plainKey = Self.errors(Self.deck("x: &a1 y\n*a1 : z\n"))
        #expect(plainKey.first?.message.hasPrefix("a YAML alias ('*a1') can't be used as a key") == true, "\(plainKey)")
    }

    @Test("a '*' or '&' inside text is not an alias", arguments: [
        "title: 3 * 4 = 12", "title: Hips & back", "title: Move *slowly* forward", "title: \"*a1\"", "title: '&x'",
        "title: a*b", "title: see # *a1 in a comment", "title: Warm-up - *optional", "title: Why? *sigh",
        "title: Hips &back",
    ])
    func starInText(_ line: String) {
        let text = "---\nkind: deck\nid: d\n\(line)\n---\n# A\nx\n"
        #expect(!Self.errors(text).contains { $0.message.contains("alias") }, "\(Self.errors(text))")
    }

    @Test func deepNestingIsRefusedInPlainWords() {
        let flow = Self.errors(Self.deck("").replacingOccurrences(
            of: "title: D", with: "title: " + String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000)))
        #expect(flow.first?.message == YAMLGuard.nestingMessage, "\(flow)")
        #expect(flow.first?.location == SourceLocation(path: "bad.md", line: 4, column: 8 + YAMLGuard.maximumNesting - 1))
        var staircase = "a:\n"
        for depth in 1...40 { staircase += String(repeating: " ", count: depth) + "a\(depth):\n" }
        let block = Self.errors(Self.deck(staircase))
        #expect(block.first?.message == YAMLGuard.nestingMessage, "\(block)")
        #expect(!block.contains { $0.message.contains("yaml_set_max_nest_level") })
    }

    @Test func anOpenQuoteIsReportedWhereItOpens() {
        let errors = Self.errors("---\nkind: deck\nid: q\ntitle: \"Hello\ndwell: 5s\n---\n# S\nHi.\n")
        #expect(errors.first?.message == "a quoted value is not closed; add the closing quote at the end of the value")
        #expect(errors.first?.location == SourceLocation(path: "bad.md", line: 4, column: 8))
    }

    // MARK: - The config file

    @Test func configEscapesAndRawControlsAreReportedCleanly() {
        let (config, diagnostics) = ConfigFile.parse(bytes: Array("theme: mo\u{1B}no\ncolor: \"\\e]0;x\\a\"\nascii: yes\n".utf8),
                                                     path: "config.yaml")
        #expect(config.ascii?.value == true, "the rest of the file still counts")
        #expect(config.color == nil && config.theme == nil)
        let messages = diagnostics.map(\.description)
        #expect(messages.first == "config.yaml:1:10: error: control character ESC (U+001B) is not allowed in the "
            + "config file: control characters and terminal escape sequences could garble the screen", "\(messages)")
        #expect(messages.contains { $0.hasPrefix("config.yaml:2:8: error: the value of 'color' contains control "
            + "character ESC (U+001B), written as a YAML escape") }, "\(messages)")
        #expect(!messages.contains { $0.contains("reader") || $0.contains("can't be read") })
        let (_, nul) = ConfigFile.parse(bytes: Array("theme: \u{0}x\n".utf8), path: "config.yaml")
        #expect(nul.map(\.description).first == "config.yaml:1:8: error: control character NUL (U+0000) is not allowed in the "
            + "config file: control characters and terminal escape sequences could garble the screen")
    }

    @Test func configAliasesAndSizeAreBounded() {
        let (_, laughs) = ConfigFile.parse(Self.billionLaughs + "? *a9\n: x\n", path: "c")
        #expect(laughs.map(\.description).first?.hasPrefix("c:2:10: error: '*a0' is a YAML alias") == true, "\(laughs)")
        let (_, big) = ConfigFile.parse(bytes: Array(repeating: UInt8(ascii: "#"), count: ConfigFile.maximumBytes + 1),
                                        path: "c")
        #expect(big.map(\.message) == ["the config file is 64 KiB; it may be at most 64 KiB"])
    }

    // MARK: - Messages that used to mislead

    @Test func aHeadingIsReportedWithItsRealLevel() {
        let errors = Self.errors(Self.deck("").replacingOccurrences(of: "# A\nx\n", with: "# A\nx\n\n"
            + String(repeating: "#", count: 100) + " B\ny\n"))
        #expect(errors.map(\.message) == ["only '#' and '##' headings are used; this one has 100 '#': make it a '#' "
                                               + "heading, or bold text (**like this**)"])
        // Without a space after them, 30 '#' are text, as 3 are.
        let text = DocumentParser.parse(text: Self.deck("").replacingOccurrences(of: "x\n", with: "x\n"
            + String(repeating: "#", count: 30) + "B\n"), path: "w.md")
        #expect(!text.hasErrors, "\(text.diagnostics)")
    }

    @Test func aTabInAFigureWarnsAndKeepsItsColumns() {
        let text = "---\nkind: drill\nid: f\ntitle: F\npurpose: P\nwork: 30s\n---\n# Steps\n1. a\n\n# Safety\nPain-free, controlled movement.\n\n"
            + "# Figures\n```figure Start\n  o\to\n```\n"
        let file = DocumentParser.parse(text: text, path: "f.md")
        #expect(file.diagnostics.map(\.description) == [
            "f.md:16:4: warning: tab in a fenced block; it is drawn as spaces up to the next multiple of 8 columns: "
                + "use spaces, so that the drawing looks the same in every editor",
        ])
        guard case .drill(let drill)? = file.document else {
            Issue.record("no drill")
            return
        }
        #expect(drill.figures.first?.lines == ["o     o"])
    }
}
