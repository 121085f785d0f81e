/// The body of a content file, before the kind-specific reading: blocks before the first heading, and the
/// `#` sections with their `##` subsections.
struct ParsedBody {
    var preamble: [Block] = []
    var sections: [Section] = []
    /// `[dwell: …]` lines, by the section they appear in (`nil` for the preamble), in seconds.
    var dwellBySection: [Int: Int] = [:]
    /// The line where text before the first heading starts, for diagnostics.
    var preambleLine: Int?
    /// `[drill: …]` lines seen, including ones with errors (so a bad one isn't also "no drills").
    var drillLineCount = 0

    var isEmpty: Bool { preamble.isEmpty && sections.isEmpty }
}

/// A line-oriented block reader in the style of Ink's: look at the first characters of a line, hand the
/// cursor to the reader for that kind of block, and keep line and column for every diagnostic.
struct BodyParser {
    private let lines: [SourceLine]
    private let kind: DocumentKind
    private var index: Int
    private var body = ParsedBody()
    private var currentBlocks: [Block] = []
    private var currentHeading: (title: RichText, level: Int, location: SourceLocation)?

    init(lines: [SourceLine], startingAt start: Int, kind: DocumentKind) {
        self.lines = lines
        self.index = start
        self.kind = kind
    }

    static func parse(_ lines: [SourceLine], from start: Int, kind: DocumentKind, sink: inout DiagnosticSink)
        -> ParsedBody
    {
        var parser = BodyParser(lines: lines, startingAt: start, kind: kind)
        return parser.run(sink: &sink)
    }

    // MARK: - Dispatch

    private mutating func run(sink: inout DiagnosticSink) -> ParsedBody {
        while index < lines.count {
            let line = lines[index]
            if line.isBlank {
                index += 1
                continue
            }
            let lineKind = LineKind(line.text)
            if currentHeading == nil, body.sections.isEmpty, body.preambleLine == nil {
                if case .heading = lineKind {} else { body.preambleLine = line.number }
            }
            switch lineKind {
            case .heading(let level, let titleColumn):
                readHeading(level: level, titleColumn: titleColumn, sink: &sink)
            case .fence:
                readFence(sink: &sink)
            case .quote:
                readQuote(sink: &sink)
            case .bullet, .numbered:
                readList(sink: &sink)
            case .directive:
                readDirective(sink: &sink)
            case .tableRow:
                readTable(sink: &sink)
            case .rule:
                sink.warning("a '---' line in the body is ignored; start a new section with '# '",
                             line: line.number, column: line.indentation + 1)
                index += 1
            case .text:
                readParagraph(sink: &sink)
            }
        }
        closeSection()
        return body
    }

    // MARK: - Headings and sections

    private mutating func readHeading(level: Int, titleColumn: Int, sink: inout DiagnosticSink) {
        let line = lines[index]
        index += 1
        let title = String(line.text.unicodeScalars.dropFirst(titleColumn - 1))
            .trimming([" ", "\t", "#"])
        if level > 2 {
            // One error, and the words kept: the line is shown as bold text where it stands.
            let suggestion = kind == .session ? "'#' or '##'" : "'#'"
            sink.error("only '#' and '##' headings are used; this one has \(level) '#': make it a \(suggestion) "
                + "heading, or bold text (**like this**)", line: line.number, column: line.indentation + 1)
            if !title.isEmpty { currentBlocks.append(.paragraph(RichText([.strong(InlineParser.parse(title).inlines)]))) }
            return
        }
        let written = level
        if title.isEmpty {
            sink.error("heading has no text", line: line.number, column: line.indentation + 1)
        }
        if written == 2, kind != .session {
            sink.error("'##' sub-sections are only used in sessions; use '# ' here", line: line.number,
                       column: line.indentation + 1)
        }
        closeSection()
        let location = sink.location(line: line.number, column: line.indentation + 1)
        if level == 2, body.sections.isEmpty, currentHeading == nil {
            sink.error("'##' heading comes before any '#' heading; start with '# '", line: line.number,
                       column: line.indentation + 1)
        }
        currentHeading = (InlineParser.parse(title), level, location)
    }

