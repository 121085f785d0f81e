import SessionGuideContent

/// The therapist's editor for one patient's programme: which routine, each drill's dose (in or out, sets, reps
/// or seconds, rest, each side, the easier or harder version), how many days a week, until when, and a note for
/// the patient. Opened from a session's homework step or from the home menu; pure: keys in, a prescription out.
public struct ProgrammeEditor: Sendable {
    /// The rows of the editor, top to bottom.
    public enum Row: Hashable, Sendable {
        case routine
        case drill(Int)
        case daysPerWeek
        case until
        case note
    }

    /// The columns of a drill's row that ← → move between.
    public enum Field: Int, CaseIterable, Hashable, Sendable {
        case included, sets, dose, rest, sides, version

        public var title: String {
            switch self {
            case .included: "In"
            case .sets: "Sets"
            case .dose: "Reps / time"
            case .rest: "Rest"
            case .sides: "Sides"
            case .version: "Version"
            }
        }
    }

    public enum Outcome: Hashable, Sendable {
        case editing
        case saved(Prescription)
        case cancelled
    }

    public let patient: String
    public let routines: [Routine]
    private let library: ContentLibrary
    public private(set) var routineIndex: Int
    /// The doses of the chosen routine's drills, in its order.
    public private(set) var doses: [Prescription.Dose]
    public private(set) var daysPerWeek: Int
    public private(set) var until: CalendarDay?
    public private(set) var note: String
    public private(set) var row: Row = .routine
    public private(set) var field: Field = .sets
    /// The note being written: every key goes to it until Enter or Esc.
    public private(set) var noteEditor: NoteEditor?
    /// `q` with changes not saved: asks first.
    public private(set) var confirmingLeave = false
    /// The version the patient has now, shown in the header ("replaces version 2"); nil for a first programme.
    public let replacesVersion: Int?
    /// The current programme the editor started from (nil for a first one), and what it showed at first.
    private let original: Prescription?
    private var initial: Prescription?
    private let today: CalendarDay

    /// - Parameters:
    ///   - current: the patient's programme now, which the editor starts from; nil starts from the routine as
    ///     written (the first routine, or `preferredRoutine`).
    ///   - today: the clinic's day, from which "until" counts (a week on by default).
    public init(patient: String, library: ContentLibrary, current: Prescription? = nil, currentVersion: Int? = nil,
                preferredRoutine: String? = nil, today: CalendarDay) {
        self.patient = patient
        self.library = library
        self.today = today
        routines = library.documents.compactMap { document -> Routine? in
            if case .routine(let routine) = document { return routine }
            return nil
        }.sorted { $0.title < $1.title }
        replacesVersion = currentVersion
        let wanted = current?.routineID ?? preferredRoutine
        routineIndex = routines.firstIndex { $0.id == wanted } ?? 0
        doses = []
        daysPerWeek = current?.daysPerWeek ?? 7
        until = current?.until.flatMap { $0 >= today ? $0 : nil } ?? today.adding(days: 7)
        note = current?.note ?? ""
        if let current, routines.indices.contains(routineIndex), routines[routineIndex].id == current.routineID {
            doses = Self.doses(for: routines[routineIndex], library: library, keeping: current.drills)
            original = current
        } else {
            doses = routines.indices.contains(routineIndex)
                ? Self.doses(for: routines[routineIndex], library: library, keeping: []) : []
            original = nil
        }
        initial = nil
        initial = prescription
    }

    /// Every drill of `routine` with its dose as the routine sets it, or as `kept` prescribed it.
    static func doses(for routine: Routine, library: ContentLibrary, keeping kept: [Prescription.Dose])
        -> [Prescription.Dose]
    {
        routine.drills.compactMap { reference -> Prescription.Dose? in
            guard let resolved = library.resolve(DrillReference(drillID: reference.drillID,
                                                                override: reference.override,
                                                                location: reference.location)) else { return nil }
            if let dose = kept.first(where: { $0.drillID == reference.drillID }) { return dose }
            let timing = resolved.timing
            var dose = Prescription.Dose(drillID: reference.drillID, sets: timing.sets, rest: timing.rest,
                                         perSide: timing.perSide)
            switch timing.effort {
            case .reps(let count, _): dose.reps = count
            case .work(let seconds), .hold(let seconds): dose.seconds = seconds
            }
            return dose
        }
    }

    public var routine: Routine? { routines.indices.contains(routineIndex) ? routines[routineIndex] : nil }

    /// The rows in order.
    public var rows: [Row] { [.routine] + doses.indices.map(Row.drill) + [.daysPerWeek, .until, .note] }

