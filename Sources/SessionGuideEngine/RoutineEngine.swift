import SessionGuideContent

/// Something the patient should notice without looking: a new phase (announced in words), one of the last
/// three seconds of a phase, or the end of the routine.
public enum RoutineCue: Hashable, Sendable {
    /// A new phase began; `announcement` is what a voice says ("Cat-cow, 45 seconds", "Switch sides", "Rest").
    case phase(announcement: String)
    /// 3, 2 or 1 seconds left in the phase.
    case countdown(Int)
    /// The routine is over ("Done").
    case finished

    /// What a voice says for this cue.
    public var spokenText: String {
        switch self {
        case .phase(let announcement): announcement
        case .countdown(let seconds): ["One", "Two", "Three"][min(2, max(0, seconds - 1))]
        case .finished: "Done"
        }
    }
}

/// What became of each drill of a run.
public enum DrillOutcome: String, Hashable, Sendable, Codable {
    case pending
    case done
    case skipped
}

/// The patient's one-key answer after a drill of their programme.
public enum DrillFeedback: String, Hashable, Sendable, Codable, CaseIterable {
    case tooEasy = "too-easy"
    case aboutRight = "about-right"
    case tooHard = "too-hard"
    case hurt

    /// Keys 1–4, in the order the question lists them.
    public init?(_ key: KeyEvent) {
        guard case .character(let character) = key, let number = character.wholeNumberValue,
              (1...4).contains(number), character.isASCII else { return nil }
        self = Self.allCases[number - 1]
    }

    public var key: Character { Character(String((Self.allCases.firstIndex(of: self) ?? 0) + 1)) }

    /// "Too easy", "About right", "Too hard", "It hurt".
    public var title: String {
        switch self {
        case .tooEasy: "Too easy"
        case .aboutRight: "About right"
        case .tooHard: "Too hard"
        case .hurt: "It hurt"
        }
    }
}

/// A patient's guided routine: an intro with the safety note, an optional pain check, a get-ready countdown,
/// every drill's phases with rests between, a second pain check and a finish screen. It flows by itself on
/// the monotonic clock; keys only pause, skip, go back, add rest or stop. Time is passed in.
public struct RoutineEngine: Sendable {
    public enum Stage: Hashable, Sendable {
        /// The routine's title, safety note and drills, before anything starts.
        case intro
        case painBefore
        case running
        /// The last drill's feedback question, before the pain check after (only for a programme).
        case lastFeedback
        case painAfter
        case finished
    }

    /// One timed stretch of the routine.
    public struct Segment: Hashable, Sendable {
        public enum Kind: Hashable, Sendable {
            case getReady
            case drillPhase(DrillPhase)
            case restBetween
        }

        public var kind: Kind
        /// The drill this segment belongs to; for get-ready and rests, the drill that comes next.
        public var drillIndex: Int
        /// nil for reps without a tempo, which wait for the patient.
        public var seconds: Int?

        /// The segment's length in milliseconds; reps without a tempo are estimated.
        public var estimatedMilliseconds: Int64 {
            if let seconds { return Int64(seconds) * 1000 }
            if case .drillPhase(let phase) = kind { return phase.estimatedMilliseconds }
            return 0
        }

        public var isDrillPhase: Bool {
            if case .drillPhase = kind { return true }
            return false
        }

        /// The segment as a phase of the routine's timer.
        var timerPhase: DrillPhase {
            switch kind {
            case .drillPhase(let phase): phase
            case .getReady, .restBetween: DrillPhase(kind: .rest, seconds: seconds, set: 1, sets: 1, side: nil)
            }
        }

        public var isRest: Bool {
            switch kind {
            case .getReady, .restBetween: true
            case .drillPhase(let phase): !phase.isEffort
            }
        }
    }

    public enum Clock: Hashable, Sendable {
        case running(segmentStart: Moment)
        case paused(elapsed: Int64)
        /// Reps without a tempo, under way since the given moment, until the patient says they are done.
        case waitingForReps(since: Moment)
    }

