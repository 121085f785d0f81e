/// Renders a document as clean linear text or as markdown: a handout, and a view that screen readers read
/// well. Drill references are expanded with their timing, steps, cues and safety note.
public struct DocumentPrinter {
    public enum Format: String, CaseIterable, Sendable {
        case text
        case markdown
    }

    public var format: Format
    /// Text lines are wrapped to this many cells; 0 leaves them unwrapped. Markdown is never wrapped.
    public var width: Int
    /// False: a drill's figures are named by their captions only, for a screen reader, to which a drawing is a
    /// string of slashes and underscores.
    public var drawsFigures = true
    private let library: ContentLibrary
    private var output: [String] = []

    public init(library: ContentLibrary, format: Format = .text, width: Int = 80) {
        self.library = library
        self.format = format
        self.width = format == .markdown ? 0 : width
    }

    /// The whole document, ending with a newline.
    public func render(_ document: Document) -> String {
        var printer = self
        printer.output = []
        switch document {
        case .session(let session): printer.session(session)
        case .drill(let drill): printer.drillDocument(drill)
        case .routine(let routine): printer.routine(routine)
        case .deck(let deck): printer.deck(deck)
        }
        while printer.output.last == "" { printer.output.removeLast() }
        return printer.output.joined(separator: "\n") + "\n"
    }

    /// One step of a session under its heading, drills written out, scripts left out when `includeScripts` is
    /// false: what `session --plain` says when a step is reached.
    public func render(stepTitle: String, blocks: [Block], includeScripts: Bool = true) -> String {
        var printer = self
        printer.output = []
        printer.heading(stepTitle, level: 2)
        printer.blocks(includeScripts ? blocks : blocks.filter { $0.script == nil })
        while printer.output.last == "" { printer.output.removeLast() }
        return printer.output.joined(separator: "\n") + "\n"
    }

    // MARK: - Documents

    private mutating func session(_ session: Session) {
        title(session.title)
        fields([("Session Goal", session.goal),
                ("Planned length", session.plannedSeconds.map(DurationParser.describe))])
        let steps = session.steps
        for (number, step) in steps.enumerated() {
            var name = rich(step.title)
            if let group = step.group { name = rich(group) + " › " + name }
            heading("Step \(number + 1) of \(steps.count): \(name)", level: 2)
            blocks(step.section.blocks)
        }
    }

    private mutating func drillDocument(_ drill: Drill) {
        title(drill.title)
        drillDetails(drill, timing: drill.timing)
    }

    private mutating func routine(_ routine: Routine) {
        title(routine.title)
        fields([("Goal", routine.goal),
                ("Total time", DurationParser.describe(library.totalSeconds(of: routine))),
                ("Safety", routine.safety)])
        blocks(routine.introduction)
        fields([("Get ready", DurationParser.describe(routine.getReady))])
        for (number, reference) in routine.drills.enumerated() {
            guard let resolved = library.resolve(reference) else { continue }
            heading("Drill \(number + 1) of \(routine.drills.count): \(resolved.drill.title)", level: 2)
            drillDetails(resolved.drill, timing: resolved.timing)
            if number < routine.drills.count - 1, routine.restBetween > 0 {
                paragraph("Then rest \(DurationParser.describe(routine.restBetween)).")
            }
        }
    }

    private mutating func deck(_ deck: Deck) {
        title(deck.title)
        fields([("Slides", "\(deck.slides.count), \(DurationParser.describe(deck.dwell)) each unless noted; "
            + "one loop takes \(DurationParser.describe(deck.loopSeconds))")])
        for (number, slide) in deck.slides.enumerated() {
            var name = "Slide \(number + 1): \(rich(slide.title))"
            if let dwell = slide.dwell { name += " (\(DurationParser.describe(dwell)))" }
            heading(name, level: 2)
            blocks(slide.blocks)
        }
    }

    // MARK: - Drills

