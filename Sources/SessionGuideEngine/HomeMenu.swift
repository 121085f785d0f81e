import SessionGuideContent

/// The home menu: every session, routine and waiting-room deck in the content folder.
public struct HomeMenu: Sendable {
    public struct Item: Hashable, Sendable {
        public var kind: DocumentKind
        public var id: String
        public var title: String
        /// "9 steps", "10 min", "14 slides".
        public var detail: String
    }

    public enum Action: Hashable, Sendable {
        case open(Item)
        case quit
    }

    public static let menuKinds: [DocumentKind] = [.session, .routine, .deck]

    public let items: [Item]
    public private(set) var selection = 0
    /// A one-line message shown under the list (for example why something could not open).
    public var notice: String?
    /// Stays under the list while some content files have errors, so nothing goes missing without a word.
    public let contentProblem: String?

    /// The menu for edited content, with the same document still selected when it is still there.
    public func reloaded(_ library: ContentLibrary) -> HomeMenu {
        var menu = HomeMenu(library: library)
        let selected = items.indices.contains(selection) ? items[selection].id : nil
        menu.selection = menu.items.firstIndex { $0.id == selected } ?? min(selection, max(0, menu.items.count - 1))
        return menu
    }

    public init(library: ContentLibrary) {
        let broken = library.files.filter(\.hasErrors).count
        contentProblem = broken == 0 ? nil
            : "\(DiagnosticFormatter.countPhrase(broken, "file")) with errors left out: run 'session-guide check'"
        items = Self.menuKinds.flatMap { kind in
            library.documents.filter { $0.kind == kind }.map { document in
                Item(kind: kind, id: document.id, title: document.title, detail: Self.detail(of: document, library))
            }
        }
    }

    public var selectedItem: Item? { items.indices.contains(selection) ? items[selection] : nil }

    public mutating func handle(_ key: KeyEvent) -> Action? {
        notice = nil
        switch key {
        case .up, .character("k"), .backTab: selection = max(0, selection - 1)
        case .down, .character("j"), .tab: selection = min(max(0, items.count - 1), selection + 1)
        case .home, .pageUp: selection = 0
        case .end, .pageDown: selection = max(0, items.count - 1)
        case .enter, .right:
            return selectedItem.map(Action.open)
        case .character("q"), .escape:
            return .quit
        case .character(let character):
            selectNext(startingWith: character)
        default:
            break
        }
        return nil
    }

    /// The first letter jumps to the next item whose title starts with it, wrapping around.
    private mutating func selectNext(startingWith character: Character) {
        guard !items.isEmpty else { return }
        let letter = character.lowercased()
        for offset in 1...items.count {
            let index = (selection + offset) % items.count
            if items[index].title.lowercased().hasPrefix(letter) {
                selection = index
                return
            }
        }
    }

    private static func detail(of document: Document, _ library: ContentLibrary) -> String {
        switch document {
        case .session(let session): DiagnosticFormatter.countPhrase(session.steps.count, "step")
        case .routine(let routine): DurationParser.describe(library.totalSeconds(of: routine))
        case .deck(let deck): DiagnosticFormatter.countPhrase(deck.slides.count, "slide")
        case .drill(let drill): TimingDescription.total(drill.timing)
        }
    }
}

/// A read-only, scrolling view of a document's text, for what has no full-screen mode of its own yet.
public struct DocumentReader: Sendable {
    public let document: Document
    public private(set) var scrollOffset = 0
    public private(set) var maximumScroll = 0
    public private(set) var pageSize = 10

    public init(document: Document) {
        self.document = document
    }

    /// Returns true when the reader should close.
    public mutating func handle(_ key: KeyEvent) -> Bool {
        switch key {
        case .character("q"), .escape, .left, .backspace: return true
        case .up, .character("k"): scrollOffset = max(0, scrollOffset - 1)
        case .down, .character("j"): scrollOffset = min(maximumScroll, scrollOffset + 1)
        case .pageUp: scrollOffset = max(0, scrollOffset - pageSize)
        case .pageDown, .character(" "): scrollOffset = min(maximumScroll, scrollOffset + pageSize)
        case .home: scrollOffset = 0
        case .end: scrollOffset = maximumScroll
        default: break
        }
        return false
    }

    public mutating func setScrollLimits(maximum: Int, page: Int) {
        maximumScroll = max(0, maximum)
        pageSize = max(1, page)
        scrollOffset = min(scrollOffset, maximumScroll)
    }
}
