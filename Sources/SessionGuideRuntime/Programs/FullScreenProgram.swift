import SessionGuideContent
import SessionGuideEngine
import SessionGuideHistory
import SessionGuideLayout

/// The full-screen program: the home menu and what it opens (a session, a routine, a document, a deck's
/// preview), or one of them started straight from the command line. All the logic is in the engines; this
/// turns input into engine calls and commands, and lays the current mode out.
public struct FullScreenProgram: Program {
    public enum Mode: Sendable {
        case menu(HomeMenu)
        case session(SessionEngine)
        case routine(RoutineEngine)
        case reader(DocumentReader)
        /// A deck opened from the menu: the kiosk loop, but `q` or Esc goes back (the real kiosk is locked).
        case kioskPreview(KioskEngine)
    }

    public private(set) var mode: Mode
    public private(set) var library: ContentLibrary
    /// Where `q` in a session or reader goes back to; nil when the program was started straight into it.
    private var menu: HomeMenu?
    /// Good edited content, taken at the next step change so nothing moves under the reader's eyes.
    private var pendingLibrary: ContentLibrary?
    /// Why an edit isn't used, shown under the screen until a good edit arrives.
    public private(set) var contentNotice: String?
    /// Where the person was at the last update: a change of it is when edits are taken.
    private var lastPosition: String?
    private var routineSettings: RoutineSettings
    private var routineLog: RoutineRunLog
    private var sessionLog: SessionLog
    /// Big block-letter headings (`--large`).
    private let large: Bool
    /// How big digits and letters are drawn: full blocks (`#` once folded) where only ASCII reaches the screen.
    private let pixels: BigFont.Pixels
    /// Followers of this session (`session --share NAME`) are sent the patient-facing state after every change.
    private let shares: Bool
    private var sharedSession = false
    private let version: String
    /// Keys that arrive in one batch with the Enter or Esc that closed a note came from a paste, not a hand:
    /// pasted text after a line break must not turn into commands (`q`, →) once the note is closed.
    private var ignoringPastedKeys = false
    /// The patient the menu, the session and its programme editor work for: `--patient`, or typed in the menu.
    public private(set) var patient: String?
    /// The patient's current programme, and their next-visit summary, as the history last said.
    public private(set) var patientProgramme: PatientProgramme?
    private var patientSummary: [String]
    /// The programme editor, over the session or the menu (whose timers keep running under it).
    public private(set) var programmeEditor: ProgrammeEditor?
    /// Asking for a patient's label in the menu; then `.prescribe` opens the editor, `.choose` only sets it.
    public private(set) var labelPrompt: LabelPrompt?
    /// A line for the screen under the editor or the menu: a programme saved, or why it wasn't.
    public private(set) var programmeNotice: String?
    /// Once the history has answered which programme the patient has, the editor waits for this.
    private var openEditorWhenLoaded = false

    /// The label being typed, and what it is for.
    public struct LabelPrompt: Sendable {
        public enum Purpose: Sendable { case prescribe, choose }
        public var editor: NoteEditor
        public var purpose: Purpose
        public var problem: String?
    }

    private var size = Size(width: 80, height: 24)
    private var now = Instant(moment: Moment(milliseconds: 0), date: .init(timeIntervalSince1970: 0), utcOffset: 0)

    public init(library: ContentLibrary, start: Mode, large: Bool = false, routine: RoutineSettings = RoutineSettings(),
                session: SessionSettings = SessionSettings(), shares: Bool = false, version: String = "",
                pixels: BigFont.Pixels = .halfBlocks) {
        self.library = library
        self.mode = start
        self.large = large
        self.pixels = pixels
        self.routineSettings = routine
        self.routineLog = RoutineRunLog(settings: routine)
        self.sessionLog = SessionLog(settings: session)
        self.shares = shares
        self.version = version
        patient = session.patient ?? routine.patient
        patientProgramme = routine.programme ?? session.programme
        patientSummary = session.sinceLastVisit
        if case .menu(var menu) = start {
            if let patient { menu.notice = Self.menuNotice(for: patient) }
            self.menu = menu
            self.mode = .menu(menu)
        }
    }

