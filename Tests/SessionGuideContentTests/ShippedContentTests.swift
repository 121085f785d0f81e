import Foundation
import Testing
@testable import SessionGuideContent

@Suite("The clinic's shipped content")
struct ShippedContentTests {
    @Test func checksCleanWithNoErrorsAndNoWarnings() throws {
        let library = try Support.shippedLibrary()
        #expect(library.diagnostics.map(\.description) == [])
        #expect(library.files.count >= 14)
        #expect(library.documents.count == library.files.count)
    }

    /// Every line of the clinic's plan for Treatment 8 is in the parsed model, word for word, in the plan's order.
    @Test func treatmentEightCarriesEveryPointOfThePlan() throws {
        let plan = try Support.fixture("treatment-08-plan.txt")
            .split(separator: "\n").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
        let library = try Support.shippedLibrary()
        guard case .session(let session)? = library.document(id: "treatment-08") else {
            Issue.record("treatment-08 is missing")
            return
        }
        let modelLines = Self.lines(of: session)
        var position = 0
        for line in plan {
            guard let found = modelLines[position...].firstIndex(of: line) else {
                Issue.record("plan line not found in order: \(line)")
                continue
            }
            position = found + 1
        }
    }

    /// The session's text, one entry per plan-sized piece, in reading order.
    static func lines(of session: Session) -> [String] {
        var lines = [session.title]
        if let goal = session.goal { lines.append("Session Goal: " + goal) }
        for section in session.sections {
            lines += sectionLines(section)
        }
        return lines
    }

    private static func sectionLines(_ section: Section) -> [String] {
        var lines = [section.title.plainText]
        for block in section.blocks {
            switch block {
            case .bulletList(let items), .numberedList(let items): lines += items.map(\.plainText)
            case .paragraph(let text): lines.append(text.plainText)
            case .script(let script): lines += [script.label] + script.paragraphs.map(\.plainText)
            default: break
            }
        }
        return lines + section.subsections.flatMap(sectionLines)
    }

    @Test func treatmentEightHasTheThreeScriptsWhereThePlanPutsThem() throws {
        let library = try Support.shippedLibrary()
        guard case .session(let session)? = library.document(id: "treatment-08") else {
            Issue.record("treatment-08 is missing")
            return
        }
        let scripts = session.sections.map { section in
            section.blocks.compactMap(\.script).map { $0.paragraphs.map(\.plainText).joined() }
        }
        #expect(session.sections.map(\.title.plainText) == [
            "Simple Recap", "The Hip–Lumbar Connection", "Benefits of Better Hip Mobility",
            "How Active Mobility Supports Recovery", "Functional Examples", "Integrating Massage Therapy + Mobility",
            "Patient Homework / Reinforcement",
        ])
        #expect(scripts[0] == ["“Did you notice any changes in stiffness or ease of movement since doing the lumbar mobility drills?”"])
        #expect(scripts[2] == ["“Free hips mean less work for the low back — they function as a team.”"])
        #expect(scripts[5] == ["“Massage resets the system — mobility teaches your body how to use that new movement.”"])
        #expect(session.drillReferences.map(\.drillID) == ["cat-cow", "hip-rocks", "lumbar-rotations"])
        #expect(session.steps.count == 9)
    }

    @Test func everyDrillTheArticlesNameIsInTheLibrary() throws {
        let library = try Support.shippedLibrary()
        let drills = Set(library.documents.filter { $0.kind == .drill }.map(\.id))
        #expect(drills.isSuperset(of: [
            "cat-cow", "hip-rocks", "lumbar-rotations", "hip-flexor-stretch", "glute-stretch", "glute-soft-tissue",
            "core-bracing", "hip-circles", "functional-squat", "bedtime-hip-stretch",
        ]))
    }

    /// The plan's safety rule is visible wherever a patient moves: every drill and every routine.
    @Test func safetyRuleWhereverAPatientMoves() throws {
        let library = try Support.shippedLibrary()
        for document in library.documents {
            switch document {
            case .drill(let drill):
                let note = DocumentPrinter(library: library, width: 0).render(.drill(drill))
                    .components(separatedBy: "Safety:").last?.lowercased() ?? ""
                #expect(note.contains("pain-free, controlled movement"), "\(drill.id)")
                #expect(note.contains("stop if it hurts"), "\(drill.id)")
            case .routine(let routine):
                #expect(routine.safety.contains("pain-free, controlled movement"), "\(routine.id)")
            default:
                break
            }
        }
    }

    @Test func routinesLastTenAndFiveMinutes() throws {
        let library = try Support.shippedLibrary()
        guard case .routine(let daily)? = library.document(id: "daily-hip-back"),
              case .routine(let starter)? = library.document(id: "starter-5")
        else {
            Issue.record("routines missing")
            return
        }
        #expect((570...630).contains(library.totalSeconds(of: daily)))
        #expect((270...330).contains(library.totalSeconds(of: starter)))
    }

    @Test func waitingRoomDeckHasTenToFifteenSlidesAndNoScripts() throws {
        let library = try Support.shippedLibrary()
        guard case .deck(let deck)? = library.document(id: "waiting-room") else {
            Issue.record("deck missing")
            return
        }
        #expect((10...15).contains(deck.slides.count))
        #expect(deck.slides.allSatisfy { slide in slide.blocks.allSatisfy { $0.script == nil } })
    }
}
