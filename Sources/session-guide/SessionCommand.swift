import ArgumentParser
import Foundation
import SessionGuideContent
import SessionGuideEngine
import SessionGuideHistory
import SessionGuideRuntime
import SessionGuideTerminal

struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Run a treatment session full-screen, step by step, with drill timers.",
        discussion: """
            Keys: → next step, ← back, Space start/pause a drill timer, r reset, +/- 15 seconds, t contents, \
            w write a note on the step, s show/hide therapist scripts and notes, ? help, q quit. Without an ID, \
            opens the only session, or the menu. When it ends the session's summary and notes are saved in \
            $XDG_STATE_HOME/session-guide/history.sqlite (see 'session-guide notes').
            """
    )

    @OptionGroup var options: ContentOptions

    @Argument(help: ArgumentHelp("The id of a session (see 'session-guide list').", valueName: "id"),
              completion: IDCompletion.ids(.session))
    var id: String?

    @Flag(help: "Line-by-line text instead of the full screen, for screen readers and braille displays.")
    var plain = false

    @OptionGroup var patientOption: PatientOption
    var patient: String? { patientOption.label }

    @Option(help: ArgumentHelp(
        "Publish the session for 'session-guide follow NAME' on another screen (this machine only).",
        valueName: "name"))
    var share: String?

    @OptionGroup var history: HistoryOptions

    func validate() throws {
        if let share {
            do { try ShareLocation.validate(share) } catch { throw ValidationError(error.description) }
            if plain { throw ValidationError("--share works with the full-screen session, not with --plain") }
        }
    }

    /// Where the session is recorded, and for whom.
    private var setup: SessionSetup {
        SessionSetup.forPatient(patient, history: history.location)
    }

    func run() throws {
        let library = try options.loadLibrary()
        let sessions = library.documents.compactMap { document -> Session? in
            if case .session(let session) = document { return session }
            return nil
        }
        if plain {
            let chosen: Session
            if let id {
                chosen = try session(id, in: library)
            } else if sessions.count == 1 {
                chosen = sessions[0]
            } else {
                Console.error("which session? give its id (see 'session-guide list')")
                throw ExitCode(SysExit.usage)
            }
            let code = PlainModes.session(chosen, library: library, ascii: options.asciiMode, setup: setup)
            if code != 0 { throw ExitCode(code) }
            return
        }
        let start: FullScreenProgram.Mode
        if let id {
            start = .session(SessionEngine(session: try session(id, in: library), library: library,
                                           startedAt: Moment(milliseconds: 0)))
        } else if sessions.count == 1 {
            start = .session(SessionEngine(session: sessions[0], library: library, startedAt: Moment(milliseconds: 0)))
        } else {
            start = .menu(HomeMenu(library: library))
        }
        var server: ShareServer?
        if let share {
            do {
                server = try ShareServer(name: share, environment: ProcessInfo.processInfo.environment)
            } catch {
                Console.error("can't share the session: \(error)")
                throw ExitCode(SysExit.unavailable)
            }
        }
        let code = try FullScreenApp.run(library: library, start: start, display: options.terminalOptions(),
                                         large: options.effectiveLarge, sessionSetup: setup, share: server,
                                         reloader: options.contentReloader())
        if code != 0 { throw ExitCode(code) }
    }

    /// The session with `id`, or a clear message and the right exit code.
    private func session(_ id: String, in library: ContentLibrary) throws -> Session {
        switch library.document(id: id) {
        case .session(let session)?:
            return session
        case let other?:
            Console.error("'\(id)' is a \(other.kind.rawValue), not a session; try \(DocumentCommand.for(other.kind, id))")
            throw ExitCode(SysExit.usage)
        case nil:
            try reportMissing(id, in: library, options: options)
        }
    }
}

/// The document isn't usable: its file has errors (exit 65) or no file declares it (exit 66).
func reportMissing(_ id: String, in library: ContentLibrary, options: ContentOptions) throws -> Never {
    if let file = library.file(declaring: id) {
        let formatter = options.formatter(for: .error)
        for diagnostic in file.diagnostics {
            Console.write(formatter.format(diagnostic) + "\n", to: .error)
        }
        Console.error("'\(id)' has errors in \(file.path); fix them and run 'session-guide check'")
        throw ExitCode(SysExit.dataError)
    }
    let hint = Suggestion.hint(for: id, in: library.declaredIDs)
    Console.error("no document with id '\(id)'\(hint) (see 'session-guide list')")
    throw ExitCode(SysExit.noInput)
}