    // MARK: - Update

    public mutating func update(_ input: ProgramInput, at now: Instant) -> [ProgramCommand] {
        self.now = now
        var commands: [ProgramCommand] = []
        switch input {
        case .start(let size):
            self.size = size
            if case .session(let engine) = mode {
                // The session's clock starts when its screen opens.
                mode = .session(SessionEngine(session: engine.session, library: library, startedAt: now.moment))
                sessionLog.begin(at: now)
            }
        case .tick:
            ignoringPastedKeys = false  // a new batch of input
            commands += tick()
        case .resize(let size):
            self.size = size
        case .signal(let signal):
            return finish(code: signal.exitCode)
        case .key(.control("c")):
            return finish(code: TerminalSignal.interrupt.exitCode)
        case .key where ignoringPastedKeys:
            break
        case .key(let key) where programmeEditor != nil || labelPrompt != nil:
            let wasWritingNote = programmeEditor?.noteEditor != nil || labelPrompt != nil
            commands += handleProgrammeKey(key)
            if wasWritingNote, programmeEditor?.noteEditor == nil, labelPrompt == nil { ignoringPastedKeys = true }
        case .key(.character("e")) where canPrescribe:
            commands += startPrescribing()
        case .key(.character("u")) where isMenu:
            labelPrompt = LabelPrompt(editor: NoteEditor(step: 0, text: patient ?? ""), purpose: .choose)
        case .key(let key):
            programmeNotice = nil  // said once: the next key takes it away
            let wasWritingNote = isWritingNote
            commands += handle(key)
            if wasWritingNote, !isWritingNote { ignoringPastedKeys = true }
        case .contentEdited(let edit):
            receive(edit)
        case .patientLoaded(let loadedFor, let records):
            guard PatientLabel.matches(patient, loadedFor) else { break }
            patientProgramme = records.programme
            patientSummary = records.sinceLastVisit
            if let problem = records.problem { programmeNotice = "Can't read \(loadedFor)'s records: \(problem)" }
            if openEditorWhenLoaded {
                openEditorWhenLoaded = false
                openEditor()
            }
        case .saved(let record, let problem):
            switch record {
            case .programme(let saved):
                if let problem {
                    programmeNotice = "The programme was not saved: \(problem)"
                } else {
                    patientProgramme = PatientProgramme(record: saved)
                    programmeNotice = "Programme version \(saved.version) saved for \(saved.patient)."
                }
            case .routineRun(let run): commands += routineLog.saved(run, problem: problem)
            case .session(let saved):
                commands += sessionLog.saved(saved, problem: problem)
                if problem != nil, let notice = sessionLog.notice {
                    menu?.notice = notice
                    if case .menu(var shown) = mode {
                        shown.notice = notice
                        mode = .menu(shown)
                    }
                }
            }
        case .deckLoaded, .follow:
            break
        }
        takeEditedContent()
        applyLayoutLimits()
        commands += publishToFollowers()
        commands += saveAsItHappens()
        return commands
    }

    /// The record of the session or routine on screen is saved as it goes, not only at the end.
    private mutating func saveAsItHappens() -> [ProgramCommand] {
        switch mode {
        case .session(let engine): sessionLog.checkpoint(engine, at: now)
        case .routine(let engine): routineLog.follow(engine, at: now)
        default: []
        }
    }

    /// Whatever ended the program (q, Ctrl-C, a signal), the run or session on screen is kept.
    private mutating func finish(code: Int32) -> [ProgramCommand] {
        var commands: [ProgramCommand] = []
        switch mode {
        case .routine(let engine): commands += routineLog.record(engine, at: now, interrupted: code != 0)
        case .session(let engine): commands += sessionLog.record(engine, at: now, interrupted: code != 0)
        default: break
        }
        return commands + [.quit(code)]
    }