    public static let adjustmentSeconds = 15
    /// Going back within this long of a drill's start goes to the drill before it.
    public static let backThreshold: Int64 = 3_000

    public private(set) var routine: Routine
    public private(set) var drills: [ResolvedDrill]
    public let segments: [Segment]
    public let asksAboutPain: Bool
    /// True for a patient's programme: after each drill done, a one-key question how it went.
    public let asksForFeedback: Bool
    public private(set) var stage: Stage = .intro
    /// The answers, by drill (nil: not asked yet, or not answered).
    public private(set) var feedback: [DrillFeedback?]
    /// The drill whose question is on screen: from its end through the next segment (the rest after it) and
    /// the one after that, unless answered first.
    public private(set) var feedbackQuestion: Int?
    private var feedbackAskedAtSegment = 0
    /// "It hurt" was answered: the safety rule is on screen and the clock holds still until the patient says
    /// whether to go on or stop.
    public private(set) var showsHurtAdvice = false
    private var pausedBeforeHurtAdvice = false
    /// The segments' countdown: the same timer a session's drill step uses, one phase per segment.
    private var timer: DrillTimer
    /// When the reps without a tempo under way began (the timer only knows that it waits for them).
    private var repsSince = Moment(milliseconds: 0)
    /// What `+` added to segments already over, by segment: they took that much longer, which the progress
    /// bars count. Segments from the one entered on are dropped, since they run afresh.
    private var addedRest: [Int: Int64] = [:]
    public private(set) var outcomes: [DrillOutcome]
    public private(set) var painBefore: Int?
    public private(set) var painAfter: Int?
    public private(set) var startedAt: Moment?
    public private(set) var finishedAt: Moment?
    public private(set) var stoppedEarly = false
    public private(set) var confirmingStop = false
    /// The last countdown second announced in the current segment, so each is announced once.
    private var lastCountdown: Int?
    private var pausedBeforeConfirming = false
    /// How far the intro (safety note, introduction, drill list) is scrolled on a small screen.
    public private(set) var introScroll = 0
    private var introScrollLimit = 0

    public init(routine: Routine, library: ContentLibrary, asksAboutPain: Bool = true, asksForFeedback: Bool = false) {
        self.routine = routine
        self.asksAboutPain = asksAboutPain
        self.asksForFeedback = asksForFeedback
        drills = routine.drills.compactMap(library.resolve)
        var segments: [Segment] = []
        if routine.getReady > 0 {
            segments.append(Segment(kind: .getReady, drillIndex: 0, seconds: routine.getReady))
        }
        for (index, drill) in drills.enumerated() {
            if index > 0, routine.restBetween > 0 {
                segments.append(Segment(kind: .restBetween, drillIndex: index, seconds: routine.restBetween))
            }
            for phase in DrillPlan.phases(for: drill.timing) {
                segments.append(Segment(kind: .drillPhase(phase), drillIndex: index, seconds: phase.seconds))
            }
        }
        self.segments = segments
        timer = DrillTimer(phases: segments.map(\.timerPhase))
        outcomes = Array(repeating: .pending, count: drills.count)
        feedback = Array(repeating: nil, count: drills.count)
    }

    public var segmentIndex: Int { timer.phaseIndex }
    /// Milliseconds added to the current segment with `+`.
    public var adjustment: Int64 { timer.adjustment }

    /// The current segment's clock.
    public var clock: Clock {
        switch timer.state {
        case .running(let start): .running(segmentStart: start)
        case .paused(let elapsed): .paused(elapsed: elapsed)
        case .waitingForReps: .waitingForReps(since: repsSince)
        case .ready, .finished: .paused(elapsed: 0)
        }
    }

