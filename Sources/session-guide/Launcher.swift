import ArgumentParser
import Foundation
import Glibc
import SessionGuideContent
import SessionGuideEngine
import SessionGuideHistory
import SessionGuideLayout
import SessionGuideRuntime
import SessionGuideTerminal

/// Runs a mode on the one runtime: picks the clock (the real one, or a test's, see `TestControl`), carries out
/// the commands that are not the terminal's, and prints what was kept for after the screen closed.
enum Launcher {
    /// Runs `program` until it quits, closes the screen or console with `stop`, prints what the program left
    /// for afterwards, and returns the exit code.
    static func run<P: Program>(_ program: P, io: RuntimeIO, ports: [RuntimePort] = [], effects: AppEffects,
                                stop: () -> Void) -> Int32 {
        var ports = ports
        if let clockPort = TestControl.shared.clockPort { ports.append(clockPort) }
        let runtime = Runtime(program, io: io, clock: effects.clock, ports: ports, effects: effects,
                              trace: TestControl.shared.trace)
        let code = runtime.run()
        effects.finish()
        stop()
        for message in effects.keeper?.messages ?? [] { Console.error("\(message)") }
        for (text, stream) in runtime.afterExit {
            switch stream {
            case .standardOutput: Console.write(SafeText(lines: text))
            case .standardError: Console.error("\(lines: text)")
            }
        }
        return code
    }

    /// The record keeper for `history` (nil with `--no-log`), having taken in what an earlier run left in
    /// the outbox. Called before the screen opens: what it says stays on the terminal's normal screen.
    static func recordKeeper(history: HistoryLocation?) -> RecordKeeper? {
        guard let history else { return nil }
        let keeper = RecordKeeper(history: history)
        for line in keeper.takeInRecovered() { Console.error("\(line)") }
        return keeper
    }

    /// The full screen, or the one-line reason it can't start here and exit 69.
    static func openTerminal(_ display: TerminalOptions) throws -> Terminal {
        do {
            return try Terminal(options: display)
        } catch {
            Console.error("\(error.description)")
            throw ExitCode(SysExit.unavailable)
        }
    }
}

/// The side effects that are not the terminal's: speech, the history file, followers and the kiosk log.
final class AppEffects: RuntimeEffects {
    let clock: RuntimeClock
    private let speaker: Speaker?
    let keeper: RecordKeeper?
    private let share: ShareServer?
    private let kioskLog: KioskLog?

    init(speaker: Speaker? = nil, keeper: RecordKeeper? = nil, share: ShareServer? = nil, kioskLog: KioskLog? = nil) {
        clock = TestControl.shared.clock
        self.speaker = speaker
        self.keeper = keeper
        self.share = share
        self.kioskLog = kioskLog
    }

    func speak(_ text: String) { speaker?.speak(text) }
    func finishSpeaking() { speaker?.finishSpeaking(timeout: 5_000) }  // "Done" is said in full before the end

    func save(_ record: HistoryRecord) -> (record: HistoryRecord, problem: String?) {
        guard let keeper else { return (record, "no history file") }
        return keeper.save(record)
    }

    func publish(_ message: ShareMessage) { share?.publish(message) }

    /// Kept only where `remember-patient: yes` is set (see `LastPatient`).
    func patientChosen(_ label: String) { LastPatient.remember(label) }

    func patientRecords(for patient: String) -> PatientRecords {
        let setup = SessionSetup.forPatient(patient, history: nil)
        return PatientRecords(programme: setup.programme, sinceLastVisit: setup.sinceLastVisit)
    }

    func log(_ message: String) { kioskLog?.write(message) }

    /// Followers hear that the session ended, whatever ended it.
    func finish() { share?.end() }
}

// MARK: - Ports

/// Content edited while a full-screen mode runs: sleeps until inotify says the folder changed (or looks every
/// two seconds when it can't watch), and hands the program good edits and the reason for broken ones.
final class ContentPort: RuntimePort {
    private let reloader: ContentReloader

    init(_ reloader: ContentReloader) {
        self.reloader = reloader
    }

    var descriptors: [Int32] { reloader.watcher.descriptor.map { [$0] } ?? [] }
    func deadline(after now: Moment) -> Moment? { reloader.changes.deadline(after: now) }

