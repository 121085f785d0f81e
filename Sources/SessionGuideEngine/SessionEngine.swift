import SessionGuideContent

/// Something the engine asks the terminal to do.
public enum Effect: Hashable, Sendable {
    case bell
    case flash
    case quit
}

/// One step of a session as shown: its section, the group it belongs to, and its drill when it has one.
public struct SessionStepModel: Hashable, Sendable, Codable {
    public var title: String
    public var group: String?
    public var blocks: [Block]
    /// The first drill of the step, run by the step's timer.
    public var drill: ResolvedDrill?
}

/// The therapist's session: which step is shown, the drill timers (which keep running on other steps), script
/// visibility, overlays, notes on steps and the time spent on each step. Time is passed in.
public struct SessionEngine: Sendable {
    /// What the therapist wrote on a step: what the patient answered to a script, how a drill felt.
    public struct Note: Hashable, Sendable {
        public var text: String
        /// When it was last saved.
        public var writtenAt: Moment

        public init(text: String, writtenAt: Moment) {
            self.text = text
            self.writtenAt = writtenAt
        }
    }

    public enum Overlay: Hashable, Sendable {
        case help
        /// The table of contents, with the highlighted step.
        case contents(selection: Int)
        case confirmQuit
    }

    public private(set) var session: Session
    public private(set) var steps: [SessionStepModel]
    public private(set) var currentStep = 0
    /// True once the therapist has moved past the last step: the summary is shown.
    public private(set) var showsSummary = false
    public private(set) var timers: [Int: DrillTimer] = [:]
    public private(set) var showScripts = true
    public private(set) var overlay: Overlay?
    /// First body line shown; the layout reports how far it may go.
    public private(set) var scrollOffset = 0
    public private(set) var maximumScroll = 0
    public private(set) var pageSize = 10
    /// Notes by step. A step has at most one; `w` edits it.
    public private(set) var notes: [Int: Note] = [:]
    /// The note being written; while it is open every key goes to it (timers keep running).
    public private(set) var noteEditor: NoteEditor?
    /// Steps whose drill timer was started at least once, and steps whose timer ran to the end at least once
    /// (a timer reset afterwards still counts): what the session record keeps.
    public private(set) var timersStarted: Set<Int> = []
    public private(set) var timersCompleted: Set<Int> = []
    public let startedAt: Moment
    private var stepEnteredAt: Moment
    private var millisecondsOnStep: [Int: Int64] = [:]

    public init(session: Session, library: ContentLibrary, startedAt: Moment) {
        self.session = session
        self.steps = Self.stepModels(session, library: library)
        self.startedAt = startedAt
        self.stepEnteredAt = startedAt
    }

    private static func stepModels(_ session: Session, library: ContentLibrary) -> [SessionStepModel] {
        session.steps.map { step in
            let drill = step.section.blocks.lazy.compactMap(\.drillReference).first.flatMap(library.resolve)
            return SessionStepModel(title: step.title.plainText, group: step.group?.plainText,
                                    blocks: step.section.blocks, drill: drill)
        }
    }

    /// Takes edited content for the same session while it runs. Everything kept per step (time, notes, timers)
    /// stays with its step, so only an edit that keeps the number of steps is taken; false means the session
    /// goes on as it was. A timer already started keeps its timing; the others take the new one.
    public mutating func replaceContent(session: Session, library: ContentLibrary) -> Bool {
        let newSteps = Self.stepModels(session, library: library)
        guard newSteps.count == steps.count else { return false }
        self.session = session
        steps = newSteps
        return true
    }

    // MARK: - Queries

    public var step: SessionStepModel { steps[currentStep] }
    public var nextStep: SessionStepModel? { currentStep + 1 < steps.count ? steps[currentStep + 1] : nil }

    /// The current step's timer, created when first needed.
    public func timer(forStep index: Int) -> DrillTimer? {
        timers[index] ?? steps[index].drill.map { DrillTimer(timing: $0.timing) }
    }

    /// A running timer on a step other than the one shown, for the header.
    public var timerRunningElsewhere: (step: Int, timer: DrillTimer)? {
        timers.filter { ($0.key != currentStep || showsSummary) && $0.value.isRunning }.min { $0.key < $1.key }
            .map { ($0.key, $0.value) }
    }