    /// Takes edited wording for the routine while it runs (titles, steps, cues, safety notes, figures). The
    /// plan of segments stays, so only an edit with the same drills and timing is taken; false means the
    /// routine goes on as it was, and the edit shows from its next run.
    public mutating func replaceContent(routine: Routine, library: ContentLibrary) -> Bool {
        let edited = RoutineEngine(routine: routine, library: library, asksAboutPain: asksAboutPain,
                                   asksForFeedback: asksForFeedback)
        guard edited.segments == segments, edited.drills.count == drills.count else { return false }
        self.routine = routine
        drills = edited.drills
        return true
    }

    // MARK: - Queries

    public var segment: Segment { segments[min(segmentIndex, segments.count - 1)] }
    public var currentDrill: ResolvedDrill? { drills.indices.contains(segment.drillIndex) ? drills[segment.drillIndex] : nil }
    public var nextSegment: Segment? { segmentIndex + 1 < segments.count ? segments[segmentIndex + 1] : nil }
    public var isPaused: Bool { timer.isPaused && stage == .running }
    public var isWaitingForReps: Bool { timer.state == .waitingForReps && stage == .running }

    /// The current segment's length in milliseconds with what `+` added (nil for reps without a tempo): the
    /// length its clock counts down and its bars measure against.
    public var segmentLength: Int64? { timer.phaseLength }

    /// The rep under way, for reps the timer counts out ("Rep 3 of 10"), spread over the segment's length.
    public func repUnderWay(at now: Moment) -> String? {
        stage == .running && timer.state != .waitingForReps ? timer.repUnderWay(at: now) : nil
    }

    /// The number of the rep under way, as `repUnderWay(at:)` counts it.
    public func repNumber(at now: Moment) -> Int? {
        stage == .running && timer.state != .waitingForReps ? timer.repNumber(at: now) : nil
    }

    /// Milliseconds segment `index` takes: as it ran, or for the current one as it now stands, with what `+`
    /// added; later segments (and reps without a tempo) as planned.
    private func length(ofSegment index: Int) -> Int64 {
        if index == segmentIndex, let length = timer.phaseLength { return length }
        return segments[index].estimatedMilliseconds + (addedRest[index] ?? 0)
    }

    /// Milliseconds left in the current segment (nil while waiting for reps).
    public func remaining(at now: Moment) -> Int64? {
        timer.state == .waitingForReps ? nil : timer.remaining(at: now)
    }

    /// Milliseconds spent in the current segment so far (pauses excluded).
    public func elapsedInSegment(at now: Moment) -> Int64 {
        timer.elapsed(at: now) ?? (timer.state == .waitingForReps ? now - repsSince : 0)
    }

    public func displayedSeconds(at now: Moment) -> Int? {
        remaining(at: now).map { Int(($0 + 999) / 1000) }
    }

    /// Milliseconds left in the whole routine, with what `+` added to the current segment.
    public func totalRemaining(at now: Moment) -> Int64 {
        switch stage {
        case .intro, .painBefore: return totalLength
        case .lastFeedback, .painAfter, .finished: return 0
        case .running:
            let current = remaining(at: now) ?? segment.estimatedMilliseconds
            return current + segments.dropFirst(segmentIndex + 1).reduce(0) { $0 + $1.estimatedMilliseconds }
        }
    }

    public var totalLength: Int64 { segments.reduce(0) { $0 + $1.estimatedMilliseconds } }

    /// Fractions done, 0...1, of the current drill and of the routine: time done over the lengths as they
    /// stand, so after `+` the bar measures against the longer rest (it moves back a little at the key, as the
    /// time left moves on) and doesn't jump when the lengthened rest hands over.
    public func drillProgress(at now: Moment) -> Double {
        let indices = segments.indices.filter {
            segments[$0].drillIndex == segment.drillIndex && segments[$0].isDrillPhase
        }
        guard let first = indices.first, let last = indices.last else { return 0 }
        let total = indices.reduce(Int64(0)) { $0 + length(ofSegment: $1) }
        guard total > 0, stage == .running else { return stage == .running ? 0 : 1 }
        if segmentIndex < first { return 0 }
        if segmentIndex > last { return 1 }
        let before = (first..<segmentIndex).reduce(Int64(0)) { $0 + length(ofSegment: $1) }
        let inCurrent = elapsedInSegment(at: now)
        return min(1, max(0, Double(before + inCurrent) / Double(total)))
    }

