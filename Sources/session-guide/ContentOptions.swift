import ArgumentParser
import Foundation
import SessionGuideContent
import SessionGuideRuntime
import SessionGuideTerminal

extension ThemeName: ExpressibleByArgument {}

/// `--content DIR` and `$SESSION_GUIDE_CONTENT`, shared by every command, and the search for the bundled
/// `Content/` folder when neither is given.
struct ContentOptions: ParsableArguments {
    static let environmentVariable = "SESSION_GUIDE_CONTENT"

    @Option(name: .long, help: ArgumentHelp(
        "The content folder (default: $SESSION_GUIDE_CONTENT, else the bundled Content/).", valueName: "dir"))
    var content: String?

    @Flag(name: .long, help: "Never use colour (also when NO_COLOR is set, or output is not a terminal).")
    var noColor = false

    @Option(help: "The look of the full-screen modes: default, high-contrast or mono.")
    var theme: ThemeName?

    /// The theme from the flag, else the config file, else the default.
    var effectiveTheme: ThemeName {
        theme ?? Configuration.current.file.theme.flatMap { ThemeName(rawValue: $0.value) } ?? .default
    }

    @Flag(help: "No screen flashes in the full-screen modes.")
    var reduceMotion = false

    @Flag(help: "ASCII characters only (the default when the locale is not UTF-8, e.g. LANG=C).")
    var ascii = false

    /// ASCII-only output: asked for, or forced by a locale that can't show UTF-8.
    var asciiMode: Bool {
        ascii || Configuration.current.file.ascii?.value == true || !Terminal.localeIsUTF8() || Self.terminalIsASCIIOnly
    }

    /// VT100-family terminals (a serial console's `vt220`) show ASCII only, whatever the locale says.
    static var terminalIsASCIIOnly: Bool {
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        return term.hasPrefix("vt") || term == "ansi" || term.hasPrefix("dumb")
    }

    @Flag(help: "Headings (and timers) in big block letters where they fit, for weak eyes and far-away screens.")
    var large = false

    var effectiveLarge: Bool { large || Configuration.current.file.large?.value == true }

    var effectiveReduceMotion: Bool { reduceMotion || Configuration.current.file.reduceMotion?.value == true }

    /// How the full-screen modes should draw, from these options and the environment.
    func terminalOptions(keyboardSignals: Bool = true, mouse: Bool = false) -> TerminalOptions {
        TerminalOptions(useColor: colorAllowed, theme: effectiveTheme, reduceMotion: effectiveReduceMotion,
                        ascii: asciiMode,
                        keyboardSignals: keyboardSignals, mouse: mouse)
    }

    /// The content folder and where the choice came from, in order of precedence: `--content`, then
    /// `$SESSION_GUIDE_CONTENT`, then the config file, then the bundled `Content/`; nil when there is none.
    var contentChoice: (path: String, source: String)? {
        if let content { return (content, "--content") }
        if let fromEnvironment = ProcessInfo.processInfo.environment[Self.environmentVariable],
           !fromEnvironment.isEmpty
        {
            return (fromEnvironment, "$\(Self.environmentVariable)")
        }
        if let configured = Configuration.contentFolder, let line = Configuration.current.file.content?.line {
            return (configured, Configuration.source(line: line))
        }
        return Self.bundledContentDirectory().map { ($0, "bundled") }
    }

    /// The folder to read, or a clear message and exit 66 when there is none.
    func contentDirectory() throws -> String {
        if let choice = contentChoice {
            // The bundled folder was found by looking; the others were named and may be wrong.
            return choice.source == "bundled" ? choice.path : try existing(choice.path, from: choice.source)
        }
        Console.error("""
            no content folder found; give one with --content DIR or $\(Self.environmentVariable), \
            or install Content/ beside the program (see README.md)
            """)
        throw ExitCode(SysExit.noInput)
    }

