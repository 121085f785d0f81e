import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideHistory

/// What the history has on a patient for the program: their current programme and the lines of the
/// next-visit summary (`PatientReport`), or why the history could not be read.
public struct PatientRecords: Sendable {
    public var programme: PatientProgramme?
    public var sinceLastVisit: [String]
    public var problem: String?

    public init(programme: PatientProgramme? = nil, sinceLastVisit: [String] = [], problem: String? = nil) {
        self.programme = programme
        self.sinceLastVisit = sinceLastVisit
        self.problem = problem
    }
}

/// A patient's programme as the history keeps it, and as the engines use it: the bridge between
/// `ProgrammeRecord` (rows) and `Prescription` (doses laid over a routine).
public struct PatientProgramme: Sendable, Hashable {
    public var record: ProgrammeRecord

    public init(record: ProgrammeRecord) {
        self.record = record
    }

    public var patient: String { record.patient }

    public var prescription: Prescription {
        Prescription(
            routineID: record.routineID,
            drills: record.drills.sorted { $0.position < $1.position }.map { drill in
                Prescription.Dose(drillID: drill.drillID, included: drill.included, sets: drill.sets, reps: drill.reps,
                                  seconds: drill.seconds, rest: drill.rest, perSide: drill.perSide,
                                  version: DrillVersion(rawValue: drill.version) ?? .standard)
            },
            note: record.note, daysPerWeek: record.daysPerWeek, until: record.until.flatMap(CalendarDay.init))
    }

    /// The programme's routine with its doses, or nil when the content folder no longer has the routine.
    public func routine(in library: ContentLibrary) -> Routine? {
        guard case .routine(let routine)? = library.document(id: record.routineID) else { return nil }
        return prescription.applied(to: routine, library: library)
    }

    /// The rows for a new programme (the history numbers its version when it is saved).
    public static func record(for prescription: Prescription, patient: String, routine: Routine,
                              library: ContentLibrary, at date: Date, sessionKey: String? = nil) -> ProgrammeRecord {
        let drills = prescription.drills.enumerated().map { index, dose in
            let title = library.drill(id: dose.drillID)?.title ?? dose.drillID
            return ProgrammeDrillRecord(position: index + 1, drillID: dose.drillID, drillTitle: title,
                                        included: dose.included, sets: dose.sets, reps: dose.reps,
                                        seconds: dose.seconds, rest: dose.rest, perSide: dose.perSide,
                                        version: dose.version.rawValue)
        }
        return ProgrammeRecord(patient: patient, routineID: routine.id, routineTitle: routine.title, createdAt: date,
                               note: prescription.note, daysPerWeek: prescription.daysPerWeek,
                               until: prescription.until?.description, sessionKey: sessionKey, drills: drills)
    }

    /// What the routine's first screen says of it: "JD's programme (version 2, given 2026-12-04): 5 days a week
    /// until 2026-12-11. From your therapist: …". `utcOffset`: the clinic's, for the day it was given.
    public func introduction(utcOffset: Int) -> String {
        let given = CalendarDay(Instant(moment: Moment(milliseconds: 0), date: record.createdAt, utcOffset: utcOffset))
        var text = "\(record.patient)'s programme (version \(record.version), given \(given)): "
            + "\(record.daysPerWeek) day\(record.daysPerWeek == 1 ? "" : "s") a week"
        if let until = record.until { text += " until \(until)" }
        text += "."
        if !record.note.isEmpty { text += " From your therapist: \u{201C}\(record.note)\u{201D}" }
        return text
    }
}

/// How a routine starts for a patient: with their programme's doses, versions and the question after each
/// drill when the programme is of this routine; else as written, with a line saying why. The same for
/// `routine --patient` and for a routine opened from the menu.
public struct RoutineStart: Sendable {
    public var engine: RoutineEngine
    /// The programme the run follows, nil for the routine as written.
    public var programme: PatientProgramme?
    /// The line for the routine's first screen about the programme (nil without a patient).
    public var notice: String?

    /// - Parameter utcOffset: the clinic's, for the day the programme was given.
    public init(_ routine: Routine, library: ContentLibrary, patient: String?, programme: PatientProgramme?,
                asksAboutPain: Bool, utcOffset: Int) {
        if patient != nil, let programme, programme.record.routineID == routine.id,
           let prescribed = programme.routine(in: library) {
            engine = RoutineEngine(routine: prescribed, library: library, asksAboutPain: asksAboutPain,
                                   asksForFeedback: asksAboutPain)
            self.programme = programme
            notice = programme.introduction(utcOffset: utcOffset)
            return
        }
        engine = RoutineEngine(routine: routine, library: library, asksAboutPain: asksAboutPain)
        self.programme = nil
        notice = patient.map { patient in
            programme.map { "\(patient)'s programme is for \($0.record.routineTitle); this is \(routine.title) as written." }
                ?? "No programme for \(patient) yet: this is the routine as written."
        }
    }
}
