import ArgumentParser
import SessionGuideContent

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate content files and report every problem.",
        discussion: """
            Prints each problem as path:line:column: error|warning: message, then a summary line. \
            Exits 0 when there are no errors, 65 when there are.
            """
    )

    @OptionGroup var options: ContentOptions

    @Argument(help: ArgumentHelp("Files or folders to check (default: the content folder).", valueName: "path"))
    var paths: [String] = []

    func run() throws {
        let library = paths.isEmpty ? try options.loadLibrary() : try checkedFilesWithTheirContext()
        let formatter = options.formatter(for: .output)
        for diagnostic in library.diagnostics {
            Console.write(formatter.format(diagnostic) + "\n")
        }
        Console.write(formatter.summary(files: library.files.count, errors: library.errorCount,
                                        warnings: library.warningCount) + "\n")
        if library.errorCount > 0 { throw ExitCode(SysExit.dataError) }
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
