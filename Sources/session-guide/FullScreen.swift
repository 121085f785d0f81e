import ArgumentParser
import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideHistory
import SessionGuideLayout
import SessionGuideTerminal

/// The full-screen program: a loop that lays out the current mode, draws it, and sleeps until a key, a signal
/// or the mode's next deadline. All the logic is in the engines; this only wires them to the terminal.
final class FullScreenApp {
    enum Mode {
        case menu(HomeMenu)
        case session(SessionEngine)
        case routine(RoutineEngine)
        case reader(DocumentReader)
        /// A deck opened from the menu: the kiosk loop, but `q` or Esc goes back (the real kiosk is locked).
        case kioskPreview(KioskEngine)
    }

    private let terminal: Terminal
    private var library: ContentLibrary
    /// Reads edited content while the program runs; nil when there is no folder to watch.
    private var reloader: ContentReloader?
    /// Good edited content, taken at the next step change so nothing moves under the reader's eyes.
    private var pendingLibrary: ContentLibrary?
    /// Why an edit isn't used, shown under the screen until a good edit arrives.
    private var contentNotice: String?
    /// Where the person was when the screen was last drawn: a change of it is when edits are taken.
    private var lastPosition: String?
    private var mode: Mode
    /// Where `q` in a session or reader goes back to; nil when the program was started straight into it.
    private var menu: HomeMenu?
    private let routineSetup: RoutineSetup
    private let recorder: RoutineRecorder
    private let sessionRecorder: SessionRecorder
    /// Big block-letter headings (`--large`).
    private var large = false
    /// Followers of this session (`session --share NAME`), sent the patient-facing state after every change.
    private var share: ShareServer?

    private init(terminal: Terminal, library: ContentLibrary, mode: Mode, routineSetup: RoutineSetup,
                 sessionSetup: SessionSetup) {
        self.terminal = terminal
        self.library = library
        self.mode = mode
        self.routineSetup = routineSetup
        self.recorder = RoutineRecorder(setup: routineSetup)
        self.sessionRecorder = SessionRecorder(setup: sessionSetup)
        if case .menu(let menu) = mode { self.menu = menu }
    }

    /// Runs until the person quits or a signal arrives, restores the terminal, and returns the exit code.
    static func run(library: ContentLibrary, start: Mode, display: TerminalOptions, large: Bool = false,
                    routineSetup: RoutineSetup = .silent, sessionSetup: SessionSetup = .unrecorded,
                    share: ShareServer? = nil, reloader: ContentReloader? = nil) throws -> Int32 {
        let terminal = try openTerminal(display)
        defer { terminal.stop() }
        var start = start
        if case .session(let engine) = start {
            start = .session(SessionEngine(session: engine.session, library: library, startedAt: Terminal.now()))
        }
        let app = FullScreenApp(terminal: terminal, library: library, mode: start, routineSetup: routineSetup,
                                sessionSetup: sessionSetup)
        if case .session = start { app.sessionRecorder.begin() }
        app.large = large
        app.share = share
        app.reloader = reloader
        let code = app.loop()
        share?.end()  // followers hear that the session ended, whatever ended it
        // Whatever ended the program (q, Ctrl-C, a signal), the run or session on screen is kept.
        switch app.mode {
        case .routine(let engine): app.recorder.record(engine, at: Terminal.now())
        case .session(let engine): app.sessionRecorder.record(engine, at: Terminal.now(), interrupted: code != 0)
        default: break
        }
        terminal.stop()
        app.recorder.messagesAfterExit.forEach(Console.error)
        app.sessionRecorder.reportAfterExit()
        return code
    }

    private func loop() -> Int32 {
        while true {
            let now = Terminal.now()
            takeEditedContent(at: now)
            perform(tick(at: now))
            draw(at: now)
            publishToFollowers()
            // Keys that arrive together with the Enter or Esc that closed a note came from a paste, not a hand:
            // pasted text after a line break must not turn into commands (`q`, →) once the note is closed.
            var ignoringPastedKeys = false
            let wake = [deadline(after: now), reloader?.changes.deadline(after: now)].compactMap { $0 }.min()
            let inputs = terminal.wait(until: wake, watching: reloader?.watcher, descriptors: share?.descriptors ?? [])
            for input in inputs {
                switch input {
                case .signal(let signal):
                    return Self.exitCode(for: signal)
                case .key(.resize):
                    continue  // the next pass lays the screen out for the new size
                case .contentChanged:
                    reloader?.changes.changed(at: Terminal.now())
                case .readable(let descriptor):
                    share?.handleReadable(descriptor)  // a follower came or went; it never drives the session
                case .key(.control("c")):
                    return Self.exitCode(for: .interrupt)
                case .key where ignoringPastedKeys:
                    continue
                case .key(let key):
                    let wasWritingNote = isWritingNote
                    if handle(key, at: Terminal.now()) { return 0 }
                    if wasWritingNote, !isWritingNote { ignoringPastedKeys = true }
                }
            }
        }
    }

