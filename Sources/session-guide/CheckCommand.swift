import ArgumentParser
import SessionGuideContent

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate content files and report every problem.",
        discussion: """
            Prints each problem as path:line:column: error|warning: message, then a summary line. \
            Besides the rules of each file it lays the content out as the screen will, and warns about a slide \
            cut off on its kiosk's screen, a session step that needs scrolling, and a drill, routine or deck \
            without the clinic's safety rule. Exits 0 when there are no errors, 65 when there are (or, with \
            --strict, when there are warnings).
            """
    )

    @OptionGroup var options: ContentOptions

    @Argument(help: ArgumentHelp("Files or folders to check (default: the content folder).", valueName: "path"))
    var paths: [String] = []

    @Flag(help: "Warnings fail too (exit 65): for a clinic's pre-commit hook.")
    var strict = false

    func run() throws {
        let library = paths.isEmpty ? try options.loadLibrary() : try checkedFilesWithTheirContext()
        let formatter = options.formatter(for: .output)
        let layout = LayoutCheck.warnings(library)
        let diagnostics = (library.diagnostics + layout).sorted {
            ($0.location.path, $0.location.line, $0.location.column) < ($1.location.path, $1.location.line, $1.location.column)
        }
        for diagnostic in diagnostics {
            Console.write(formatter.format(diagnostic) + "\n")
        }
        let warnings = library.warningCount + layout.count
        Console.write(formatter.summary(files: library.files.count, errors: library.errorCount,
                                        warnings: warnings) + "\n")
        if library.errorCount > 0 || (strict && warnings > 0) { throw ExitCode(SysExit.dataError) }
    }

    /// The named files, checked against the drills of the content folder so that a session checked on its
    /// own doesn't report its drills as unknown.
    private func checkedFilesWithTheirContext() throws -> ContentLibrary {
        let checked = try options.contentFiles(in: paths)
        let checkedPaths = Set(checked.files.map(ContentOptions.canonical))
        let folder = [options.contentDirectoryIfAny()].compactMap { $0 }
        let contextPaths = (try? ContentLoader.contentFiles(in: folder)) ?? []
        let context = contextPaths.filter { !checkedPaths.contains(ContentOptions.canonical($0)) }
        return ContentLibrary(files: checked.problems + ContentLoader.parseFiles(at: checked.files),
                              context: ContentLoader.parseFiles(at: context))
    }
}