    private mutating func tick() -> [ProgramCommand] {
        switch mode {
        case .session(var engine):
            let effects = engine.tick(at: now.moment)
            mode = .session(engine)
            return Self.commands(for: effects)
        case .routine(var engine):
            let cues = engine.tick(at: now.moment)
            mode = .routine(engine)
            return give(cues) + routineLog.follow(engine, at: now)
        case .kioskPreview(var engine):
            engine.tick(at: now.moment)
            mode = .kioskPreview(engine)
            return []
        case .menu, .reader:
            return []
        }
    }

    private static func commands(for effects: [Effect]) -> [ProgramCommand] {
        effects.compactMap { effect in
            switch effect {
            case .bell: .bell
            case .flash: .flash
            case .quit: nil
            }
        }
    }

    private func give(_ cues: [RoutineCue]) -> [ProgramCommand] {
        cues.flatMap { cue -> [ProgramCommand] in
            (routineSettings.bell ? [.bell] : []) + [.flash, .speak(cue.spokenText)]
        }
    }

    // MARK: - Programmes

    private var isMenu: Bool {
        if case .menu = mode { true } else { false }
    }

    /// `e` opens the programme editor: in the menu, and in a session that isn't writing a note or showing an
    /// overlay. Not with `--no-log`: a programme lives in the history.
    private var canPrescribe: Bool {
        switch mode {
        case .menu: true
        case .session(let engine): engine.noteEditor == nil && engine.overlay == nil
        default: false
        }
    }

    private mutating func startPrescribing() -> [ProgramCommand] {
        guard sessionLog.settings.records || routineSettings.records else {
            programmeNotice = "With --no-log nothing is saved, so programmes can't be prescribed."
            return []
        }
        guard patient != nil else {
            labelPrompt = LabelPrompt(editor: NoteEditor(step: 0), purpose: .prescribe)
            return []
        }
        openEditor()
        return []
    }

    private mutating func openEditor() {
        guard let patient else { return }
        let preferred = library.documents.first { if case .routine = $0 { true } else { false } }?.id
        programmeEditor = ProgrammeEditor(patient: patient, library: library,
                                          current: patientProgramme?.prescription,
                                          currentVersion: patientProgramme?.record.version,
                                          preferredRoutine: preferred, today: CalendarDay(now))
        programmeNotice = nil
    }

    private mutating func handleProgrammeKey(_ key: KeyEvent) -> [ProgramCommand] {
        if var prompt = labelPrompt {
            switch prompt.editor.handle(key) {
            case .editing:
                labelPrompt = prompt
            case .cancelled:
                labelPrompt = nil
            case .saved(let text):
                switch PatientLabel.validated(text) {
                case .failure(let problem):
                    prompt.problem = problem.description.replacingOccurrences(of: "--patient", with: "The label")
                    prompt.editor = NoteEditor(step: 0, text: text)
                    labelPrompt = prompt
                case .success(let label):
                    labelPrompt = nil
                    let changed = !PatientLabel.matches(patient, label)
                    patient = label
                    if case .menu(var shown) = mode {
                        shown.notice = Self.menuNotice(for: label)
                        mode = .menu(shown)
                        menu = shown
                    }
                    if changed { (patientProgramme, patientSummary) = (nil, []) }
                    if prompt.purpose == .prescribe { openEditorWhenLoaded = true }
                    return [.patientChosen(label), .loadPatient(label)]
                }
            }
            return []
        }
        guard var editor = programmeEditor else { return [] }
        switch editor.handle(key) {
        case .editing:
            programmeEditor = editor
        case .cancelled:
            programmeEditor = nil
        case .saved(let prescription):
            programmeEditor = nil
            guard let routine = editor.routine else { return [] }
            let record = PatientProgramme.record(for: prescription, patient: editor.patient, routine: routine,
                                                 library: library, at: now.date, sessionKey: sessionLog.recordKey)
            return [.save(.programme(record))]
        }
        return []
    }

    /// What the menu says of the patient it works for.
    private static func menuNotice(for patient: String) -> String {
        "Patient: \(patient). Routines opened now run \(patient)'s programme."
    }

    private var isWritingNote: Bool {
        if case .session(let engine) = mode { engine.noteEditor != nil } else { false }
    }

