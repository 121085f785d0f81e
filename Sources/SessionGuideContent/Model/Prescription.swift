/// What a therapist prescribes one patient: a routine from the content folder with the patient's own doses,
/// drills left out, a note, how often and until when. It is patient data, kept in the history database, never
/// in `Content/`; this type knows nothing of where it is kept.
public struct Prescription: Hashable, Sendable, Codable {
    /// One drill of the routine as prescribed. A nil dose keeps the routine's own figure.
    public struct Dose: Hashable, Sendable, Codable {
        public var drillID: String
        public var included: Bool
        public var sets: Int?
        /// Repetitions, for a drill done in reps.
        public var reps: Int?
        /// Seconds of holding or of continuous work, for a timed drill.
        public var seconds: Int?
        /// Seconds of rest between sets.
        public var rest: Int?
        /// Both sides (left then right), or nil for what the drill says.
        public var perSide: Bool?
        public var version: DrillVersion

        public init(drillID: String, included: Bool = true, sets: Int? = nil, reps: Int? = nil, seconds: Int? = nil,
                    rest: Int? = nil, perSide: Bool? = nil, version: DrillVersion = .standard) {
            self.drillID = drillID
            self.included = included
            self.sets = sets
            self.reps = reps
            self.seconds = seconds
            self.rest = rest
            self.perSide = perSide
            self.version = version
        }

        /// The dose as a change to the drill's timing as the routine uses it.
        public func override(on timing: DrillTiming) -> TimingOverride {
            var override = TimingOverride(sets: sets, rest: rest, perSide: perSide)
            switch timing.effort {
            case .reps: override.reps = reps
            case .hold: override.hold = seconds
            case .work: override.work = seconds
            }
            if case .reps(_, let tempo) = timing.effort, reps != nil { override.tempo = tempo }
            return override
        }
    }

    public static let doseLimits = (sets: 1...10, reps: 1...50, seconds: 5...600, rest: 0...300)

    public var routineID: String
    public var drills: [Dose]
    /// For the patient, in the therapist's words ("keep the range small this week"); may be empty.
    public var note: String
    /// Days a week the routine is to be done, 1–7.
    public var daysPerWeek: Int
    /// The last day of the programme (the next visit), if the therapist set one.
    public var until: CalendarDay?

    public init(routineID: String, drills: [Dose], note: String = "", daysPerWeek: Int = 7, until: CalendarDay? = nil) {
        self.routineID = routineID
        self.drills = drills
        self.note = note
        self.daysPerWeek = min(7, max(1, daysPerWeek))
        self.until = until
    }

    /// The routine as written: every drill in, no dose changed.
    public static func plain(_ routine: Routine) -> Prescription {
        Prescription(routineID: routine.id, drills: routine.drills.map { Dose(drillID: $0.drillID) })
    }

    /// The routine with this prescription's doses: drills in the prescription's order, those left out dropped,
    /// each dose laid over the routine's own use of the drill. Drills the routine no longer has are dropped;
    /// drills the routine gained since are left out until prescribed.
    public func applied(to routine: Routine, library: ContentLibrary) -> Routine {
        var result = routine
        var references: [DrillReference] = []
        for dose in drills where dose.included {
            guard var reference = routine.drills.first(where: { $0.drillID == dose.drillID }),
                  let resolved = library.resolve(reference) else { continue }
            let override = dose.override(on: resolved.timing)
            reference.override = reference.override.merged(with: override)
            if dose.version.steps(of: resolved.drill) != nil { reference.version = dose.version }
            references.append(reference)
        }
        result.drills = references
        return result
    }
}

extension TimingOverride {
    /// This override with every figure `other` gives laid over it (`other` wins).
    public func merged(with other: TimingOverride) -> TimingOverride {
        var result = self
        if other.work != nil || other.hold != nil || other.reps != nil {
            result.work = other.work
            result.hold = other.hold
            result.reps = other.reps
        }
        if let tempo = other.tempo { result.tempo = tempo }
        if let sets = other.sets { result.sets = sets }
        if let rest = other.rest { result.rest = rest }
        if let perSide = other.perSide { result.perSide = perSide }
        return result
    }
}

/// A day on the calendar (the clinic's local one), with no time of day: a programme's last day, a day done.
public struct CalendarDay: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; nil for anything else or a day that doesn't exist.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Days since 1970-01-01 (negative before), by the proleptic Gregorian calendar.
    public var ordinal: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public init(ordinal: Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// The day `count` days later (earlier when negative).
    public func adding(days count: Int) -> CalendarDay { CalendarDay(ordinal: ordinal + count) }

    /// Monday 0 … Sunday 6.
    public var weekday: Int { ((ordinal % 7) + 7 + 3) % 7 }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { lhs.ordinal < rhs.ordinal }

    public var description: String {
        let pad = { (value: Int, width: Int) in
            String(repeating: "0", count: max(0, width - String(value).count)) + String(value)
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
