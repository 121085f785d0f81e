import ArgumentParser
import Foundation
import Glibc
import SessionGuideContent
import SessionGuideEngine
import SessionGuideHistory
import SessionGuideLayout
import SessionGuideRuntime
import SessionGuideTerminal

struct KioskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk",
        abstract: "Loop a waiting-room deck full-screen, unattended; no visitor's key can stop it.",
        discussion: """
            Visitors can browse with ←/→ or a tap on the left or right half; the loop resumes after --idle \
            seconds. Ctrl-C, Ctrl-Z, Ctrl-\\, q and Esc do nothing. The kiosk ends on SIGTERM or SIGHUP, or on \
            the --exit-key pressed three times within two seconds. Edits to the deck appear within a few \
            seconds; a broken edit keeps the last good deck on screen and is logged.
            """
    )

    @OptionGroup var options: ContentOptions

    @Argument(help: ArgumentHelp("The id of a deck (default: the first deck in the content folder).", valueName: "id"),
              completion: IDCompletion.ids(.deck))
    var id: String?

    @Option(help: "Seconds without a key before browsing returns to the automatic loop.")
    var idle: Int = 60

    @Option(help: ArgumentHelp("A key that ends the kiosk when pressed three times within two seconds (e.g. ctrl-x, f10).",
                               valueName: "key"))
    var exitKey: String?

    @Option(help: "The clinic's name, shown when the deck can't be shown.")
    var title: String?

    @Option(help: ArgumentHelp("Opening hours, e.g. 08:00-18:00; the screen is blank outside them.", valueName: "hh:mm-hh:mm"))
    var hours: String?

    @Option(help: ArgumentHelp("Opening days, e.g. mon-fri (with or without --hours).", valueName: "days"))
    var days: String?

    @Option(help: ArgumentHelp("Where to log content problems (default: $XDG_STATE_HOME/session-guide/kiosk.log).",
                               valueName: "path"))
    var log: String?

    @Option(help: ArgumentHelp("Seconds between the one-cell shifts that protect the screen from burn-in.", valueName: "seconds"))
    var shiftEvery: Int = 180

    @Flag(help: "Ordinary slide headings instead of the kiosk's default big block letters.")
    var noLarge = false

    func validate() throws {
        guard idle >= 1 else { throw ValidationError("--idle must be at least 1 second") }
        guard shiftEvery >= 0 else { throw ValidationError("--shift-every can't be negative") }
        if let exitKey, ExitChord.parse(exitKey) == nil {
            throw ValidationError("--exit-key '\(exitKey)' is not a key such as ctrl-x or f10")
        }
        if let hours, case .failure(let error) = OpeningHours.parseHours(hours) { throw ValidationError(error.message) }
        if let days, case .failure(let error) = OpeningHours.parseDays(days) { throw ValidationError(error.message) }
    }

    func run() throws {
        var openingHours: OpeningHours?
        if hours != nil || days != nil {
            let range = hours.flatMap { try? OpeningHours.parseHours($0).get() } ?? (0, 24 * 60)
            let daySet = days.flatMap { try? OpeningHours.parseDays($0).get() } ?? Set(1...7)
            openingHours = OpeningHours(opens: range.0, closes: range.1, days: daySet)
        }
        let kioskOptions = KioskEngine.Options(idleMilliseconds: Int64(idle) * 1000,
                                               exitChord: exitKey.flatMap(ExitChord.parse),
                                               // With reduced motion the slide still moves, four times as rarely.
                                               shiftMilliseconds: Int64(shiftEvery) * 1000
                                                   * (options.effectiveReduceMotion ? 4 : 1),
                                               openingHours: openingHours)
        let logger = KioskLog(path: log ?? KioskLog.defaultPath(), clock: TestControl.shared.clock)
        let source = DeckSource(folder: options.contentDirectoryIfAny(), id: id, logger: logger, ascii: options.asciiMode)
        // A person who started the kiosk by hand is told at once why the deck can't be shown (a mistyped id, a
        // session's id, a deck with errors); the unattended box shows its fallback slide instead and keeps
        // trying, since a content pull may bring the deck later.
        if Self.startedByPerson(), source.load() == nil, let problem = source.lastProblem {
            Console.error("\(lines: problem)")
            Console.error("the kiosk needs a deck it can show; 'session-guide list' lists the decks")
            throw ExitCode(source.lastProblemIsBrokenDeck ? SysExit.dataError : SysExit.noInput)
        }
        let code = try KioskApp.run(source: source, options: kioskOptions, fallbackTitle: title,
                                    display: options.terminalOptions(keyboardSignals: false, mouse: true),
                                    large: !noLarge)  // a waiting room is read from across the room
        if code != 0 { throw ExitCode(code) }
    }

    /// At a terminal, and not run by systemd (which gives every service an INVOCATION_ID): a person is there.
    static func startedByPerson(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        environment["INVOCATION_ID"] == nil && isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1
    }
}

/// Where the kiosk's deck comes from: loads it, logging why when it can't.
final class DeckSource {
    let folder: String?
    let id: String?
    let logger: KioskLog
    /// The title of the deck the kiosk is meant to show, when its file could be read that far: the fallback
    /// slide shows it while the deck itself can't be shown.
    private(set) var declaredTitle: String?
    /// The last problem logged, so an unchanged broken file is logged once, not every two seconds.
    private(set) var lastProblem: String?
    /// Whether that problem is a deck with errors (which a fix can bring), rather than no such deck at all.
    private(set) var lastProblemIsBrokenDeck = false