    private mutating func handle(_ key: KeyEvent) -> [ProgramCommand] {
        switch mode {
        case .menu(var menu):
            let action = menu.handle(key)
            mode = .menu(menu)
            switch action {
            case .quit?: return [.quit(0)]
            case .open(let item)?: open(item, from: menu)
            case nil: break
            }
        case .session(var engine):
            let effects = engine.handle(key, at: now.moment)
            mode = .session(engine)
            var commands = Self.commands(for: effects)
            if effects.contains(.quit) {
                commands += sessionLog.record(engine, at: now, interrupted: false)
                commands += backToMenu()
            }
            return commands
        case .routine(var engine):
            if engine.stage == .finished {
                return [.character("q"), .enter, .escape, .character(" ")].contains(key) ? backToMenu() : []
            }
            if engine.stage == .intro, key == .character("q") || key == .escape { return backToMenu() }
            let cues = engine.handle(key, at: now.moment)
            mode = .routine(engine)
            return give(cues) + routineLog.follow(engine, at: now)
        case .kioskPreview(var engine):
            if [.character("q"), .escape].contains(key) { return backToMenu() }
            _ = engine.handle(key, at: now.moment, screenWidth: size.width, wall: now.wall)
            mode = .kioskPreview(engine)
        case .reader(var reader):
            let close = reader.handle(key)
            mode = .reader(reader)
            if close { return backToMenu() }
        }
        return []
    }

    private mutating func open(_ item: HomeMenu.Item, from menu: HomeMenu) {
        self.menu = menu
        switch library.document(id: item.id) {
        case .session(let session)?:
            // A patient chosen in the menu (u) is the one the session is recorded for.
            if !PatientLabel.matches(sessionLog.settings.patient, patient ?? "") {
                var settings = sessionLog.settings
                settings.patient = patient
                settings.programme = patientProgramme
                settings.sinceLastVisit = patientSummary
                sessionLog = SessionLog(settings: settings)
            }
            sessionLog.begin(at: now)
            mode = .session(SessionEngine(session: session, library: library, startedAt: now.moment))
        case .routine(let routine)?:
            routineLog.reset()
            // The patient's programme, when it is of this routine: their doses, and a question after each drill.
            let start = RoutineStart(routine, library: library, patient: patient, programme: patientProgramme,
                                     asksAboutPain: routineSettings.asksAboutPain, utcOffset: now.utcOffset)
            var settings = routineSettings
            settings.patient = patient
            settings.programme = start.programme
            settings.notices += [start.notice].compactMap { $0 }
            routineLog = RoutineRunLog(settings: settings)
            mode = .routine(start.engine)
        case .deck(let deck)?:
            mode = .kioskPreview(KioskEngine(deck: deck, at: now.moment))
        case let document?:
            mode = .reader(DocumentReader(document: document))
        case nil:
            var menu = menu
            menu.notice = "'\(item.id)' can't be opened"
            mode = .menu(menu)
        }
    }

    /// Back to the menu, or the end when the program was started straight into this mode.
    private mutating func backToMenu() -> [ProgramCommand] {
        guard let menu else { return [.quit(0)] }
        mode = .menu(menu)
        return []
    }

    // MARK: - Content edited while running

    private mutating func receive(_ edit: ContentEdit) {
        switch edit {
        case .loaded(let edited):
            pendingLibrary = edited
            if case .failure(let refusal) = modeWithContent(edited) { contentNotice = refusal.reason } else {
                contentNotice = nil
            }
        case .broken(let problem):
            contentNotice = "Edit not used (showing the last good content): \(problem)"
        }
    }

