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
        let library = try options.loadLibrary(paths: paths.isEmpty ? nil : paths)
        let formatter = options.formatter(for: .output)
        for diagnostic in library.diagnostics {
            Console.write(formatter.format(diagnostic) + "\n")
        }
        Console.write(formatter.summary(files: library.files.count, errors: library.errorCount,
                                        warnings: library.warningCount) + "\n")
        if library.errorCount > 0 { throw ExitCode(SysExit.dataError) }
    }
}