    public func routineProgress(at now: Moment) -> Double {
        let total = segments.indices.reduce(Int64(0)) { $0 + length(ofSegment: $1) }
        guard total > 0 else { return 0 }
        return min(1, max(0, Double(total - totalRemaining(at: now)) / Double(total)))
    }

    /// Time from the start of the get-ready countdown to the end (or to now).
    public func timeSpent(at now: Moment) -> Int64 {
        guard let startedAt else { return 0 }
        return (finishedAt ?? now) - startedAt
    }

    /// The next moment something changes on screen or needs announcing; nil when only a key can change it.
    public func nextDeadline(after now: Moment) -> Moment? {
        stage == .running ? timer.nextDeadline(after: now) : nil
    }

    /// The layout reports how far the intro can scroll.
    public mutating func setIntroScrollLimit(_ maximum: Int) {
        introScrollLimit = max(0, maximum)
        introScroll = min(introScroll, introScrollLimit)
    }

    // MARK: - Time

    /// Moves through every segment that ended by `now`, each starting at the previous one's exact end, and
    /// returns the cues to give.
    public mutating func tick(at now: Moment) -> [RoutineCue] {
        guard stage == .running else { return [] }
        var cues: [RoutineCue] = []
        while stage == .running, let end = timer.phaseEnd, now >= end {
            cues += completeSegment(endingAt: end)
        }
        // Each of the last three seconds is announced once, but not the first second of a segment, which
        // already got its phase cue.
        if stage == .running, let shown = displayedSeconds(at: now), let length = segmentLength, (1...3).contains(shown),
           shown < lastCountdown ?? Int.max, shown < Int((length + 999) / 1000)
        {
            lastCountdown = shown
            cues.append(.countdown(shown))
        }
        return cues
    }

    // MARK: - Keys

    public mutating func handle(_ key: KeyEvent, at now: Moment) -> [RoutineCue] {
        var cues = tick(at: now)
        switch stage {
        case .intro:
            switch key {
            case .up: introScroll = max(0, introScroll - 1)
            case .down: introScroll = min(introScrollLimit, introScroll + 1)
            case .pageUp: introScroll = max(0, introScroll - 5)
            case .pageDown: introScroll = min(introScrollLimit, introScroll + 5)
            case .character(" "), .enter, .right:
                if asksAboutPain {
                    stage = .painBefore
                } else {
                    cues += start(at: now)
                }
            default: break
            }
        case .lastFeedback:
            if showsHurtAdvice {
                guard [.character(" "), .enter, .character("q"), .character("s"), .escape].contains(key) else { break }
                showsHurtAdvice = false
                stage = stageAfterTheDrills
                break
            }
            if let answer = DrillFeedback(key), let drill = feedbackQuestion {
                feedback[drill] = answer
                feedbackQuestion = nil
                if answer == .hurt { showsHurtAdvice = true } else { stage = stageAfterTheDrills }
            } else if [.enter, .character("s"), .escape, .character(" ")].contains(key) {
                feedbackQuestion = nil
                stage = stageAfterTheDrills
            }
        case .painBefore, .painAfter:
            guard let answer = PainAnswer(key) else { break }
            if stage == .painBefore {
                painBefore = answer.value
                cues += start(at: now)
            } else {
                painAfter = answer.value
                stage = .finished
            }
        case .running:
            if showsHurtAdvice {
                switch key {
                case .character(" "), .enter, .character("c"):
                    showsHurtAdvice = false
                    if isPaused, !pausedBeforeHurtAdvice { togglePause(at: now) }
                case .character("q"), .character("s"), .escape:
                    showsHurtAdvice = false
                    stoppedEarly = true
                    finish(at: now)
                default: break
                }
                break
            }
            if let drill = feedbackQuestion, let answer = DrillFeedback(key) {
                feedback[drill] = answer
                feedbackQuestion = nil
                if answer == .hurt {
                    // The clock holds still while the patient reads the safety rule and decides.
                    showsHurtAdvice = true
                    pausedBeforeHurtAdvice = isPaused
                    if !isPaused { togglePause(at: now) }
                }
                break
            }
            if confirmingStop {
                confirmingStop = false
                switch key {
                case .character("y"), .character("Y"), .character("q"), .enter:
                    stoppedEarly = true
                    finish(at: now)
                default:
                    if case .paused = clock, !pausedBeforeConfirming { togglePause(at: now) }
                }
                break
            }
            switch key {
            case .character(" "), .enter:
                if isWaitingForReps {
                    cues += completeSegment(endingAt: now)
                } else if key == .character(" ") {
                    togglePause(at: now)
                }
            case .right, .character("n"): cues += skip(at: now)
            case .left, .character("p"): cues += back(at: now)
            case .character("+"), .character("="): addRest(at: now)
            case .character("q"), .escape:
                // The clock holds still while the patient decides.
                confirmingStop = true
                pausedBeforeConfirming = isPaused
                if !isPaused { togglePause(at: now) }
            default: break
            }
        case .finished:
            break
        }
        return cues
    }

