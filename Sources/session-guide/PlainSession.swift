import SessionGuideContent
import SessionGuideEngine
import SessionGuideTerminal

/// `session --plain`: the therapist's session as lines of text for a screen reader or braille display. Each
/// step is read out when it is reached; drill timers announce their phases, the last three seconds and the end.
/// Without a terminal on standard input it prints the whole session, as `print` does (and records nothing:
/// no session was run). `w` asks for a note on the step as a line typed with the terminal's own editing.
enum PlainSession {
    static func run(_ session: Session, library: ContentLibrary, ascii: Bool, setup: SessionSetup) -> Int32 {
        let console = PlainConsole()
        console.ascii = ascii
        defer { console.stop() }
        var printer = DocumentPrinter(library: library, format: .text, width: 0)
        guard console.readsKeys else {
            printer.render(.session(session)).split(separator: "\n", omittingEmptySubsequences: false)
                .dropLast().forEach { console.line(String($0)) }
            return 0
        }
        // Read aloud step by step, a drawing is noise; its caption says the position.
        printer.drawsFigures = false
        var engine = SessionEngine(session: session, library: library, startedAt: Terminal.now())
        let recorder = SessionRecorder(setup: setup)
        recorder.begin()
        /// Saves the session, says how that went, and gives the exit code back.
        func finish(_ code: Int32, interrupted: Bool) -> Int32 {
            recorder.record(engine, at: Terminal.now(), interrupted: interrupted)
            if console.isReadingLine { console.line("") }  // off the half-typed line
            if let notice = recorder.notice { console.line(notice) }
            console.stop()
            recorder.reportAfterExit()
            return code
        }
        console.line(session.title)
        if let goal = session.goal { console.line("Session Goal: \(goal)") }
        console.line("\(DiagnosticFormatter.countPhrase(engine.steps.count, "step")). Keys: Enter or n next step, p back, "
            + "Space start or pause a drill timer, r reset it, w write a note, s scripts and notes on or off, q quit.")
        var shownStep: Int?
        var shownSummary = false
        var lastPhase: [Int: Int] = [:]
        var lastSecond: Int?
        while true {
            let now = Terminal.now()
            _ = engine.tick(at: now)
            // Nothing is read out while a note is typed: it would land in the middle of the typed line. What
            // happened meanwhile is told once the line is done.
            if console.isReadingLine {
                for input in console.wait(until: engine.nextDeadline(after: now)) {
                    switch input {
                    case .signal(let signal):
                        return finish(FullScreenApp.exitCode(for: signal), interrupted: true)
                    case .contentChanged, .readable:
                        continue
                    case .key(let key):
                        typeNote(key, engine: &engine, console: console)
                    }
                }
                continue
            }
            // Read a step when it is reached.
            if engine.showsSummary, !shownSummary {
                shownSummary = true
                shownStep = nil
                let done = engine.completedDrills.count
                console.line("Session summary. \(Int(engine.elapsed(at: now) / 60_000)) min so far. "
                    + "Drills completed: \(done) of \(engine.drillSteps.count). p goes back, q quits.")
                if engine.showScripts {
                    for (index, note) in engine.notes.sorted(by: { $0.key < $1.key }) {
                        console.line("Note on step \(index + 1), \(engine.steps[index].title): \(note.text)")
                    }
                }
            } else if !engine.showsSummary, shownStep != engine.currentStep {
                shownStep = engine.currentStep
                shownSummary = false
                let step = engine.step
                let title = "Step \(engine.currentStep + 1) of \(engine.steps.count): "
                    + (step.group.map { "\($0) › " } ?? "") + step.title
                printer.render(stepTitle: title, blocks: step.blocks, includeScripts: engine.showScripts)
                    .split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                    .forEach { console.line(String($0)) }
                if engine.showScripts, let note = engine.notes[engine.currentStep] {
                    console.line("Note: \(note.text)")
                }
                if step.drill != nil { console.line("Space starts the timer.") }
            }
            // Timers: every new phase, the last three seconds, the end.
            for (index, timer) in engine.timers.sorted(by: { $0.key < $1.key }) {
                let name = engine.steps[index].drill?.drill.title ?? engine.steps[index].title
                if timer.isFinished, lastPhase[index] != -1 {
                    lastPhase[index] = -1
                    console.line("\(name): done.")
                } else if timer.isRunning, lastPhase[index] != timer.phaseIndex {
                    lastPhase[index] = timer.phaseIndex
                    let phase = timer.currentPhase
                    var words = [phase.title]
                    if phase.sets > 1 { words.append("set \(phase.set) of \(phase.sets)") }
                    if let side = phase.side { words.append(side.title.lowercased()) }
                    if let seconds = phase.seconds { words.append(DurationParser.describe(seconds)) }
                    console.line("\(name): " + words.joined(separator: ", ") + ".")
                    lastSecond = nil
                }
                if index == engine.currentStep, timer.isRunning, let shown = timer.displayedSeconds(at: now),
                   (1...3).contains(shown), shown != lastSecond {
                    lastSecond = shown
                    console.line("\(shown)")
                }
            }
            // As in the full screen: keys read together with the Enter that ended a note were pasted.
            var ignoringPastedKeys = false
            for input in console.wait(until: engine.nextDeadline(after: now)) {
                switch input {
                case .signal(let signal):
                    return finish(FullScreenApp.exitCode(for: signal), interrupted: true)
                case .contentChanged, .readable:
                    continue  // the plain modes watch no folder
                case .key where ignoringPastedKeys:
                    continue
                case .key(let key) where console.isReadingLine:
                    typeNote(key, engine: &engine, console: console)
                    if !console.isReadingLine { ignoringPastedKeys = true }
                case .key(.character("w")):
                    startNote(engine: &engine, console: console)
                case .key(let key):
                    let mapped: KeyEvent = key == .character("n") || key == .enter ? .right
                        : key == .character("p") ? .left : key
                    let wasPaused = engine.timer(forStep: engine.currentStep)?.isPaused ?? false
                    let effects = engine.handle(mapped, at: Terminal.now())
                    if effects.contains(.quit) { return finish(0, interrupted: false) }
                    if engine.overlay == .confirmQuit { console.line("A timer is running. Quit? y or n.") }
                    if key == .character("s") {
                        console.line(engine.showScripts ? "Scripts and notes are shown." : "Scripts and notes are hidden.")
                        shownStep = nil  // read the step again, with or without its scripts
                    }
                    if let timer = engine.timers[engine.currentStep], timer.isPaused != wasPaused {
                        console.line(timer.isPaused ? "Paused." : "Resumed.")
                    }
                }
            }
        }
    }

