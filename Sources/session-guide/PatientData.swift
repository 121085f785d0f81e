import SessionGuideHistory
import SessionGuideRuntime

/// A patient's programme and records, read from the history without writing to it.
enum PatientData {
    /// The patient's current programme (nil when there is none or no history yet), or why it can't be read.
    static func currentProgramme(for patient: String) -> (programme: PatientProgramme?, problem: String?) {
        do {
            guard let store = try HistoryLocation.current.get().openForReading() else { return (nil, nil) }
            return (try store.programmes(patient: patient).last.map(PatientProgramme.init), nil)
        } catch {
            return (nil, error.description)
        }
    }
}
