import Yams

/// The `key: value` lines between the two `---` lines at the top of a file, read with Yams' `compose` so every
/// value keeps its line and column, and kept as the text it was written as (no YAML 1.1 type guessing).
struct FrontMatter {
    enum Value {
        case text(String)
        case list([String])
        /// A nested mapping or other structure that no key of ours takes.
        case unsupported(String)
    }

    struct Entry {
        var key: String
        var value: Value
        var keyLine: Int
        var keyColumn: Int
        var valueLine: Int
        var valueColumn: Int
    }

    var entries: [Entry]
    /// Index into the file's lines of the first body line, after the closing `---`.
    var bodyStart: Int

    subscript(key: String) -> Entry? { entries.first { $0.key == key } }

    /// Finds and reads the front matter, or reports why it can't.
    static func read(_ lines: [SourceLine], sink: inout DiagnosticSink) -> FrontMatter? {
        guard let openIndex = lines.firstIndex(where: { !$0.isBlank }) else {
            sink.error("file is empty; a content file starts with front matter: '---', 'kind:', 'id:', "
                + "'title:' and '---'", line: 1, column: 1)
            return nil
        }
        let opening = lines[openIndex]
        guard isDelimiter(opening.text) else {
            let looksLikeKeys = opening.text.contains(":") && !opening.text.hasPrefix("#")
            let hint = looksLikeKeys
                ? "; add a line '---' above the keys and another below them"
                : "; a content file starts with '---', then 'kind:', 'id:' and 'title:', then '---'"
            sink.error("missing front matter\(hint)", line: opening.number, column: 1)
            return nil
        }
        guard let closeIndex = lines[(openIndex + 1)...].firstIndex(where: { isDelimiter($0.text) }) else {
            sink.error("front matter is not closed; add a line '---' after the last key", line: opening.number,
                       column: 1)
            return nil
        }
        let yamlLines = lines[(openIndex + 1)..<closeIndex]
        // YAML forbids tabs for indentation; one space per tab keeps every column where the author sees it.
        let yamlTexts = yamlLines.map { $0.text.replacingTabs() }
        let yaml = yamlTexts.joined(separator: "\n")
        let lineOffset = opening.number  // YAML line 1 is the line after the opening `---`
        var entries: [Entry] = []

        // Aliases and deep nesting are refused before Yams builds anything (see YAMLGuard).
        if let problem = YAMLGuard.check(yamlTexts) {
            sink.error(problem.message, line: lineOffset + problem.line, column: problem.column)
            return nil
        }

        let root: Node?
        do {
            // `.basic` resolves no implicit types: every value stays the string it was written as, and no
            // regular expression runs per scalar. Naming the encoding spares Yams a read of the whole
            // environment on every call (both showed up as the largest costs in a profile).
            root = try Yams.compose(yaml: yaml, .basic, .default, .utf8)
        } catch let error as YamlError {
            reportYAMLError(error, lines: yamlLines, lineOffset: lineOffset, sink: &sink)
            return nil
        } catch {
            sink.error("front matter can't be read: \(error)", line: opening.number, column: 1)
            return nil
        }

        switch root {
        case nil:
            break  // empty front matter: the missing keys are reported by the caller
        case .mapping(let mapping)?:
            for (keyNode, valueNode) in mapping {
                let keyMark = keyNode.mark.map { (lineOffset + $0.line, $0.column) } ?? (opening.number, 1)
                guard case .scalar(let keyScalar) = keyNode else {
                    sink.error("a key must be a plain word such as 'title'", line: keyMark.0, column: keyMark.1)
                    continue
                }
                let valueMark = valueNode.mark.map { (lineOffset + $0.line, $0.column) } ?? keyMark
                reportControls(in: keyNode, lineOffset: lineOffset, fallback: keyMark, sink: &sink)
                reportControls(in: valueNode, lineOffset: lineOffset, fallback: valueMark, key: keyScalar.string,
                               sink: &sink)
                entries.append(Entry(key: keyScalar.string, value: value(of: valueNode), keyLine: keyMark.0,
                                     keyColumn: keyMark.1, valueLine: valueMark.0, valueColumn: valueMark.1))
            }
        case let other?:
            let mark = other.mark.map { (lineOffset + $0.line, $0.column) } ?? (opening.number + 1, 1)
            sink.error("front matter must be 'key: value' lines, such as 'title: Cat-cow'", line: mark.0,
                       column: mark.1)
        }
        return FrontMatter(entries: entries, bodyStart: closeIndex + 1)
    }