    private func existing(_ path: String, from source: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            Console.error("content folder '\(path)' (from \(source)) does not exist or is not a folder")
            throw ExitCode(SysExit.noInput)
        }
        return path
    }

    /// Where this program's file is, from the kernel (`/proc/self/exe`, links resolved), or nil. Not
    /// `Bundle.main`, which traps when the program's own folder can't be read (a user the folder is closed to).
    static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `Content/` beside the program, in `../share/session-guide/`, in the XDG data folders (where the Debian
    /// package puts it), or at the root of the package the program was built in (so `swift run` finds the
    /// repository's content).
    static func bundledContentDirectory() -> String? {
        let manager = FileManager.default
        guard let executable = executablePath().map({ URL(fileURLWithPath: $0) }) else { return nil }
        let folder = executable.deletingLastPathComponent()
        let candidates = [
            folder.appendingPathComponent("Content"),
            folder.appendingPathComponent("../share/session-guide/Content").standardizedFileURL,
        ]
        for candidate in candidates where isDirectory(candidate.path) {
            return relativeToWorkingDirectory(candidate.path)
        }
        // Installed by a package: `session-guide/Content` in the XDG data folders (/usr/local/share, /usr/share).
        let dataFolders = (ProcessInfo.processInfo.environment["XDG_DATA_DIRS"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "/usr/local/share:/usr/share").split(separator: ":").filter { $0.hasPrefix("/") }
        for folder in dataFolders where isDirectory(folder + "/session-guide/Content") {
            return folder + "/session-guide/Content"
        }
        var ancestor = folder
        while ancestor.path != "/" {
            ancestor = ancestor.deletingLastPathComponent()
            let content = ancestor.appendingPathComponent("Content")
            if manager.fileExists(atPath: ancestor.appendingPathComponent("Package.swift").path),
               isDirectory(content.path)
            {
                return relativeToWorkingDirectory(content.path)
            }
        }
        return nil
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Short paths in diagnostics when the folder is under the working directory.
    static func relativeToWorkingDirectory(_ path: String) -> String {
        let working = FileManager.default.currentDirectoryPath
        let prefix = working.hasSuffix("/") ? working : working + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// Reads the content folder, turning a missing folder into exit 66. In ASCII mode the documents and
    /// everything written from here on are folded to ASCII.
    func loadLibrary() throws -> ContentLibrary {
        let ascii = asciiMode
        Console.asciiOnly = ascii
        let found = try contentFiles(in: [contentDirectory()])
        let library = TestControl.shared.injecting(
            into: ContentLibrary(files: found.problems + ContentLoader.parseFiles(at: found.files)))
        return ascii ? library.asciiFolded() : library
    }

    /// The content files under `paths` and the problems met finding them, turning a missing path into exit 66.
    func contentFiles(in paths: [String]) throws -> ContentLoader.Discovery {
        do {
            return try ContentLoader.discover(paths)
        } catch let error as ContentLoader.LoadError {
            Console.error("\(error.description)")
            throw ExitCode(SysExit.noInput)
        }
    }

    /// Watches the content folder for edits while a full-screen mode runs.
    func contentReloader() -> ContentReloader? {
        contentDirectoryIfAny().map { ContentReloader(folder: $0, ascii: asciiMode, at: TestControl.shared.clock.now()) }
    }

    /// The content folder when one can be found, without complaining when there is none.
    func contentDirectoryIfAny() -> String? {
        contentChoice?.path
    }

    /// A path with `.`/`..` and symbolic links resolved, to tell whether two paths name the same file.
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Colour for the full-screen modes: not with `--no-color` or `NO_COLOR` (the terminal decides the rest).
    var colorAllowed: Bool {
        !noColor && !Console.colorVetoed && Configuration.current.file.color?.value != false
    }

    func formatter(for stream: Console.Stream) -> DiagnosticFormatter {
        DiagnosticFormatter(useColor: Console.useColor(on: stream, disabled: noColor),
                            sourceLine: SourceLines.line)
    }
}

/// The exit codes of sysexits.h that this program uses.
enum SysExit {
    static let usage: Int32 = 64
    /// The full-screen modes can't run on this terminal.
    static let unavailable: Int32 = 69
    static let ioError: Int32 = 74
    static let dataError: Int32 = 65
    static let noInput: Int32 = 66
    /// A file or folder that can't be made.
    static let cantCreate: Int32 = 73
    /// What this login may not do (a follower's restricted key asked for another command).
    static let noPermission: Int32 = 77
}

/// Reads a line of a file for a diagnostic's excerpt. Only files with diagnostics are read again.
enum SourceLines {
    nonisolated(unsafe) private static var cache: [String: [Substring]] = [:]

    static func line(path: String, number: Int) -> String? {
        if cache[path] == nil {
            // Only the first MiB is ever read, whatever the file's size.
            guard let lines = ContentLoader.excerptLines(of: path) else { return nil }
            cache[path] = lines
        }
        guard let lines = cache[path], number >= 1, number <= lines.count else { return nil }
        var line = lines[number - 1]
        if line.hasSuffix("\r") { line = line.dropLast() }
        if number == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
        return String(line)
    }
}
