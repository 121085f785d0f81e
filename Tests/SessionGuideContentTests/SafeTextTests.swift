import Foundation
import Testing
@testable import SessionGuideContent

@Suite("Safe text: no control, bidi override or invisible formatting leaves the program raw")
struct SafeTextTests {
    /// Every scalar that must never be written as it is, and a few neighbours that must stay.
    static let unsafeScalars: [UInt32] = Array(0x00...0x1F) + Array(0x7F...0x9F)
        + [0x061C, 0x180E, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
           0x2066, 0x2067, 0x2068, 0x2069, 0x206A, 0x206F, 0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB]
    static let keptScalars: [UInt32] = [0x20, 0x7E, 0xA0, 0xAD, 0x200B, 0x200C, 0x200D, 0xFE0E, 0xFE0F, 0x1F3FD,
                                        0x0915, 0x094D, 0x05D0, 0x1F1FA]

    @Test("every unsafe scalar becomes visible ASCII in one-line text, each with its own stand-in")
    func unsafeScalarsBecomeVisible() {
        var standIns = Set<String>()
        for value in Self.unsafeScalars {
            let scalar = Unicode.Scalar(value)!
            #expect(TextSafety.isUnsafe(scalar), "U+\(String(value, radix: 16))")
            let safe = SafeText(line: "a\(String(scalar))b").text
            #expect(safe.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F },
                    "U+\(String(value, radix: 16)) → \(safe.debugDescription)")
            standIns.insert(safe)
        }
        #expect(standIns.count == Self.unsafeScalars.count, "two controls must not look the same")
    }

    @Test func familiarStandIns() {
        #expect(SafeText(line: "\u{1B}]0;T\u{07}").text == "^[]0;T^G")
        #expect(SafeText(line: "\u{7F}\u{00}").text == "^?^@")
        #expect(SafeText(line: "x\u{9B}2J").text == "x\\u{9b}2J")
        #expect(SafeText(line: "abc\u{202E}fed").text == "abc\\u{202e}fed")
        #expect(SafeText(line: "two\nlines\ttab").text == "two^Jlines^Itab")
        #expect(SafeText(lines: "two\nlines\ttab\r").text == "two\nlines\ttab^M")
    }

    @Test("text that needs no change is kept exactly, emoji sequences and Indic text included")
    func safeTextIsKept() {
        for value in Self.keptScalars {
            let scalar = Unicode.Scalar(value)!
            #expect(!TextSafety.isUnsafe(scalar), "U+\(String(value, radix: 16))")
        }
        for text in ["Cat–cow", "👨‍👩‍👧 family", "👍🏽", "🇺🇸", "नमस्ते", "שלום", "日本語", "e\u{301}", "soft\u{AD}hyphen"] {
            #expect(SafeText(line: text).text == text)
            #expect(!TextSafety.containsUnsafe(text))
        }
    }

    @Test("an interpolated value is cleaned as one line; the literal around it is kept; safe text is not cleaned twice")
    func interpolation() {
        let id = "x\u{1B}[6n\ny"
        let message: SafeText = "no document with id '\(id)'\n"
        #expect(message.text == "no document with id 'x^[[6n^Jy'\n")
        let nested: SafeText = "session-guide: \(message)"
        #expect(nested.text == "session-guide: no document with id 'x^[[6n^Jy'\n")
        let count = 3
        #expect(("\(count) files" as SafeText).text == "3 files")
        let note = "first line\nsecond\u{1B}"
        #expect(("note:\n\(lines: note)" as SafeText).text == "note:\nfirst line\nsecond^[")
        #expect(SafeText.joined(["a\u{7}", "b"].map { SafeText(line: $0) }, separator: "\n").text == "a^G\nb")
    }

    @Test("JSON keeps its meaning: unsafe scalars become \\u escapes that decode back to the same text")
    func jsonEscapes() throws {
        let original = ["title": "Drill \u{1B}]52;c;REVSSUxM\u{07} \u{9B}2J \u{202E}x\u{7F}", "note": "a\nb"]
        let encoded = String(decoding: try JSONEncoder().encode(original), as: UTF8.self)
        let safe = SafeText(json: encoded).text
        #expect(!safe.unicodeScalars.contains { TextSafety.isUnsafe($0) })
        let decoded = try JSONDecoder().decode([String: String].self, from: Data(safe.utf8))
        #expect(decoded == original)
    }

    @Test("CSV keeps its CR LF record ends and line breaks in quoted fields; a lone CR is shown")
    func csvKeepsRecordEnds() {
        let csv = "a,b\r\n\"x\ny\",\"c\rd\u{1B}\"\r\n"
        #expect(SafeText(csv: csv).text == "a,b\r\n\"x\ny\",\"c^Md^[\"\r\n")
        #expect(SafeText(csv: "plain\r\n").text == "plain\r\n")
    }

    @Test func firstUnsafeGivesItsColumn() {
        #expect(TextSafety.firstUnsafe(in: "Drill \u{1B}]0;T")?.column == 7)
        #expect(TextSafety.firstUnsafe(in: "Drill \u{1B}]0;T")?.scalar == "\u{1B}")
        #expect(TextSafety.firstUnsafe(in: "a\tb", keepingLines: true) == nil)
        #expect(TextSafety.describe("\u{1B}") == "ESC (U+001B)")
        #expect(TextSafety.describe("\u{202E}") == "bidi control (U+202E)")
    }
}
