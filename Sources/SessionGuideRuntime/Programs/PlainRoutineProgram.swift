import SessionGuideContent
import SessionGuideEngine
import SessionGuideHistory
import SessionGuideLayout

/// `routine --plain`: the same engine as the full-screen routine, told as lines of text for screen readers and
/// braille displays. Without a keyboard (standard input not a terminal) the routine runs hands-free: pain checks
/// skipped, reps without a tempo given their usual time.
public struct PlainRoutineProgram: Program {
    public private(set) var engine: RoutineEngine
    private let settings: RoutineSettings
    private var log: RoutineRunLog
    private let readsKeys: Bool
    private var wasPaused = false
    private var askedAboutPain: RoutineEngine.Stage?
    private var askedFeedbackFor: Int?
    private var saidHurtAdvice = false
    private var ending = false
    private var now = Moment(milliseconds: 0)

    public init(engine: RoutineEngine, settings: RoutineSettings, readsKeys: Bool) {
        self.engine = engine
        self.settings = settings
        self.log = RoutineRunLog(settings: settings)
        self.readsKeys = readsKeys
    }

    public func view(_ size: Size) -> Grid? { nil }

    public func nextDeadline(after moment: Moment) -> Moment? {
        guard !ending else { return nil }
        if engine.isWaitingForReps, !readsKeys {
            return moment + max(0, engine.segment.estimatedMilliseconds - engine.elapsedInSegment(at: moment))
        }
        return [engine.nextDeadline(after: moment), log.nextDeadline()].compactMap { $0 }.min()
    }

    public mutating func update(_ input: ProgramInput, at instant: Instant) -> [ProgramCommand] {
        now = instant.moment
        if case .saved(.routineRun(let run), let problem) = input {
            let told = log.saved(run, problem: problem)
            return ending && !run.isOpen ? told + endingLines() : told
        }
        guard !ending else { return [] }
        var commands: [ProgramCommand] = []
        var cues: [RoutineCue] = []
        switch input {
        case .start:
            let routine = engine.routine
            commands += [
                .say(routine.title),
                .say("\(DiagnosticFormatter.countPhrase(engine.drills.count, "drill")), about "
                    + "\(DurationParser.describe(Int(engine.totalLength / 1000)))."),
                .say("Safety: \(routine.safety)"),
            ]
            commands += settings.notices.map(ProgramCommand.say)
            if readsKeys {
                commands += [.say("Keys: Space pause or resume, n skip a drill, p back, + more rest, q stop."),
                             .say("Press Space to start.")]
            }
        case .tick:
            cues = engine.tick(at: now)
        case .signal(let signal):
            return log.record(engine, at: instant, interrupted: true) + [.quit(signal.exitCode)]
        case .key(let key):
            // As on the full screen, q or Esc before the start leaves without a run to record.
            if engine.stage == .intro, key == .character("q") || key == .escape {
                ending = true
                return [.say("Routine not started."), .finishSpeaking, .quit(0)]
            }
            cues = engine.handle(key, at: now)
            if engine.confirmingStop { commands.append(.say("Stop the routine? y to stop, any other key to go on.")) }
            if engine.isPaused != wasPaused {
                wasPaused = engine.isPaused
                if !engine.confirmingStop { commands.append(.say(wasPaused ? "Paused. Space resumes." : "Resumed.")) }
            }
        case .resize, .contentEdited, .deckLoaded, .follow, .saved, .patientLoaded:
            break
        }
        // Without a keyboard, answer for the patient: start, skip the pain checks, finish untimed reps.
        if !readsKeys {
            while [.intro, .painBefore, .lastFeedback, .painAfter].contains(engine.stage) {
                cues += engine.handle(.enter, at: now)
            }
            if engine.isWaitingForReps, engine.elapsedInSegment(at: now) >= engine.segment.estimatedMilliseconds {
                cues += engine.handle(.enter, at: now)
            }
        }
        commands += say(cues)
        let saving = log.follow(engine, at: instant)
        commands += saving
        if readsKeys, let drill = engine.feedbackQuestion, askedFeedbackFor != drill {
            askedFeedbackFor = drill
            commands.append(.say("How was \(engine.drills[drill].drill.title)? Press 1 too easy, 2 about right, "
                + "3 too hard, 4 it hurt\(engine.stage == .lastFeedback ? ", or Enter to skip" : "")."))
        }
        if engine.showsHurtAdvice != saidHurtAdvice {
            saidHurtAdvice = engine.showsHurtAdvice
            if saidHurtAdvice {
                commands.append(.say(engine.routine.safety + (engine.stage == .running
                    ? " Space to go on more gently, q to stop here." : " Tell your therapist at your next visit.")))
            }
        }
        if readsKeys, engine.stage == .painBefore || engine.stage == .painAfter, askedAboutPain != engine.stage {
            askedAboutPain = engine.stage
            commands.append(.say(engine.stage == .painBefore
                ? "Before you start: pain right now, 0 to 10? Press a number, x for 10, or Enter to skip."
                : "Pain now, 0 to 10? Press a number, x for 10, or Enter to skip."))
        }
        if engine.stage == .finished {
            ending = true
            // With a save asked for, the summary waits for the history's answer, to end with how that went.
            if !saving.contains(where: { if case .save(let record) = $0 { !record.isOpen } else { false } }) {
                commands += endingLines()
            }
        }
        return commands
    }

    /// The summary, how the save went, and the end once "Done" has been said in full.
    private func endingLines() -> [ProgramCommand] {
        var lines = Self.summary(engine, at: now)
        if let notice = log.notice { lines.append(notice) }
        return lines.map(ProgramCommand.say) + [.finishSpeaking, .quit(0)]
    }

    /// One line per cue: the phase with its set and the drill's cue, "3", "2", "1", and "Done."
    private func say(_ cues: [RoutineCue]) -> [ProgramCommand] {
        cues.flatMap { cue -> [ProgramCommand] in
            let line: String
            switch cue {
            case .phase(let announcement):
                var text = announcement + "."
                if case .drillPhase(let phase) = engine.segment.kind, phase.isEffort {
                    if phase.sets > 1 { text += " Set \(phase.set) of \(phase.sets)." }
                    if engine.isWaitingForReps { text += " Press Enter when done." }
                    if let drill = engine.currentDrill, !drill.drill.cues.isEmpty {
                        text += " " + drill.drill.cues[(phase.set - 1) % drill.drill.cues.count].plainText
                    }
                }
                line = text
            case .countdown(let seconds):
                line = "\(seconds)"
            case .finished:
                line = "Done."
            }
            return [.say(line), .speak(cue.spokenText)]
        }
    }

    public static func summary(_ engine: RoutineEngine, at now: Moment) -> [String] {
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