    private mutating func drillDetails(_ drill: Drill, timing: DrillTiming) {
        fields([("Purpose", drill.purpose),
                ("Timing", TimingDescription.describe(timing) + " (" + TimingDescription.total(timing) + " in all)"),
                ("Equipment", drill.equipment)])
        subheading("Steps")
        list(drill.steps, numbered: true)
        if !drill.figures.isEmpty {
            subheading("Figures")
            for figure in drill.figures {
                self.figure(figure)
            }
            if !drawsFigures, format == .text { output.append("") }
        }
        if !drill.cues.isEmpty {
            subheading("Cues")
            list(drill.cues, numbered: false)
        }
        // The versions a therapist can prescribe instead, for the therapist reading the printout.
        if !drill.easier.isEmpty {
            subheading("Easier version")
            list(drill.easier, numbered: true)
        }
        if !drill.harder.isEmpty {
            subheading("Harder version")
            list(drill.harder, numbered: true)
        }
        subheading("Safety")
        blocks(drill.safety)
    }

    /// A drill's figure under its caption; in text, left out with a note when it is wider than the page, since a
    /// drawing cut or wrapped would only mislead.
    private mutating func figure(_ figure: Figure) {
        switch format {
        case .text:
            guard drawsFigures else {
                if !figure.caption.isEmpty { output += wrapped(figure.caption, indent: "    ", firstIndent: "  ") }
                return
            }
            let indent = width == 0 ? 4 : min(4, width - figure.width)
            guard indent >= 0 else {
                output += wrapped("\(figure.caption.isEmpty ? "A figure" : figure.caption) (left out: it needs "
                    + "\(figure.width) columns; print with --width \(figure.width + 4) or more to see it)",
                    indent: "    ", firstIndent: "  ")
                output.append("")
                return
            }
            if !figure.caption.isEmpty { output += wrapped(figure.caption, indent: "    ", firstIndent: "  ") }
            output += figure.lines.map { String(repeating: " ", count: indent) + $0 }
            output.append("")
        case .markdown:
            if !figure.caption.isEmpty { output += ["**\(escaped(figure.caption))**", ""] }
            preformatted(figure.lines)
        }
    }

    // MARK: - Blocks

    private mutating func blocks(_ blocks: [Block]) {
        for block in blocks {
            switch block {
            case .paragraph(let text): paragraph(rich(text))
            case .bulletList(let items): list(items, numbered: false)
            case .numberedList(let items): list(items, numbered: true)
            case .quote(let paragraphs): quote(paragraphs.map(rich), label: nil)
            case .script(let script): quote(script.paragraphs.map(rich), label: script.label)
            case .preformatted(let fenced): preformatted(fenced.lines)
            case .table(let table): self.table(table)
            case .drill(let reference):
                guard let resolved = library.resolve(reference) else { continue }
                subheading("Drill: \(resolved.drill.title)", isLabel: false)
                drillDetails(resolved.drill, timing: resolved.timing)
            }
        }
    }

    private mutating func title(_ text: String) {
        switch format {
        case .text:
            let lines = wrapped(text, indent: "")
            output += lines
            output.append(String(repeating: "=", count: lines.map { DisplayWidth.of($0) }.max() ?? 0))
        case .markdown:
            output.append("# " + escaped(text))
        }
        output.append("")
    }

    private mutating func heading(_ text: String, level: Int) {
        switch format {
        case .text:
            let lines = wrapped(text, indent: "")
            output += lines
            output.append(String(repeating: "-", count: lines.map { DisplayWidth.of($0) }.max() ?? 0))
        case .markdown:
            output.append(String(repeating: "#", count: level) + " " + text)
        }
        output.append("")
    }

    /// A small heading; in text, a label such as "Steps:" directly above its list.
    private mutating func subheading(_ text: String, isLabel: Bool = true) {
        switch format {
        case .text:
            output += wrapped(isLabel ? text + ":" : text, indent: "")
            if !isLabel { output.append("") }
        case .markdown:
            output += ["### " + text, ""]
        }
    }

