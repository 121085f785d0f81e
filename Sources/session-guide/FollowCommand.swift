import ArgumentParser
import Foundation
import SessionGuideEngine
import SessionGuideLayout
import SessionGuideTerminal

struct FollowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow",
        abstract: "Show the patient's view of a session shared with 'session ID --share NAME'.",
        discussion: """
            Run it on the screen that faces the patient (a second terminal, or a box reached over SSH on the same \
            machine). It shows the step the therapist shows, in large print, with the drill timer in big digits, \
            and never the therapist's scripts or notes. It can't change the session: ↑/↓ scroll this screen, q \
            stops following. Started before the session, or after it ends, it waits for the next session shared \
            under that name.
            """
    )

    @OptionGroup var options: ContentOptions

    @Argument(help: ArgumentHelp("The name the therapist gave to --share.", valueName: "name"))
    var name: String

    func validate() throws {
        do { try ShareLocation.validate(name) } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let folder = ShareLocation.folder(environment: environment)
        do {
            try ShareLocation.prepareFolder(folder)
        } catch {
            Console.error("can't follow '\(name)': \(error)")
            throw ExitCode(SysExit.unavailable)
        }
        let terminal = try FullScreenApp.openTerminal(options.terminalOptions())
        defer { terminal.stop() }
        let code = FollowLoop(name: name, environment: environment, folder: folder, terminal: terminal).run()
        terminal.stop()
        if code != 0 { throw ExitCode(code) }
    }
}

/// The follower's loop: draws what the shared session last said, and sleeps until a message, a key, the
/// timer's next second, or (while no session is shared) the socket appearing in the sharing folder.
struct FollowLoop {
    let name: String
    let environment: [String: String]
    let folder: String
    let terminal: Terminal

    /// How often to try connecting when the folder can't be watched, and as a safety net when it can.
    static let retryWithoutWatch: Int64 = 1_000
    static let retryWithWatch: Int64 = 10_000

    func run() -> Int32 {
        var follower = FollowerEngine(name: name)
        let watcher = ContentWatcher(folder: folder)
        var connection: ShareConnection?
        var nextTry = Terminal.now()
        while true {
            var now = Terminal.now()
            if connection == nil, now >= nextTry {
                connection = ShareConnection.connect(name: name, environment: environment)
                if let opened = connection {
                    follower.connected()
                    if read(opened, into: &follower) { connection = nil; follower.disconnected() }
                }
                nextTry = now + (watcher.isWatching ? Self.retryWithWatch : Self.retryWithoutWatch)
            }
            now = Terminal.now()
            let screen = FollowScreen.render(follower, at: now, size: terminal.size)
            follower.setScrollLimits(maximum: screen.maximumScroll, pageSize: screen.pageSize)
            terminal.draw(screen.grid)
            var deadline = follower.nextDeadline(after: now)
            if connection == nil { deadline = min(deadline ?? nextTry, nextTry) }
            let inputs = terminal.wait(until: deadline, watching: connection == nil ? watcher : nil,
                                       descriptors: connection.map { [$0.descriptor] } ?? [])
            for input in inputs {
                switch input {
                case .signal(let signal):
                    return FullScreenApp.exitCode(for: signal)
                case .key(.control("c")):
                    return FullScreenApp.exitCode(for: .interrupt)
                case .key(let key):
                    if follower.handle(key) { return 0 }
                case .contentChanged:
                    nextTry = Terminal.now()  // something appeared in the sharing folder: try at once
                case .readable:
                    if let opened = connection, read(opened, into: &follower) {
                        connection = nil
                        follower.disconnected()
                        nextTry = Terminal.now()  // the next session may already be waiting
                    }
                }
            }
        }
    }

    /// Hands what arrived to the follower; true when the session's side of the connection closed.
    private func read(_ connection: ShareConnection, into follower: inout FollowerEngine) -> Bool {
        let (messages, closed) = connection.read()
        for message in messages {
            switch message {
            case .success(let message): follower.receive(message)
            case .failure(let error): follower.unreadable(error)
            }
        }
        return closed
    }
}
