import SessionGuideContent

/// Something a timer did that the person should notice: a new phase began, or the drill is done.
public enum TimerEvent: Hashable, Sendable {
    case phaseStarted(index: Int)
    case finished
}

/// A countdown through a drill's phases on the monotonic clock. Pure: every call takes the current moment, and
/// a phase that ends hands over at its exact end, not when it is noticed, so nothing drifts however late the
/// program wakes up.
public struct DrillTimer: Hashable, Sendable, Codable {
    public enum State: Hashable, Sendable, Codable {
        case ready
        /// `phaseStart` is when the current phase would have begun had it never been paused.
        case running(phaseStart: Moment)
        case paused(elapsed: Int64)
        /// A reps phase without a tempo: waits for `completeRepsPhase`.
        case waitingForReps
        case finished
    }

    /// Seconds that `+` and `-` add or take.
    public static let adjustmentSeconds = 15

    public let phases: [DrillPhase]
    public private(set) var phaseIndex = 0
    public private(set) var state: State = .ready
    /// Milliseconds added to (or taken from) the current phase.
    public private(set) var adjustment: Int64 = 0
    /// How long the phases already over took, adjustments included, for the progress bar.
    private var completedMilliseconds: Int64 = 0

    public init(timing: DrillTiming) {
        self.phases = DrillPlan.phases(for: timing)
    }

    /// A timer over phases given one by one: the routine's segments (get-ready, every drill's phases, rests).
    public init(phases: [DrillPhase]) {
        self.phases = phases
    }

    /// True when every number in the timer is in a range real timers have (a day at most), so arithmetic on a
    /// timer that arrived from elsewhere (a shared session) can't overflow.
    public var isPlausible: Bool {
        let day: Int64 = 86_400_000
        let limit: Int64 = 1 << 52  // far beyond any monotonic clock reading, far below overflow
        guard !phases.isEmpty, phases.count <= 10_000, (0...phases.count).contains(phaseIndex),
              (-day...day).contains(adjustment), (0...day * 1_000).contains(completedMilliseconds),
              phases.allSatisfy(Self.isPlausible) else { return false }
        switch state {
        case .running(let phaseStart): return (-limit...limit).contains(phaseStart.milliseconds)
        case .paused(let elapsed): return (0...2 * day).contains(elapsed)  // a phase of a day, plus adjustments
        case .ready, .waitingForReps, .finished: return true
        }
    }

    private static func isPlausible(_ phase: DrillPhase) -> Bool {
        guard (0...86_400).contains(phase.seconds ?? 0) else { return false }
        if case .reps(let count, let tempo) = phase.kind {
            return (0...100_000).contains(count) && (0...86_400).contains(tempo ?? 0)
        }
        return true
    }

    public var currentPhase: DrillPhase { phases[min(phaseIndex, phases.count - 1)] }
    public var isRunning: Bool {
        switch state {
        case .running, .waitingForReps: true
        default: false
        }
    }
    public var isFinished: Bool { state == .finished }
    public var isPaused: Bool { if case .paused = state { true } else { false } }

    /// Length of the current phase in milliseconds as it now stands: the planned length plus what `+` and `-`
    /// added or took; nil for reps without a tempo. An adjusted phase simply is this long: the clock, the bar
    /// ("of m:ss" and its fill), the time left and the rep under way all read this length, so they agree. Kept
    /// once the timer finishes, so a finished one-phase drill still says how long it ran.
    public var phaseLength: Int64? {
        currentPhase.seconds.map { Int64($0) * 1000 + adjustment }
    }

    /// For reps counted out at a tempo, the rep under way while the phase runs or is paused ("Rep 3 of 10");
    /// nil otherwise. The count stays as planned and is spread evenly over the adjusted length: after `-` the
    /// reps come faster, after `+` slower, and the rep number is the fraction of the phase gone times the count.
    /// The number of the rep under way, as `repUnderWay(at:)` counts it.
    public func repNumber(at now: Moment) -> Int? {
        guard let elapsed = elapsed(at: now), let length = phaseLength else { return nil }
        return currentPhase.repNumber(elapsed: elapsed, of: length)
    }

    public func repUnderWay(at now: Moment) -> String? {
        guard let elapsed = elapsed(at: now), let length = phaseLength else { return nil }
        return currentPhase.repUnderWay(elapsed: elapsed, of: length)
    }

    /// Milliseconds left in the current phase.
    public func remaining(at now: Moment) -> Int64? {
        if state == .finished { return 0 }
        guard let length = phaseLength else { return nil }
        switch state {
        case .ready: return length
        case .running(let start): return max(0, length - (now - start))
        case .paused(let elapsed): return max(0, length - elapsed)
        case .waitingForReps: return nil
        case .finished: return 0
        }
    }

    /// Milliseconds spent in the current phase so far, pauses excluded; nil unless it runs or is paused.
    public func elapsed(at now: Moment) -> Int64? {
        switch state {
        case .running(let start): now - start
        case .paused(let elapsed): elapsed
        case .ready, .waitingForReps, .finished: nil
        }
    }

