import SessionGuideContent
import SessionGuideEngine

/// The home menu and the plain document reader.
public enum MenuScreen {
    public static func render(_ menu: HomeMenu, size: Size, version: String) -> Screen {
        guard Chrome.fits(size) else { return Screen(grid: Chrome.tooSmall(size), maximumScroll: 0, pageSize: 1) }
        var grid = Grid(size: size)
        Chrome.bar(&grid, row: 0, left: "session-guide", right: version)
        // On a wide screen the list is a centred column (as wide as its longest row needs), so each title's
        // length sits near its title.
        let longest = menu.items.map { 3 + DisplayWidth.of($0.title) + 2 + DisplayWidth.of($0.detail) + 3 }.max() ?? 0
        let (left, width) = ReadingColumn.centred(left: 1, width: size.width - 3,
                                                  atMost: max(ReadingColumn.maximumTextWidth, longest)).span
        var lines: [StyledLine] = []
        var selectedLine = 0
        var lastKind: DocumentKind?
        for (index, item) in menu.items.enumerated() {
            if item.kind != lastKind {
                if lastKind != nil { lines.append([]) }
                lines.append([Span(heading(for: item.kind), Style(.heading, bold: true))])
                lastKind = item.kind
            }
            let detail = "  " + item.detail
            let titleWidth = max(4, width - DisplayWidth.of(detail) - 3)
            let title = truncated(item.title, to: titleWidth)
            let padding = String(repeating: " ", count: max(0, titleWidth - DisplayWidth.of(title)))
            let style = index == menu.selection ? Style(.selected) : .normal
            if index == menu.selection { selectedLine = lines.count }
            lines.append([Span(index == menu.selection ? " ▸ " : "   ", style), Span(title + padding, style),
                          Span(detail, index == menu.selection ? style : Style(.dim))])
        }
        if menu.items.isEmpty {
            lines = [[Span("No sessions, routines or decks in the content folder.")],
                     [Span("Run 'session-guide check' to see why.", Style(.dim))]]
        }
        let top = 2
        let bottom = size.height - 2
        let height = max(1, bottom - top)
        // Keep the selection in view.
        let offset = max(0, min(selectedLine - height / 2, lines.count - height))
        Chrome.scrolled(&grid, lines: lines, offset: offset, top: top, height: height, left: left, width: width)
        if let notice = menu.notice ?? menu.contentProblem {
            grid.write(truncated(notice, to: size.width - 2), column: 1, row: size.height - 2, style: Style(.warning))
        }
        Chrome.keys(&grid, row: size.height - 1, hints: [
            .init(key: "↑↓", action: "choose"), .init(key: "Enter", action: "open"),
            .init(key: "u", action: "patient", priority: 1), .init(key: "e", action: "programme", priority: 1),
            .init(key: "a-z", action: "jump", priority: 2), .init(key: "q", action: "quit"),
        ])
        return Screen(grid: grid, maximumScroll: 0, pageSize: height)
    }

    static func heading(for kind: DocumentKind) -> String {
        switch kind {
        case .session: "Sessions (therapist)"
        case .routine: "Routines (patient)"
        case .deck: "Waiting-room decks"
        case .drill: "Drills"
        }
    }
}

public enum ReaderScreen {
    public static func render(_ reader: DocumentReader, library: ContentLibrary, size: Size) -> Screen {
        guard Chrome.fits(size) else { return Screen(grid: Chrome.tooSmall(size), maximumScroll: 0, pageSize: 1) }
        var grid = Grid(size: size)
        // The text below starts with the title, so the bar names the kind of document instead.
        Chrome.bar(&grid, row: 0, left: "session-guide · \(reader.document.kind.rawValue)", right: reader.document.id)
        let (left, width) = ReadingColumn.centred(left: 1, width: size.width - 3).span
        let text = DocumentPrinter(library: library, format: .text, width: max(20, width)).render(reader.document)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { [Span(String($0))] }
        let height = size.height - 2
        let maximum = Chrome.scrolled(&grid, lines: lines, offset: reader.scrollOffset, top: 1, height: height,
                                      left: left, width: width)
        Chrome.keys(&grid, row: size.height - 1, hints: [
            .init(key: "↑↓", action: "scroll"), .init(key: "PgUp/PgDn", action: "page"), .init(key: "q", action: "back"),
        ])
        return Screen(grid: grid, maximumScroll: maximum, pageSize: max(1, height - 1))
    }
}