    /// Files the blocks read so far under the heading they belong to.
    private mutating func closeSection() {
        defer { currentBlocks = [] }
        guard let heading = currentHeading else {
            body.preamble += currentBlocks
            return
        }
        currentHeading = nil
        let section = Section(title: heading.title, level: heading.level, blocks: currentBlocks,
                              location: heading.location)
        if heading.level == 2, !body.sections.isEmpty {
            body.sections[body.sections.count - 1].subsections.append(section)
        } else {
            body.sections.append(section)
        }
    }

    /// Index of the section a block read now belongs to, for `[dwell]`; nil in the preamble.
    private var currentSectionIndex: Int? { currentHeading == nil ? nil : body.sections.count }

    // MARK: - Paragraphs and lists

    private mutating func readParagraph(sink: inout DiagnosticSink) {
        var text: [String] = []
        while index < lines.count, !lines[index].isBlank {
            let line = lines[index]
            if !text.isEmpty, LineKind(line.text) != .text { break }
            if line.text.hasPrefix("#"), !line.text.hasPrefix("#!") {
                let word = line.text.dropFirst().prefix { $0 != " " }
                sink.warning("'\(line.text.prefix(24))' is read as text; put a space after '#' to make a "
                    + "heading ('# \(word)')", line: line.number, column: 1)
            }
            Self.warnAboutUnshownMarkup(in: line, sink: &sink)
            text.append(line.text.trimmingSpaces())
            index += 1
        }
        currentBlocks.append(.paragraph(InlineParser.parse(text.joined(separator: " "))))
    }

    private mutating func readList(sink: inout DiagnosticSink) {
        let firstKind = LineKind(lines[index].text)
        var items: [RichText] = []
        var current: [String] = []
        func finishItem() {
            if !current.isEmpty { items.append(InlineParser.parse(current.joined(separator: " "))) }
            current = []
        }
        while index < lines.count, !lines[index].isBlank {
            let line = lines[index]
            let lineKind = LineKind(line.text)
            Self.warnAboutUnshownMarkup(in: line, sink: &sink)
            switch lineKind {
            case .bullet(let contentColumn), .numbered(let contentColumn):
                guard lineKind.isSameList(as: firstKind) else { break }
                finishItem()
                let text = String(line.text.unicodeScalars.dropFirst(contentColumn - 1))
                    .trimmingSpaces()
                if text.isEmpty {
                    sink.warning("empty list item", line: line.number, column: line.indentation + 1)
                } else {
                    current = [text]
                }
                index += 1
                continue
            case .text:
                // An indented line, or one that starts no other block, continues the item above it.
                current.append(line.text.trimmingSpaces())
                index += 1
                continue
            default:
                if line.indentation >= 2, !current.isEmpty, !lineKind.startsBlockWhenIndented {
                    current.append(line.text.trimmingSpaces())
                    index += 1
                    continue
                }
            }
            break
        }
        finishItem()
        guard !items.isEmpty else { return }
        if case .numbered = firstKind {
            currentBlocks.append(.numberedList(items))
        } else {
            currentBlocks.append(.bulletList(items))
        }
    }

    // MARK: - Images, HTML and tables

