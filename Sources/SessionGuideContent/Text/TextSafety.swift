/// Which characters must never reach a terminal, a log or an export as they are, and how they are shown instead.
///
/// Text comes from places the program does not control: content files (YAML escapes such as `"\e]0;T\a"` make any
/// byte), `config.yaml`, file names, arguments, the environment and a history file another version wrote. A C0 or
/// C1 control or DEL can start a terminal escape sequence (change the window title, write the clipboard with OSC
/// 52, make the terminal type into the program's input); a line break forges a row; a bidi override reorders what
/// the reader sees. Each of them is replaced by a visible, plain-ASCII stand-in: `^[` for ESC (caret notation, as
/// `cat -v` shows it), `^?` for DEL, `\u{9b}` for the rest. Every output goes through ``SafeText``, which applies
/// this; nothing else needs to remember to.
public enum TextSafety {
    /// True for a scalar that must not be written as it is: C0 controls (tab and line feed included: callers that
    /// keep line structure decide for themselves), DEL, C1 controls, bidi embeddings, overrides, isolates and
    /// marks, line and paragraph separators, the byte-order mark and the other invisible format characters that
    /// change how the rest of a line is read. Joiners (U+200C, U+200D), variation selectors, the soft hyphen and
    /// the zero-width space stay: emoji sequences, Indic conjuncts and line breaking need them.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        switch value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x180E, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0x206A...0x206F,
             0xFEFF, 0xFFF9...0xFFFB:
            return true
        default: return false
        }
    }

    /// The visible stand-in for an unsafe scalar: caret notation for C0 and DEL, `\u{…}` for the others.
    public static func visible(_ scalar: Unicode.Scalar) -> String {
        let value = scalar.value
        if value < 0x20 { return "^" + String(Unicode.Scalar(UInt8(value + 0x40))) }
        if value == 0x7F { return "^?" }
        return "\\u{" + String(value, radix: 16) + "}"
    }

    /// `text` with every unsafe scalar shown visibly. With `keepingLines`, line feeds and tabs stay (for a whole
    /// document or a multi-line note); without it they become `^J` and `^I`, so a one-line value stays one line.
    public static func sanitized(_ text: some StringProtocol, keepingLines: Bool = false) -> String {
        replacingUnsafe(in: text, keepingLines: keepingLines, keepingCRLF: false, with: visible)
    }

    /// The one walk every output kind shares: each unsafe scalar of `text` replaced by `standIn(scalar)`, except
    /// line feeds and tabs with `keepingLines`, and a CR right before a line feed with `keepingCRLF` (the record
    /// end of a CSV file).
    static func replacingUnsafe(in text: some StringProtocol, keepingLines: Bool, keepingCRLF: Bool,
                                with standIn: (Unicode.Scalar) -> String) -> String {
        guard containsUnsafe(text, keepingLines: keepingLines) else { return String(text) }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        var scalars = text.unicodeScalars.makeIterator()
        var next = scalars.next()
        while let scalar = next {
            next = scalars.next()
            let kept = (keepingLines && (scalar == "\n" || scalar == "\t"))
                || (keepingCRLF && scalar == "\r" && next == "\n")
            if isUnsafe(scalar), !kept {
                result += standIn(scalar)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether `text` holds anything ``sanitized(_:keepingLines:)`` would change. Checks bytes first: most text
    /// is printable ASCII, and in UTF-8 every unsafe scalar above DEL starts with a byte 0xC2 or above.
    public static func containsUnsafe(_ text: some StringProtocol, keepingLines: Bool = false) -> Bool {
        var mayHaveUnsafe = false
        for byte in text.utf8 {
            if byte < 0x20 {
                if keepingLines && (byte == 0x0A || byte == 0x09) { continue }
                return true
            }
            if byte == 0x7F { return true }
            if byte >= 0xC2 { mayHaveUnsafe = true; break }
        }
        guard mayHaveUnsafe else { return false }
        return text.unicodeScalars.contains { isUnsafe($0) && !(keepingLines && ($0 == "\n" || $0 == "\t")) }
    }

    /// The first unsafe scalar of `text` and its 1-based column (in scalars), for a diagnostic.
    public static func firstUnsafe(in text: some StringProtocol, keepingLines: Bool = false)
        -> (scalar: Unicode.Scalar, column: Int)? {
        var column = 0
        for scalar in text.unicodeScalars {
            column += 1
            if isUnsafe(scalar), !(keepingLines && (scalar == "\n" || scalar == "\t")) { return (scalar, column) }
        }
        return nil
    }

    /// How a diagnostic names an unsafe scalar: `ESC (U+001B)`, `line feed (U+000A)`, `U+202E`.
    public static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let name: String? = switch scalar.value {
        case 0x00: "NUL"
        case 0x07: "bell"
        case 0x08: "backspace"
        case 0x09: "tab"
        case 0x0A: "line feed"
        case 0x0C: "form feed"
        case 0x0D: "carriage return"
        case 0x1B: "ESC"
        case 0x7F: "DEL"
        case 0x9B: "CSI"
        case 0x202A...0x202E, 0x2066...0x2069: "bidi control"
        default: nil
        }
        return name.map { "\($0) (\(code))" } ?? code
    }
}
