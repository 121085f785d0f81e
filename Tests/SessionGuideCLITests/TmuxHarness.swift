import Foundation
import Testing
import SessionGuideTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// A harness for end-to-end tests of the full-screen modes: the real `session-guide` binary runs in a real
// terminal, a pane of a private tmux server, and the tests type keys with `send-keys` and read the screen with
// `capture-pane`.
//
// - Every terminal gets its own server (`tmux -L <unique name> -f /dev/null`), so tests can run in parallel and
//   never see the tester's own tmux or its configuration. The server is always killed, and its socket removed,
//   when the test ends (`withTmuxTerminal` does it in a `defer`, which also runs when a test fails, throws or is
//   cancelled by a time limit).
// - Nothing waits a fixed time: `waitUntil` polls the screen every 50 ms until what the test expects is there,
//   or a generous deadline passes (the tests must hold on a busy 2-core machine).
// - The pane runs `/bin/sh -c SCRIPT`, where SCRIPT starts the program through `env` with an explicit TERM and a
//   UTF-8 locale (so ncurses draws → – “ ”), and afterwards prints `stty -a` and a last line
//   `EXIT=<status> STTY-RESTORED=<yes|no>`, comparing `stty -g` before and after the run. Then the shell waits
//   on a tmux channel (`exec tmux wait-for …`) so tmux still reports the pane's cursor and screen mode as the
//   program left them; that client ends with the server, so no `sleep` is left behind. (`remain-on-exit on`
//   keeps the screen readable should the shell die anyway.)
// - The program's process id is written to a file just before it starts (`sh -c 'echo $$ > FILE; exec "$@"'`),
//   so a test can send it a signal.
// - With `recordOutput`, every byte the program sends to the terminal is copied to a file (`pipe-pane`) before
//   the program starts: the script waits on a tmux `wait-for` channel that the harness opens only once the pipe
//   is in place. The tests use it to see bells (BEL, 0x07) and to check that nothing was drawn.
// - tmux clients are started with `posix_spawn` and a clean signal mask, not `Foundation.Process`: see
//   `spawnAndWait` (SessionGuideTestSupport) for why (a server started from a test thread otherwise hangs and outlives the test).
// - TERM is xterm-256color inside tmux, as the program would see in most terminals. tmux sends the keys the
//   tests use (arrows, PgUp/PgDn, Enter, Escape, Space, Ctrl keys) as xterm does, but Home and End as
//   `\e[1~`/`\e[4~`, which xterm-256color's terminfo doesn't name: don't send Home or End.

/// What went wrong in the harness itself (tmux missing, a tmux command failing, a deadline passing).
struct TmuxError: Error, CustomStringConvertible {
    var description: String
}

/// One capture of a tmux pane.
struct TerminalScreen: Sendable, Equatable, CustomStringConvertible {
    /// The rows, top to bottom, without trailing spaces.
    let lines: [String]

    init(lines: [String]) {
        self.lines = lines
    }

    init(captured output: String) {
        var lines = RunResult.lines(of: output).map { line in
            String(line.reversed().drop(while: { $0 == " " }).reversed())
        }
        while lines.last == "" { lines.removeLast() }
        self.lines = lines
    }

    var text: String { lines.joined(separator: "\n") }

    func contains(_ text: String) -> Bool { self.text.contains(text) }

    /// Row `index` (0 is the top), or "" when the screen has fewer rows.
    func row(_ index: Int) -> String { lines.indices.contains(index) ? lines[index] : "" }

    /// The screen with row numbers, for failure messages.
    var description: String {
        guard !lines.isEmpty else { return "    (blank)" }
        return lines.enumerated().map { index, line in
            let number = String(index)
            return String(repeating: " ", count: max(0, 3 - number.count)) + number + "│" + line
        }.joined(separator: "\n")
    }
}

/// How the program in a pane ended, read after its shell script printed `EXIT=…`.
struct PaneExit: Sendable, CustomStringConvertible {
    /// The program's exit status as the shell saw it (128 + N when a signal N killed it).
    var status: Int32
    /// True when `stty -g` after the run equals `stty -g` before it.
    var terminalSettingsRestored: Bool
    /// `stty -a` after the run.
    var sttySettings: String
    /// tmux's view of the pane after the run.
    var alternateScreenOn: Bool
    var cursorVisible: Bool
    var screen: TerminalScreen

