import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout

/// `session-guide preview FILE`: one content file shown as it will appear in its own mode, for the person
/// writing it: a drill as a session's drill step with its timer, a session step by step, a routine from its
/// first screen, a deck as the kiosk (at a chosen screen size). Each good save of the file is shown at once, where
/// the writer was; a broken one keeps the last good view, with the problem on the bottom line.
public struct PreviewProgram: Program {
    public enum View: Sendable {
        case session(SessionEngine)
        case routine(RoutineEngine)
        case kiosk(KioskEngine)
        /// Nothing good to show yet: the file has had errors since the start.
        case none
    }

    public private(set) var view: View = .none
    /// The id of the document previewed (the file's), once known.
    private var documentID: String?
    private let fileName: String
    /// The file as the person named it, for the bottom line.
    private let displayName: String
    /// The kiosk's screen, drawn inside the terminal (nil: the terminal's own size).
    private let kioskSize: Size?
    private let pixels: BigFont.Pixels
    private var library: ContentLibrary?
    /// The file's first problem, as `path:line:column: message`; nil while it is good.
    public private(set) var problem: String?
    private var size = Size(width: 80, height: 24)
    private var now: Instant?

    /// - Parameters:
    ///   - library: the content with the file in it; nil when it could not be read.
    ///   - documentID: the file's document; nil when the file has no usable document yet.
    ///   - problem: what is wrong with the file now, if anything.
    public init(library: ContentLibrary?, documentID: String?, fileName: String, displayName: String? = nil,
                problem: String?, kioskSize: Size? = nil, pixels: BigFont.Pixels = .halfBlocks) {
        self.displayName = displayName ?? fileName
        self.library = library
        self.documentID = documentID
        self.fileName = fileName
        self.problem = problem
        self.kioskSize = kioskSize
        self.pixels = pixels
    }

    public mutating func update(_ input: ProgramInput, at now: Instant) -> [ProgramCommand] {
        self.now = now
        switch input {
        case .start(let size):
            self.size = size
            view = Self.view(of: library, id: documentID, at: now.moment, keeping: nil)
        case .tick:
            switch view {
            case .session(var engine):
                _ = engine.tick(at: now.moment)
                view = .session(engine)
            case .routine(var engine):
                _ = engine.tick(at: now.moment)
                view = .routine(engine)
            case .kiosk(var engine):
                engine.tick(at: now.moment)
                view = .kiosk(engine)
            case .none: break
            }
        case .resize(let size):
            self.size = size
        case .signal(let signal):
            return [.quit(signal == .interrupt ? 0 : signal.exitCode)]
        case .key(.character("q")), .key(.escape), .key(.control("c")):
            return [.quit(0)]
        case .key(let key):
            switch view {
            case .session(var engine):
                // Notes are not kept in a preview: `w` does nothing.
                if key != .character("w") { _ = engine.handle(key, at: now.moment) }
                view = .session(engine)
            case .routine(var engine):
                _ = engine.handle(key, at: now.moment)
                view = .routine(engine)
            case .kiosk(var engine):
                _ = engine.handle(key, at: now.moment, screenWidth: kioskSize?.width ?? size.width, wall: now.wall)
                view = .kiosk(engine)
            case .none: break
            }
        case .contentEdited(.loaded(let edited)):
            library = edited
            problem = nil
            if documentID == nil { documentID = Self.documentID(in: edited, fileName: fileName) }
            view = Self.view(of: edited, id: documentID, at: now.moment, keeping: view)
        case .contentEdited(.broken(let reason)):
            problem = reason
        case .deckLoaded, .follow, .saved, .patientLoaded:
            break
        }
        return []
    }

    /// The document of the file named `fileName` (its path), in `library`.
    public static func documentID(in library: ContentLibrary, fileName: String) -> String? {
        guard let file = library.files.first(where: { $0.path == fileName }), file.document != nil else { return nil }
        return file.declaredID
    }

