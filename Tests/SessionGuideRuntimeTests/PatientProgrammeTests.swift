import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideHistory
import SessionGuideLayout
import SessionGuideRuntime
import Testing

// MARK: - The next-visit summary

/// Berlin's calendar: CET (UTC+1) until 29 March 2026 02:00, then CEST (UTC+2).
private let berlin: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Europe/Berlin")!
    return calendar
}()

private let berlinDay: @Sendable (Date) -> CalendarDay = { date in
    let parts = berlin.dateComponents([.year, .month, .day], from: date)
    return CalendarDay(year: parts.year!, month: parts.month!, day: parts.day!)
}

/// A moment on Berlin's wall clock.
private func berlinTime(_ day: Int, _ hour: Int, _ minute: Int = 0, _ second: Int = 0, month: Int = 3) -> Date {
    berlin.date(from: DateComponents(year: 2026, month: month, day: day, hour: hour, minute: minute, second: second))!
}

private func run(at date: Date, done: Bool = true, pain: (Int, Int)? = nil,
                 feedback: [String: DrillResult.Feedback] = [:]) -> RoutineRun {
    let drills = [("cat-cow", "Cat-cow"), ("hip-rocks", "Hip rocks")].enumerated().map { index, drill in
        DrillResult(position: index + 1, drillID: drill.0, drillTitle: drill.1, status: done ? .done : .skipped,
                    feedback: feedback[drill.0])
    }
    return RoutineRun(routineID: "daily-hip-back", routineTitle: "Daily hip and low-back mobility", startedAt: date,
                      seconds: 600, completed: done, painBefore: pain?.0, painAfter: pain?.1, patient: "JD",
                      programmeID: 1, drills: drills)
}

@Suite struct PatientReportTests {
    /// The visit on Monday 23 March 2026 at 10:00, the programme given then: 5 days a week until the 30th.
    private let visit = SessionRecord(
        sessionID: "treatment-08", sessionTitle: "Treatment 8", patient: "JD", startedAt: berlinTime(23, 10),
        endedAt: berlinTime(23, 11), seconds: 3600,
        notes: [SessionNoteRecord(stepPosition: 1, stepTitle: "Simple Recap", text: "Less stiff on waking",
                                  writtenAt: berlinTime(23, 10, 5))])

    private var programme: ProgrammeRecord {
        ProgrammeRecord(id: 1, patient: "JD", version: 2, routineID: "daily-hip-back",
                        routineTitle: "Daily hip and low-back mobility", createdAt: berlinTime(23, 10, 50),
                        note: "Keep the range small", daysPerWeek: 5, until: "2026-03-30")
    }

    /// A week with missed days, runs either side of midnight, and the night the clocks go forward.
    private var runs: [RoutineRun] {
        [
            run(at: berlinTime(22, 18), pain: (6, 5)),                 // before the visit: not counted
            run(at: berlinTime(23, 21), pain: (5, 3)),                 // the evening of the visit
            run(at: berlinTime(24, 23, 59, 30), feedback: ["hip-rocks": .tooHard]),  // Tuesday, just before midnight
            run(at: berlinTime(25, 0, 0, 30)),                         // Wednesday, just after (Tuesday in UTC)
            run(at: berlinTime(26, 10), done: false),                  // Thursday: every drill skipped
            run(at: berlinTime(27, 8), pain: (4, 2)),                  // Friday, twice: one day
            run(at: berlinTime(27, 18), feedback: ["hip-rocks": .tooHard, "cat-cow": .hurt]),
            run(at: berlinTime(29, 0, 30)),                            // Sunday 00:30 CET (Saturday in UTC)
            run(at: berlinTime(30, 0, 30), pain: (3, 1)),              // Monday 00:30 CEST (Sunday in UTC)
        ]
    }

    private func report(now: Date = berlinTime(30, 12)) -> PatientReport {
        PatientReport(patient: "JD", programmes: [programme], runs: runs, sessions: [visit], now: now,
                      localDay: berlinDay)
    }

