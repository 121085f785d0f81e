import Testing
@testable import SessionGuideContent

/// The layout's width of every grapheme in the sample that scripts/generate-width-table.py writes (flags, skin
/// tones, ZWJ sequences, VS15/VS16, keycaps, Devanagari, the soft hyphen, a lone ZWJ, and both ends of every
/// range of the table) against the reference width the script computed with wcwidth.
struct GraphemeWidthTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        var kind: String
        var text: String
        var cells: Int
        var testDescription: String { "\(kind) \(text.unicodeScalars.map { String($0.value, radix: 16) })" }
    }

    static func samples() throws -> [Sample] {
        try Support.fixture("grapheme-widths.txt").split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let fields = line.split(separator: ";", omittingEmptySubsequences: false)
            let scalars = fields[1].split(separator: " ").compactMap { UInt32($0, radix: 16).flatMap(Unicode.Scalar.init) }
            let text = String(String.UnicodeScalarView(scalars))
            return Sample(kind: String(fields[0]), text: text, cells: try #require(Int(fields[2])))
        }
    }

    @Test func sampleCoversEveryClass() throws {
        let kinds = Set(try Self.samples().map(\.kind))
        #expect(kinds.isSuperset(of: ["flag", "skin-tone", "zwj", "vs15", "vs16", "keycap", "devanagari", "indic",
                                      "soft-hyphen", "table"]))
        #expect(try Self.samples().count > 2000)
    }

    @Test func everyGraphemeHasTheTableWidth() throws {
        var wrong: [String] = []
        for sample in try Self.samples() {
            // The layout measures whole graphemes (Grid cells are Characters): the sample must be one, except a
            // table edge that Swift, on an older Unicode than the table, splits in two.
            let measured = sample.text.count == 1 ? DisplayWidth.of(Character(sample.text)) : DisplayWidth.of(sample.text)
            if measured != sample.cells || (sample.kind != "table" && sample.text.count != 1) {
                wrong.append("\(sample.testDescription): \(measured) cells, \(sample.text.count) graphemes; table says \(sample.cells)")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong:\n\(wrong.prefix(40).joined(separator: "\n"))")
    }

    @Test func theIssuesExamples() {
        #expect(DisplayWidth.of("👍🏽") == 2)
        #expect(DisplayWidth.of("🇺🇸") == 2)
        #expect(DisplayWidth.of("नमस्ते") == 4)
        #expect(DisplayWidth.of("👨‍👩‍👧") == 2)
        #expect(DisplayWidth.of("a\u{200D}b") == 2)
        #expect(DisplayWidth.of(Character("\u{200D}")) == 0)
        #expect(DisplayWidth.of("❤️") == 2)
        #expect(DisplayWidth.of("⌚︎") == 2)
        #expect(DisplayWidth.of("a\u{AD}b") == 3)
        #expect(DisplayWidth.of("क्षि") == 3)
    }
}
