import ArgumentParser
import SessionGuideContent

struct PrintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print",
        abstract: "Print a whole document as clean linear text, with its drills written out in full.",
        discussion: "Use it as a handout, with a screen reader, or wherever a full-screen program can't run."
    )

    @OptionGroup var options: ContentOptions

    @Argument(help: ArgumentHelp("The id of a session, drill, routine or deck (see 'session-guide list').",
                                 valueName: "id"))
    var id: String

    @Option(help: "Output format: text or markdown.")
    var format: DocumentPrinter.Format = .text

    @Option(help: "Wrap text at this many columns (0: don't wrap).")
    var width: Int = 80

    func validate() throws {
        guard width == 0 || width >= 20 else { throw ValidationError("--width must be 0 or at least 20") }
    }

    func run() throws {
        let library = try options.loadLibrary()
        guard let document = library.document(id: id) else {
            try reportMissing(id, in: library, options: options)
        }
        Console.write(DocumentPrinter(library: library, format: format, width: width).render(document))
    }
}

extension DocumentPrinter.Format: ExpressibleByArgument {}