    private static func isDelimiter(_ text: String) -> Bool {
        text.trimmingSpaces() == "---"
    }

    private static func value(of node: Node) -> Value {
        switch node {
        case .scalar(let scalar):
            return .text(scalar.string)
        case .sequence(let sequence):
            var items: [String] = []
            for item in sequence {
                guard case .scalar(let scalar) = item else { return .unsupported("a nested list") }
                items.append(scalar.string)
            }
            return .list(items)
        case .mapping:
            return .unsupported("a group of keys")
        case .alias:
            return .unsupported("a YAML alias")
        }
    }

    /// Reports a control character, bidi control or other unsafe character in any scalar of `node`: raw ones
    /// were already reported line by line, so what is left here was written with a YAML escape (`"\e]0;T\a"`,
    /// `"\x9b"`, `"\n"`), which a text editor doesn't show. A line feed or tab is fine only in a block scalar
    /// (`|` or `>`), the YAML way of writing several lines.
    static func reportControls(in node: Node, lineOffset: Int, fallback: (Int, Int), key: String? = nil,
                               what: String = "content", sink: inout DiagnosticSink) {
        let mark = node.mark.map { (lineOffset + $0.line, $0.column) } ?? fallback
        switch node {
        case .scalar(let scalar):
            let multiLine = scalar.style == .literal || scalar.style == .folded
            guard let (unsafe, _) = TextSafety.firstUnsafe(in: scalar.string, keepingLines: multiLine) else { return }
            // A raw control was reported on its line already and replaced by U+FFFD: what is found here was
            // written as an escape.
            let subject = key.map { "the value of '\($0)'" } ?? "a key"
            sink.error("\(subject) contains \(SourceDecoder.describe(unsafe, inLine: false)), written as a YAML escape; control "
                + "characters, bidi controls and terminal escape sequences are not allowed in \(what)"
                + (unsafe == "\n" || unsafe == "\t" ? " (write a value of several lines after '|')" : ""),
                line: mark.0, column: mark.1)
        case .sequence(let sequence):
            for item in sequence {
                reportControls(in: item, lineOffset: lineOffset, fallback: mark, key: key, what: what, sink: &sink)
            }
        case .mapping(let mapping):
            for (itemKey, itemValue) in mapping {
                reportControls(in: itemKey, lineOffset: lineOffset, fallback: mark, what: what, sink: &sink)
                reportControls(in: itemValue, lineOffset: lineOffset, fallback: mark, key: key, what: what,
                               sink: &sink)
            }
        case .alias:
            break
        }
    }

    private static func reportYAMLError(_ error: YamlError, lines: ArraySlice<SourceLine>, lineOffset: Int,
                                        sink: inout DiagnosticSink) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            // A quote left open runs to the end of the front matter; the place to fix is where it opens.
            if let context, context.text.contains("quoted scalar"), problem.contains("end of stream") {
                sink.error("a quoted value is not closed; add the closing quote at the end of the value",
                           line: lineOffset + context.mark.line, column: context.mark.column)
                return
            }
            var message = "front matter is not valid YAML: \(YAMLGuard.plainProblem(problem))"
            if let context, !problem.contains("Maximum nesting level") { message += " (\(context.text))" }
            if problem.contains("mapping values are not allowed") {
                message += "; put a value that contains ': ' in double quotes"
            }
            sink.error(message, line: lineOffset + mark.line, column: mark.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            for key in duplicates {
                // Point at the repetition, which is the line to delete; Yams only marks the mapping.
                let uses = lines.filter { $0.text.trimmingSpaces().hasPrefix(key + ":") }
                let line = uses.dropFirst().first
                sink.error("key '\(key)' is given more than once", line: line?.number ?? lineOffset + context.mark.line,
                           column: line.map { $0.indentation + 1 } ?? context.mark.column)
            }
        case .reader(let problem, _, _, _):
            sink.error("front matter can't be read: \(problem)", line: lineOffset + 1, column: 1)
        default:
            sink.error("front matter can't be read: \(error)", line: lineOffset + 1, column: 1)
        }
    }
}

extension String {
    func replacingTabs() -> String {
        utf8.contains(UInt8(ascii: "\t")) ? String(map { $0 == "\t" ? " " : $0 }) : self
    }
}