    /// The view of document `id`, at the step, slide or stage of `previous` where it still exists.
    static func view(of library: ContentLibrary?, id: String?, at now: Moment, keeping previous: View?) -> View {
        guard let library, let id, let document = library.document(id: id) else { return previous ?? .none }
        switch document {
        case .drill(let drill):
            // A drill as a session shows it: one step with the drill's text and its timer.
            let step = Section(title: RichText(plain: drill.title), level: 1,
                               blocks: [.drill(DrillReference(drillID: drill.id, location: drill.location))],
                               location: drill.location)
            let session = Session(id: "preview-\(drill.id)", title: drill.title, sections: [step], location: drill.location)
            return .session(SessionEngine(session: session, library: library, startedAt: now))
        case .session(let session):
            var engine = SessionEngine(session: session, library: library, startedAt: now)
            if case .session(let old)? = previous, old.session.id == session.id {
                for _ in 0..<min(old.currentStep, max(0, engine.steps.count - 1)) { _ = engine.handle(.right, at: now) }
            }
            return .session(engine)
        case .routine(let routine):
            return .routine(RoutineEngine(routine: routine, library: library))
        case .deck(let deck):
            var engine = KioskEngine(deck: deck, at: now)
            if case .kiosk(let old)? = previous {
                for _ in 0..<min(old.slideIndex, max(0, deck.slides.count - 1)) {
                    _ = engine.handle(.right, at: now, screenWidth: 80, wall: WallTime(weekday: 2, hour: 12, minute: 0))
                }
            }
            return .kiosk(engine)
        }
    }

    public func nextDeadline(after moment: Moment) -> Moment? {
        switch view {
        case .session(let engine): engine.nextDeadline(after: moment)
        case .routine(let engine): engine.nextDeadline(after: moment)
        case .kiosk(let engine): engine.nextDeadline(after: moment)
        case .none: nil
        }
    }

    public func view(_ size: Size) -> Grid? {
        guard let now else { return nil }
        let notice = problem.map { "\($0) · the last good version is shown" }
            ?? "Preview of \(displayName): drawn again each time you save it. q quits."
        return NoticeLine.compose(size: size, notice: notice) { inner in
            switch view {
            case .session(let engine):
                return SessionScreen.render(engine, at: now.moment, size: inner, pixels: pixels).grid
            case .routine(let engine):
                return RoutineScreen.render(engine, at: now.moment, size: inner, pixels: pixels).grid
            case .kiosk(let engine):
                return kiosk(engine, now: now, inner: inner)
            case .none:
                var grid = Grid(size: inner)
                grid.write(truncated("Nothing to show until the file has no errors.", to: inner.width - 2), column: 1,
                           row: inner.height / 2, style: Style(.warning))
                return grid
            }
        }
    }

    /// The kiosk at its own screen size in the top left corner of the terminal, framed, and its size named under
    /// it (or at the terminal's size when none was asked for, or when the terminal is smaller).
    private func kiosk(_ engine: KioskEngine, now: Instant, inner: Size) -> Grid {
        guard let kioskSize, kioskSize.width + 2 <= inner.width, kioskSize.height + 3 <= inner.height else {
            return KioskScreen.render(engine, at: now.moment, wall: now.wall, size: inner, pixels: pixels)
        }
        var grid = Grid(size: inner)
        let screen = KioskScreen.render(engine, at: now.moment, wall: now.wall, size: kioskSize, pixels: pixels)
        for row in 0..<kioskSize.height {
            for column in 0..<kioskSize.width { grid[column + 1, row + 1] = screen[column, row] }
        }
        let dim = Style(.dim)
        grid.write("┌" + String(repeating: "─", count: kioskSize.width) + "┐", column: 0, row: 0, style: dim)
        for row in 1...kioskSize.height {
            grid.write("│", column: 0, row: row, style: dim)
            grid.write("│", column: kioskSize.width + 1, row: row, style: dim)
        }
        grid.write("└" + String(repeating: "─", count: kioskSize.width) + "┘", column: 0, row: kioskSize.height + 1,
                   style: dim)
        grid.write("the kiosk at \(kioskSize.width)×\(kioskSize.height) · → ← change slides", column: 1,
                   row: kioskSize.height + 2, style: dim)
        return grid
    }
}