    /// `w`: asks for the note on the current step as a line; the old note, if any, is read out first.
    private static func startNote(engine: inout SessionEngine, console: PlainConsole) {
        guard !engine.showsSummary else {
            console.line("Notes are written on a step: p goes back to the last one.")
            return
        }
        let step = engine.currentStep
        var prompt = "Note on step \(step + 1), \(engine.step.title)."
        if let note = engine.notes[step] {
            prompt += " It says: \(note.text)" + (note.text.last.map { ".!?".contains($0) } == true ? "" : ".")
        }
        console.line(prompt + " Type the note and press Enter; an empty line leaves it as it is.")
        // The engine's editor takes the typed line: opened on the old note, emptied, so the line replaces it.
        // A question still open ("Quit? y or n") is answered "no" first, as any other key would.
        if engine.overlay != nil { _ = engine.handle(.escape, at: Terminal.now()) }
        _ = engine.handle(.character("w"), at: Terminal.now())
        guard engine.noteEditor != nil else { return }
        _ = engine.handle(.control("u"), at: Terminal.now())
        console.beginLine()
    }

    /// A key of the typed line: its characters, then Enter (or Esc when the line was ended with Ctrl-D).
    private static func typeNote(_ key: KeyEvent, engine: inout SessionEngine, console: PlainConsole) {
        let now = Terminal.now()
        guard engine.noteEditor != nil else {
            console.endLine()  // never let typed text reach the session's keys
            return
        }
        switch key {
        case .enter:
            let typed = engine.noteEditor?.text.contains { !$0.isWhitespace } ?? false
            _ = engine.handle(typed ? .enter : .escape, at: now)
            console.endLine()
            console.line(typed ? "Note saved." : "Note left as it was.")
        case .escape:
            _ = engine.handle(.escape, at: now)
            console.endLine()
            console.line("Note left as it was.")
        default:
            _ = engine.handle(key, at: now)
        }
    }
}
