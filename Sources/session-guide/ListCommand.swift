import ArgumentParser
import SessionGuideContent

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every document in the content folder: kind, id, title, and its length."
    )

    @OptionGroup var options: ContentOptions

    func run() throws {
        let library = try options.loadLibrary()
        let rows = library.documents.map { document in
            [document.kind.rawValue, document.id, document.title, length(of: document, in: library)]
        }
        if rows.isEmpty {
            Console.write("No documents in \(try options.contentDirectory()).\n")
        } else {
            Console.write(Table.render(header: ["KIND", "ID", "TITLE", "LENGTH"], rows: rows))
        }
        try reportBrokenFiles(library, options: options)
    }

    private func length(of document: Document, in library: ContentLibrary) -> String {
        switch document {
        case .session(let session):
            let steps = DiagnosticFormatter.countPhrase(session.steps.count, "step")
            return session.plannedSeconds.map { "\(steps), \(DurationParser.describe($0))" } ?? steps
        case .drill(let drill):
            return TimingDescription.total(drill.timing)
        case .routine(let routine):
            return DurationParser.describe(library.totalSeconds(of: routine))
        case .deck(let deck):
            return DiagnosticFormatter.countPhrase(deck.slides.count, "slide")
                + ", \(DurationParser.describe(deck.loopSeconds)) loop"
        }
    }
}

/// After listing or printing, a one-line note that some files were left out because they have errors.
func reportBrokenFiles(_ library: ContentLibrary, options: ContentOptions) throws {
    let broken = library.files.filter(\.hasErrors)
    guard !broken.isEmpty else { return }
    Console.error("""
        \(DiagnosticFormatter.countPhrase(broken.count, "file")) with errors left out \
        (\(broken.prefix(3).map(\.path).joined(separator: ", "))\(broken.count > 3 ? ", …" : "")); \
        run 'session-guide check' for details
        """)
    throw ExitCode(SysExit.dataError)
}

/// Left-aligned columns by display width.
enum Table {
    /// Columns padded to their widest cell. Each cell is made safe as one line first (a title with a line break
    /// would forge a row; a control would be measured wrong), so the padding fits what is printed.
    static func render(header: [String], rows: [[String]]) -> SafeText {
        let all = ([header] + rows).map { row in row.map { SafeText(line: $0).text } }
        let widths = header.indices.map { column in all.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        return SafeText(lines: all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell
                    : cell + String(repeating: " ", count: widths[column] - DisplayWidth.of(cell) + 2)
            }.joined()
        }.joined(separator: "\n") + "\n")
    }
}
