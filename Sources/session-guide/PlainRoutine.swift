import SessionGuideContent
import SessionGuideEngine
import SessionGuideTerminal

/// `routine --plain`: the same engine as the full-screen routine, told as lines of text on standard output for
/// screen readers and braille displays. Keys are read without echo when standard input is a terminal; without
/// one the routine runs hands-free (pain checks skipped, reps without a tempo given their usual time).
enum PlainRoutine {
    static func run(_ start: RoutineEngine, setup: RoutineSetup, ascii: Bool) -> Int32 {
        let console = PlainConsole()
        console.ascii = ascii
        defer { console.stop() }
        let recorder = RoutineRecorder(setup: setup)
        var engine = start
        let routine = engine.routine
        console.line(routine.title)
        console.line("\(DiagnosticFormatter.countPhrase(engine.drills.count, "drill")), about "
            + "\(DurationParser.describe(Int(engine.totalLength / 1000))).")
        console.line("Safety: \(routine.safety)")
        setup.notices.forEach(console.line)
        if console.readsKeys {
            console.line("Keys: Space pause or resume, n skip a drill, p back, + more rest, q stop.")
            console.line("Press Space to start.")
        }

        var wasPaused = false
        var askedAboutPain: RoutineEngine.Stage?
        while engine.stage != .finished {
            let now = Terminal.now()
            var cues = engine.tick(at: now)
            // Without a keyboard, answer for the patient: start, skip the pain checks, finish untimed reps.
            if !console.readsKeys {
                while [.intro, .painBefore, .painAfter].contains(engine.stage) {
                    cues += engine.handle(.enter, at: now)
                }
                if engine.isWaitingForReps,
                   engine.elapsedInSegment(at: now) >= engine.segment.estimatedMilliseconds {
                    cues += engine.handle(.enter, at: now)
                }
            }
            say(cues, engine: engine, console: console, setup: setup)
            recorder.follow(engine, at: now)
            if console.readsKeys, engine.stage == .painBefore || engine.stage == .painAfter,
               askedAboutPain != engine.stage {
                askedAboutPain = engine.stage
                console.line(engine.stage == .painBefore
                    ? "Before you start: pain right now, 0 to 10? Press a number, x for 10, or Enter to skip."
                    : "Pain now, 0 to 10? Press a number, x for 10, or Enter to skip.")
            }
            if engine.stage == .finished { break }

            var deadline = engine.nextDeadline(after: now)
            if engine.isWaitingForReps, !console.readsKeys {
                deadline = now + max(0, engine.segment.estimatedMilliseconds - engine.elapsedInSegment(at: now))
            }
            for input in console.wait(until: deadline) {
                let moment = Terminal.now()
                switch input {
                case .signal(let signal):
                    recorder.record(engine, at: moment)
                    console.stop()
                    recorder.messagesAfterExit.forEach(Console.error)
                    return FullScreenApp.exitCode(for: signal)
                case .contentChanged, .readable:
                    continue  // the plain modes watch no folder
                case .key(let key):
                    let cues = engine.handle(key, at: moment)
                    if engine.confirmingStop { console.line("Stop the routine? y to stop, any other key to go on.") }
                    if engine.isPaused != wasPaused {
                        wasPaused = engine.isPaused
                        if !engine.confirmingStop { console.line(wasPaused ? "Paused. Space resumes." : "Resumed.") }
                    }
                    say(cues, engine: engine, console: console, setup: setup)
                    recorder.follow(engine, at: moment)
                }
            }
        }
        let now = Terminal.now()
        recorder.follow(engine, at: now)
        summary(engine, at: now).forEach(console.line)
        if let notice = recorder.notice { console.line(notice) }
        setup.speaker?.finishSpeaking(timeout: 5_000)  // "Done" is said in full before the program ends
        console.stop()
        recorder.messagesAfterExit.forEach(Console.error)
        return 0
    }

    /// One line per cue: the phase with its set and the drill's cue, "3", "2", "1", and "Done."
    private static func say(_ cues: [RoutineCue], engine: RoutineEngine, console: PlainConsole, setup: RoutineSetup) {
        for cue in cues {
            switch cue {
            case .phase(let announcement):
                var line = announcement + "."
                if case .drillPhase(let phase) = engine.segment.kind, phase.isEffort {
                    if phase.sets > 1 { line += " Set \(phase.set) of \(phase.sets)." }
                    if engine.isWaitingForReps { line += " Press Enter when done." }
                    if let drill = engine.currentDrill, !drill.drill.cues.isEmpty {
                        line += " " + drill.drill.cues[(phase.set - 1) % drill.drill.cues.count].plainText
                    }
                }
                console.line(line)
            case .countdown(let seconds):
                console.line("\(seconds)")
            case .finished:
                console.line("Done.")
            }
            setup.speaker?.speak(cue.spokenText)
        }
    }

    static func summary(_ engine: RoutineEngine, at now: Moment) -> [String] {
        let done = engine.outcomes.filter { $0 == .done }.count
        let skipped = engine.outcomes.filter { $0 == .skipped }.count
        var lines = [engine.stoppedEarly ? "Routine stopped." : "Routine finished.",
                     "Drills done: \(done) of \(engine.drills.count). Skipped: \(skipped).",
                     "Time: \(DurationParser.clock(Int(engine.timeSpent(at: now) / 1000)))."]
        if engine.painBefore != nil || engine.painAfter != nil {
            let before = engine.painBefore.map(String.init) ?? "not given"
            let after = engine.painAfter.map(String.init) ?? "not given"
            lines.append("Pain before: \(before). Pain after: \(after).")
        }
        return lines
    }
}