    @Test func daysDoneCountLocalDaysAcrossMidnightAndTheChangeToSummerTime() {
        let report = report()
        #expect(report.periodStart == CalendarDay(year: 2026, month: 3, day: 23))
        #expect(report.periodEnd == CalendarDay(year: 2026, month: 3, day: 30))
        #expect(report.daysDone.map(\.day) == [23, 24, 25, 27, 29, 30])
        #expect(report.daysInPeriod == 8)
        #expect(report.daysPrescribed == 6)  // 5 a week over 8 days, rounded up
        // Counted by UTC days instead, Tuesday's and Wednesday's runs would be one day and Monday's a Sunday.
        let utc = PatientReport(patient: "JD", programmes: [programme], runs: runs, sessions: [visit],
                                now: berlinTime(30, 12), localDay: { CalendarDay(ordinal: Int(($0.timeIntervalSince1970 / 86_400).rounded(.down))) })
        #expect(utc.daysDone.map(\.day) != report.daysDone.map(\.day))
    }

    @Test func theDaysPrescribedStopAtTheProgrammesLastDay() {
        let later = report(now: berlinTime(5, 12, month: 4))
        #expect(later.periodEnd == CalendarDay(year: 2026, month: 3, day: 30))
        #expect(later.daysPrescribed == 6)
        // Mid-week, the prescribed days are those of the days so far.
        let midweek = report(now: berlinTime(25, 20))
        #expect(midweek.daysInPeriod == 3)
        #expect(midweek.daysPrescribed == 3)  // 5 × 3 / 7 rounded up
        #expect(midweek.daysDone.map(\.day) == [23, 24, 25])
    }

    @Test func painAndDrillsMarkedTooHardOrPainful() {
        let report = report()
        #expect(report.painRuns.map { [$0.painBefore!, $0.painAfter!] } == [[5, 3], [4, 2], [3, 1]])
        #expect(report.flags.map(\.drillTitle) == ["Cat-cow", "Hip rocks"])  // what hurt first
        #expect(report.flags[0].feedback == .hurt && report.flags[0].days.map(\.day) == [27])
        #expect(report.flags[1].feedback == .tooHard && report.flags[1].days.map(\.day) == [24, 27])
    }

    @Test func theSummaryInWords() {
        let lines = report().lines()
        #expect(lines.contains("Programme: version 2 of Daily hip and low-back mobility, given 2026-03-23, 5 days a week until 2026-03-30"))
        #expect(lines.contains("  Note for the patient: Keep the range small"))
        #expect(lines.contains("Days done since the last visit (2026-03-23): 6 of 6 prescribed (8 days)"))
        #expect(lines.contains("Pain before → after (0-10): 5→3, 4→2, 3→1; average 4.0 → 2.0"))
        #expect(lines.contains("  Cat-cow: it hurt, once (last 2026-03-27)"))
        #expect(lines.contains("  Hip rocks: too hard, 2 times (last 2026-03-27)"))
        #expect(lines.contains("  Simple Recap: Less stiff on waking"))
        #expect(report().lines(ascii: true).contains("Pain before -> after (0-10): 5->3, 4->2, 3->1; average 4.0 -> 2.0"))
    }

    @Test func exportsCarryTheSameFigures() throws {
        let json = try JSONSerialization.jsonObject(with: Data(report().json().utf8)) as? [String: Any]
        #expect(json?["days_prescribed"] as? Int == 6)
        #expect((json?["days_done"] as? [String])?.count == 6)
        #expect((json?["programme"] as? [String: Any])?["version"] as? Int == 2)
        let csv = report().csv()
        #expect(csv.contains("days_done,6"))
        #expect(csv.contains("days_prescribed,6"))
        #expect(csv.contains("flagged,Cat-cow: hurt x1"))
    }

