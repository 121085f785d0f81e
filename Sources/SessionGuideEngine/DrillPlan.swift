import SessionGuideContent

public enum Side: String, Hashable, Sendable, Codable {
    case left
    case right

    public var title: String { self == .left ? "Left side" : "Right side" }
}

/// One interval of a drill as it is run: a set of work on one side, the switch between sides, or a rest.
public struct DrillPhase: Hashable, Sendable, Codable {
    public enum Kind: Hashable, Sendable, Codable {
        case work
        case hold
        /// Repetitions; counted out by the timer when the drill has a tempo, else the patient says when done.
        case reps(count: Int, tempo: Int?)
        case switchSides
        case rest
    }

    public var kind: Kind
    /// Length in seconds; nil for reps without a tempo, which wait for a key press.
    public var seconds: Int?
    /// 1-based set number and the number of sets.
    public var set: Int
    public var sets: Int
    public var side: Side?

    public init(kind: Kind, seconds: Int?, set: Int, sets: Int, side: Side? = nil) {
        self.kind = kind
        self.seconds = seconds
        self.set = set
        self.sets = sets
        self.side = side
    }

    public var isEffort: Bool {
        switch kind {
        case .work, .hold, .reps: true
        case .switchSides, .rest: false
        }
    }

    /// The phase's length in milliseconds; reps without a tempo count `DrillTiming.estimatedSecondsPerRep` each.
    public var estimatedMilliseconds: Int64 {
        if let seconds { return Int64(seconds) * 1000 }
        if case .reps(let count, _) = kind { return Int64(count * DrillTiming.estimatedSecondsPerRep) * 1000 }
        return 0
    }

    /// For reps counted out at a tempo, "Rep 3 of 10" for the rep under way `elapsed` milliseconds into the
    /// phase when it lasts `length` (its planned length, or as `+`/`-` left it): the count is spread evenly over
    /// the length, so at the planned length rep n starts at (n - 1) × tempo. nil for any other phase.
    public func repUnderWay(elapsed: Int64, of length: Int64) -> String? {
        guard case .reps(let count, _) = kind, let rep = repNumber(elapsed: elapsed, of: length) else { return nil }
        return "Rep \(rep) of \(count)"
    }

    /// The rep under way with `remaining` milliseconds left of the phase at its planned length. Only for a phase
    /// nobody adjusted (a routine's reps, which `+` doesn't change); a timer's own `repUnderWay(at:)` knows the
    /// adjusted length.
    public func repUnderWay(remaining: Int64) -> String? {
        guard let seconds else { return nil }
        let length = Int64(seconds) * 1000
        return repUnderWay(elapsed: length - remaining, of: length)
    }

    /// The number (1-based) of the rep under way `elapsed` milliseconds into the phase when it lasts `length`,
    /// as `repUnderWay(elapsed:of:)` counts it; nil for any phase but reps counted out at a tempo.
    public func repNumber(elapsed: Int64, of length: Int64) -> Int? {
        guard case .reps(let count, let tempo?) = kind, seconds != nil, tempo > 0, count > 0, length > 0 else { return nil }
        // Multiplied before divided, so whole reps fall exactly on their boundaries; a product too big for 64
        // bits (no real timer's) counts as the last rep.
        let (product, overflow) = Int64(count).multipliedReportingOverflow(by: max(0, elapsed))
        let done = overflow ? count : Int(product / length)
        return min(count, done + 1)
    }

    /// What a person calls this phase: "Work", "Hold", "10 reps", "Switch sides", "Rest".
    public var title: String {
        switch kind {
        case .work: "Work"
        case .hold: "Hold"
        case .reps(let count, _): "\(count) reps"
        case .switchSides: "Switch sides"
        case .rest: "Rest"
        }
    }
}

/// Expands a drill's timing into the phases it runs through.
public enum DrillPlan {
    public static func phases(for timing: DrillTiming) -> [DrillPhase] {
        let effortKind: DrillPhase.Kind
        let effortSeconds: Int?
        switch timing.effort {
        case .work(let seconds): (effortKind, effortSeconds) = (.work, seconds)
        case .hold(let seconds): (effortKind, effortSeconds) = (.hold, seconds)
        case .reps(let count, let tempo): (effortKind, effortSeconds) = (.reps(count: count, tempo: tempo), tempo.map { $0 * count })
        }
        var phases: [DrillPhase] = []
        for set in 1...max(1, timing.sets) {
            if set > 1, timing.rest > 0 {
                phases.append(DrillPhase(kind: .rest, seconds: timing.rest, set: set - 1, sets: timing.sets))
            }
            if timing.perSide {
                phases.append(DrillPhase(kind: effortKind, seconds: effortSeconds, set: set, sets: timing.sets, side: .left))
                phases.append(DrillPhase(kind: .switchSides, seconds: DrillTiming.switchSidesSeconds, set: set,
                                         sets: timing.sets))
                phases.append(DrillPhase(kind: effortKind, seconds: effortSeconds, set: set, sets: timing.sets, side: .right))
            } else {
                phases.append(DrillPhase(kind: effortKind, seconds: effortSeconds, set: set, sets: timing.sets))
            }
        }
        return phases
    }
}
