import ArgumentParser
import Foundation
import SessionGuideEngine
import SessionGuideLayout
import SessionGuideRuntime
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
        // Started by sshd as a key's forced command (`command="session-guide follow NAME"`): the login was asked
        // for something else when SSH_ORIGINAL_COMMAND holds another command. It gets nothing but this follower.
        if let asked = environment["SSH_ORIGINAL_COMMAND"], !FollowCommand.asksToFollow(asked, name: name) {
            Console.error("this login only shows the patient's screen of '\(name)'; connect with 'ssh -t' and no command")
            throw ExitCode(SysExit.noPermission)
        }
        let folder = ShareLocation.folder(environment: environment)
        do {
            // A session can never be shared under a name whose socket can't exist: say so now, not never.
            try ShareLocation.checkLength(name: name, environment: environment)
            try ShareLocation.prepareFolder(folder)
        } catch {
            Console.error("can't follow '\(name)': \(error)")
            throw ExitCode(SysExit.unavailable)
        }
        let display = options.terminalOptions()
        let terminal = try Launcher.openTerminal(display)
        defer { terminal.stop() }
        let port = FollowPort(name: name, environment: environment, folder: folder)
        let code = Launcher.run(FollowProgram(name: name, pixels: BigFont.Pixels(ascii: display.ascii)), io: terminal, ports: [port], effects: AppEffects(),
                                stop: terminal.stop)
        if code != 0 { throw ExitCode(code) }
    }

    /// Whether a command asked of a forced-command login is this follower (or nothing): empty, `follow NAME` or
    /// `session-guide follow NAME`, with the same name.
    static func asksToFollow(_ command: String, name: String) -> Bool {
        let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard !words.isEmpty else { return true }
        let rest = words.first.map { $0.hasSuffix("session-guide") } == true ? Array(words.dropFirst()) : words
        return rest == ["follow", name]
    }
}