    public var anyTimerRunning: Bool { timers.values.contains { $0.isRunning } }

    public func elapsed(at now: Moment) -> Int64 { now - startedAt }

    /// Milliseconds spent on each step so far, the current visit included.
    public func timeOnSteps(at now: Moment) -> [Int64] {
        steps.indices.map { index in
            (millisecondsOnStep[index] ?? 0) + (index == currentStep && !showsSummary ? now - stepEnteredAt : 0)
        }
    }

    /// The notes as they would be kept if the session ended now: a note still being written counts as written
    /// (so a signal or Ctrl-C never loses what was typed), and an emptied one as removed.
    public func notesIncludingDraft(at now: Moment) -> [Int: Note] {
        guard let editor = noteEditor else { return notes }
        var notes = notes
        let draft = editor.text.trimmingSpaces()
        // The editor opens on the saved text, so an empty draft means the therapist cleared the note.
        if draft.isEmpty {
            notes[editor.step] = nil
        } else if draft != notes[editor.step]?.text {
            notes[editor.step] = Note(text: draft, writtenAt: now)
        }
        return notes
    }

    /// Drill steps whose timer ran to the end.
    public var completedDrills: [Int] { timers.filter(\.value.isFinished).map(\.key).sorted() }
    public var drillSteps: [Int] { steps.indices.filter { steps[$0].drill != nil } }

    /// The earliest moment the screen must change without a key: a timer's next second, or the next minute of
    /// the session clock in the header.
    public func nextDeadline(after now: Moment) -> Moment {
        let elapsed = now - startedAt
        let nextMinute = now + (60_000 - elapsed % 60_000)
        return timers.values.compactMap { $0.nextDeadline(after: now) }.reduce(nextMinute) { min($0, $1) }
    }

    // MARK: - Time

    /// Lets every timer catch up with `now`; returns what the person should notice.
    public mutating func tick(at now: Moment) -> [Effect] {
        var effects: [Effect] = []
        for index in timers.keys.sorted() {
            let events = timers[index]!.advance(to: now)
            if events.contains(.finished) { timersCompleted.insert(index) }
            effects += Self.effects(of: events)
        }
        return Self.deduplicated(effects)
    }

    private static func effects(of events: [TimerEvent]) -> [Effect] {
        events.flatMap { event -> [Effect] in
            switch event {
            case .phaseStarted: [.bell]
            case .finished: [.bell, .flash]
            }
        }
    }

    private static func deduplicated(_ effects: [Effect]) -> [Effect] {
        var seen: Set<Effect> = []
        return effects.filter { seen.insert($0).inserted }
    }

    // MARK: - Keys

    public mutating func handle(_ key: KeyEvent, at now: Moment) -> [Effect] {
        var effects = tick(at: now)
        if var editor = noteEditor {
            // Every key is the editor's while it is open: `q` is a letter, arrows move the cursor.
            switch editor.handle(key) {
            case .editing:
                noteEditor = editor
            case .saved(let text):
                noteEditor = nil
                notes[editor.step] = text.isEmpty ? nil
                    : text == notes[editor.step]?.text ? notes[editor.step] : Note(text: text, writtenAt: now)
            case .cancelled:
                noteEditor = nil
            }
            return effects
        }
        switch overlay {
        case .help?:
            overlay = nil
            return effects
        case .contents(let selection)?:
            handleContents(key, selection: selection, at: now)
            return effects
        case .confirmQuit?:
            switch key {
            case .character("y"), .character("Y"), .character("q"), .enter: effects.append(.quit)
            default: overlay = nil
            }
            return effects
        case nil:
            break
        }
        switch key {
        case .right, .character("l"), .character("n"), .enter:
            goForward(at: now)
        case .left, .character("h"), .character("p"), .backspace:
            goBack(at: now)
        case .home where showsSummary, .character("g"):
            go(to: 0, at: now)
        case .up: scroll(by: -1)
        case .down: scroll(by: 1)
        case .pageUp: scroll(by: -pageSize)
        case .pageDown:
            scroll(by: pageSize)
        case .home: scrollOffset = 0
        case .end: scrollOffset = maximumScroll
        case .character("t"), .tab:
            overlay = .contents(selection: showsSummary ? steps.count - 1 : currentStep)
        case .character("?"), .function(1):
            overlay = .help
        case .character("s"):
            showScripts.toggle()
        case .character("w") where !showsSummary:
            noteEditor = NoteEditor(step: currentStep, text: notes[currentStep]?.text ?? "")
        case .character("q"):
            if anyTimerRunning { overlay = .confirmQuit } else { effects.append(.quit) }
        case .character(" "):
            if currentDrillTimer == nil {
                scroll(by: pageSize)  // Space pages through a long step, as in a pager
            } else {
                effects += Self.effects(of: updateCurrentTimer { $0.toggle(at: now) })
            }
        case .character("r"):
            _ = updateCurrentTimer { $0.reset(); return [] }
        case .character("+"), .character("="):
            _ = updateCurrentTimer { $0.adjust(bySeconds: DrillTimer.adjustmentSeconds, at: now); return [] }
        case .character("-"), .character("_"):
            _ = updateCurrentTimer { $0.adjust(bySeconds: -DrillTimer.adjustmentSeconds, at: now); return [] }
        default:
            break
        }
        return Self.deduplicated(effects)
    }

