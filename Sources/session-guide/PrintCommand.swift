import ArgumentParser
import SessionGuideContent
import SessionGuideHandout
import SessionGuideHistory

struct PrintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print",
        abstract: "Print a whole document as clean linear text, with its drills written out in full.",
        discussion: """
            Use it as a handout, with a screen reader, or wherever a full-screen program can't run. \
            '--format html' writes a printable page instead: session-guide print daily-hip-back --format html \
            > handout.html
            """
    )

    /// What `print` can write: the printer's text and markdown, or an HTML handout.
    enum Format: String, CaseIterable, ExpressibleByArgument {
        case text
        case markdown
        case html
    }

    @OptionGroup var options: ContentOptions

    @Argument(help: ArgumentHelp("The id of a session, drill, routine or deck (see 'session-guide list'); with "
        + "--patient, the patient's programme when left out.", valueName: "id"),
              completion: IDCompletion.ids(.session, .drill, .routine, .deck))
    var id: String?

    @OptionGroup var patientOption: PatientOption
    @OptionGroup var store: HistoryStoreOption
    var patient: String? { patientOption.label }

    @Option(help: """
        Output format: text, markdown, or html (a printable page; a routine fits one A4 or Letter page where it can).
        """)
    var format: Format = .text

    // `.unconditional`, so that `--width -1` is read as a (wrong) width rather than as an unknown option
    // "-1", which would leave "--width" with a "missing value".
    @Option(parsing: .unconditional, help: "Wrap text at this many columns (0: don't wrap; not used for html).")
    var width: Int = 80

    func validate() throws {
        if id == nil, patient == nil {
            throw ValidationError("give the id of a document to print (see 'session-guide list'), or --patient LABEL")
        }
        guard width >= 0 else {
            throw ValidationError("--width must be a positive number of columns (at least 20), or 0 not to wrap; "
                + "\(width) is negative")
        }
        guard width == 0 || width >= 20 else {
            throw ValidationError("--width must be at least 20 columns, or 0 not to wrap; \(width) is too narrow")
        }
    }

    func run() throws {
        let library = try options.loadLibrary()
        var document: SessionGuideContent.Document?
        var sheet: Handout.ProgrammeSheet?
        if let label = patient {
            let (programme, problem) = PatientData.currentProgramme(for: label)
            if let problem {
                Console.error("can't read \(label)'s programme: \(problem)")
                throw ExitCode(SysExit.ioError)
            }
            if let programme, id == nil || id == programme.record.routineID {
                guard let routine = programme.routine(in: library) else {
                    Console.error("\(label)'s programme is of routine '\(programme.record.routineID)', which is no longer in "
                        + "the content folder")
                    throw ExitCode(SysExit.noInput)
                }
                document = .routine(routine)
                let record = programme.record
                sheet = Handout.ProgrammeSheet(patient: label, version: record.version, given: localDay(record.createdAt),
                                               daysPerWeek: record.daysPerWeek,
                                               until: record.until.flatMap(CalendarDay.init), note: record.note)
            } else if id == nil {
                Console.error("no programme for \(label) yet: prescribe one in a session (e on the homework step) or "
                    + "from the menu, or give a routine's id to print it as written")
                throw ExitCode(SysExit.noInput)
            } else {
                Console.error("\(label)'s programme is of another routine; printing '\(id ?? "")' as written")
            }
        }
        if document == nil, let id {
            guard let found = library.document(id: id) else { try reportMissing(id, in: library, options: options) }
            document = found
        }
        guard let document else { return }
        let sheetLines = sheet.map { $0.textLines().joined(separator: "\n") + "\n\n" } ?? ""
        switch format {
        case .text:
            Console.write(SafeText(lines: sheetLines
                + DocumentPrinter(library: library, format: .text, width: width).render(document)))
        case .markdown:
            Console.write(SafeText(lines: sheetLines
                + DocumentPrinter(library: library, format: .markdown, width: width).render(document)))
        case .html:
            Console.write(SafeText(lines: Handout.html(for: document, library: library, programme: sheet)))
        }
    }
}
