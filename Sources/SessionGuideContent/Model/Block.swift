/// One block of body text.
public enum Block: Hashable, Sendable, Codable {
    case paragraph(RichText)
    case bulletList([RichText])
    case numberedList([RichText])
    /// Quoted speech shown to everyone; each element is a paragraph.
    case quote([RichText])
    /// What the therapist might say; shown apart from patient-facing text and hideable.
    case script(TherapistScript)
    /// A drill defined in its own file, used here with optional timing overrides.
    case drill(DrillReference)
    /// Lines kept exactly as written (fenced with three backticks), for small ASCII figures.
    case preformatted(FencedText)
    /// A table written with `|` between cells and a `|---|---|` line under its header.
    case table(Table)
}

/// A table: a header row and the rows under it, each a cell per column (short rows are filled with empty cells).
public struct Table: Hashable, Sendable, Codable {
    public var header: [RichText]
    public var rows: [[RichText]]
    public var location: SourceLocation

    public init(header: [RichText], rows: [[RichText]], location: SourceLocation) {
        let columns = max(header.count, rows.map(\.count).max() ?? 0)
        func padded(_ row: [RichText]) -> [RichText] { row + Array(repeating: RichText(plain: ""), count: columns - row.count) }
        self.header = padded(header)
        self.rows = rows.map(padded)
        self.location = location
    }

    public var columnCount: Int { header.count }
}

public struct TherapistScript: Hashable, Sendable, Codable {
    public static let defaultLabel = "Therapist script"

    public var label: String
    public var paragraphs: [RichText]
    public var location: SourceLocation

    public init(label: String, paragraphs: [RichText], location: SourceLocation) {
        self.label = label
        self.paragraphs = paragraphs
        self.location = location
    }
}

/// A `#` or `##` heading and what follows it. Only top-level sections have subsections.
public struct Section: Hashable, Sendable, Codable {
    public var title: RichText
    public var level: Int
    public var blocks: [Block]
    public var subsections: [Section]
    public var location: SourceLocation

    public init(title: RichText, level: Int, blocks: [Block] = [], subsections: [Section] = [],
                location: SourceLocation) {
        self.title = title
        self.level = level
        self.blocks = blocks
        self.subsections = subsections
        self.location = location
    }

    /// Every block in this section and its subsections, in reading order.
    public var allBlocks: [Block] { blocks + subsections.flatMap(\.allBlocks) }
}

extension Block {
    /// Every piece of text the block shows, in reading order (a drill's own text is in its file).
    public var texts: [RichText] {
        switch self {
        case .paragraph(let text): [text]
        case .bulletList(let items), .numberedList(let items), .quote(let items): items
        case .script(let script): script.paragraphs
        case .drill, .preformatted: []
        case .table(let table): table.header + table.rows.flatMap { $0 }
        }
    }

    public var drillReference: DrillReference? {
        if case .drill(let reference) = self { return reference }
        return nil
    }

    public var script: TherapistScript? {
        if case .script(let script) = self { return script }
        return nil
    }

    public var fencedText: FencedText? {
        if case .preformatted(let text) = self { return text }
        return nil
    }
}