    var sttyWords: Set<String> {
        Set(sttySettings.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
    }

    /// Echo and line mode are on, as a shell expects them: `echo` and `icanon`, not `-echo` or `-icanon`.
    var echoAndLineModeOn: Bool {
        let words = sttyWords
        return words.contains("echo") && words.contains("icanon") && !words.contains("-echo")
            && !words.contains("-icanon")
    }

    /// Everything a person would call "the terminal is back to normal".
    var terminalIsSane: Bool { terminalSettingsRestored && echoAndLineModeOn && !alternateScreenOn && cursorVisible }

    var description: String {
        "exit status \(status); stty restored: \(terminalSettingsRestored); alternate screen on: "
            + "\(alternateScreenOn); cursor visible: \(cursorVisible)\n--- stty -a:\n\(sttySettings)"
            + "\n--- screen:\n\(screen)"
    }
}

/// The output of one tmux client command.
struct TmuxOutput: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum Tmux {
    /// The tmux executable: the first `tmux` on PATH, then the usual places.
    static let path: String? = {
        let fromPath = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for folder in fromPath + ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"] where !folder.isEmpty {
            let candidate = folder + "/tmux"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    /// The environment of every tmux client, and so of the servers they start and the panes' shells: the
    /// tester's, without any tmux it may run inside, with a UTF-8 locale (C.UTF-8 exists on Debian and Ubuntu).
    static let environment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment
        for name in ["TMUX", "TMUX_PANE", "TMUX_TMPDIR"] { environment[name] = nil }
        environment["LANG"] = "C.UTF-8"
        environment["LC_ALL"] = "C.UTF-8"
        return environment
    }()

    /// The longest one tmux client command may take; they normally take milliseconds.
    static let commandDeadline: Double = 30

    /// Runs one tmux client command and waits for it, without blocking Swift's cooperative threads.
    static func run(_ arguments: [String]) async throws -> TmuxOutput {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runSynchronously(arguments) })
            }
        }
    }

    /// Runs one tmux client command on the calling thread (for clean-up in `defer`).
    static func runSynchronously(_ arguments: [String]) throws -> TmuxOutput {
        guard let path else {
            throw TmuxError(description: "tmux was not found on PATH; install it (apt-get install tmux)")
        }
        // Output goes to files, not pipes: a tmux server that is started by this client must never be able to
        // keep a pipe open and make the reader wait.
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("session-guide-tmux-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outPath = scratch.appendingPathComponent("stdout").path
        let errPath = scratch.appendingPathComponent("stderr").path
        let status: Int32
        do {
            status = try spawnAndWait(path, arguments, environment: environment, stdout: outPath, stderr: errPath,
                                      deadline: commandDeadline)
        } catch .tookTooLong {
            throw TmuxError(description: "tmux \(arguments.joined(separator: " ")) took over \(commandDeadline) s")
        } catch {
            throw TmuxError(description: error.description)
        }
        return TmuxOutput(
            status: status,
            stdout: String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data(), as: UTF8.self))
    }
}