    // MARK: - Content edited while running

    /// Reads the content again when it changed, and takes a good edit when the person moves on: at once in the
    /// menu, at the next step in a session, at the next drill in a routine.
    private func takeEditedContent(at now: Moment) {
        switch reloader?.look(at: now) {
        case .loaded(let edited)?:
            pendingLibrary = edited
            if case .failure(let refusal) = modeWithContent(edited) { contentNotice = refusal.reason } else {
                contentNotice = nil
            }
        case .broken(let problem)?:
            contentNotice = "Edit not used (showing the last good content): \(problem)"
        case nil:
            break
        }
        let position = self.position
        defer { lastPosition = position }
        guard let edited = pendingLibrary else { return }
        if case .menu = mode {} else if position == lastPosition { return }
        // An edit the running session or routine can't take was already refused with a notice; it stays
        // pending only for the menu.
        guard case .success(let updated) = modeWithContent(edited) else { return }
        mode = updated
        library = edited
        pendingLibrary = nil
    }

    struct EditRefusal: Error {
        var reason: String
    }

    /// The mode on screen with `edited` content, or why the session or routine running can't take it (said at
    /// once, so the therapist knows before the next step).
    private func modeWithContent(_ edited: ContentLibrary) -> Result<Mode, EditRefusal> {
        switch mode {
        case .menu(let menu):
            return .success(.menu(menu.reloaded(edited)))
        case .session(var engine):
            guard case .session(let session)? = edited.document(id: engine.session.id) else {
                return .failure(EditRefusal(reason: Self.missing(engine.session.id)))
            }
            guard engine.replaceContent(session: session, library: edited) else {
                return .failure(EditRefusal(
                    reason: "Steps added or removed: the edit shows when the session next starts."))
            }
            return .success(.session(engine))
        case .routine(var engine):
            guard case .routine(let routine)? = edited.document(id: engine.routine.id) else {
                return .failure(EditRefusal(reason: Self.missing(engine.routine.id)))
            }
            guard engine.replaceContent(routine: routine, library: edited) else {
                return .failure(EditRefusal(reason: "Drills or timing changed: the edit shows from the next run."))
            }
            return .success(.routine(engine))
        case .reader, .kioskPreview:
            return .success(mode)
        }
    }

    private static func missing(_ id: String) -> String {
        "'\(id)' is no longer in the content: still showing the last good version."
    }

    /// The step, drill or screen the person is on.
    private var position: String {
        switch mode {
        case .menu: "menu"
        case .session(let engine): "session \(engine.currentStep) \(engine.showsSummary)"
        case .routine(let engine): "routine \(engine.segment.drillIndex) \(engine.stage)"
        case .reader(let reader): "reader \(reader.document.id)"
        case .kioskPreview: "deck"
        }
    }

    /// Sends the session's patient-facing state to the followers when it changed. Each follower counts a
    /// running timer's seconds itself, so a second passing sends nothing.
    private func publishToFollowers() {
        guard let share else { return }
        if case .session(let engine) = mode {
            share.publish(.state(SharedSessionState(engine)))
        } else if share.hasPublished {
            share.publish(.ended)  // back in the menu: followers wait for the next session opened from it
        }
    }

    private var isWritingNote: Bool {
        if case .session(let engine) = mode { engine.noteEditor != nil } else { false }
    }

    // MARK: - Routine cues and history

    private func give(_ cues: [RoutineCue]) {
        for cue in cues {
            if routineSetup.bell { terminal.bell() }
            terminal.flash()
            routineSetup.speaker?.speak(cue.spokenText)
        }
    }

    /// The full screen, or the one-line reason it can't start here and exit 69.
    static func openTerminal(_ display: TerminalOptions) throws -> Terminal {
        do {
            return try Terminal(options: display)
        } catch {
            Console.error(error.description)
            throw ExitCode(SysExit.unavailable)
        }
    }

    /// The shell's convention: 128 plus the signal's number.
    static func exitCode(for signal: TerminalSignal) -> Int32 {
        switch signal {
        case .hangup: 128 + 1
        case .interrupt: 128 + 2
        case .quit: 128 + 3
        case .terminate: 128 + 15
        }
    }

    private func tick(at now: Moment) -> [Effect] {
        switch mode {
        case .session(var engine):
            let effects = engine.tick(at: now)
            mode = .session(engine)
            return effects
        case .routine(var engine):
            let cues = engine.tick(at: now)
            mode = .routine(engine)
            give(cues)
            recorder.follow(engine, at: now)
            return []
        case .kioskPreview(var engine):
            engine.tick(at: now)
            mode = .kioskPreview(engine)
            return []
        default:
            return []
        }
    }

