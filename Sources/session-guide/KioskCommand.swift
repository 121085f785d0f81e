import ArgumentParser
import Foundation
import Glibc
import SessionGuideContent
import SessionGuideEngine
import SessionGuideHistory
import SessionGuideLayout
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

    @Argument(help: ArgumentHelp("The id of a deck (default: the first deck in the content folder).", valueName: "id"))
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
        let logger = KioskLog(path: log ?? KioskLog.defaultPath())
        let source = DeckSource(folder: options.contentDirectoryIfAny(), id: id, logger: logger, ascii: options.asciiMode)
        let code = try KioskApp.run(source: source, options: kioskOptions, fallbackTitle: title,
                                    display: options.terminalOptions(keyboardSignals: false, mouse: true),
                                    large: !noLarge)  // a waiting room is read from across the room
        if code != 0 { throw ExitCode(code) }
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
    private var lastProblem: String?

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
            library = try ContentLoader.load([folder])
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
                return problem("deck '\(id)' has errors" + details([file]))
            }
            return problem("no deck with id '\(id)'\(Suggestion.hint(for: id, in: decks.map(\.id)))" + details(maybeDecks))
        }
        guard let first = decks.min(by: { $0.id < $1.id }) else {
            declaredTitle = maybeDecks.first { $0.declaredKind == .deck }?.declaredTitle
            return problem("no usable deck in \(folder)" + details(maybeDecks))
        }
        return accepted(first)
    }

    private func accepted(_ deck: Deck) -> Deck {
        if lastProblem != nil { logger.write("deck '\(deck.id)' loaded again") }
        lastProblem = nil
        return deck
    }

    private func problem(_ message: String) -> Deck? {
        if message != lastProblem { logger.write(message) }
        lastProblem = message
        return nil
    }
}

/// The kiosk's log: content problems with a time stamp. Capped: past 256 KiB it moves to `.1`, replacing the
/// older one, so weeks of running never fill a disk. Also written to standard error when that isn't the screen.
final class KioskLog {
    static let maximumBytes: UInt64 = 256 * 1024
    let path: String

    /// Beside the history, in the program's state folder.
    static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        (HistoryStore.defaultPath(environment: environment) as NSString).deletingLastPathComponent + "/kiosk.log"
    }

    init(path: String) {
        self.path = path
    }

    func write(_ message: String) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        let text = message.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "\(stamp) \($0)" }.joined(separator: "\n") + "\n"
        if isatty(STDERR_FILENO) == 0 { Console.write(text, to: .error) }
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
        try? handle.write(contentsOf: Data(text.utf8))
    }
}

/// The kiosk's loop: draws the slide, sleeps until the next slide, a key, a change in the content folder, or
/// the next minute of the clock.
enum KioskApp {
    static func run(source: DeckSource, options: KioskEngine.Options, fallbackTitle: String?,
                    display: TerminalOptions, large: Bool) throws -> Int32 {
        let terminal = try FullScreenApp.openTerminal(display)
        defer { terminal.stop() }
        let start = Terminal.now()
        // With the folder watched, the kiosk sleeps until it changes, and also looks at the file times on each
        // minute's wake-up for the clock (edits made from another machine on a network share raise no event).
        let changes = source.folder.map {
            ContentChanges(folder: $0, at: start) { now in now + WallClock.millisecondsToNextMinute() }
        }
        let firstDeck = source.load()
        // Without a deck: the clinic's name when given, else the deck's own title, else a plain welcome.
        let emptyDeck = Deck(id: "", title: fallbackTitle ?? source.declaredTitle ?? "Welcome", slides: [],
                             location: SourceLocation(path: "", line: 1, column: 1))
        var engine = KioskEngine(deck: firstDeck ?? emptyDeck, options: options, at: start)
        while true {
            let now = Terminal.now()
            // A broken edit keeps the last good deck on screen (the reason goes to the log).
            if changes?.takeChange(at: now) == true, let deck = source.load() { engine.replaceDeck(deck, at: now) }
            engine.tick(at: now)
            let wall = WallClock.now()
            terminal.draw(KioskScreen.render(engine, at: now, wall: wall, size: terminal.size, large: large))
            let deadline = [engine.nextDeadline(after: now), changes?.deadline(after: now),
                            now + WallClock.millisecondsToNextMinute()].compactMap { $0 }.min()
            for input in terminal.wait(until: deadline, watching: changes?.watcher) {
                switch input {
                case .contentChanged:
                    changes?.changed(at: Terminal.now())
                case .readable:
                    continue  // the kiosk waits on no other descriptor
                case .signal(.terminate), .signal(.hangup):
                    return 0
                case .signal:
                    continue  // Ctrl-C and Ctrl-\ from a visitor do nothing
                case .key(.resize):
                    continue
                case .key(let key):
                    let action = engine.handle(key, at: Terminal.now(), screenWidth: terminal.size.width,
                                               wall: WallClock.now())
                    if action == .exit { return 0 }
                }
            }
        }
    }
}

/// The local time of day, for the clock on screen and opening hours.
enum WallClock {
    static func now() -> WallTime {
        var seconds = time(nil)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return WallTime(weekday: parts.tm_wday == 0 ? 7 : Int(parts.tm_wday), hour: Int(parts.tm_hour),
                        minute: Int(parts.tm_min))
    }

    static func millisecondsToNextMinute() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let intoMinute = Int64(now.tv_sec % 60) * 1000 + Int64(now.tv_nsec / 1_000_000)
        return max(1, 60_000 - intoMinute)
    }
}
