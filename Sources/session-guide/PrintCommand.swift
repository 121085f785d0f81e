import ArgumentParser
import SessionGuideContent
import SessionGuideHandout

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

    @Argument(help: ArgumentHelp("The id of a session, drill, routine or deck (see 'session-guide list').",
                                 valueName: "id"))
    var id: String

    @Option(help: """
        Output format: text, markdown, or html (a printable page; a routine fits one A4 or Letter page where it can).
        """)
    var format: Format = .text

    // `.unconditional`, so that `--width -1` is read as a (wrong) width rather than as an unknown option
    // "-1", which would leave "--width" with a "missing value".
    @Option(parsing: .unconditional, help: "Wrap text at this many columns (0: don't wrap; not used for html).")
    var width: Int = 80

    func validate() throws {
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
        guard let document = library.document(id: id) else {
            try reportMissing(id, in: library, options: options)
        }
        switch format {
        case .text:
            Console.write(SafeText(lines: DocumentPrinter(library: library, format: .text, width: width).render(document)))
        case .markdown:
            Console.write(SafeText(lines: DocumentPrinter(library: library, format: .markdown, width: width).render(document)))
        case .html:
            Console.write(SafeText(lines: Handout.html(for: document, library: library)))
        }
    }
}
