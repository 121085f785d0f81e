import SessionGuideContent
import SessionGuideEngine
import SessionGuideHistory
import SessionGuideLayout

/// `session --plain`: the therapist's session as lines of text for a screen reader or braille display. Each
/// step is read out when it is reached; drill timers announce their phases, the last three seconds and the end.
/// `w` asks for a note on the step as a line typed with the terminal's own editing.
public struct PlainSessionProgram: Program {
    public private(set) var engine: SessionEngine
    private let library: ContentLibrary
    private var printer: DocumentPrinter
    private var log: SessionLog
    /// True while a note is typed as a line: nothing is read out meanwhile (it would land in the typed line).
    public private(set) var readingLine = false
    private var shownStep: Int?
    private var shownSummary = false
    private var lastPhase: [Int: Int] = [:]
    private var lastSecond: Int?
    /// As in the full screen: keys read together with the Enter that ended a note were pasted.
    private var ignoringPastedKeys = false
    private var now = Moment(milliseconds: 0)
    private var instant: Instant?

    public init(session: Session, library: ContentLibrary, settings: SessionSettings) {
        self.library = library
        printer = DocumentPrinter(library: library, format: .text, width: 0)
        printer.drawsFigures = false  // read aloud step by step, a drawing is noise; its caption says the position
        engine = SessionEngine(session: session, library: library, startedAt: Moment(milliseconds: 0))
        log = SessionLog(settings: settings)
    }

    public func nextDeadline(after moment: Moment) -> Moment? {
        [engine.nextDeadline(after: moment), log.nextDeadline()].compactMap { $0 }.min()
    }

    public func view(_ size: Size) -> Grid? { nil }

    public mutating func update(_ input: ProgramInput, at instant: Instant) -> [ProgramCommand] {
        now = instant.moment
        self.instant = instant
        var commands: [ProgramCommand] = []
        switch input {
        case .start:
            engine = SessionEngine(session: engine.session, library: library, startedAt: now)
            log.begin(at: instant)
            let session = engine.session
            commands.append(.say(session.title))
            if let goal = session.goal { commands.append(.say("Session Goal: \(goal)")) }
            commands.append(.say("\(DiagnosticFormatter.countPhrase(engine.steps.count, "step")). Keys: Enter or n "
                + "next step, p back, Space start or pause a drill timer, r reset it, w write a note, "
                + "s scripts and notes on or off, q quit."))
        case .tick:
            ignoringPastedKeys = false
            _ = engine.tick(at: now)
        case .signal(let signal):
            return finish(signal.exitCode, interrupted: true)
        case .key(let key) where readingLine:
            commands += typeNote(key)
            if !readingLine { ignoringPastedKeys = true }
        case .key where ignoringPastedKeys:
            break
        case .key(.character("w")):
            commands += startNote()
        case .key(let key):
            let mapped: KeyEvent = key == .character("n") || key == .enter ? .right
                : key == .character("p") ? .left : key
            let wasPaused = engine.timer(forStep: engine.currentStep)?.isPaused ?? false
            let effects = engine.handle(mapped, at: now)
            if effects.contains(.quit) { return finish(0, interrupted: false) }
            if engine.overlay == .confirmQuit { commands.append(.say("A timer is running. Quit? y or n.")) }
            if key == .character("s") {
                commands.append(.say(engine.showScripts ? "Scripts and notes are shown." : "Scripts and notes are hidden."))
                shownStep = nil  // read the step again, with or without its scripts
            }
            if let timer = engine.timers[engine.currentStep], timer.isPaused != wasPaused {
                commands.append(.say(timer.isPaused ? "Paused." : "Resumed."))
            }
        case .saved(.session(let record), let problem):
            commands += log.saved(record, problem: problem)
            if !record.isOpen, let notice = log.notice { commands.insert(.say(notice), at: 0) }
            return commands
        case .resize, .contentEdited, .deckLoaded, .follow, .saved, .patientLoaded:
            break
        }
        if !readingLine { commands += announce() }
        return commands + log.checkpoint(engine, at: instant)
    }

    /// Saves the session and ends; how the save went is said once the history answers.
    private mutating func finish(_ code: Int32, interrupted: Bool) -> [ProgramCommand] {
        var commands: [ProgramCommand] = []
        if readingLine { commands.append(.say("")) }  // off the half-typed line
        guard let instant else { return commands + [.quit(code)] }
        return commands + log.record(engine, at: instant, interrupted: interrupted) + [.quit(code)]
    }