    /// The drill of a dose, for its title, its timing and the versions it has.
    public func drill(for dose: Prescription.Dose) -> ResolvedDrill? {
        guard let reference = routine?.drills.first(where: { $0.drillID == dose.drillID }) else { return nil }
        return library.resolve(DrillReference(drillID: reference.drillID, override: reference.override,
                                              location: reference.location))
    }

    /// The versions a drill has: always the standard one, and the easier or harder one where it is written.
    public func versions(of dose: Prescription.Dose) -> [DrillVersion] {
        guard let drill = drill(for: dose)?.drill else { return [.standard] }
        return DrillVersion.allCases.filter { $0 == .standard || $0.steps(of: drill) != nil }
    }

    /// What the editor would save now.
    public var prescription: Prescription? {
        guard let routine else { return nil }
        return Prescription(routineID: routine.id, drills: doses, note: note, daysPerWeek: daysPerWeek, until: until)
    }

    /// Whether leaving would lose anything: what is shown differs from what the editor opened with.
    public var hasChanges: Bool { prescription != initial }

    /// Drills in the programme.
    public var includedCount: Int { doses.filter(\.included).count }

    // MARK: - Keys

    public mutating func handle(_ key: KeyEvent) -> Outcome {
        if var editor = noteEditor {
            switch editor.handle(key) {
            case .editing: noteEditor = editor
            case .saved(let text):
                note = text
                noteEditor = nil
            case .cancelled: noteEditor = nil
            }
            return .editing
        }
        if confirmingLeave {
            confirmingLeave = false
            if [.character("y"), .character("Y")].contains(key) { return .cancelled }
            return .editing
        }
        switch key {
        case .up, .character("k"): moveRow(by: -1)
        case .down, .character("j"), .tab: moveRow(by: 1)
        case .left, .character("h"): moveField(by: -1)
        case .right, .character("l"): moveField(by: 1)
        case .character("+"), .character("="): change(by: 1)
        case .character("-"), .character("_"): change(by: -1)
        case .character(" "), .enter:
            switch row {
            case .note: noteEditor = NoteEditor(step: 0, text: note)
            case .drill:
                if field == .included || field == .sides || field == .version { change(by: 1) }
            case .routine: change(by: 1)
            case .daysPerWeek, .until: break
            }
        case .character("x"), .delete:
            if case .until = row { until = nil }
        case .character("s"), .character("S"):
            if let prescription, includedCount > 0 { return .saved(prescription) }
        case .character("q"), .escape:
            if hasChanges {
                confirmingLeave = true
            } else {
                return .cancelled
            }
        default: break
        }
        return .editing
    }

    private mutating func moveRow(by step: Int) {
        let all = rows
        let index = all.firstIndex(of: row) ?? 0
        row = all[min(all.count - 1, max(0, index + step))]
    }

    private mutating func moveField(by step: Int) {
        guard case .drill = row else {
            change(by: step)
            return
        }
        let fields = Field.allCases
        field = fields[min(fields.count - 1, max(0, field.rawValue + step))]
    }

    private mutating func change(by step: Int) {
        switch row {
        case .routine:
            guard !routines.isEmpty else { return }
            routineIndex = (routineIndex + step + routines.count) % routines.count
            let keep = original?.routineID == routines[routineIndex].id ? original?.drills ?? [] : []
            doses = Self.doses(for: routines[routineIndex], library: library, keeping: keep)
        case .drill(let index):
            guard doses.indices.contains(index) else { return }
            var dose = doses[index]
            let limits = Prescription.doseLimits
            switch field {
            case .included: dose.included.toggle()
            case .sets: dose.sets = clamp((dose.sets ?? 1) + step, limits.sets)
            case .dose:
                if let reps = dose.reps {
                    dose.reps = clamp(reps + step, limits.reps)
                } else {
                    dose.seconds = clamp((dose.seconds ?? 30) + 5 * step, limits.seconds)
                }
            case .rest: dose.rest = clamp((dose.rest ?? 0) + 5 * step, limits.rest)
            case .sides: dose.perSide = !(dose.perSide ?? false)
            case .version:
                let versions = versions(of: dose)
                let position = versions.firstIndex(of: dose.version) ?? 0
                dose.version = versions[(position + step + versions.count) % versions.count]
            }
            doses[index] = dose
        case .daysPerWeek: daysPerWeek = clamp(daysPerWeek + step, 1...7)
        case .until:
            let day = until ?? today
            let next = day.adding(days: step)
            until = next < today ? today : next
        case .note: break
        }
    }

    private func clamp(_ value: Int, _ range: ClosedRange<Int>) -> Int { min(range.upperBound, max(range.lowerBound, value)) }
}
