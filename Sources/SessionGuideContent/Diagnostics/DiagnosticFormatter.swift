/// Prints diagnostics as compilers do: `path:line:column: error: message`, then the source line with a caret
/// under the column. Colour is optional so the same text serves terminals and pipes.
public struct DiagnosticFormatter {
    public var useColor: Bool
    /// Returns the text of a line of a file (1-based), for the excerpt under each diagnostic.
    public var sourceLine: (String, Int) -> String?

    public init(useColor: Bool, sourceLine: @escaping (String, Int) -> String? = { _, _ in nil }) {
        self.useColor = useColor
        self.sourceLine = sourceLine
    }

    /// Safe text: the path and the message are made safe as one line each (a file name or a value may hold
    /// anything) and the excerpt shows controls visibly; the only escape sequences are the colours added here.
    public func format(_ diagnostic: Diagnostic) -> SafeText {
        let severityColor = diagnostic.severity == .error ? "\u{1B}[1;31m" : "\u{1B}[1;35m"
        var text = paint(SafeText(line: "\(diagnostic.location)").text + ":", "\u{1B}[1m") + " "
            + paint("\(diagnostic.severity.rawValue):", severityColor) + " "
            + paint(SafeText(line: diagnostic.message).text, "\u{1B}[1m")
        if let excerpt = excerpt(for: diagnostic) {
            text += "\n" + excerpt.line + "\n" + paint(excerpt.caret, "\u{1B}[1;32m")
        }
        return SafeText(trusted: text)
    }

    /// `N files, N errors, N warnings`.
    public func summary(files: Int, errors: Int, warnings: Int) -> SafeText {
        let text = "\(Self.countPhrase(files, "file")), \(Self.countPhrase(errors, "error")), \(Self.countPhrase(warnings, "warning"))"
        guard useColor else { return SafeText(trusted: text) }
        return SafeText(trusted: errors > 0 ? paint(text, "\u{1B}[1;31m") : paint(text, "\u{1B}[1;32m"))
    }

    public static func countPhrase(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    private func paint(_ text: String, _ code: String) -> String {
        useColor ? code + text + "\u{1B}[0m" : text
    }

    /// The source line, cleaned of anything a terminal would act on, cut to a readable window around the
    /// column, and a caret line pointing at the column.
    private func excerpt(for diagnostic: Diagnostic) -> (line: String, caret: String)? {
        guard let raw = sourceLine(diagnostic.location.path, diagnostic.location.line) else { return nil }
        let scalars = Array(raw.unicodeScalars.prefix(SourceDecoder.maximumLineLength + 1)).map { scalar in
            scalar == "\t" ? " " : scalar
        }
        let column = min(max(diagnostic.location.column - 1, 0), scalars.count)
        let window = 100
        let start = max(0, min(column - window / 2, scalars.count - window))
        let end = min(scalars.count, start + window)
        // Controls shown as `^[` or `\u{9b}`, and the caret moved past what they became.
        var line = TextSafety.sanitized(String(String.UnicodeScalarView(scalars[start..<end])))
        var caretOffset = DisplayWidth.of(TextSafety.sanitized(String(String.UnicodeScalarView(scalars[start..<column]))))
        if start > 0 { line = "…" + line; caretOffset += 1 }
        if end < scalars.count { line += "…" }
        guard !line.allSatisfy({ $0 == " " }) || column > 0 else { return nil }
        return ("  " + line, "  " + String(repeating: " ", count: caretOffset) + "^")
    }
}