/// Quotes a word for `/bin/sh`.
func shellQuoted(_ word: String) -> String {
    "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// A terminal of a given size in its own tmux server, running `session-guide`.
final class TmuxTerminal: Sendable {
    /// The generous default for anything the tests wait for.
    static let defaultTimeout: Duration = .seconds(20)

    /// The environment the program gets unless a test changes it: a capable terminal, a UTF-8 locale, nothing
    /// from the tester's environment that could change what is shown or where the content comes from.
    static let programEnvironment: [String: String?] = [
        "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        // ncurses would take these over the real size, and resizing would do nothing.
        "COLUMNS": nil, "LINES": nil,
        "SESSION_GUIDE_CONTENT": nil, "NO_COLOR": nil, "CLICOLOR_FORCE": nil, "FORCE_COLOR": nil,
        "XDG_CONFIG_HOME": "/nonexistent/session-guide-tests",  // no config file of the tester's applies
    ]

    /// The tmux server's name (`-L`).
    let socketName: String
    /// The session (and so the window and pane) every command targets.
    let target = "guide"
    /// Holds the pid file, the `stty -a` output and the recorded output.
    let scratch: TemporaryFolder
    let recordsOutput: Bool
    /// The server's process id and socket, learnt once it runs, for a clean-up that can't fail quietly.
    private let server = ServerRecord()

    /// The program runs on a clock this test moves (`advance`), not on real time (see `TestControl` in the
    /// executable): true unless a test asks for the real clock.
    let manualClock: Bool
    /// False when the pane runs another program (a shell): its keys can't be counted against the trace.
    let countsInputs: Bool
    /// How many keys, signals and resizes this test has sent that the program should count.
    private let sent = Counter()

    var pidFile: String { scratch.path(of: "pid") }
    var clockFifo: String { scratch.path(of: "clock") }
    var traceFile: String { scratch.path(of: "trace") }
    var sttyFile: String { scratch.path(of: "stty-after") }
    var outputLog: String { scratch.path(of: "output.log") }

    private init(recordsOutput: Bool, manualClock: Bool, countsInputs: Bool) throws {
        self.countsInputs = countsInputs
        socketName = "sg-test-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
        scratch = try TemporaryFolder()
        self.recordsOutput = recordsOutput
        self.manualClock = manualClock
    }

    /// Starts a tmux server with one `width`×`height` window whose pane runs `session-guide arguments`.
    ///
    /// - Parameters:
    ///   - environment: changes to `programEnvironment` (a value sets a variable, nil removes it).
    ///   - recordOutput: copy every byte the program writes to the terminal to `outputLog`.
    ///   - program: runs this executable instead of session-guide (an interactive shell, say, to type into).
    static func start(
        _ arguments: [String], width: Int, height: Int, environment changes: [String: String?] = [:],
        recordOutput: Bool = false, program: String? = nil, manualClock: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TmuxTerminal {
        guard let tmux = Tmux.path else {
            let message = "tmux was not found on PATH; the full-screen tests need it (apt-get install tmux)"
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
            throw TmuxError(description: message)
        }
        guard let executable = BinaryRunner.executable else {
            let message = "the session-guide executable was not found next to the tests or in "
                + "\(BinaryRunner.packageRoot.path)/.build/debug; run 'swift build' first"
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
            throw TmuxError(description: message)
        }
        let terminal = try TmuxTerminal(recordsOutput: recordOutput, manualClock: manualClock && program == nil,
                                        countsInputs: program == nil)
        do {
            try await terminal.launch(tmuxPath: tmux, executable: program ?? executable.path, arguments: arguments,
                                      width: width, height: height, environment: changes)
        } catch {
            await terminal.close()
            Issue.record(error, sourceLocation: sourceLocation)
            throw error
        }
        return terminal
    }

    private func launch(tmuxPath: String, executable: String, arguments: [String], width: Int, height: Int,
                        environment changes: [String: String?]) async throws {
        var environment = Self.programEnvironment
        // Sessions and routines save to the history: unless a test chooses a folder, this terminal's own,
        // removed with it, so no test ever writes the tester's real history.
        environment["XDG_STATE_HOME"] = scratch.path(of: "state")
        environment["SESSION_GUIDE_TEST_TRACE"] = traceFile
        if manualClock {
            guard mkfifo(clockFifo, 0o600) == 0 else {
                throw TmuxError(description: "can't make the clock FIFO: \(String(cString: strerror(errno)))")
            }
            environment["SESSION_GUIDE_TEST_CLOCK"] = clockFifo
        }
        for (name, value) in changes { environment[name] = value }
        // `env -u NAME ... NAME=value ... program`: removals first, as env requires.
        var command = ["env"]
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where value == nil {
            command += ["-u", name]
        }
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) {
            if let value { command.append("\(name)=\(value)") }
        }
        command += [executable] + arguments

        let gate = "gate-\(socketName)"
        var script: [String] = [
            // The shell must outlive a Ctrl-C or Ctrl-\ to report the status; a trap (unlike ignoring the
            // signal) is reset to the default in the program, which then gets SIGINT and SIGQUIT as usual.
            "trap : INT QUIT",
        ]
        if recordsOutput {
            // `tmux` inside the pane reaches this server through $TMUX.
            script.append("\(shellQuoted(tmuxPath)) wait-for \(shellQuoted(gate))")
        }
        script += [
            "before=$(stty -g)",
            "sh -c 'echo $$ > \"$0\"; exec \"$@\"' \(shellQuoted(pidFile)) "
                + command.map(shellQuoted).joined(separator: " "),
            "status=$?",
            "stty -a > \(shellQuoted(sttyFile))",
            "if [ \"$(stty -g)\" = \"$before\" ]; then restored=yes; else restored=no; fi",
            "cat \(shellQuoted(sttyFile))",
            "echo \"EXIT=$status STTY-RESTORED=$restored\"",
            // Keep the pane alive, so tmux still reports its cursor and screen mode as the program left them,
            // until the server is killed (the client then ends too: no process is left behind).
            "exec \(shellQuoted(tmuxPath)) wait-for \(shellQuoted("end-" + socketName))",
        ]

        // One client command: options that must be in force before the pane's shell can end, then the session.
        let started = try await Tmux.run([
            "-u", "-L", socketName, "-f", "/dev/null",
            "start-server", ";",
            "set-option", "-g", "remain-on-exit", "on", ";",
            "set-option", "-g", "monitor-bell", "on", ";",
            "set-option", "-g", "bell-action", "any", ";",
            "set-option", "-g", "history-limit", "2000", ";",
            // As a terminal that lets programs set its clipboard (OSC 52) would: a leaked sequence shows as a buffer.
            "set-option", "-g", "set-clipboard", "on", ";",
            "new-session", "-d", "-s", target, "-x", String(width), "-y", String(height),
            "-c", BinaryRunner.packageRoot.path, "/bin/sh", "-c", script.joined(separator: "\n"),
        ])
        guard started.status == 0 else {
            throw TmuxError(description: "tmux new-session failed (\(started.status)): \(started.stderr)")
        }
        let facts = try await tmux(["display-message", "-p", "-t", target, "#{pid} #{socket_path}"])
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ", maxSplits: 1)
        if facts.count == 2, let pid = pid_t(facts[0]) {
            server.record(pid: pid, socket: String(facts[1]))
        }
        if recordsOutput {
            _ = FileManager.default.createFile(atPath: outputLog, contents: nil)
            try await tmux(["pipe-pane", "-t", target, "-o", "cat >> \(shellQuoted(outputLog))"])
            try await tmux(["wait-for", "-S", gate])
        }
    }

    /// Runs a tmux command against this terminal's server; throws when it fails.
    @discardableResult
    func tmux(_ arguments: [String]) async throws -> String {
        let output = try await Tmux.run(["-u", "-L", socketName] + arguments)
        guard output.status == 0 else {
            throw TmuxError(description: "tmux \(arguments.joined(separator: " ")) failed (\(output.status)): "
                + output.stderr)
        }
        return output.stdout
    }

    // MARK: - Typing and resizing

    /// Sends keys by tmux's names: `Right`, `Left`, `Up`, `Down`, `Space`, `Enter`, `Escape`, `C-c`, or a single
    /// character such as `q`, `?`, `+` or `-`, and waits until the program has taken each of them (a key, or
    /// the signal Ctrl-C or Ctrl-\ raises) and gone back to waiting, or has ended. (Not `Home` or `End`: see the
    /// notes at the top of this file.)
    func press(_ keys: String..., sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await tmux(["send-keys", "-t", target, "--"] + keys)
        try await settle(adding: keys.count, sourceLocation: sourceLocation)
    }

    /// Pastes `data` into the pane in one go (tmux's paste buffer: one write to the terminal, as a paste from a
    /// terminal window is), then moves the clock 1 ms so the program has read it, and counts from what it took.
    func paste(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("paste-\(UUID().uuidString)")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        _ = try await tmux(["load-buffer", "-b", "pasted", file.path])
        _ = try await tmux(["paste-buffer", "-d", "-b", "pasted", "-t", target])
        try await advance(by: 1, sourceLocation: sourceLocation)
        if let taken = lastWait()?.inputs { sent.set(taken) }
    }

    /// Hands the program's clock `milliseconds` without waiting for the program to take them: for a program
    /// that is stopped (Ctrl-Z), whose clock takes them as the time it was stopped when it goes on.
    func handClock(_ milliseconds: Int64) throws {
        let descriptor = open(clockFifo, O_WRONLY | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw TmuxError(description: "can't open the clock FIFO: \(String(cString: strerror(errno)))")
        }
        let line = Array("advance \(milliseconds)\n".utf8)
        _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        Glibc.close(descriptor)
    }

    /// Inputs the program has taken so far (keys, signals, resizes), by its trace.
    var inputsTaken: Int { lastWait()?.inputs ?? 0 }

    /// The kiosk's exit chord as a person does it: `times` separate presses, 200 ms apart on the program's clock
    /// (presses closer than 150 ms are a paste or a held key, and never count).
    func pressChord(_ key: String, times: Int = 3, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for press in 0..<times {
            if press > 0 { try await advance(by: 200, sourceLocation: sourceLocation) }
            try await self.press(key, sourceLocation: sourceLocation)
        }
    }

    /// Sends keys without waiting for the program to take them: for keys it never reports (Ctrl-Z, bytes that
    /// are no key), or a program that isn't session-guide.
    func send(_ keys: String...) async throws {
        try await tmux(["send-keys", "-t", target, "--"] + keys)
    }

    /// Types `text` literally, character by character (no key names), and waits until the program has taken
    /// every character (`settle: false` for a typed line that arrives only with its Enter).
    func type(_ text: String, settle: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await tmux(["send-keys", "-t", target, "-l", "--", text])
        if settle { try await self.settle(adding: text.unicodeScalars.count, sourceLocation: sourceLocation) }
    }

    func resize(width: Int, height: Int) async throws {
        try await tmux(["resize-window", "-t", target, "-x", String(width), "-y", String(height)])
    }

    // MARK: - Time and the trace

    /// The runtime's trace so far (see `TestControl` in the executable).
    func traceLines() -> [String] {
        RunResult.lines(of: (try? String(contentsOfFile: traceFile, encoding: .utf8)) ?? "")
    }

    /// The last `wait t=… inputs=…` line: the program's time and inputs taken when it last went to sleep.
    private func lastWait() -> (time: Int64, inputs: Int)? {
        guard let line = traceLines().last(where: { $0.hasPrefix("wait ") }) else { return nil }
        var time: Int64 = 0
        var inputs = 0
        for word in line.split(separator: " ") {
            if word.hasPrefix("t=") { time = Int64(word.dropFirst(2)) ?? 0 }
            if word.hasPrefix("inputs=") { inputs = Int(word.dropFirst(7)) ?? 0 }
        }
        return (time, inputs)
    }

    /// True once the program's trace says it has ended.
    var hasExited: Bool { traceLines().contains { $0.hasPrefix("exit ") } }

    /// Counts `count` more inputs sent, and waits until the program has taken them all and is waiting again.
    func settle(adding count: Int = 0, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        // Under another program (a shell the test types into), keys reach that program too: nothing to count.
        guard countsInputs else { return }
        let expected = sent.add(count)
        try await waitForTrace("the program to take \(expected) inputs and wait", sourceLocation: sourceLocation) {
            if let wait = $0.lastWait(), wait.inputs >= expected { return true }
            return $0.hasExited
        }
    }

    /// Moves the program's clock on by `milliseconds` and waits until it has woken at every deadline on the way
    /// and is waiting again (or has ended).
    func advance(by milliseconds: Int64, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        precondition(manualClock, "advance needs the manual clock")
        try await settle(sourceLocation: sourceLocation)
        guard !hasExited, let start = lastWait()?.time else { return }
        try handClock(milliseconds)
        try await waitForTrace("the program's clock to reach \(start + milliseconds) ms",
                               sourceLocation: sourceLocation) {
            if let wait = $0.lastWait(), wait.time >= start + milliseconds { return true }
            return $0.hasExited
        }
    }

    func advance(seconds: Double, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await advance(by: Int64((seconds * 1000).rounded()), sourceLocation: sourceLocation)
    }

    /// Moves the clock on in steps of `step` until `condition` holds on screen: for what waits on an event
    /// outside the program's time as well as on time (a file edit noticed by inotify, then a settle delay).
    @discardableResult
    func advance(
        by step: Int64, until what: String, timeout: Duration = defaultTimeout,
        sourceLocation: SourceLocation = #_sourceLocation, _ condition: (TerminalScreen) -> Bool
    ) async throws -> TerminalScreen {
        var screen = TerminalScreen(lines: [])
        return try await poll(what, timeout: timeout, sourceLocation: sourceLocation,
                              failure: { "moved the clock on for \(timeout) waiting for \(what); the screen was:\n\(screen)" }) {
            try await advance(by: step, sourceLocation: sourceLocation)
            screen = try await capture()
            return condition(screen) ? screen : nil
        }
    }

    /// How many times a port has handed the program `name` (`content-loaded`, `deck-broken`, `follow-message`…).
    func portInputs(_ name: String) -> Int {
        traceLines().filter { $0 == "port " + name }.count
    }

    /// Moves the clock on in steps of `step` until a port has handed the program `name` more than `count` times:
    /// for an edit, which the program reads once inotify has told it and its settle delay has passed.
    func advance(by step: Int64, untilPort name: String, moreThan count: Int,
                 sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await poll("port \(name)", sourceLocation: sourceLocation, failure: {
            "moved the clock on waiting for “port \(name)”; the trace ended:\n"
                + self.traceLines().suffix(12).joined(separator: "\n")
        }) { () async throws -> Bool? in
            if self.portInputs(name) > count { return true }
            try await self.advance(by: step, sourceLocation: sourceLocation)
            return nil
        }
    }

    private func waitForTrace(_ what: String, sourceLocation: SourceLocation,
                              _ condition: (TmuxTerminal) -> Bool) async throws {
        try await poll(what, every: .milliseconds(10), sourceLocation: sourceLocation, failure: {
            let screen = (try? await self.capture()).map(String.init(describing:)) ?? "(not captured)"
            return "waited for \(what); the trace ended:\n" + self.traceLines().suffix(12).joined(separator: "\n")
                + "\nthe screen was:\n\(screen)"
        }) { condition(self) ? true : nil }
    }

    // MARK: - Reading the screen

    /// The visible screen; with `history`, the scroll-back above it too, and wrapped lines joined (for what
    /// the shell printed after the program ended).
    func capture(history: Bool = false) async throws -> TerminalScreen {
        var arguments = ["capture-pane", "-p", "-t", target]
        if history { arguments += ["-J", "-S", "-"] }
        return TerminalScreen(captured: try await tmux(arguments))
    }

    /// A tmux format evaluated for the pane, such as `#{window_width}` or `#{alternate_on}`.
    func display(_ format: String) async throws -> String {
        try await tmux(["display-message", "-p", "-t", target, format])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen until `condition` holds on two captures in a row that are the same, and returns that
    /// screen. One capture is not enough: the program's frame reaches tmux in several writes, so a capture can
    /// catch a frame half drawn (the heading there, the text under it not yet), and a test reading the rest of
    /// that screen would fail only when the machine is busy. At the deadline the test fails with the last
    /// screen in the message.
    @discardableResult
    func waitUntil(
        _ what: String, timeout: Duration = defaultTimeout, history: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation, _ condition: (TerminalScreen) -> Bool
    ) async throws -> TerminalScreen {
        var screen = TerminalScreen(lines: [])
        var matchedBefore: TerminalScreen?
        return try await poll(what, timeout: timeout, sourceLocation: sourceLocation,
                              failure: { "waited \(timeout) for \(what); the screen was:\n\(screen)" }) {
            screen = try await capture(history: history)
            guard condition(screen) else {
                matchedBefore = nil
                return nil
            }
            defer { matchedBefore = screen }
            return screen == matchedBefore ? screen : nil
        }
    }

    /// Waits until every one of `texts` is on the screen at once.
    @discardableResult
    func waitFor(
        _ texts: String..., timeout: Duration = defaultTimeout, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TerminalScreen {
        try await waitUntil(texts.map { "“\($0)”" }.joined(separator: " and "), timeout: timeout,
                            sourceLocation: sourceLocation) { screen in texts.allSatisfy(screen.contains) }
    }

    /// Waits until none of `texts` is on the screen.
    @discardableResult
    func waitForAbsence(
        of texts: String..., timeout: Duration = defaultTimeout, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TerminalScreen {
        try await waitUntil("no " + texts.map { "“\($0)”" }.joined(separator: " nor "), timeout: timeout,
                            sourceLocation: sourceLocation) { screen in !texts.contains(where: screen.contains) }
    }

    /// Polls a tmux format (see `display`) until it has `value`.
    func waitUntilDisplay(
        _ format: String, is value: String, timeout: Duration = defaultTimeout,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        var shown = ""
        try await poll(format, timeout: timeout, sourceLocation: sourceLocation,
                       failure: { "waited \(timeout) for \(format) to be \(value); it is \(shown)" }) {
            shown = try await display(format)
            return shown == value ? true : nil
        }
    }

    /// Waits for the program to end and the pane's script to print its last line, then reads the result.
    func waitForExit(timeout: Duration = defaultTimeout,
                     sourceLocation: SourceLocation = #_sourceLocation) async throws -> PaneExit {
        let screen = try await waitUntil("the program to end (a line “EXIT=…”)", timeout: timeout, history: true,
                                         sourceLocation: sourceLocation) { screen in
            screen.lines.contains { $0.hasPrefix("EXIT=") }
        }
        let line = screen.lines.last { $0.hasPrefix("EXIT=") } ?? ""
        var status: Int32 = -1
        var restored = false
        for word in line.split(separator: " ") {
            if word.hasPrefix("EXIT=") { status = Int32(word.dropFirst(5)) ?? -1 }
            if word.hasPrefix("STTY-RESTORED=") { restored = word == "STTY-RESTORED=yes" }
        }
        let stty = (try? String(contentsOfFile: sttyFile, encoding: .utf8)) ?? ""
        let alternate = try await display("#{alternate_on}")
        let cursor = try await display("#{cursor_flag}")
        return PaneExit(status: status, terminalSettingsRestored: restored, sttySettings: stty,
                        alternateScreenOn: alternate == "1", cursorVisible: cursor == "1", screen: screen)
    }

    // MARK: - The program

    /// The program's process id, once it has started.
    func programID(timeout: Duration = defaultTimeout,
                   sourceLocation: SourceLocation = #_sourceLocation) async throws -> pid_t {
        try await poll("the program's pid", timeout: timeout, sourceLocation: sourceLocation,
                       failure: { "the program's pid file stayed empty for \(timeout)" }) {
            let text = (try? String(contentsOfFile: self.pidFile, encoding: .utf8)) ?? ""
            guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else { return nil }
            return pid
        }
    }

    /// Every byte the program has written to the terminal so far (only with `recordOutput`).
    func recordedOutput() -> [UInt8] {
        [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: outputLog))) ?? Data())
    }

    /// Polls the recorded output until `condition` holds.
    @discardableResult
    func waitUntilOutput(
        _ what: String, timeout: Duration = defaultTimeout, sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: ([UInt8]) -> Bool
    ) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        return try await poll(what, timeout: timeout, sourceLocation: sourceLocation, failure: {
            "waited \(timeout) for \(what) in the program's output (\(bytes.count) bytes): "
                + String(decoding: bytes.suffix(600), as: UTF8.self).debugDescription
        }) {
            bytes = self.recordedOutput()
            return condition(bytes) ? bytes : nil
        }
    }

    // MARK: - Clean-up

    /// `shutDown` on a Dispatch thread, so its waits for the processes to end never block Swift's cooperative
    /// threads (two of them on a two-core machine, shared by every test running).
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.shutDown()
                continuation.resume()
            }
        }
    }

    /// Kills the server (and with it the pane, whose program gets SIGHUP), removes its socket and the scratch
    /// folder, and makes sure the server and the program are gone. Safe to call more than once.
    func shutDown() {
        let (serverPID, socket) = server.facts
        _ = try? Tmux.runSynchronously(["-L", socketName, "kill-server"])
        if let serverPID {
            // A server that didn't hear kill-server is killed outright, never left behind.
            if !Self.waitForEnd(of: serverPID, named: "tmux: server") { kill(serverPID, SIGKILL) }
        }
        if let socket, socket.hasSuffix("/" + socketName) {
            try? FileManager.default.removeItem(atPath: socket)
        }
        // The program should have ended on the hang-up; make sure, so no test leaves one behind.
        if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
           let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0,
           !Self.waitForEnd(of: pid, named: "session-guide")
        {
            kill(pid, SIGKILL)
        }
        scratch.remove()
    }

    /// Waits up to two seconds for the process `pid` named `name` to end; false when it still runs.
    private static func waitForEnd(of pid: pid_t, named name: String) -> Bool {
        for _ in 0..<40 {
            if !isRunning(pid, named: name) { return true }
            usleep(50_000)
        }
        return !isRunning(pid, named: name)
    }

    /// True while `pid` runs with the name `name` (checked, so a reused pid is never touched).
    private static func isRunning(_ pid: pid_t, named name: String) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        // "pid (comm) state ...": a zombie (Z) has already ended.
        guard let open = status.firstIndex(of: "("), let close = status.lastIndex(of: ")") else { return false }
        let comm = status[status.index(after: open)..<close]
        let state = status[status.index(after: close)...].split(separator: " ").first
        return comm == name && state != "Z"
    }
}