    /// Markdown that is not shown gets a warning at its column: an image (`![…](…)`) shows its words only, and
    /// HTML tags show as the characters they are.
    static func warnAboutUnshownMarkup(in line: SourceLine, sink: inout DiagnosticSink) {
        let scalars = Array(line.text.unicodeScalars)
        guard scalars.contains("<") || scalars.contains("!") else { return }
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "!", index + 1 < scalars.count, scalars[index + 1] == "[", index == 0 || scalars[index - 1] != "\\",
               let close = scalars[(index + 2)...].firstIndex(of: "]"), close + 1 < scalars.count, scalars[close + 1] == "(" {
                sink.warning("images are not shown (the screen is text): only the words in [brackets] appear; draw "
                    + "a figure in a ```figure block instead", line: line.number, column: index + 1)
                index = close
            } else if scalar == "<", index + 1 < scalars.count,
                      scalars[index + 1].properties.isAlphabetic || scalars[index + 1] == "/" || scalars[index + 1] == "!",
                      scalars[(index + 1)...].contains(">"), index == 0 || scalars[index - 1] != "\\" {
                sink.warning("HTML is not read: the tag shows as the characters it is; write plain text (**bold**, "
                    + "*emphasis*, [link](address))", line: line.number, column: index + 1)
                return
            }
            index += 1
        }
    }

    /// A table: a `| a | b |` header, a `|---|---|` line, then a `| … |` line per row. Without the `---` line
    /// the `|` lines are ordinary text.
    private mutating func readTable(sink: inout DiagnosticSink) {
        let first = lines[index]
        guard index + 1 < lines.count, Self.isTableDelimiter(lines[index + 1].text) else {
            readParagraph(sink: &sink)
            return
        }
        let header = Self.cells(of: first.text)
        index += 2
        var rows: [[RichText]] = []
        while index < lines.count, !lines[index].isBlank, LineKind(lines[index].text) == .tableRow {
            let line = lines[index]
            Self.warnAboutUnshownMarkup(in: line, sink: &sink)
            var cells = Self.cells(of: line.text)
            if cells.count > header.count {
                sink.warning("this row has \(cells.count) cells and the header \(header.count); the cells past the "
                    + "last column are left out", line: line.number, column: line.indentation + 1)
                cells = Array(cells.prefix(header.count))
            }
            rows.append(cells.map(InlineParser.parse))
            index += 1
        }
        let location = sink.location(line: first.number, column: first.indentation + 1)
        currentBlocks.append(.table(Table(header: header.map(InlineParser.parse), rows: rows, location: location)))
    }

    /// `|---|:---:|` (colons and spaces allowed), with at least one dash in each cell.
    static func isTableDelimiter(_ text: String) -> Bool {
        let trimmed = text.trimmingSpaces()
        guard trimmed.contains("-"), trimmed.contains("|") || trimmed.hasPrefix("-") else { return false }
        let cells = cells(of: trimmed)
        return !cells.isEmpty && cells.allSatisfy { cell in
            !cell.isEmpty && cell.contains("-") && cell.allSatisfy { $0 == "-" || $0 == ":" || $0 == " " }
        }
    }

    /// The cells of a `| a | b |` line, trimmed; `\|` is a `|` inside a cell.
    static func cells(of text: String) -> [String] {
        var line = Substring(text.trimmingSpaces())
        if line.hasPrefix("|") { line = line.dropFirst() }
        if line.hasSuffix("|"), !line.hasSuffix("\\|") { line = line.dropLast() }
        var cells: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character == "|" ? "|" : "\\")
                if character != "|" { current.append(character) }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                cells.append(current.trimmingSpaces())
                current = ""
            } else {
                current.append(character)
            }
        }
        if escaped { current.append("\\") }
        cells.append(current.trimmingSpaces())
        return cells
    }

    // MARK: - Quotes and therapist scripts

    private mutating func readQuote(sink: inout DiagnosticSink) {
        let first = lines[index]
        var paragraphs: [[String]] = [[]]
        var scriptLabel: String?
        var isFirst = true
        while index < lines.count, !lines[index].isBlank, LineKind(lines[index].text) == .quote {
            let line = lines[index]
            index += 1
            let content = String(line.text.drop { $0 == " " || $0 == "\t" }.dropFirst())
                .trimmingSpaces()
            if isFirst {
                isFirst = false
                if let callout = Callout(content) {
                    let name = callout.name.lowercased()
                    if name == "script" {
                        scriptLabel = callout.rest.isEmpty ? TherapistScript.defaultLabel : callout.rest
                        continue
                    }
                    sink.error("unknown block '[!\(callout.name)]'\(Suggestion.hint(for: name, in: ["script"]))",
                               line: line.number, column: line.indentation + 3)
                    continue
                }
            }
            if content.isEmpty {
                if !(paragraphs.last?.isEmpty ?? true) { paragraphs.append([]) }
            } else {
                paragraphs[paragraphs.count - 1].append(content)
            }
        }
        let texts = paragraphs.filter { !$0.isEmpty }.map { InlineParser.parse($0.joined(separator: " ")) }
        let location = sink.location(line: first.number, column: first.indentation + 1)
        if let scriptLabel {
            guard kind == .session else {
                sink.error("therapist scripts belong in sessions only; a \(kind.rawValue) is shown to patients",
                           line: first.number, column: first.indentation + 1)
                return
            }
            if texts.isEmpty {
                sink.error("therapist script has no text; add '> ' lines below '[!script]'", line: first.number,
                           column: first.indentation + 1)
                return
            }
            currentBlocks.append(.script(TherapistScript(label: scriptLabel, paragraphs: texts,
                                                         location: location)))
        } else if !texts.isEmpty {
            currentBlocks.append(.quote(texts))
        }
    }

    /// `[!name] rest of line` at the start of a quote.
    private struct Callout {
        var name: String
        var rest: String

        init?(_ content: String) {
            guard content.hasPrefix("[!"), let close = content.firstIndex(of: "]") else { return nil }
            name = String(content[content.index(content.startIndex, offsetBy: 2)..<close])
            rest = String(content[content.index(after: close)...]).trimmingSpaces()
        }
    }

    // MARK: - Fenced blocks

    private mutating func readFence(sink: inout DiagnosticSink) {
        let opening = lines[index]
        index += 1
        let info = Self.infoString(ofFence: opening.text)
        let location = sink.location(line: opening.number, column: opening.indentation + 1)
        var content: [String] = []
        while index < lines.count {
            let line = lines[index]
            if LineKind(line.text) == .fence {
                // A closing fence is backticks alone. One with text after it opens the next block (```figure End),
                // so this block was left open: end it here, rather than swallow the next block into this one.
                if !Self.infoString(ofFence: line.text).isEmpty { break }
                index += 1
                currentBlocks.append(.preformatted(FencedText(lines: content, info: info, location: location)))
                return
            }
            index += 1
            if line.text.utf8.contains(UInt8(ascii: "\t")) {
                // A fenced block is fixed-width: a tab becomes the spaces up to the next tab stop, as an editor
                // shows it, not one space; still, the drawing is only sure to look the same with spaces.
                let column = (line.text.unicodeScalars.firstIndex(of: "\t").map {
                    line.text.unicodeScalars.distance(from: line.text.unicodeScalars.startIndex, to: $0)
                } ?? 0) + 1
                sink.warning("tab in a fenced block; it is drawn as spaces up to the next multiple of "
                    + "\(Self.tabStop) columns: use spaces, so that the drawing looks the same in every editor",
                    line: line.number, column: column)
                content.append(Self.expandingTabs(line.text))
            } else {
                content.append(line.text)
            }
        }
        sink.error("fenced block is not closed; add a line with three backticks after it", line: opening.number,
                   column: opening.indentation + 1)
        currentBlocks.append(.preformatted(FencedText(lines: content, info: info, location: location)))
    }

    static let tabStop = 8

    /// `text` with each tab replaced by the spaces up to the next multiple of ``tabStop`` columns.
    static func expandingTabs(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var column = 0
        for scalar in text.unicodeScalars {
            if scalar == "\t" {
                let spaces = tabStop - column % tabStop
                result.append(contentsOf: repeatElement(" ", count: spaces))
                column += spaces
            } else {
                result.append(scalar)
                column += 1
            }
        }
        return String(result)
    }

    /// The text after a fence's backticks: "figure Start" for "```figure Start".
    private static func infoString(ofFence text: String) -> String {
        text.drop { $0 == " " || $0 == "\t" }.drop { $0 == "`" }.trimmingSpaces()
    }

    // MARK: - Directives: [drill: …] and [dwell: …]

    private mutating func readDirective(sink: inout DiagnosticSink) {
        let line = lines[index]
        index += 1
        guard let directive = Directive.parse(line, sink: &sink) else { return }
        switch directive.name.lowercased() {
        case "drill":
            body.drillLineCount += 1
            guard kind == .session || kind == .routine else {
                let reason = kind == .deck ? "a deck is only looked at, never exercised along to"
                    : "a drill can't contain another drill"
                sink.error("drills can't be used here: \(reason)", line: line.number, column: directive.column)
                return
            }
            if let reference = DrillReferenceReader.read(directive, sink: &sink) {
                currentBlocks.append(.drill(reference))
            }
        case "dwell":
            guard kind == .deck else {
                sink.error("'[dwell: …]' sets a slide's time and is only used in decks", line: line.number,
                           column: directive.column)
                return
            }
            guard let sectionIndex = currentSectionIndex else {
                sink.error("'[dwell: …]' belongs under a slide's '# ' heading; set the deck's default with "
                    + "'dwell:' in the front matter", line: line.number, column: directive.column)
                return
            }
            if directive.arguments.count > 0 {
                let extra = directive.arguments[0]
                sink.error("'[dwell: …]' takes only a duration, not '\(extra.key)'", line: line.number,
                           column: extra.keyColumn)
            }
            guard body.dwellBySection[sectionIndex] == nil else {
                sink.error("this slide already has a '[dwell: …]' line", line: line.number, column: directive.column)
                return
            }
            switch DurationParser.seconds(in: directive.value) {
            case .success(let seconds): body.dwellBySection[sectionIndex] = seconds
            case .failure(let error): sink.error(error.message, line: line.number, column: directive.valueColumn)
            }
        default:
            let hint = Suggestion.hint(for: directive.name.lowercased(), in: ["drill", "dwell"])
            sink.error("unknown '[\(directive.name): …]' line\(hint) (write '\\[' for a literal bracket)",
                       line: line.number, column: directive.column + 1)
        }
    }
}