    /// The step when it is reached, the summary, and the timers' phases, last three seconds and end.
    private mutating func announce() -> [ProgramCommand] {
        var lines: [String] = []
        if engine.showsSummary, !shownSummary {
            shownSummary = true
            shownStep = nil
            let done = engine.completedDrills.count
            lines.append("Session summary. \(Int(engine.elapsed(at: now) / 60_000)) min so far. "
                + "Drills completed: \(done) of \(engine.drillSteps.count). p goes back, q quits.")
            if engine.showScripts {
                for (index, note) in engine.notes.sorted(by: { $0.key < $1.key }) {
                    lines.append("Note on step \(index + 1), \(engine.steps[index].title): \(note.text)")
                }
            }
        } else if !engine.showsSummary, shownStep != engine.currentStep {
            shownStep = engine.currentStep
            shownSummary = false
            let step = engine.step
            let title = "Step \(engine.currentStep + 1) of \(engine.steps.count): "
                + (step.group.map { "\($0) › " } ?? "") + step.title
            lines += printer.render(stepTitle: title, blocks: step.blocks, includeScripts: engine.showScripts)
                .split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            if engine.showScripts, let note = engine.notes[engine.currentStep] { lines.append("Note: \(note.text)") }
            if step.drill != nil { lines.append("Space starts the timer.") }
        }
        for (index, timer) in engine.timers.sorted(by: { $0.key < $1.key }) {
            let name = engine.steps[index].drill?.drill.title ?? engine.steps[index].title
            if timer.isFinished, lastPhase[index] != -1 {
                lastPhase[index] = -1
                lines.append("\(name): done.")
            } else if timer.isRunning, lastPhase[index] != timer.phaseIndex {
                lastPhase[index] = timer.phaseIndex
                let phase = timer.currentPhase
                var words = [phase.title]
                if phase.sets > 1 { words.append("set \(phase.set) of \(phase.sets)") }
                if let side = phase.side { words.append(side.title.lowercased()) }
                // As long as it will run: `+`/`-` before the start change the length (DrillTimer.phaseLength).
                if let length = timer.phaseLength { words.append(DurationParser.describe(Int((length + 999) / 1000))) }
                lines.append("\(name): " + words.joined(separator: ", ") + ".")
                lastSecond = nil
            }
            if index == engine.currentStep, timer.isRunning, let shown = timer.displayedSeconds(at: now),
               (1...3).contains(shown), shown != lastSecond {
                lastSecond = shown
                lines.append("\(shown)")
            }
        }
        return lines.map(ProgramCommand.say)
    }

    /// `w`: asks for the note on the current step as a line; the old note, if any, is read out first.
    private mutating func startNote() -> [ProgramCommand] {
        guard !engine.showsSummary else { return [.say("Notes are written on a step: p goes back to the last one.")] }
        let step = engine.currentStep
        var prompt = "Note on step \(step + 1), \(engine.step.title)."
        if let note = engine.notes[step] {
            prompt += " It says: \(note.text)" + (note.text.last.map { ".!?".contains($0) } == true ? "" : ".")
        }
        var commands: [ProgramCommand] = [
            .say(prompt + " Type the note and press Enter; an empty line leaves it as it is."),
        ]
        // The engine's editor takes the typed line: opened on the old note, emptied, so the line replaces it.
        // A question still open ("Quit? y or n") is answered "no" first, as any other key would.
        if engine.overlay != nil { _ = engine.handle(.escape, at: now) }
        _ = engine.handle(.character("w"), at: now)
        guard engine.noteEditor != nil else { return commands }
        _ = engine.handle(.control("u"), at: now)
        readingLine = true
        commands.append(.readLine(true))
        return commands
    }

    /// A key of the typed line: its characters, then Enter (or Esc when the line was ended with Ctrl-D).
    private mutating func typeNote(_ key: KeyEvent) -> [ProgramCommand] {
        guard engine.noteEditor != nil else { return endLine() }  // never let typed text reach the session's keys
        switch key {
        case .enter:
            let typed = engine.noteEditor?.text.contains { !$0.isWhitespace } ?? false
            _ = engine.handle(typed ? .enter : .escape, at: now)
            return endLine() + [.say(typed ? "Note saved." : "Note left as it was.")]
        case .escape:
            _ = engine.handle(.escape, at: now)
            return endLine() + [.say("Note left as it was.")]
        default:
            _ = engine.handle(key, at: now)
            return []
        }
    }

    private mutating func endLine() -> [ProgramCommand] {
        readingLine = false
        return [.readLine(false)]
    }
}