/// Tries `attempt` every `interval` until it gives a value, and returns it; at `timeout` records an issue with
/// `failure()` and throws. The one polling loop of the end-to-end tests: each test waits for an event (a frame,
/// a trace line, an exit), and the deadline is only a safety net for one that never comes.
@discardableResult
func poll<T>(
    _ what: String, timeout: Duration = TmuxTerminal.defaultTimeout, every interval: Duration = .milliseconds(20),
    sourceLocation: SourceLocation, failure: () async -> String, _ attempt: () async throws -> T?
) async throws -> T {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        if let value = try await attempt() { return value }
        if clock.now >= deadline {
            Issue.record(Comment(rawValue: await failure()), sourceLocation: sourceLocation)
            throw TmuxError(description: "timed out waiting for \(what)")
        }
        try await Task.sleep(for: interval)
    }
}

/// A count shared by a test's tasks.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func add(_ count: Int) -> Int { lock.withLock { value += count; return value } }
    func set(_ count: Int) { lock.withLock { value = count } }
}

/// A fixed number of places; a task waits for one to be free.
///
/// `terminals`: at most two real terminals at once, whatever the number of tests Swift Testing starts together:
/// each is a tmux server, a shell and the program, and more at once only queue for the same two cores. A test
/// that holds a slot may start more terminals inside it (a follower beside a session).
///
/// `binaryRuns`: at most eight runs of the binary (`BinaryRunner.run`) at once. Without a limit Swift Testing
/// started hundreds together: each holds three open files and its memory, and the test process came within
/// a few dozen files of its limit.
actor Slots {
    static let terminals = Slots(limit: 2)
    static let binaryRuns = Slots(limit: 8)
    @TaskLocal static var holdsTerminal = false

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        free = limit
    }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// Runs `body` holding one of `slots`' places, given back when it ends, however it ends.
