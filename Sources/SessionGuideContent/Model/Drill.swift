/// How one drill is timed. Every figure is in whole seconds.
public struct DrillTiming: Hashable, Sendable, Codable {
    /// What fills one set: a continuous movement, a held position, or a number of repetitions.
    public enum Effort: Hashable, Sendable, Codable {
        case work(seconds: Int)
        case hold(seconds: Int)
        /// `tempo` is seconds per repetition when the content gives one, so the timer can count reps out.
        case reps(count: Int, tempo: Int?)
    }

    /// Used only for estimating the length of reps without a tempo.
    public static let estimatedSecondsPerRep = 3
    /// The pause between the left and the right side of a set, for the patient to change position.
    public static let switchSidesSeconds = 5

    public var effort: Effort
    public var sets: Int
    public var rest: Int
    public var perSide: Bool

    public init(effort: Effort, sets: Int = 1, rest: Int = 0, perSide: Bool = false) {
        self.effort = effort
        self.sets = sets
        self.rest = rest
        self.perSide = perSide
    }

    /// Seconds one side of one set takes (estimated for reps without a tempo).
    public var secondsPerSet: Int {
        switch effort {
        case .work(let seconds), .hold(let seconds): seconds
        case .reps(let count, let tempo): count * (tempo ?? Self.estimatedSecondsPerRep)
        }
    }

    /// The whole drill: every set on every side, the switch between sides, and rest between sets.
    public var totalSeconds: Int {
        sets * (perSide ? 2 * secondsPerSet + Self.switchSidesSeconds : secondsPerSet) + max(0, sets - 1) * rest
    }

    public var isReps: Bool {
        if case .reps = effort { return true }
        return false
    }

    /// True when the length is an estimate because reps have no tempo.
    public var isEstimate: Bool {
        if case .reps(_, nil) = effort { return true }
        return false
    }

    /// This timing with a use-site override applied: giving any of work, hold or reps replaces the effort.
    public func applying(_ override: TimingOverride) -> DrillTiming {
        var result = self
        if let seconds = override.work {
            result.effort = .work(seconds: seconds)
        } else if let seconds = override.hold {
            result.effort = .hold(seconds: seconds)
        } else if let count = override.reps {
            result.effort = .reps(count: count, tempo: override.tempo)
        } else if let tempo = override.tempo, case .reps(let count, _) = result.effort {
            result.effort = .reps(count: count, tempo: tempo)
        }
        if let sets = override.sets { result.sets = sets }
        if let rest = override.rest { result.rest = rest }
        if let perSide = override.perSide { result.perSide = perSide }
        return result
    }
}

/// Timing changes for one use of a drill (`[drill: cat-cow, work: 30s]`).
public struct TimingOverride: Hashable, Sendable, Codable {
    public var work: Int?
    public var hold: Int?
    public var reps: Int?
    public var tempo: Int?
    public var sets: Int?
    public var rest: Int?
    public var perSide: Bool?

    public init(work: Int? = nil, hold: Int? = nil, reps: Int? = nil, tempo: Int? = nil, sets: Int? = nil,
                rest: Int? = nil, perSide: Bool? = nil) {
        self.work = work
        self.hold = hold
        self.reps = reps
        self.tempo = tempo
        self.sets = sets
        self.rest = rest
        self.perSide = perSide
    }

    public var isEmpty: Bool { self == TimingOverride() }
}

public struct DrillReference: Hashable, Sendable, Codable {
    public var drillID: String
    public var override: TimingOverride
    /// The way of doing the drill a therapist prescribed (content files always use the standard one).
    public var version: DrillVersion
    public var location: SourceLocation

    public init(drillID: String, override: TimingOverride = TimingOverride(), version: DrillVersion = .standard,
                location: SourceLocation) {
        self.drillID = drillID
        self.override = override
        self.version = version
        self.location = location
    }

    enum CodingKeys: String, CodingKey { case drillID, override, version, location }

    /// A reference sent by an older version (to a follower) has no version: the standard one.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        drillID = try container.decode(String.self, forKey: .drillID)
        override = try container.decode(TimingOverride.self, forKey: .override)
        version = try container.decodeIfPresent(DrillVersion.self, forKey: .version) ?? .standard
        location = try container.decode(SourceLocation.self, forKey: .location)
    }
}

/// A drill as written, or its easier or harder version (`# Easier`, `# Harder` in the drill's file).
public enum DrillVersion: String, Hashable, Sendable, Codable, CaseIterable {
    case standard
    case easier
    case harder

    /// The version's own steps in `drill`, nil for the standard one or one the drill doesn't have.
    public func steps(of drill: Drill) -> [RichText]? {
        switch self {
        case .standard: nil
        case .easier: drill.easier.isEmpty ? nil : drill.easier
        case .harder: drill.harder.isEmpty ? nil : drill.harder
        }
    }
}

/// One exercise, defined once and used by id.
public struct Drill: Hashable, Sendable, Codable {
    public var id: String
    public var title: String
    public var purpose: String
    public var equipment: String?
    public var timing: DrillTiming
    public var steps: [RichText]
    public var cues: [RichText]
    public var safety: [Block]
    /// Small ASCII drawings of the movement's positions, in order (start first).
    public var figures: [Figure]
    /// An easier and a harder way to do it (`# Easier`, `# Harder`), for a therapist to prescribe; empty when
    /// the drill has none.
    public var easier: [RichText]
    public var harder: [RichText]
    public var location: SourceLocation

    public init(id: String, title: String, purpose: String, equipment: String? = nil, timing: DrillTiming,
                steps: [RichText], cues: [RichText] = [], safety: [Block], figures: [Figure] = [],
                easier: [RichText] = [], harder: [RichText] = [], location: SourceLocation) {
        self.easier = easier
        self.harder = harder
        self.id = id
        self.title = title
        self.purpose = purpose
        self.equipment = equipment
        self.timing = timing
        self.steps = steps
        self.cues = cues
        self.safety = safety
        self.figures = figures
        self.location = location
    }
}