    /// The layout reports how far the current body can scroll and how many lines a page holds.
    public mutating func setScrollLimits(maximum: Int, page: Int) {
        maximumScroll = max(0, maximum)
        pageSize = max(1, page)
        scrollOffset = min(scrollOffset, maximumScroll)
    }

    /// The layout reports where it started showing the note being written (it scrolls sideways).
    public mutating func keepNoteScroll(firstVisible: Int) {
        noteEditor?.firstVisible = firstVisible
    }

    private var currentDrillTimer: DrillTimer? { showsSummary ? nil : timer(forStep: currentStep) }

    private mutating func updateCurrentTimer(_ change: (inout DrillTimer) -> [TimerEvent]) -> [TimerEvent] {
        guard !showsSummary, var timer = timer(forStep: currentStep) else { return [] }
        let events = change(&timer)
        timers[currentStep] = timer
        if timer.isRunning { timersStarted.insert(currentStep) }
        if events.contains(.finished) { timersCompleted.insert(currentStep) }
        return events
    }

    private mutating func scroll(by lines: Int) {
        scrollOffset = min(max(0, scrollOffset + lines), maximumScroll)
    }

    private mutating func handleContents(_ key: KeyEvent, selection: Int, at now: Moment) {
        switch key {
        case .up, .character("k"): overlay = .contents(selection: max(0, selection - 1))
        case .down, .character("j"): overlay = .contents(selection: min(steps.count - 1, selection + 1))
        case .home: overlay = .contents(selection: 0)
        case .end: overlay = .contents(selection: steps.count - 1)
        case .enter, .right:
            overlay = nil
            go(to: selection, at: now)
        case .character(let character) where character.isNumber:
            if let number = character.wholeNumberValue, number >= 1, number <= steps.count {
                overlay = nil
                go(to: number - 1, at: now)
            }
        default:
            overlay = nil
        }
    }

    // MARK: - Navigation

    private mutating func goForward(at now: Moment) {
        if showsSummary { return }
        if currentStep + 1 < steps.count {
            go(to: currentStep + 1, at: now)
        } else {
            leaveStep(at: now)
            showsSummary = true
            scrollOffset = 0
        }
    }

    private mutating func goBack(at now: Moment) {
        if showsSummary {
            showsSummary = false
            stepEnteredAt = now
            scrollOffset = 0
        } else if currentStep > 0 {
            go(to: currentStep - 1, at: now)
        }
    }

    private mutating func go(to index: Int, at now: Moment) {
        guard steps.indices.contains(index) else { return }
        if !showsSummary { leaveStep(at: now) }
        showsSummary = false
        currentStep = index
        stepEnteredAt = now
        scrollOffset = 0
    }

    private mutating func leaveStep(at now: Moment) {
        millisecondsOnStep[currentStep, default: 0] += now - stepEnteredAt
        stepEnteredAt = now
    }
}
