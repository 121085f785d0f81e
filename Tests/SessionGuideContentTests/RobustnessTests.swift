import Foundation
import Testing
@testable import SessionGuideContent

/// Bad content of every shape ends in diagnostics, never a crash or a hang.
@Suite("Robustness against bad files")
struct RobustnessTests {
    /// A small deterministic generator, so a failure can be replayed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state
        }
    }

    @Test(arguments: 1...20)
    func randomBytes(seed: Int) {
        var generator = SeededGenerator(state: UInt64(seed))
        let bytes = (0..<4_096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let file = DocumentParser.parse(bytes: bytes, path: "random.bin")
        #expect(file.hasErrors)
        #expect(file.diagnostics.count <= DiagnosticSink.limitPerFile)
    }

    @Test(arguments: 1...10)
    func randomTextWithMarkdownCharacters(seed: Int) {
        var generator = SeededGenerator(state: UInt64(seed))
        let alphabet = Array("---\n#>*_[]:`!-+1. drill:kind:session\t\r→“”é")
        let text = "---\nkind: session\nid: s\ntitle: S\n---\n"
            + String((0..<3_000).map { _ in alphabet.randomElement(using: &generator)! })
        let file = DocumentParser.parse(text: text, path: "noise.md")
        #expect(file.diagnostics.count <= DiagnosticSink.limitPerFile)
    }

    /// Every prefix of a real file (a file cut anywhere, even inside a UTF-8 sequence) parses to a result.
    @Test func fileCutAnywhere() throws {
        let bytes = Array(try String(contentsOfFile: Support.contentFolder + "/sessions/treatment-08.md",
                                     encoding: .utf8).utf8)
        for length in 0..<bytes.count {
            let file = DocumentParser.parse(bytes: Array(bytes[0..<length]), path: "cut.md")
            #expect(file.document != nil || file.hasErrors, "cut at \(length)")
        }
    }

    @Test func oversizedFileIsRejectedWithoutParsing() {
        let bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 2 * 1024 * 1024)
        let file = DocumentParser.parse(bytes: bytes, path: "huge.md")
        #expect(file.diagnostics.map(\.description) == [
            "huge.md:1:1: error: file is 2 MiB; a content file may be at most 1 MiB",
        ])
    }

    @Test func veryLongLineInAnAllowedFile() {
        let text = "---\nkind: deck\nid: d\ntitle: D\n---\n# A\n" + String(repeating: "*ab_ ", count: 180_000)
        let file = DocumentParser.parse(text: text, path: "long.md")
        #expect(file.diagnostics.contains { $0.message.hasPrefix("line is longer than") })
    }

    @Test func deeplyNestedYAMLIsRefused() {
        let nested = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        let file = Support.parse("---\nkind: deck\nid: d\ntitle: \(nested)\n---\n# A\nx\n")
        #expect(file.hasErrors)
    }

    @Test func yamlAliasesAreNotExpanded() {
        let file = Support.parse("---\nkind: deck\nid: &a d\ntitle: *a\n---\n# A\nx\n")
        // An alias is read as its written value or refused; either way nothing blows up.
        #expect(file.document != nil || file.hasErrors)
    }
}