    /// A pain check answered with one key: digits 0–9, `x` for 10, or Enter/`s`/Esc to skip.
    public struct PainAnswer: Hashable, Sendable {
        /// nil when skipped.
        public var value: Int?

        public init?(_ key: KeyEvent) {
            switch key {
            case .character(let character) where character.isASCII && character.isNumber:
                value = character.wholeNumberValue
            case .character("x"), .character("X"): value = 10
            case .enter, .character("s"), .character("S"), .escape: value = nil
            default: return nil
            }
        }
    }

    // MARK: - Flow

    private mutating func start(at now: Moment) -> [RoutineCue] {
        stage = .running
        startedAt = now
        guard !segments.isEmpty else {
            finish(at: now)
            return [.finished]
        }
        return enter(0, startingAt: now)
    }

    private mutating func togglePause(at now: Moment) {
        switch timer.state {
        case .running, .paused: _ = timer.toggle(at: now)
        case .ready, .waitingForReps, .finished: break
        }
    }

    /// `+`: more time in a rest (get-ready, switching sides, rest between sets or drills).
    private mutating func addRest(at now: Moment) {
        guard segment.isRest, segmentLength != nil else { return }
        timer.adjust(bySeconds: Self.adjustmentSeconds, at: now)
        lastCountdown = nil  // the last three seconds are announced again at the new end
    }

    /// `→`: leave the current drill (marking it skipped unless it was done) and start the next one.
    private mutating func skip(at now: Moment) -> [RoutineCue] {
        let drill = segment.drillIndex
        if case .drillPhase = segment.kind, outcomes[drill] == .pending { outcomes[drill] = .skipped }
        let target: Int?
        if case .drillPhase = segment.kind {
            target = firstPhase(ofDrill: drill + 1)
        } else {
            target = firstPhase(ofDrill: drill)  // skip a rest or the get-ready countdown
        }
        guard let target else {
            finish(at: now)
            return [.finished]
        }
        return enter(target, startingAt: now)
    }

