/// The result of reading one file: the document when it has no errors, and every diagnostic either way.
public struct ParsedFile: Sendable {
    public var path: String
    public var document: Document?
    /// The kind and id the file declares, when they could be read, even if the file has errors; used to
    /// report duplicates and references to broken drills precisely.
    public var declaredKind: DocumentKind?
    public var declaredID: String?
    public var declaredTitle: String?
    public var idLocation: SourceLocation?
    public var diagnostics: [Diagnostic]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Reads one content file: front matter, body, and the rules of its kind.
public enum DocumentParser {
    static let commonKeys = ["kind", "id", "title"]
    static let keysByKind: [DocumentKind: [String]] = [
        .session: ["goal", "duration", "screen"],
        .drill: ["purpose", "equipment", "work", "hold", "reps", "tempo", "sets", "rest", "per-side"],
        .routine: ["goal", "safety", "rest-between", "get-ready"],
        .deck: ["dwell", "hours", "days", "screen"],
    ]

    public static func parse(bytes: [UInt8], path: String) -> ParsedFile {
        var sink = DiagnosticSink(path: path)
        var file = ParsedFile(path: path, diagnostics: [])
        if let lines = SourceDecoder.lines(of: bytes, sink: &sink) {
            read(lines, into: &file, sink: &sink)
        }
        file.diagnostics = sink.diagnostics
        if file.hasErrors { file.document = nil }
        return file
    }

    public static func parse(text: String, path: String) -> ParsedFile {
        parse(bytes: Array(text.utf8), path: path)
    }

    // MARK: - Front matter

    private static func read(_ lines: [SourceLine], into file: inout ParsedFile, sink: inout DiagnosticSink) {
        guard let frontMatter = FrontMatter.read(lines, sink: &sink) else { return }
        var keys = KeyReader(frontMatter: frontMatter, openingLine: lines.first { !$0.isBlank }?.number ?? 1)

        let kind = keys.kind(sink: &sink)
        file.declaredKind = kind
        let id = keys.text("id", required: true, sink: &sink)
        if let id, let entry = frontMatter["id"] {
            file.idLocation = sink.location(line: entry.valueLine, column: entry.valueColumn)
            if IdentifierRules.check(id, line: entry.valueLine, column: entry.valueColumn, sink: &sink) {
                file.declaredID = id
            }
        }
        let title = keys.text("title", required: true, sink: &sink)
        file.declaredTitle = title
        guard let kind else {
            return  // without a kind, the other keys and the body can't be judged
        }
        keys.reportUnknownKeys(allowed: commonKeys + keysByKind[kind, default: []], kind: kind, sink: &sink)

        let body = BodyParser.parse(lines, from: frontMatter.bodyStart, kind: kind, sink: &sink)
        let location = sink.location(line: keys.openingLine, column: 1)
        let document: Document?
        switch kind {
        case .session: document = session(keys: &keys, body: body, location: location, sink: &sink)
        case .drill: document = drill(keys: &keys, body: body, location: location, sink: &sink)
        case .routine: document = routine(keys: &keys, body: body, location: location, sink: &sink)
        case .deck: document = deck(keys: &keys, body: body, location: location, sink: &sink)
        }
        guard let id = file.declaredID, let title, var document else { return }
        document.setIdentity(id: id, title: title)
        file.document = document
    }

    // MARK: - Kinds

    private static func session(keys: inout KeyReader, body: ParsedBody, location: SourceLocation,
                                sink: inout DiagnosticSink) -> Document? {
        let goal = keys.text("goal", sink: &sink)
        let duration = keys.duration("duration", sink: &sink)
        let screen = keys.screenSize(sink: &sink)
        if body.sections.isEmpty {
            sink.error("session has no steps; add a '# ' heading for each part of the session",
                       line: location.line, column: 1)
        }
        if !body.preamble.isEmpty {
            sink.error("text before the first heading belongs to no step; add a '# ' heading above it",
                       line: body.preambleLine ?? location.line, column: 1)
        }
        for section in body.sections {
            if section.blocks.isEmpty, section.subsections.isEmpty {
                sink.warning("section '\(section.title)' is empty", line: section.location.line,
                             column: section.location.column)
            }
            for subsection in section.subsections where subsection.blocks.isEmpty {
                sink.warning("section '\(subsection.title)' is empty", line: subsection.location.line,
                             column: subsection.location.column)
            }
        }
        return .session(Session(id: "", title: "", goal: goal, plannedSeconds: duration, sections: body.sections,
                                screen: screen ?? .standard, location: location))
    }