func holding<T>(_ slots: Slots, _ body: () async throws -> T) async throws -> T {
    await slots.acquire()
    do {
        let result = try await body()
        await slots.release()
        return result
    } catch {
        await slots.release()
        throw error
    }
}

/// Runs `body` holding one of the terminal slots (or the one this task already holds).
func withTerminalSlot<T>(_ body: () async throws -> T) async throws -> T {
    if Slots.holdsTerminal { return try await body() }
    return try await holding(Slots.terminals) { try await Slots.$holdsTerminal.withValue(true) { try await body() } }
}

/// The server's process id and socket path, set once after start.
private final class ServerRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var pid: pid_t?
    private var socket: String?

    func record(pid: pid_t, socket: String) {
        lock.withLock {
            self.pid = pid
            self.socket = socket
        }
    }

    var facts: (pid: pid_t?, socket: String?) { lock.withLock { (pid, socket) } }
}

/// Runs `body` with a fresh terminal running `session-guide arguments`, and always shuts the terminal down.
@discardableResult
func withTmuxTerminal<T>(
    _ arguments: [String], width: Int = 80, height: Int = 24, environment: [String: String?] = [:],
    recordOutput: Bool = false, program: String? = nil, manualClock: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation, _ body: (TmuxTerminal) async throws -> T
) async throws -> T {
    try await withTerminalSlot {
        let terminal = try await TmuxTerminal.start(arguments, width: width, height: height, environment: environment,
                                                    recordOutput: recordOutput, program: program,
                                                    manualClock: manualClock, sourceLocation: sourceLocation)
        do {
            let result = try await body(terminal)
            await terminal.close()
            return result
        } catch {
            await terminal.close()
            throw error
        }
    }
}