    /// Takes a good edit when the person moves on: at once in the menu, at the next step in a session, at the
    /// next drill in a routine.
    private mutating func takeEditedContent() {
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

    /// The session's patient-facing state for the followers (the channel sends only a changed one). Each
    /// follower counts a running timer's seconds itself, so a second passing sends nothing.
    private mutating func publishToFollowers() -> [ProgramCommand] {
        guard shares else { return [] }
        if case .session(let engine) = mode {
            sharedSession = true
            return [.publish(.state(SharedSessionState(engine)))]
        }
        guard sharedSession else { return [] }
        sharedSession = false
        return [.publish(.ended)]  // back in the menu: followers wait for the next session opened from it
    }

    // MARK: - Layout

    /// The notice under the routine's intro or finish screen.
    private var routineNotice: String? {
        guard case .routine(let engine) = mode else { return nil }
        guard engine.stage == .intro else { return routineLog.notice }
        let notices = routineLog.settings.notices
        return notices.isEmpty ? nil : notices.joined(separator: " ")
    }

    /// Scroll limits and page sizes, worked out from the size the screen is laid out in.
    private mutating func applyLayoutLimits() {
        let inner = NoticeLine.contentSize(size: size, notice: contentNotice)
        switch mode {
        case .session(var engine):
            let screen = SessionScreen.render(engine, at: now.moment, size: inner, large: large, pixels: pixels,
                                              sinceLastVisit: sessionLog.settings.sinceLastVisit)
            engine.setScrollLimits(maximum: screen.maximumScroll, page: screen.pageSize)
            if let first = screen.noteFirstVisible { engine.keepNoteScroll(firstVisible: first) }
            mode = .session(engine)
        case .routine(var engine) where engine.stage == .intro:
            let screen = RoutineScreen.render(engine, at: now.moment, size: inner, notice: routineNotice, large: large, pixels: pixels)
            engine.setIntroScrollLimit(screen.maximumScroll)
            mode = .routine(engine)
        case .reader(var reader):
            let screen = ReaderScreen.render(reader, library: library, size: size)
            reader.setScrollLimits(maximum: screen.maximumScroll, page: screen.pageSize)
            mode = .reader(reader)
        default:
            break
        }
    }

    public func nextDeadline(after moment: Moment) -> Moment? {
        switch mode {
        case .session(let engine): [engine.nextDeadline(after: moment), sessionLog.nextDeadline()].compactMap { $0 }.min()
        case .routine(let engine): [engine.nextDeadline(after: moment), routineLog.nextDeadline()].compactMap { $0 }.min()
        case .kioskPreview(let engine):
            // The clock on the slide changes each minute.
            min(engine.nextDeadline(after: moment), now.moment + now.millisecondsToNextMinute)
        case .menu, .reader: nil  // nothing changes on its own: sleep until a key
        }
    }

    public func view(_ size: Size) -> Grid? {
        if let editor = programmeEditor {
            return NoticeLine.compose(size: size, notice: programmeNotice ?? contentNotice) { size in
                ProgrammeScreen.render(editor, size: size).grid
            }
        }
        if let prompt = labelPrompt {
            return LabelPromptScreen.render(prompt.editor, problem: prompt.problem,
                                            purpose: prompt.purpose == .prescribe ? "prescribe a programme"
                                                : "run their programme", size: size).grid
        }
        if let programmeNotice, !isRoutine {
            return NoticeLine.compose(size: size, notice: programmeNotice) { size in modeView(size) ?? Grid(size: size) }
        }
        return modeView(size)
    }

    private var isRoutine: Bool {
        if case .routine = mode { true } else { false }
    }

    private func modeView(_ size: Size) -> Grid? {
        switch mode {
        case .menu(let menu):
            return MenuScreen.render(menu, size: size, version: version).grid
        case .session(let engine):
            return NoticeLine.compose(size: size, notice: contentNotice) { size in
                SessionScreen.render(engine, at: now.moment, size: size, large: large, pixels: pixels,
                                     sinceLastVisit: sessionLog.settings.sinceLastVisit).grid
            }
        case .routine(let engine):
            return NoticeLine.compose(size: size, notice: contentNotice) { size in
                RoutineScreen.render(engine, at: now.moment, size: size, notice: routineNotice, large: large, pixels: pixels).grid
            }
        case .kioskPreview(let engine):
            return KioskScreen.render(engine, at: now.moment, wall: now.wall, size: size, large: large, pixels: pixels)
        case .reader(let reader):
            return ReaderScreen.render(reader, library: library, size: size).grid
        }
    }
}