    private enum DrillPart: String, CaseIterable {
        case steps, cues, safety, figures, easier, harder

        init?(heading: String) {
            switch heading.lowercased() {
            case "steps", "how to", "how-to": self = .steps
            case "cues": self = .cues
            case "easier", "easier version": self = .easier
            case "harder", "harder version": self = .harder
            case "safety", "safety note": self = .safety
            case "figures", "figure": self = .figures
            default: return nil
            }
        }
    }

    private static func drill(keys: inout KeyReader, body: ParsedBody, location: SourceLocation,
                              sink: inout DiagnosticSink) -> Document? {
        let purpose = keys.text("purpose", required: true, sink: &sink)
        let equipment = keys.text("equipment", sink: &sink)
        let timing = keys.drillTiming(sink: &sink)

        if !body.preamble.isEmpty {
            sink.error("text before the first heading; a drill is written under '# Steps', '# Cues' and "
                + "'# Safety'", line: body.preambleLine ?? location.line, column: 1)
        }
        var steps: [RichText]?
        var cues: [RichText] = []
        var safety: [Block]?
        var figures: [Figure] = []
        var easier: [RichText] = [], harder: [RichText] = []
        var seen: Set<String> = []
        for section in body.sections {
            let at = section.location
            guard let part = DrillPart(heading: section.title.plainText) else {
                let names = ["Steps", "Cues", "Safety", "Figures", "Easier", "Harder"]
                var hint = Suggestion.hint(for: section.title.plainText, in: names)
                if hint.isEmpty { hint = "; a drill has '# Steps', '# Cues', '# Safety' and '# Figures'" }
                sink.error("unknown drill section '\(section.title)'\(hint)", line: at.line, column: at.column)
                continue
            }
            guard seen.insert(part.rawValue).inserted else {
                sink.error("the drill already has a '# \(section.title)' section", line: at.line, column: at.column)
                continue
            }
            switch part {
            case .steps, .cues, .easier, .harder:
                let items = section.blocks.flatMap { block -> [RichText] in
                    switch block {
                    case .bulletList(let items), .numberedList(let items): items
                    case .paragraph(let text): [text]
                    default: []
                    }
                }
                if items.isEmpty {
                    sink.error("'# \(section.title)' has no items; list them as '1. …' or '- …' lines",
                               line: at.line, column: at.column)
                }
                // A drawing here would be dropped without a word; say where it belongs instead.
                for fenced in section.blocks.compactMap(\.fencedText) {
                    sink.error("drawings go under '# Figures', not '# \(section.title)'", line: fenced.location.line,
                               column: fenced.location.column)
                }
                switch part {
                case .steps: steps = items
                case .easier: easier = items
                case .harder: harder = items
                default: cues = items
                }
            case .safety:
                if section.blocks.isEmpty {
                    sink.error("'# Safety' is empty; write the safety note under it", line: at.line, column: at.column)
                } else if !SafetyRule.isStated(in: section.blocks.flatMap(\.texts).map(\.plainText).joined(separator: " ")) {
                    sink.warning(SafetyRule.missingWarning("this safety note"), line: at.line, column: at.column)
                }
                safety = section.blocks
            case .figures:
                figures = readFigures(in: section, sink: &sink)
            }
        }
        if steps == nil {
            sink.error("drill has no steps; add a '# Steps' section with a numbered list", line: location.line,
                       column: 1)
        }
        if safety == nil {
            sink.error("drill has no safety note; add a '# Safety' section (pain-free, controlled movement)",
                       line: location.line, column: 1)
        }
        guard let purpose, let timing, let steps, let safety else { return nil }
        return .drill(Drill(id: "", title: "", purpose: purpose, equipment: equipment, timing: timing,
                            steps: steps, cues: cues, safety: safety, figures: figures, easier: easier, harder: harder,
                            location: location))
    }

