import Foundation
import Glibc

/// Spoken cues through `espeak-ng`, each in its own process with every stream sent to /dev/null, so speech
/// never draws on the screen and never holds up the timer. A new cue cuts off one still being spoken.
final class Speaker {
    /// Overrides the speech command (tests point it at a recorder script).
    static let commandVariable = "SESSION_GUIDE_SPEECH_COMMAND"

    private let command: String
    private var current: pid_t?

    /// The speech program on PATH (or from the environment), or nil when there is none.
    static func findCommand(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let override = environment[commandVariable], !override.isEmpty {
            return FileManager.default.isExecutableFile(atPath: override) ? override : nil
        }
        for folder in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = String(folder) + "/espeak-ng"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    init(command: String) {
        self.command = command
    }

    deinit {
        stopSpeaking()
    }

    func speak(_ text: String) {
        stopSpeaking()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] {
            posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0)
        }
        // The program blocks termination signals to read them itself; the child must not inherit that.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))

        let arguments = [command, text]
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        if posix_spawn(&pid, command, &actions, &attributes, &cArguments, environ) == 0 {
            current = pid
        }
    }

    /// Lets the utterance under way finish (at most `timeout` milliseconds), for the last cue before exiting.
    func finishSpeaking(timeout: Int) {
        guard let pid = current else { return }
        var status: Int32 = 0
        for _ in 0..<max(1, timeout / 50) {
            if waitpid(pid, &status, WNOHANG) != 0 {
                current = nil
                return
            }
            usleep(50_000)
        }
        stopSpeaking()
    }

    /// Ends the utterance under way, if any, and reaps it.
    func stopSpeaking() {
        guard let pid = current else { return }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        current = nil
    }
}