    func inputs(ready: Set<Int32>, at now: Instant) -> [ProgramInput] {
        if let descriptor = reloader.watcher.descriptor, ready.contains(descriptor), reloader.watcher.drain() {
            reloader.changes.changed(at: now.moment)
        }
        return reloader.look(at: now).map { [.contentEdited($0)] } ?? []
    }
}

/// The kiosk's deck, read again when its folder changes; a deck that can't be shown is logged, not shown.
final class DeckPort: RuntimePort {
    private let source: DeckSource
    private let changes: ContentChanges?

    init(source: DeckSource, at now: Instant) {
        self.source = source
        // With the folder watched, the kiosk sleeps until it changes, and also looks at the file times on each
        // minute's wake-up for the clock (edits made from another machine on a network share raise no event).
        changes = source.folder.map {
            ContentChanges(folder: $0, at: now) { now in now.moment + now.millisecondsToNextMinute }
        }
    }

    var descriptors: [Int32] { changes?.watcher.descriptor.map { [$0] } ?? [] }
    func deadline(after now: Moment) -> Moment? { changes?.deadline(after: now) }

    func inputs(ready: Set<Int32>, at now: Instant) -> [ProgramInput] {
        guard let changes else { return [] }
        if let descriptor = changes.watcher.descriptor, ready.contains(descriptor), changes.watcher.drain() {
            changes.changed(at: now.moment)
        }
        guard changes.takeChange(at: now) else { return [] }
        // A broken edit keeps the last good deck on screen (the reason goes to the log).
        return source.load().map { [.deckLoaded($0)] } ?? []
    }
}

/// The followers' sockets of a shared session: a follower coming or going never drives the session.
final class SharePort: RuntimePort {
    private let server: ShareServer

    init(_ server: ShareServer) {
        self.server = server
    }

    var descriptors: [Int32] { server.descriptors }
    func deadline(after now: Moment) -> Moment? { nil }

    func inputs(ready: Set<Int32>, at now: Instant) -> [ProgramInput] {
        for descriptor in server.descriptors where ready.contains(descriptor) { server.handleReadable(descriptor) }
        return []
    }
}

/// The follower's connection to a shared session: tries to connect when the sharing folder changes (and every
/// ten seconds anyway, every second where the folder can't be watched), and passes on what the session sends.
final class FollowPort: RuntimePort {
    private let name: String
    private let environment: [String: String]
    private let watcher: ContentWatcher
    private var connection: ShareConnection?
    private var nextTry: Moment?

    /// How often to try connecting when the folder can't be watched, and as a safety net when it can.
    static let retryWithoutWatch: Int64 = 1_000
    static let retryWithWatch: Int64 = 10_000

    init(name: String, environment: [String: String], folder: String) {
        self.name = name
        self.environment = environment
        watcher = ContentWatcher(folder: folder)
    }

    var descriptors: [Int32] {
        if let connection { return [connection.descriptor] }
        return watcher.descriptor.map { [$0] } ?? []
    }

    func deadline(after now: Moment) -> Moment? { connection == nil ? (nextTry ?? now) : nil }

    func inputs(ready: Set<Int32>, at now: Instant) -> [ProgramInput] {
        var inputs: [ProgramInput] = []
        if let opened = connection, ready.contains(opened.descriptor) {
            inputs += read(opened, retryAt: nil)  // the next session may already be waiting
        }
        if connection == nil, let descriptor = watcher.descriptor, ready.contains(descriptor), watcher.drain() {
            nextTry = now.moment  // something appeared in the sharing folder: try at once
        }
        if connection == nil, now.moment >= nextTry ?? now.moment {
            nextTry = now.moment + (watcher.isWatching ? Self.retryWithWatch : Self.retryWithoutWatch)
            if let opened = ShareConnection.connect(name: name, environment: environment) {
                connection = opened
                inputs.append(.follow(.connected))
                inputs += read(opened, retryAt: nextTry)
            }
        }
        return inputs
    }

    /// What arrived, and when the session's side closed, the disconnection (and the next try at `retryAt`).
    private func read(_ opened: ShareConnection, retryAt: Moment?) -> [ProgramInput] {
        let (messages, closed) = opened.read()
        var inputs = messages.map { message -> ProgramInput in
            switch message {
            case .success(let message): .follow(.message(message))
            case .failure(let error): .follow(.unreadable(error))
            }
        }
        if closed {
            connection = nil
            nextTry = retryAt
            inputs.append(.follow(.disconnected))
        }
        return inputs
    }
}