    private func perform(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .bell: terminal.bell()
            case .flash: terminal.flash()
            case .quit: break
            }
        }
    }

    private func deadline(after now: Moment) -> Moment? {
        switch mode {
        case .session(let engine): return engine.nextDeadline(after: now)
        case .routine(let engine): return engine.nextDeadline(after: now)
        case .kioskPreview(let engine):
            return min(engine.nextDeadline(after: now), now + WallClock.millisecondsToNextMinute())
        default: return nil  // nothing changes on its own: sleep until a key
        }
    }

    private func draw(at now: Moment) {
        let size = terminal.size
        switch mode {
        case .menu(let menu):
            terminal.draw(MenuScreen.render(menu, size: size, version: SessionGuideCommand.version).grid)
        case .session(var engine):
            let grid = NoticeLine.compose(size: size, notice: contentNotice) { size in
                let screen = SessionScreen.render(engine, at: now, size: size, large: large)
                engine.setScrollLimits(maximum: screen.maximumScroll, page: screen.pageSize)
                if let first = screen.noteFirstVisible { engine.keepNoteScroll(firstVisible: first) }
                return screen.grid
            }
            mode = .session(engine)
            terminal.draw(grid)
        case .routine(var engine):
            let notice = engine.stage == .intro ? routineSetup.notices.first : recorder.notice
            let grid = NoticeLine.compose(size: size, notice: contentNotice) { size in
                let screen = RoutineScreen.render(engine, at: now, size: size, notice: notice, large: large)
                if engine.stage == .intro { engine.setIntroScrollLimit(screen.maximumScroll) }
                return screen.grid
            }
            mode = .routine(engine)
            terminal.draw(grid)
        case .kioskPreview(let engine):
            terminal.draw(KioskScreen.render(engine, at: now, wall: WallClock.now(), size: size, large: large))
        case .reader(var reader):
            let screen = ReaderScreen.render(reader, library: library, size: size)
            reader.setScrollLimits(maximum: screen.maximumScroll, page: screen.pageSize)
            mode = .reader(reader)
            terminal.draw(screen.grid)
        }
    }

    /// Returns true when the program should end.
    private func handle(_ key: KeyEvent, at now: Moment) -> Bool {
        switch mode {
        case .menu(var menu):
            let action = menu.handle(key)
            mode = .menu(menu)
            switch action {
            case .quit?: return true
            case .open(let item)?: open(item, from: menu, at: now)
            case nil: break
            }
        case .session(var engine):
            let effects = engine.handle(key, at: now)
            mode = .session(engine)
            perform(effects)
            if effects.contains(.quit) {
                sessionRecorder.record(engine, at: now, interrupted: false)
                if let notice = sessionRecorder.notice, notice.hasPrefix("This session was not saved") {
                    menu?.notice = notice
                }
                return backToMenu()
            }
        case .routine(var engine):
            if engine.stage == .finished {
                if [.character("q"), .enter, .escape, .character(" ")].contains(key) { return backToMenu() }
                return false
            }
            if engine.stage == .intro, key == .character("q") || key == .escape { return backToMenu() }
            let cues = engine.handle(key, at: now)
            mode = .routine(engine)
            give(cues)
            recorder.follow(engine, at: now)
        case .kioskPreview(var engine):
            if [.character("q"), .escape].contains(key) { return backToMenu() }
            _ = engine.handle(key, at: now, screenWidth: terminal.size.width, wall: WallClock.now())
            mode = .kioskPreview(engine)
        case .reader(var reader):
            let close = reader.handle(key)
            mode = .reader(reader)
            if close { return backToMenu() }
        }
        return false
    }

    private func open(_ item: HomeMenu.Item, from menu: HomeMenu, at now: Moment) {
        self.menu = menu
        switch library.document(id: item.id) {
        case .session(let session)?:
            sessionRecorder.begin()
            mode = .session(SessionEngine(session: session, library: library, startedAt: now))
        case .routine(let routine)?:
            recorder.reset()
            mode = .routine(RoutineEngine(routine: routine, library: library))
        case .deck(let deck)?:
            mode = .kioskPreview(KioskEngine(deck: deck, at: now))
        case let document?:
            mode = .reader(DocumentReader(document: document))
        case nil:
            var menu = menu
            menu.notice = "'\(item.id)' can't be opened"
            mode = .menu(menu)
        }
    }

    /// Returns true when there is no menu to go back to, so the program ends.
    private func backToMenu() -> Bool {
        guard let menu else { return true }
        mode = .menu(menu)
        return false
    }
}