    /// The fenced drawings of a drill's `# Figures` section; anything else there is a mistake.
    private static func readFigures(in section: Section, sink: inout DiagnosticSink) -> [Figure] {
        let at = section.location
        let fences = section.blocks.compactMap(\.fencedText)
        if fences.isEmpty || fences.count != section.blocks.count {
            sink.error("'# \(section.title)' holds only drawings, each in a fenced block: a line '```figure Start', "
                + "the drawing, then a line '```'", line: at.line, column: at.column)
        }
        if fences.count > Figure.maximumCount {
            let extra = fences[Figure.maximumCount].location
            sink.error("a drill has at most \(Figure.maximumCount) figures (such as Start and End); this is "
                + "figure \(Figure.maximumCount + 1)", line: extra.line, column: extra.column)
        }
        return fences.compactMap { FigureReader.read($0, sink: &sink) }
    }

    private static func routine(keys: inout KeyReader, body: ParsedBody, location: SourceLocation,
                                sink: inout DiagnosticSink) -> Document? {
        let goal = keys.text("goal", sink: &sink)
        let safety = keys.text("safety", required: true, sink: &sink)
        let restBetween = keys.duration("rest-between", allowNone: true, sink: &sink)
        let getReady = keys.duration("get-ready", allowNone: true, sink: &sink)
        let blocks = body.preamble + body.sections.flatMap(\.allBlocks)
        let drills = blocks.compactMap(\.drillReference)
        if drills.isEmpty, body.drillLineCount == 0 {
            sink.error("routine has no drills; add one '[drill: ID]' line for each drill, in order",
                       line: location.line, column: 1)
        }
        guard let safety else { return nil }
        if !SafetyRule.isStated(in: safety), let entry = keys.frontMatter["safety"] {
            sink.warning(SafetyRule.missingWarning("the routine's 'safety:'"), line: entry.valueLine,
                         column: entry.valueColumn)
        }
        let introduction = body.preamble.filter { $0.drillReference == nil }
        return .routine(Routine(id: "", title: "", goal: goal, safety: safety,
                                restBetween: restBetween ?? Routine.defaultRestBetween,
                                getReady: getReady ?? Routine.defaultGetReady, introduction: introduction,
                                drills: drills, location: location))
    }

    private static func deck(keys: inout KeyReader, body: ParsedBody, location: SourceLocation,
                             sink: inout DiagnosticSink) -> Document? {
        let dwell = keys.duration("dwell", sink: &sink)
        let openingHours = keys.openingHours(sink: &sink)
        let screen = keys.screenSize(sink: &sink)
        if body.sections.isEmpty {
            sink.error("deck has no slides; start each slide with a '# ' heading", line: location.line, column: 1)
        }
        if !body.preamble.isEmpty {
            sink.error("text before the first heading belongs to no slide; add a '# ' heading above it",
                       line: body.preambleLine ?? location.line, column: 1)
        }
        let slides = body.sections.enumerated().map { index, section in
            Slide(title: section.title, dwell: body.dwellBySection[index], blocks: section.blocks,
                  location: section.location)
        }
        for slide in slides where slide.blocks.isEmpty {
            sink.warning("slide '\(slide.title)' has only a heading", line: slide.location.line,
                         column: slide.location.column)
        }
        // A deck that tells people to move says how, somewhere: the clinic's safety rule on a slide.
        let texts = slides.map { ([$0.title] + $0.blocks.flatMap(\.texts)).map(\.plainText).joined(separator: " ") }
        if let moving = texts.firstIndex(where: SafetyRule.advisesMovement), !texts.contains(where: SafetyRule.isStated) {
            sink.warning("slide '\(slides[moving].title)' tells people to move, and no slide gives the safety rule; "
                + "add a line or a slide: \(SafetyRule.wording)", line: slides[moving].location.line,
                column: slides[moving].location.column)
        }
        return .deck(Deck(id: "", title: "", dwell: dwell ?? Deck.defaultDwell, slides: slides,
                          openingHours: openingHours, screen: screen ?? .standard, location: location))
    }
}

extension Document {
    mutating func setIdentity(id: String, title: String) {
        switch self {
        case .session(var value): value.id = id; value.title = title; self = .session(value)
        case .drill(var value): value.id = id; value.title = title; self = .drill(value)
        case .routine(var value): value.id = id; value.title = title; self = .routine(value)
        case .deck(var value): value.id = id; value.title = title; self = .deck(value)
        }
    }
}