    /// `Label: value` lines, one after another, for the values that are present.
    private mutating func fields(_ fields: [(label: String, value: String?)]) {
        let present = fields.compactMap { field in field.value.map { (field.label, $0) } }
        guard !present.isEmpty else { return }
        for (label, value) in present {
            switch format {
            case .text: output += wrapped("\(label): \(value)", indent: "  ", firstIndent: "")
            case .markdown: output += ["**\(label):** \(escaped(value))", ""]
            }
        }
        if format == .text { output.append("") }
    }

    private mutating func paragraph(_ text: String) {
        output += wrapped(text, indent: "")
        output.append("")
    }

    private mutating func list(_ items: [RichText], numbered: Bool) {
        for (number, item) in items.enumerated() {
            let marker = numbered ? "\(number + 1). " : "- "
            let lines = wrapped(rich(item), indent: String(repeating: " ", count: marker.count + 2),
                                firstIndent: "  " + marker)
            output += format == .markdown ? [marker + rich(item)] : lines
        }
        output.append("")
    }

    private mutating func quote(_ paragraphs: [String], label: String?) {
        switch format {
        case .text:
            if let label { output += wrapped("\(label) (for the therapist):", indent: "") }
            for (index, text) in paragraphs.enumerated() {
                if index > 0 { output.append("    |") }
                output += wrapped(text, indent: "    | ")
            }
        case .markdown:
            if let label { output.append("> **\(escaped(label))** (for the therapist)"); output.append(">") }
            for (index, text) in paragraphs.enumerated() {
                if index > 0 { output.append(">") }
                output.append("> " + text)
            }
        }
        output.append("")
    }

    private mutating func preformatted(_ lines: [String]) {
        if format == .markdown { output.append("```") }
        output += lines.map { format == .text ? "    " + $0 : $0 }
        if format == .markdown { output.append("```") }
        output.append("")
    }

    // MARK: - Text

    /// Inline text for this format: markdown keeps emphasis markers; plain text drops them.
    private func rich(_ text: RichText) -> String {
        switch format {
        case .text: text.inlines.map(plain).joined()
        case .markdown: text.inlines.map(markdown).joined()
        }
    }

    /// Plain text keeps a link's address after its words, for the reader to type.
    private func plain(_ inline: Inline) -> String {
        switch inline {
        case .text(let text): text
        case .emphasis(let children), .strong(let children): children.map(plain).joined()
        case .link(let children, let url):
            children.map(plain).joined() + " (\(url))"
        }
    }

    private func markdown(_ inline: Inline) -> String {
        switch inline {
        case .text(let text): escaped(text)
        case .emphasis(let children): "*" + children.map(markdown).joined() + "*"
        case .strong(let children): "**" + children.map(markdown).joined() + "**"
        case .link(let children, let url): "[" + children.map(markdown).joined() + "](\(url))"
        }
    }

    /// A table: drawn to the width in text (cells wrapped, or "Header: value" lines where it can't fit), and as
    /// a Markdown table in markdown.
    private mutating func table(_ table: Table) {
        switch format {
        case .text:
            output += TableText.lines(table, width: width > 0 ? width - 2 : 10_000).map { "  " + $0.text }
        case .markdown:
            let cell = { (text: RichText) in self.rich(text).replacingOccurrences(of: "|", with: "\\|") }
            output.append("| " + table.header.map(cell).joined(separator: " | ") + " |")
            output.append("|" + Array(repeating: "---|", count: table.columnCount).joined())
            for row in table.rows { output.append("| " + row.map(cell).joined(separator: " | ") + " |") }
        }
        output.append("")
    }

    private func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\*_`[".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    private func wrapped(_ text: String, indent: String, firstIndent: String? = nil) -> [String] {
        let first = firstIndent ?? indent
        guard width > 0 else { return [first + text] }
        let available = max(10, width - max(DisplayWidth.of(indent), DisplayWidth.of(first)))
        return TextWrapper.wrap(text, width: available).enumerated().map { index, line in
            (index == 0 ? first : indent) + line
        }
    }
}