    /// `←`: back to the start of this drill, or to the drill before when this one has only just begun.
    private mutating func back(at now: Moment) -> [RoutineCue] {
        let drill = segment.drillIndex
        guard let first = firstPhase(ofDrill: drill) else { return [] }
        var target = first
        let inDrill: Int64 = {
            guard segmentIndex >= first, case .drillPhase = segment.kind else { return 0 }
            let before = (first..<segmentIndex).reduce(Int64(0)) { $0 + length(ofSegment: $1) }
            return before + elapsedInSegment(at: now)
        }()
        if inDrill < Self.backThreshold, drill > 0, let previous = firstPhase(ofDrill: drill - 1) {
            target = previous
            outcomes[drill - 1] = .pending
        }
        outcomes[drill] = .pending
        return enter(target, startingAt: now)
    }

    private func firstPhase(ofDrill drill: Int) -> Int? {
        segments.firstIndex { $0.isDrillPhase && $0.drillIndex == drill }
    }

    /// Ends the current segment at `end` (its exact end, or now for reps) and starts the next.
    private mutating func completeSegment(endingAt end: Moment) -> [RoutineCue] {
        let drill = segment.drillIndex
        let next = segmentIndex + 1
        let drillEnds = next >= segments.count || segments[next].drillIndex != drill || !segments[next].isDrillPhase
        if case .drillPhase = segment.kind, drillEnds, outcomes[drill] == .pending {
            outcomes[drill] = .done
            if asksForFeedback {
                feedbackQuestion = drill
                feedbackAskedAtSegment = next
            }
        }
        guard next < segments.count else {
            finish(at: end)
            return [.finished]
        }
        return enter(next, startingAt: end)
    }

    private mutating func enter(_ index: Int, startingAt start: Moment) -> [RoutineCue] {
        if stage == .running, index > segmentIndex, timer.adjustment != 0 { addedRest[segmentIndex] = timer.adjustment }
        addedRest = addedRest.filter { $0.key < index }
        _ = timer.enter(phase: index, at: start)
        if feedbackQuestion != nil, index < feedbackAskedAtSegment || index >= feedbackAskedAtSegment + 2 {
            feedbackQuestion = nil
        }
        repsSince = start
        lastCountdown = nil
        return [.phase(announcement: announcement(for: segments[index]))]
    }

    /// Where the routine goes once its drills (and the last drill's question) are over.
    private var stageAfterTheDrills: Stage { asksAboutPain ? .painAfter : .finished }

    private mutating func finish(at now: Moment) {
        finishedAt = now
        // The last drill's question gets a screen of its own (its answer keys would be taken as pain figures).
        if feedbackQuestion != nil, !stoppedEarly {
            stage = .lastFeedback
            return
        }
        feedbackQuestion = nil
        stage = stageAfterTheDrills
    }

    /// What a voice says at the start of a segment.
    public func announcement(for segment: Segment) -> String {
        switch segment.kind {
        case .getReady:
            return "Get ready. First: \(drills.first?.drill.title ?? "")"
        case .restBetween:
            return "Rest. Next: \(drills[segment.drillIndex].drill.title)"
        case .drillPhase(let phase):
            switch phase.kind {
            case .switchSides: return "Switch sides"
            case .rest: return "Rest"
            default:
                let title = drills[segment.drillIndex].drill.title
                var words = [title]
                if let side = phase.side { words.append(side == .left ? "left side" : "right side") }
                switch phase.kind {
                case .reps(let count, _): words.append("\(count) reps")
                default: words.append(phase.seconds.map { Self.spoken(seconds: $0) } ?? "")
                }
                return words.joined(separator: ", ")
            }
        }
    }
}

extension RoutineEngine {
    /// A duration as words for a voice: "45 seconds", "1 minute 30 seconds".
    static func spoken(seconds: Int) -> String {
        let minutes = seconds / 60, rest = seconds % 60
        var parts: [String] = []
        if minutes > 0 { parts.append(minutes == 1 ? "1 minute" : "\(minutes) minutes") }
        if rest > 0 || parts.isEmpty { parts.append(rest == 1 ? "1 second" : "\(rest) seconds") }
        return parts.joined(separator: " ")
    }
}
