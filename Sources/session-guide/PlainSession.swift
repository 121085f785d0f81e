import SessionGuideContent
import SessionGuideEngine
import SessionGuideTerminal

/// `session --plain`: the therapist's session as lines of text for a screen reader or braille display. Each
/// step is read out when it is reached; drill timers announce their phases, the last three seconds and the end.
/// Without a terminal on standard input it prints the whole session, as `print` does.
enum PlainSession {
    static func run(_ session: Session, library: ContentLibrary, ascii: Bool) -> Int32 {
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
        console.line(session.title)
        if let goal = session.goal { console.line("Session Goal: \(goal)") }
        console.line("\(DiagnosticFormatter.countPhrase(engine.steps.count, "step")). Keys: Enter or n next step, p back, "
            + "Space start or pause a drill timer, r reset it, s scripts on or off, q quit.")
        var shownStep: Int?
        var shownSummary = false
        var lastPhase: [Int: Int] = [:]
        var lastSecond: Int?
        while true {
            let now = Terminal.now()
            _ = engine.tick(at: now)
            // Read a step when it is reached.
            if engine.showsSummary, !shownSummary {
                shownSummary = true
                shownStep = nil
                let done = engine.completedDrills.count
                console.line("Session summary. \(Int(engine.elapsed(at: now) / 60_000)) min so far. "
                    + "Drills completed: \(done) of \(engine.drillSteps.count). p goes back, q quits.")
            } else if !engine.showsSummary, shownStep != engine.currentStep {
                shownStep = engine.currentStep
                shownSummary = false
                let step = engine.step
                let title = "Step \(engine.currentStep + 1) of \(engine.steps.count): "
                    + (step.group.map { "\($0) › " } ?? "") + step.title
                printer.render(stepTitle: title, blocks: step.blocks, includeScripts: engine.showScripts)
                    .split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                    .forEach { console.line(String($0)) }
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
            for input in console.wait(until: engine.nextDeadline(after: now)) {
                switch input {
                case .signal(let signal):
                    return FullScreenApp.exitCode(for: signal)
                case .key(let key):
                    let mapped: KeyEvent = key == .character("n") || key == .enter ? .right
                        : key == .character("p") ? .left : key
                    let wasPaused = engine.timer(forStep: engine.currentStep)?.isPaused ?? false
                    let effects = engine.handle(mapped, at: Terminal.now())
                    if effects.contains(.quit) { return 0 }
                    if engine.overlay == .confirmQuit { console.line("A timer is running. Quit? y or n.") }
                    if key == .character("s") {
                        console.line(engine.showScripts ? "Scripts are shown." : "Scripts are hidden.")
                        shownStep = nil  // read the step again, with or without its scripts
                    }
                    if let timer = engine.timers[engine.currentStep], timer.isPaused != wasPaused {
                        console.line(timer.isPaused ? "Paused." : "Resumed.")
                    }
                }
            }
        }
    }
}