    @Test func anEmptyHistorySaysSoPlainly() {
        let empty = PatientReport(patient: "ZZ", programmes: [], runs: [], sessions: [], now: berlinTime(30, 12),
                                  localDay: berlinDay)
        #expect(empty.lines() == ["Nothing recorded for ZZ yet: no programme, no routine runs, no sessions."])
        #expect(empty.daysPrescribed == nil)
    }

    @Test func withoutAVisitTheDaysCountFromWhenTheProgrammeWasGiven() {
        let report = PatientReport(patient: "JD", programmes: [programme], runs: runs, sessions: [],
                                   now: berlinTime(30, 12), localDay: berlinDay)
        #expect(report.lastVisit == nil)
        #expect(report.periodStart == CalendarDay(year: 2026, month: 3, day: 23))
        #expect(report.lines().contains("Days done since 2026-03-23: 6 of 6 prescribed (8 days)"))
    }
}

// MARK: - Prescribing on the runtime

@Suite struct PrescribingProgramTests {
    private func session(patient: String?, records: Bool = true) throws -> FullScreenHarness {
        let library = try Shipped.library()
        guard case .session(let session)? = library.document(id: "treatment-08") else {
            throw Shipped.Missing(description: "treatment-08 is not a session")
        }
        let engine = SessionEngine(session: session, library: library, startedAt: Moment(milliseconds: 0))
        return ProgramHarness(FullScreenProgram(library: library, start: .session(engine),
                                                routine: RoutineSettings(records: records),
                                                session: SessionSettings(records: records, patient: patient)),
                              size: Size(width: 100, height: 30))
    }

    /// The programme the harness's history was given.
    private func savedProgrammes(_ harness: FullScreenHarness) -> [ProgrammeRecord] {
        harness.effects.saved.compactMap { if case .programme(let programme) = $0 { programme } else { nil } }
    }

    @Test func theHomeworkStepPrescribesForTheSessionsPatient() throws {
        let harness = try session(patient: "JD")
        harness.press(.character("t"), .end, .enter)  // the last step: homework
        #expect(harness.contains("e programme"))
        harness.press(.character("e"))
        #expect(harness.contains("Programme for JD"))
        #expect(harness.contains("first programme"))
        // Cat-cow: 12 reps → 14; Hip rocks left out; a note.
        harness.press(.down, .right, .character("+"), .character("+"), .down, .left, .left, .character(" "))
        for _ in 0..<9 { harness.press(.down) }
        harness.press(.enter)
        harness.type("Small range this week".map { KeyEvent.character($0) })
        harness.press(.enter)  // the note kept
        harness.press(.character("s"))  // a key of its own: keys in the batch that closed a note count as pasted
        let saved = try #require(savedProgrammes(harness).first)
        #expect(saved.patient == "JD" && saved.version == 1 && saved.routineID == "daily-hip-back")
        #expect(saved.note == "Small range this week")
        #expect(saved.drills.first { $0.drillID == "cat-cow" }?.reps == 14)
        #expect(saved.drills.first { $0.drillID == "hip-rocks" }?.included == false)
        // Given in this session: the programme names the session's record.
        let sessionKey = harness.effects.saved.compactMap { if case .session(let record) = $0 { record.progress?.key } else { nil } }.first
        #expect(saved.sessionKey != nil && saved.sessionKey == sessionKey)
        #expect(harness.contains("Programme version 1 saved for JD."))
        // Prescribing again starts from it, and says it replaces it.
        harness.press(.character("e"))
        #expect(harness.contains("replaces version 1"))
        #expect(harness.contains("14 reps"))
    }

    @Test func withoutAPatientTheLabelIsAskedFirstAndChecked() throws {
        let harness = try session(patient: nil)
        harness.press(.character("t"), .end, .enter, .character("e"))
        #expect(harness.contains("Which patient?"))
        harness.type("Jane Doe with a very long name".map { KeyEvent.character($0) })
        harness.press(.enter)
        #expect(harness.contains("at most 24 characters"))
        harness.press(.control("u"))
        harness.type("AB".map { KeyEvent.character($0) })
        harness.press(.enter)
        #expect(harness.contains("Programme for AB"))
    }

