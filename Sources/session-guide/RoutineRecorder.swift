import Foundation
import SessionGuideEngine
import SessionGuideHistory

/// Keeps a routine run in the history: notes the wall-clock start when the routine starts and records the run
/// once, when it finishes or is stopped (by a key or a signal). A history that can't be used never stops the
/// routine; it only changes what the patient is told at the end.
final class RoutineRecorder {
    private let setup: RoutineSetup
    private var startDate: Date?
    private var recorded = false
    /// The finish screen's line about the history.
    private(set) var notice: String?
    /// What to print on standard error once the screen is closed.
    private(set) var messagesAfterExit: [String] = []

    init(setup: RoutineSetup) {
        self.setup = setup
    }

    /// Call after every change to the engine.
    func follow(_ engine: RoutineEngine, at now: Moment) {
        if startDate == nil, engine.startedAt != nil { startDate = Date() }
        if engine.stage == .finished { record(engine, at: now) }
    }

    /// Forgets the last run, for the next routine opened from the menu.
    func reset() {
        startDate = nil
        recorded = false
        notice = nil
    }

    /// Saves the run, finished or stopped early, once; a run that never started is not a run.
    func record(_ engine: RoutineEngine, at now: Moment) {
        guard let startDate, !recorded else { return }
        recorded = true
        guard let path = setup.historyPath else { return }
        let drills = engine.drills.enumerated().map { index, drill in
            DrillResult(position: index + 1, drillID: drill.drill.id, drillTitle: drill.drill.title,
                        status: engine.outcomes[index] == .done ? .done
                            : engine.outcomes[index] == .skipped ? .skipped : .notReached)
        }
        let reachedEnd = engine.stage == .finished || engine.stage == .painAfter
        let run = RoutineRun(routineID: engine.routine.id, routineTitle: engine.routine.title, startedAt: startDate,
                             seconds: Int(engine.timeSpent(at: now) / 1000),
                             completed: reachedEnd && !engine.stoppedEarly, painBefore: engine.painBefore,
                             painAfter: engine.painAfter, drills: drills)
        do {
            try HistoryStore(path: path).record(run)
            notice = "Saved to your history ('session-guide history' shows it)."
        } catch {
            fail(error.description)
        }
    }

    private func fail(_ problem: String) {
        notice = "This run was not saved: \(problem)"
        messagesAfterExit.append("the run was not saved: \(problem)")
    }
}