// MARK: - Line classification

/// What a line starts, judged by its first characters.
enum LineKind: Equatable {
    case heading(level: Int, titleColumn: Int)
    case fence
    case quote
    case bullet(contentColumn: Int)
    case numbered(contentColumn: Int)
    case directive
    case rule
    /// A line that starts with `|`: a table's row when a `|---|` line follows the first one.
    case tableRow
    case text

    init(_ text: String) {
        let scalars = Array(text.unicodeScalars.prefix(24))
        var position = 0
        while position < scalars.count, scalars[position] == " " || scalars[position] == "\t" { position += 1 }
        let rest = scalars[position...]
        func isSpace(_ offset: Int) -> Bool {
            position + offset >= scalars.count || scalars[position + offset] == " " || scalars[position + offset] == "\t"
        }
        guard let first = rest.first else { self = .text; return }
        switch first {
        case "#":
            // Counted on the whole line, not the 24 characters looked at: a run of 100 '#' is 100.
            var level = rest.prefix { $0 == "#" }.count
            if position + level == scalars.count, text.unicodeScalars.count > scalars.count {
                level = text.unicodeScalars.dropFirst(position).prefix { $0 == "#" }.count
                let after = text.unicodeScalars.dropFirst(position + level).first
                self = after == nil || after == " " || after == "\t"
                    ? .heading(level: level, titleColumn: position + level + 1) : .text
                return
            }
            self = isSpace(level) ? .heading(level: level, titleColumn: position + level + 1) : .text
        case "`" where rest.starts(with: ["`", "`", "`"]):
            self = .fence
        case "|":
            self = .tableRow
        case ">":
            self = .quote
        case "-", "*", "+":
            if first == "-", rest.count >= 3, rest.allSatisfy({ $0 == "-" }), text.unicodeScalars.count < 24 {
                self = .rule
            } else {
                self = isSpace(1) && !(position + 1 >= scalars.count && first != "-") ? .bullet(contentColumn: position + 3)
                    : .text
            }
        case "[":
            let name = rest.dropFirst().prefix { $0.properties.isAlphabetic || $0 == "-" }
            let after = position + 1 + name.count
            self = !name.isEmpty && after < scalars.count && scalars[after] == ":" ? .directive : .text
        case "0"..."9":
            let digits = rest.prefix { ("0"..."9").contains($0) }.count
            let marker = position + digits
            if digits <= 3, marker < scalars.count, scalars[marker] == "." || scalars[marker] == ")", isSpace(digits + 1) {
                self = .numbered(contentColumn: marker + 3)
            } else {
                self = .text
            }
        default:
            self = .text
        }
    }

    func isSameList(as other: LineKind) -> Bool {
        switch (self, other) {
        case (.bullet, .bullet), (.numbered, .numbered): true
        default: false
        }
    }

    /// Blocks that an indented line inside a list item still starts (a nested list is read as more items).
    var startsBlockWhenIndented: Bool {
        switch self {
        case .bullet, .numbered, .text, .tableRow: false
        default: true
        }
    }
}

extension SourceLine {
    /// Leading spaces and tabs, each counted as one column.
    var indentation: Int { text.unicodeScalars.prefix { $0 == " " || $0 == "\t" }.count }
}