    /// When the running phase ends (adjustments included); nil unless a timed phase runs.
    public var phaseEnd: Moment? {
        guard case .running(let start) = state, let length = phaseLength else { return nil }
        return start + length
    }

    /// Whole seconds shown for the current phase: rounded up, so "1" shows until the very end.
    public func displayedSeconds(at now: Moment) -> Int? {
        remaining(at: now).map { Int(($0 + 999) / 1000) }
    }

    /// Milliseconds left in the whole drill (reps without tempo count their estimate).
    public func totalRemaining(at now: Moment) -> Int64 {
        guard state != .finished else { return 0 }
        let current = remaining(at: now) ?? currentPhase.estimatedMilliseconds
        return current + phases.dropFirst(phaseIndex + 1).reduce(0) { $0 + $1.estimatedMilliseconds }
    }

    public var totalLength: Int64 { phases.reduce(0) { $0 + $1.estimatedMilliseconds } }

    /// The fraction of the drill done, 0...1: time done over time done plus time left, so `+` and `-` count.
    public func progress(at now: Moment) -> Double {
        if isFinished { return 1 }
        let current = phaseLength.map { length in length - (remaining(at: now) ?? length) } ?? 0
        let done = completedMilliseconds + current
        let total = done + totalRemaining(at: now)
        return total > 0 ? min(1, max(0, Double(done) / Double(total))) : 0
    }

    // MARK: - Commands

    /// Space: start, pause or resume. On a reps phase without tempo, Space says the reps are done.
    public mutating func toggle(at now: Moment) -> [TimerEvent] {
        switch state {
        case .ready:
            return begin(at: now)
        case .running(let start):
            state = .paused(elapsed: now - start)
            return []
        case .paused(let elapsed):
            state = .running(phaseStart: now + (-elapsed))
            return []
        case .waitingForReps:
            return completeRepsPhase(at: now)
        case .finished:
            return []
        }
    }

    public mutating func reset() {
        phaseIndex = 0
        adjustment = 0
        completedMilliseconds = 0
        state = .ready
    }

    /// `+`/`-`: lengthen or shorten the current phase; a phase is never shortened below one second left. The
    /// phase's length changes, not only the time left (see `phaseLength`): the elapsed time stays, so the bar
    /// shows it against the new length, and the rest of the drill keeps its own lengths.
    public mutating func adjust(bySeconds seconds: Int, at now: Moment) {
        guard let left = remaining(at: now), state != .finished else { return }
        var change = Int64(seconds) * 1000
        if left + change < 1000 { change = min(0, 1000 - left) }
        adjustment += change
    }

    /// A reps phase without a tempo is over when the person says so.
    public mutating func completeRepsPhase(at now: Moment) -> [TimerEvent] {
        guard state == .waitingForReps else { return [] }
        return enterPhase(phaseIndex + 1, startingAt: now)
    }

    /// Starts phase `index` at `start`, whatever runs now: a jump (skip, back), or the next segment of a
    /// routine, which ends its segments itself.
    public mutating func enter(phase index: Int, at start: Moment) -> [TimerEvent] {
        enterPhase(index, startingAt: start)
    }

    /// Moves through every phase that has ended by `now`, each starting at the previous one's exact end.
    public mutating func advance(to now: Moment) -> [TimerEvent] {
        var events: [TimerEvent] = []
        while case .running(let start) = state, let length = phaseLength, now - start >= length {
            events += enterPhase(phaseIndex + 1, startingAt: start + length)
        }
        return events
    }

    /// The next moment the display changes (the shown second ticks over, or the phase ends), or nil when
    /// nothing will change without a key press.
    public func nextDeadline(after now: Moment) -> Moment? {
        guard case .running(let start) = state, let length = phaseLength else { return nil }
        let left = length - (now - start)
        guard left > 0 else { return now }
        let shown = (left + 999) / 1000
        return now + (left - (shown - 1) * 1000)
    }

    /// Starts the first phase, keeping any adjustment made to it before the start.
    private mutating func begin(at now: Moment) -> [TimerEvent] {
        let adjustedBeforeStart = adjustment
        let events = enterPhase(0, startingAt: now)
        adjustment = adjustedBeforeStart
        return events
    }

    private mutating func enterPhase(_ index: Int, startingAt start: Moment) -> [TimerEvent] {
        if index > 0 { completedMilliseconds += phaseLength ?? currentPhase.estimatedMilliseconds }
        guard index < phases.count else {
            // The last phase's adjustment stays with it, so its length is still the length it ran.
            phaseIndex = phases.count - 1
            state = .finished
            return [.finished]
        }
        adjustment = 0
        phaseIndex = index
        state = phases[index].seconds == nil ? .waitingForReps : .running(phaseStart: start)
        return [.phaseStarted(index: index)]
    }
}