    let ascii: Bool

    init(folder: String?, id: String?, logger: KioskLog, ascii: Bool) {
        self.folder = folder
        self.id = id
        self.logger = logger
        self.ascii = ascii
    }

    /// The deck, or nil with the reason logged. Only decks are ever returned: never a session or a routine.
    func load() -> Deck? {
        guard let folder else { return problem("no content folder found") }
        var library: ContentLibrary
        do {
            library = TestControl.shared.injecting(into: try ContentLoader.load([folder]))
            if ascii { library = library.asciiFolded() }
        } catch {
            return problem("\(error)")
        }
        let decks = library.documents.compactMap { document -> Deck? in
            if case .deck(let deck) = document { return deck }
            return nil
        }
        // Files that may be the deck but can't be read as one: a deck with errors, or a file whose front matter
        // is too broken to say what it is. Their diagnostics explain a missing deck.
        let maybeDecks = library.files.filter { $0.hasErrors && ($0.declaredKind == .deck || $0.declaredKind == nil) }
        func details(_ files: [ParsedFile]) -> String {
            let lines = files.flatMap(\.diagnostics).filter { $0.severity == .error }.map(\.description)
            return lines.isEmpty ? "" : ":\n" + lines.joined(separator: "\n")
        }
        if let id {
            if case .deck(let deck)? = library.document(id: id) { return accepted(deck) }
            if let file = library.file(declaring: id) {
                if file.declaredKind != .deck {
                    return problem("'\(id)' is a \(file.declaredKind?.rawValue ?? "document"), not a deck; the kiosk shows decks only")
                }
                declaredTitle = file.declaredTitle
                return problem("deck '\(id)' has errors" + details([file]), brokenDeck: true)
            }
            return problem("no deck with id '\(id)'\(Suggestion.hint(for: id, in: decks.map(\.id)))" + details(maybeDecks))
        }
        guard let first = decks.min(by: { $0.id < $1.id }) else {
            declaredTitle = maybeDecks.first { $0.declaredKind == .deck }?.declaredTitle
            return problem("no usable deck in \(folder)" + details(maybeDecks), brokenDeck: declaredTitle != nil)
        }
        return accepted(first)
    }

    private func accepted(_ deck: Deck) -> Deck {
        if lastProblem != nil { logger.write("deck '\(deck.id)' loaded again") }
        lastProblem = nil
        return deck
    }

    private func problem(_ message: String, brokenDeck: Bool = false) -> Deck? {
        if message != lastProblem { logger.write(message) }
        lastProblem = message
        lastProblemIsBrokenDeck = brokenDeck
        return nil
    }
}

/// The kiosk's log: content problems with a time stamp. Capped: past 256 KiB it moves to `.1`, replacing the
/// older one, so weeks of running never fill a disk. Also written to standard error when that isn't the screen.
final class KioskLog {
    static let maximumBytes: UInt64 = 256 * 1024
    let path: String
    /// Where the time stamps come from.
    private let clock: RuntimeClock

    /// Beside the history, in the program's state folder.
    static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        (HistoryStore.defaultPath(environment: environment) as NSString).deletingLastPathComponent + "/kiosk.log"
    }

    init(path: String, clock: RuntimeClock) {
        self.path = path
        self.clock = clock
    }

    func write(_ message: String) {
        let stamp = ISO8601DateFormatter().string(from: clock.now().date)
        // Each line made safe on its own, so a deck title with a line break can't forge a log line.
        let safe = SafeText.joined(message.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "\(stamp) \($0)" }, separator: "\n") + "\n"
        if isatty(STDERR_FILENO) == 0 { Console.write(safe, to: .error) }
        let manager = FileManager.default
        try? manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                     withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if let size = (try? manager.attributesOfItem(atPath: path))?[.size] as? UInt64, size > Self.maximumBytes {
            try? manager.removeItem(atPath: path + ".1")
            try? manager.moveItem(atPath: path, toPath: path + ".1")
        }
        if !manager.fileExists(atPath: path) {
            _ = manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data(safe.text.utf8))
    }
}

/// The kiosk on the runtime: the deck read at the start, and the deck port for edits.
enum KioskApp {
    static func run(source: DeckSource, options: KioskEngine.Options, fallbackTitle: String?,
                    display: TerminalOptions, large: Bool) throws -> Int32 {
        let terminal = try Launcher.openTerminal(display)
        defer { terminal.stop() }
        let effects = AppEffects(kioskLog: source.logger)
        let port = DeckPort(source: source, at: effects.clock.now())
        let firstDeck = source.load()
        // Without a deck: the clinic's name when given, else the deck's own title, else a plain welcome.
        let program = KioskProgram(deck: firstDeck, fallbackTitle: fallbackTitle ?? source.declaredTitle ?? "Welcome",
                                   options: options, large: large, pixels: BigFont.Pixels(ascii: display.ascii))
        return Launcher.run(program, io: terminal, ports: [port], effects: effects, stop: terminal.stop)
    }
}
