public enum DocumentKind: String, CaseIterable, Hashable, Sendable {
    case session
    case drill
    case routine
    case deck
}

/// A therapist's treatment plan: sections that become the steps of a session.
public struct Session: Hashable, Sendable {
    public var id: String
    public var title: String
    public var goal: String?
    /// The planned length in seconds, when the plan gives one.
    public var plannedSeconds: Int?
    public var sections: [Section]
    /// The screen the session is written for (`screen: 80x24`, the default): `check` warns about a step that
    /// needs scrolling there.
    public var screen: ScreenSize
    public var location: SourceLocation

    public init(id: String, title: String, goal: String? = nil, plannedSeconds: Int? = nil,
                sections: [Section], screen: ScreenSize = .standard, location: SourceLocation) {
        self.id = id
        self.screen = screen
        self.title = title
        self.goal = goal
        self.plannedSeconds = plannedSeconds
        self.sections = sections
        self.location = location
    }

    /// One step per section; a `#` group with `##` subsections gives one step per subsection, plus one for the
    /// group's own text when it has any.
    public var steps: [SessionStep] {
        sections.flatMap { section -> [SessionStep] in
            var steps: [SessionStep] = []
            if !section.blocks.isEmpty || section.subsections.isEmpty {
                steps.append(SessionStep(group: nil, section: section))
            }
            steps += section.subsections.map { SessionStep(group: section.title, section: $0) }
            return steps
        }
    }

    public var drillReferences: [DrillReference] {
        sections.flatMap(\.allBlocks).compactMap(\.drillReference)
    }
}

public struct SessionStep: Hashable, Sendable {
    /// The title of the `#` group this step belongs to, for a step made from a `##` subsection.
    public var group: RichText?
    public var section: Section

    public var title: RichText { section.title }
}

/// An ordered set of drills for a patient to follow on their own.
public struct Routine: Hashable, Sendable {
    public static let defaultRestBetween = 15
    public static let defaultGetReady = 10

    public var id: String
    public var title: String
    public var goal: String?
    public var safety: String
    public var restBetween: Int
    public var getReady: Int
    public var introduction: [Block]
    public var drills: [DrillReference]
    public var location: SourceLocation

    public init(id: String, title: String, goal: String? = nil, safety: String,
                restBetween: Int = Routine.defaultRestBetween, getReady: Int = Routine.defaultGetReady,
                introduction: [Block] = [], drills: [DrillReference], location: SourceLocation) {
        self.id = id
        self.title = title
        self.goal = goal
        self.safety = safety
        self.restBetween = restBetween
        self.getReady = getReady
        self.introduction = introduction
        self.drills = drills
        self.location = location
    }
}

/// Waiting-room slides that loop on a kiosk.
public struct Deck: Hashable, Sendable {
    public static let defaultDwell = 20

    public var id: String
    public var title: String
    public var dwell: Int
    public var slides: [Slide]
    /// When the waiting room is open (front matter `hours` and `days`); nil: always.
    public var openingHours: OpeningHours?
    /// The kiosk's screen (`screen: 80x24`, the default): `check` warns about a slide cut short there.
    public var screen: ScreenSize
    public var location: SourceLocation

    public init(id: String, title: String, dwell: Int = Deck.defaultDwell, slides: [Slide],
                openingHours: OpeningHours? = nil, screen: ScreenSize = .standard, location: SourceLocation) {
        self.id = id
        self.screen = screen
        self.title = title
        self.dwell = dwell
        self.slides = slides
        self.openingHours = openingHours
        self.location = location
    }

    /// Seconds one pass through every slide takes.
    public var loopSeconds: Int { slides.reduce(0) { $0 + ($1.dwell ?? dwell) } }
}

public struct Slide: Hashable, Sendable {
    public var title: RichText
    /// This slide's own time on screen; nil uses the deck's.
    public var dwell: Int?
    public var blocks: [Block]
    public var location: SourceLocation

    public init(title: RichText, dwell: Int? = nil, blocks: [Block], location: SourceLocation) {
        self.title = title
        self.dwell = dwell
        self.blocks = blocks
        self.location = location
    }
}

/// Any content document.
public enum Document: Hashable, Sendable {
    case session(Session)
    case drill(Drill)
    case routine(Routine)
    case deck(Deck)

    public var kind: DocumentKind {
        switch self {
        case .session: .session
        case .drill: .drill
        case .routine: .routine
        case .deck: .deck
        }
    }

    public var id: String {
        switch self {
        case .session(let session): session.id
        case .drill(let drill): drill.id
        case .routine(let routine): routine.id
        case .deck(let deck): deck.id
        }
    }

    public var title: String {
        switch self {
        case .session(let session): session.title
        case .drill(let drill): drill.title
        case .routine(let routine): routine.title
        case .deck(let deck): deck.title
        }
    }

    public var location: SourceLocation {
        switch self {
        case .session(let session): session.location
        case .drill(let drill): drill.location
        case .routine(let routine): routine.location
        case .deck(let deck): deck.location
        }
    }

    /// Every drill this document uses, in order.
    public var drillReferences: [DrillReference] {
        switch self {
        case .session(let session): session.drillReferences
        case .routine(let routine): routine.drills
        case .drill, .deck: []
        }
    }
}

/// A terminal's size in columns and rows, as content declares it (`screen: 120x40`).
public struct ScreenSize: Hashable, Sendable, Codable, CustomStringConvertible {
    public var columns: Int
    public var rows: Int

    public static let standard = ScreenSize(columns: 80, rows: 24)
    /// The smallest screen the program draws on; content may not declare less.
    public static let smallest = ScreenSize(columns: 30, rows: 8)

    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    /// `80x24` or `80×24`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.lowercased().replacingOccurrences(of: "×", with: "x").split(separator: "x")
        guard parts.count == 2, let columns = Int(parts[0].trimmingSpaces()), let rows = Int(parts[1].trimmingSpaces())
        else { return nil }
        self.init(columns: columns, rows: rows)
    }

    public var description: String { "\(columns)×\(rows)" }
}

/// The clinic's safety rule for anyone who moves: pain-free, controlled movement, and stop if it hurts. `check`
/// warns where a drill, a routine or a deck that tells people to move doesn't give it.
public enum SafetyRule {
    public static let wording = "keep to pain-free, controlled movement, and stop if it hurts"

    /// Whether `text` states the rule as the clinic's plan words it: pain-free (or without pain) and controlled
    /// movement. (Stopping when it hurts is suggested with it, and the shipped content says it everywhere.)
    public static func isStated(in text: String) -> Bool {
        let text = text.lowercased().replacingOccurrences(of: "\u{2011}", with: "-")
        let painFree = ["pain-free", "pain free", "painfree", "without pain"].contains { text.contains($0) }
        return painFree && text.contains("control")
    }

    /// Words that tell people to move: exercise, stretch, mobility and the like.
    public static func advisesMovement(_ text: String) -> Bool {
        let text = text.lowercased()
        return ["exercise", "stretch", "mobility", "movement", "move ", "squat", "drill", "routine"].contains { text.contains($0) }
    }

    static func missingWarning(_ what: String) -> String {
        "\(what) doesn't give the clinic's safety rule; say it in your words: \(wording)"
    }
}