    @Test func withNoLogNothingCanBePrescribed() throws {
        let harness = try session(patient: "JD", records: false)
        harness.press(.character("t"), .end, .enter, .character("e"))
        #expect(!harness.contains("Programme for JD"))
        #expect(harness.contains("With --no-log nothing is saved"))
    }

    @Test func theMenuRunsTheChosenPatientsProgrammeWithItsDoses() throws {
        let library = try Shipped.library()
        let harness = ProgramHarness(FullScreenProgram(library: library, start: .menu(HomeMenu(library: library)),
                                                       routine: RoutineSettings(records: true),
                                                       session: SessionSettings(records: true)),
                                     size: Size(width: 100, height: 30))
        // u: choose the patient; e: prescribe (Cat-cow 12 → 10 reps, every other drill left out).
        harness.press(.character("u"))
        harness.type("JD".map { KeyEvent.character($0) })
        harness.press(.enter)
        #expect(harness.contains("Patient: JD"))
        harness.press(.character("e"), .down, .right, .character("-"), .character("-"), .left, .left)
        for _ in 0..<7 { harness.press(.down, .character(" ")) }
        harness.press(.character("s"))
        #expect(savedProgrammes(harness).count == 1, "\(harness.text)")
        // Open the routine from the menu: JD's programme, their dose, a question after the drill.
        harness.press(.character("d"), .enter)
        #expect(harness.contains("JD's programme (version 1"))
        #expect(harness.contains("Cat-cow · 1 set × 10 reps"))
        #expect(!harness.contains("Hip rocks"))
        harness.press(.character(" "))
        harness.press(.enter)  // no pain figure before
        harness.advance(seconds: 10 + 40)  // get ready, 10 reps × 4 s
        #expect(harness.contains("How was Cat-cow?"))
        harness.press(.character("2"))
        harness.press(.enter)  // no pain figure after
        let run = try #require(harness.effects.saved.compactMap { if case .routineRun(let run) = $0 { run } else { nil } }.last)
        #expect(run.patient == "JD")
        #expect(run.programmeID == savedProgrammes(harness).first?.id)
        #expect(run.drills.map(\.drillID) == ["cat-cow"])
        #expect(run.drills.first?.feedback == .aboutRight)
    }

    @Test func followersAreSentNothingOfThePatientOrTheirProgramme() throws {
        let library = try Shipped.library()
        guard case .session(let session)? = library.document(id: "treatment-08") else {
            throw Shipped.Missing(description: "treatment-08 is not a session")
        }
        let engine = SessionEngine(session: session, library: library, startedAt: Moment(milliseconds: 0))
        let summary = ["Programme: version 1 of Daily hip and low-back mobility", "  Note for the patient: Q7X note"]
        let harness = ProgramHarness(FullScreenProgram(library: library, start: .session(engine),
                                                       routine: RoutineSettings(records: true),
                                                       session: SessionSettings(records: true, patient: "QZ7",
                                                                                sinceLastVisit: summary),
                                                       shares: true),
                                     size: Size(width: 100, height: 30))
        // The therapist sees the summary on the recap step; the patient's screen is sent the step alone.
        #expect(harness.contains("Since the last visit"))
        harness.press(.character("t"), .end, .enter, .character("e"))
        #expect(harness.contains("Programme for QZ7"))
        harness.press(.down, .right, .character("+"), .character("s"))
        #expect(harness.effects.published.count > 0)
        for message in harness.effects.published {
            let text = String(decoding: message.encoded(), as: UTF8.self)
            #expect(!text.contains("QZ7") && !text.contains("Q7X") && !text.contains("Programme"), "\(text)")
        }
    }
}
