/// Text that is safe to write to a terminal, a log or an export: the only thing the program's outputs accept.
///
/// Built by string interpolation, the literal parts (written by us) are kept as they are and every interpolated
/// value is passed through ``TextSafety/sanitized(_:keepingLines:)`` as one line, so
/// `Console.error("'\(id)' is not a routine")` is safe whatever `id` holds, and a raw `String` does not compile
/// where `SafeText` is expected: a value that reaches an output without being made safe is a type error, not a
/// forgotten call.
public struct SafeText: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// The text, with nothing unsafe left in it.
    public let text: String

    public var description: String { text }

    /// One line of untrusted text: line breaks and tabs are shown as `^J` and `^I`, like any control.
    public init(line untrusted: some StringProtocol) {
        text = TextSafety.sanitized(untrusted, keepingLines: false)
    }

    /// Many lines of untrusted text (a whole document, a note): line feeds and tabs stay, every other control
    /// is shown visibly.
    public init(lines untrusted: some StringProtocol) {
        text = TextSafety.sanitized(untrusted, keepingLines: true)
    }

    public init(stringLiteral literal: String) {
        // A literal is ours; still cleaned, so a stray control in source code can't reach a terminal either.
        text = TextSafety.sanitized(literal, keepingLines: true)
    }

    public init(stringInterpolation: StringInterpolation) {
        text = stringInterpolation.text
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var text = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount * 8)
        }

        public mutating func appendLiteral(_ literal: String) {
            text += TextSafety.sanitized(literal, keepingLines: true)
        }

        /// Any value, as one line.
        public mutating func appendInterpolation(_ value: some CustomStringConvertible) {
            text += TextSafety.sanitized(value.description, keepingLines: false)
        }

        public mutating func appendInterpolation(_ value: String) {
            text += TextSafety.sanitized(value, keepingLines: false)
        }

        /// Text already made safe is kept as it is (its line breaks too).
        public mutating func appendInterpolation(_ safe: SafeText) {
            text += safe.text
        }

        /// Untrusted text whose line breaks are meant (a note, a rendered block).
        public mutating func appendInterpolation(lines value: some StringProtocol) {
            text += TextSafety.sanitized(value, keepingLines: true)
        }
    }

    public static func + (lhs: SafeText, rhs: SafeText) -> SafeText { SafeText(trusted: lhs.text + rhs.text) }

    /// Joins safe pieces; the separator is a literal.
    public static func joined(_ pieces: [SafeText], separator: String = "") -> SafeText {
        SafeText(trusted: pieces.map(\.text).joined(separator: TextSafety.sanitized(separator, keepingLines: true)))
    }

    /// For text that is already safe by construction (joining safe pieces); kept internal to this module so that
    /// nothing elsewhere can skip the cleaning.
    init(trusted: String) {
        text = trusted
    }
}

extension SafeText {
    /// CSV text (RFC 4180): its records end in CR LF, which stay, as do line feeds and tabs inside quoted
    /// fields; any other control, a lone CR included, is shown visibly like everywhere else.
    public init(csv: String) {
        text = TextSafety.replacingUnsafe(in: csv, keepingLines: true, keepingCRLF: true, with: TextSafety.visible)
    }

    /// JSON text (from `JSONEncoder`, which already escapes C0 controls, quotes and backslashes) with the
    /// remaining unsafe scalars, which can only stand inside its strings, written as `\u` escapes, so that the
    /// output is still the same JSON and carries no raw C1 control, DEL or bidi override.
    public init(json: String) {
        // JSONEncoder never leaves a raw control in a string; one outside a string is layout we don't write.
        // Both become an escape, valid inside a string; an escape outside one is caught by the tests that parse
        // every export back.
        text = TextSafety.replacingUnsafe(in: json, keepingLines: true, keepingCRLF: false) { scalar in
            let hex = String(scalar.value, radix: 16)
            return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
    }
}
