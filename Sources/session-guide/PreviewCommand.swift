import ArgumentParser
import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideHistory
import SessionGuideLayout
import SessionGuideRuntime
import SessionGuideTerminal

struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Show one content file as it will appear, drawn again each time you save it.",
        discussion: """
            A drill is shown as a session's drill step with its timer, a session step by step (→ ←), a routine from \
            its first screen, a deck as the waiting-room kiosk (→ ← change slides; --size 60x16 draws it at that \
            screen's size). The bottom line names the file's first problem (path:line:column) while it has one; \
            the last good version stays on screen meanwhile. q quits.
            """
    )

    @OptionGroup var options: ContentOptions

    @Argument(help: ArgumentHelp("The content file to preview.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("For a deck: the kiosk's screen size, such as 60x16 (default: the deck's 'screen:', "
        + "else the terminal's).", valueName: "WxH"))
    var size: String?

    func validate() throws {
        if let size {
            guard let parsed = ScreenSize(size), parsed.columns >= 20, parsed.rows >= 6 else {
                throw ValidationError("--size is columns x rows, at least 20x6, such as 60x16; '\(size)' is not")
            }
        }
    }

    func run() throws {
        let path = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            Console.error("no such file: \(file)")
            throw ExitCode(SysExit.noInput)
        }
        guard !isFolder.boolValue else {
            Console.error("\(file) is a folder: give one content file in it, such as \(file)/drills/cat-cow.md")
            throw ExitCode(SysExit.noInput)
        }
        let source = PreviewSource(file: path, displayName: file, contentFolder: options.contentDirectoryIfAny(),
                                   ascii: options.asciiMode, at: TestControl.shared.clock.now())
        let (library, problem) = source.load()
        let id = library.flatMap { PreviewProgram.documentID(in: $0, fileName: source.fileName) }
        var kioskSize = size.flatMap(ScreenSize.init)
        if kioskSize == nil, let id, case .deck(let deck)? = library?.document(id: id), deck.screen != .standard {
            kioskSize = deck.screen
        }
        let display = options.terminalOptions()
        let terminal = try Launcher.openTerminal(display)
        defer { terminal.stop() }
        let program = PreviewProgram(library: library, documentID: id, fileName: source.fileName, displayName: file,
                                     problem: problem,
                                     kioskSize: kioskSize.map { Size(width: $0.columns, height: $0.rows) },
                                     pixels: BigFont.Pixels(ascii: display.ascii))
        let code = Launcher.run(program, io: terminal, ports: [PreviewPort(source)], effects: AppEffects(),
                                stop: terminal.stop)
        if code != 0 { throw ExitCode(code) }
    }
}

/// The previewed file with the content around it (the drills it uses), read again when its folder changes.
final class PreviewSource {
    let file: String
    /// The file as the person named it, for the problem line.
    private let displayName: String
    private let contentFolder: String?
    private let ascii: Bool
    let changes: ContentChanges
    /// The file's path as the library names it.
    private(set) var fileName: String

    init(file: String, displayName: String, contentFolder: String?, ascii: Bool, at now: Instant) {
        self.file = ContentOptions.canonical(file)
        self.displayName = displayName
        self.contentFolder = contentFolder.map(ContentOptions.canonical)
        self.ascii = ascii
        fileName = self.file
        changes = ContentChanges(folder: HistoryFiles.folder(of: self.file), at: now)
    }

    /// The library (the content folder, and the file when it is outside it) and the file's first problem as
    /// `path:line:column: message`.
    func load() -> (ContentLibrary?, String?) {
        let files = ContentLoader.parseFiles(at: [file])
        var context: [ParsedFile] = []
        if let contentFolder, let paths = try? ContentLoader.contentFiles(in: [contentFolder]) {
            context = ContentLoader.parseFiles(at: paths.filter { ContentOptions.canonical($0) != file })
        }
        fileName = files.first?.path ?? file
        // The file's own problems first; the rest of the content only as context for its drills.
        var library = ContentLibrary(files: files, context: context)
        let problem = library.files.first { $0.path == fileName }?.diagnostics.first { $0.severity == .error }
            .map { "\(displayName):\($0.location.line):\($0.location.column): \($0.message)" }
        library = TestControl.shared.injecting(into: library)
        if ascii { library = library.asciiFolded() }
        return (library, problem)
    }

    /// The content as the program takes it: good, or the reason it isn't.
    func edit() -> ContentEdit {
        let (library, problem) = load()
        if let problem { return .broken(problem) }
        guard let library else { return .broken("\(displayName) can't be read") }
        return .loaded(library)
    }
}

/// Hands the preview each save of the file (or of anything beside it), as the content port does for the modes.
final class PreviewPort: RuntimePort {
    private let source: PreviewSource

    init(_ source: PreviewSource) {
        self.source = source
    }

    var descriptors: [Int32] { source.changes.watcher.descriptor.map { [$0] } ?? [] }
    func deadline(after now: Moment) -> Moment? { source.changes.deadline(after: now) }

    func inputs(ready: Set<Int32>, at now: Instant) -> [ProgramInput] {
        if let descriptor = source.changes.watcher.descriptor, ready.contains(descriptor), source.changes.watcher.drain() {
            source.changes.changed(at: now.moment)
        }
        guard source.changes.takeChange(at: now) else { return [] }
        return [.contentEdited(source.edit())]
    }
}
