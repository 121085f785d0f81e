import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Helpers for end-to-end tests: find the built `session-guide` executable, run it as a real process with a
// deadline, and build throw-away content folders.

/// What one run of the program produced.
struct RunResult: Sendable {
    var arguments: [String]
    /// The exit status, or the signal number when `signalled` is true.
    var status: Int32
    var signalled: Bool
    var stdoutData: Data
    var stderrData: Data
    var seconds: Double

    /// The exit code of a process that exited normally; nil when a signal ended it.
    var exitCode: Int32? { signalled ? nil : status }

    var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    var stderr: String { String(decoding: stderrData, as: UTF8.self) }

    /// Standard output split into lines, without the final empty piece after the last newline.
    var stdoutLines: [String] { Self.lines(of: stdout) }
    var stderrLines: [String] { Self.lines(of: stderr) }

    static func lines(of text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// A short account of the run for failure messages.
    var summary: String {
        func cut(_ text: String) -> String {
            text.count > 2_000 ? String(text.prefix(2_000)) + "… (\(text.count) characters)" : text
        }
        let ending = signalled ? "signal \(status)" : "exit \(status)"
        return "session-guide \(arguments.joined(separator: " ")) → \(ending)\n--- stdout:\n\(cut(stdout))"
            + "\n--- stderr:\n\(cut(stderr))"
    }
}

struct RunnerError: Error, CustomStringConvertible {
    var description: String
}

enum BinaryRunner {
    /// The longest any single run may take before it is killed and the test fails.
    static let defaultDeadline: Duration = .seconds(60)

    /// An environment in which only the program's "is the output a terminal?" test can turn colour off, for
    /// checking that no escape codes reach a pipe.
    static let colourfulEnvironment: [String: String?] = ["NO_COLOR": nil, "TERM": "xterm-256color",
                                                          "CLICOLOR_FORCE": nil, "FORCE_COLOR": nil]

    /// The package root, derived from this file's location: `<root>/Tests/SessionGuideCLITests/BinaryRunner.swift`.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SessionGuideCLITests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// The built `session-guide`, or nil when none can be found.
    static let executable: URL? = locateExecutable()

    /// Looks next to the running test bundle first (that is the binary built together with these tests), then
    /// falls back to `<package root>/.build/debug/session-guide`.
    static func locateExecutable() -> URL? {
        let name = "session-guide"
        var folders: [URL] = []
        if let main = Bundle.main.executableURL {
            folders.append(main.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        if let first = CommandLine.arguments.first, !first.isEmpty {
            let url = URL(fileURLWithPath: first).resolvingSymlinksInPath()
            folders.append(url.deletingLastPathComponent())
        }
        // On macOS the tests run from inside `<build folder>/X.xctest/Contents/MacOS`.
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        folders.append(packageRoot.appendingPathComponent(".build/debug"))
        for folder in folders {
            let candidate = folder.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
               !isDirectory.boolValue, FileManager.default.isExecutableFile(atPath: candidate.path)
            {
                return candidate
            }
        }
        return nil
    }

    /// Runs `session-guide` with `arguments`.
    ///
    /// - Parameters:
    ///   - environment: changes to this process's environment: a value sets the variable, nil removes it.
    ///     `SESSION_GUIDE_CONTENT` is removed unless given here, so the tester's own setting can't leak in.
    ///   - workingDirectory: defaults to the package root.
    ///   - deadline: the run is killed, and the test fails, when it takes longer.
    /// - Throws: when the program can't be found or started, or runs over the deadline.
    /// The value of `SESSION_GUIDE_TEST_CLOCK` for runs nobody types into (see `TestControl` in the executable).
    static let testClockFastForward = "fast-forward"

    /// Where a run's standard output or error goes.
    enum Output: Sendable {
        /// A file the result reads afterwards.
        case captured
        /// `/dev/full`: every write fails with ENOSPC, as on a full disk.
        case full
        /// A pipe whose reading end was closed before the program started: every write fails with EPIPE.
        case closedPipe
    }

    /// The program `process` runs: the binary with `arguments`, or `launcher` with the binary's path and
    /// `arguments` after it (`$0` of a launcher's script is the program, `$@` its arguments).
    static func setCommand(of process: Process, executable: URL, arguments: [String], launcher: [String]) {
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(launcher.dropFirst()) + [executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
    }

    static func run(
        _ arguments: [String],
        environment changes: [String: String?] = [:],
        workingDirectory: URL? = nil,
        deadline: Duration = defaultDeadline,
        stdout: Output = .captured,
        stderr: Output = .captured,
        launcher: [String] = [],
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async throws -> RunResult {
        guard let executable else {
            let message = "the session-guide executable was not found next to the tests or in "
                + "\(packageRoot.path)/.build/debug; run 'swift build' first"
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
            throw RunnerError(description: message)
        }

        return try await holding(Slots.binaryRuns) {
            // Output goes to temporary files, not pipes, so a large output can never fill a pipe and block.
            let scratch = FileManager.default.temporaryDirectory
                .appendingPathComponent("session-guide-run-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }

            var environment = ProcessInfo.processInfo.environment
            environment["SESSION_GUIDE_CONTENT"] = nil
            // No config file of the tester's may change what the program does.
            environment["XDG_CONFIG_HOME"] = "/nonexistent/session-guide-tests"
            // Nor may a run read or write the tester's history: unless a test chooses a folder, this run's own.
            environment["XDG_STATE_HOME"] = scratch.appendingPathComponent("state").path
            // Nobody types into these runs: the program's clock jumps to each deadline (a routine's timers, a
            // session's), so a run takes no real time and never depends on how fast the machine is.
            environment["SESSION_GUIDE_TEST_CLOCK"] = Self.testClockFastForward
            for (key, value) in changes {
                environment[key] = value
            }
            let outURL = scratch.appendingPathComponent("stdout")
            let errURL = scratch.appendingPathComponent("stderr")
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            let outHandle = try FileHandle(forWritingTo: outURL)
            let errHandle = try FileHandle(forWritingTo: errURL)
            defer {
                try? outHandle.close()
                try? errHandle.close()
            }
            guard let nullHandle = FileHandle(forReadingAtPath: "/dev/null") else {
                throw RunnerError(description: "can't open /dev/null")
            }
            defer { try? nullHandle.close() }

            let process = Process()
            setCommand(of: process, executable: executable, arguments: arguments, launcher: launcher)
            process.environment = environment
            process.currentDirectoryURL = workingDirectory ?? packageRoot
            process.standardInput = nullHandle
            var keepOpen: [FileHandle] = []
            func target(_ output: Output, captured: FileHandle) throws -> FileHandle {
                switch output {
                case .captured:
                    return captured
                case .full:
                    guard let full = FileHandle(forWritingAtPath: "/dev/full") else {
                        throw RunnerError(description: "can't open /dev/full")
                    }
                    keepOpen.append(full)
                    return full
                case .closedPipe:
                    let pipe = Pipe()
                    try pipe.fileHandleForReading.close()
                    keepOpen.append(pipe.fileHandleForWriting)
                    return pipe.fileHandleForWriting
                }
            }
            process.standardOutput = try target(stdout, captured: outHandle)
            process.standardError = try target(stderr, captured: errHandle)
            defer { for handle in keepOpen { try? handle.close() } }

            let state = RunState()
            process.terminationHandler = { finished in
                state.finish(status: finished.terminationStatus, signalled: finished.terminationReason == .uncaughtSignal)
            }
            let clock = ContinuousClock()
            let start = clock.now
            try process.run()
            state.started(pid: process.processIdentifier)
            // The watchdog: kill the process if it is still running at the deadline.
            let watchdog = Task {
                try await Task.sleep(for: deadline)
                state.killIfRunning()
            }
            let (status, signalled) = await state.waitForExit()
            watchdog.cancel()
            let seconds = (clock.now - start) / .seconds(1)

            let result = RunResult(
                arguments: arguments, status: status, signalled: signalled,
                stdoutData: (try? Data(contentsOf: outURL)) ?? Data(),
                stderrData: (try? Data(contentsOf: errURL)) ?? Data(), seconds: seconds)
            if state.timedOut {
                let message = "session-guide \(arguments.joined(separator: " ")) ran over its deadline of "
                    + "\(deadline) and was killed\n\(result.summary)"
                Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
                throw RunnerError(description: message)
            }
            return result
        }
    }
}

/// Shared between the caller, the termination handler and the watchdog.
private final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    private var exitContinuation: CheckedContinuation<(Int32, Bool), Never>?
    private var pid: pid_t = 0
    private var exit: (Int32, Bool)?
    private var killed = false

    var timedOut: Bool { lock.withLock { killed } }

    func started(pid: pid_t) {
        lock.withLock { self.pid = pid }
    }

    func finish(status: Int32, signalled: Bool) {
        let continuation = lock.withLock {
            exit = (status, signalled)
            defer { exitContinuation = nil }
            return exitContinuation
        }
        continuation?.resume(returning: (status, signalled))
    }

    func waitForExit() async -> (Int32, Bool) {
        await withCheckedContinuation { continuation in
            let finished = lock.withLock {
                if let exit { return exit as (Int32, Bool)? }
                exitContinuation = continuation
                return nil
            }
            if let finished { continuation.resume(returning: finished) }
        }
    }

    func killIfRunning() {
        lock.withLock {
            guard exit == nil, pid > 0 else { return }
            killed = true
            kill(pid, SIGKILL)
        }
    }
}

// MARK: - Temporary content folders

/// The contents of a file to write: text (written as UTF-8) or exact bytes.
enum FileContents: Sendable, ExpressibleByStringLiteral {
    case text(String)
    case bytes([UInt8])

    init(stringLiteral value: String) { self = .text(value) }

    var data: Data {
        switch self {
        case .text(let text): Data(text.utf8)
        case .bytes(let bytes): Data(bytes)
        }
    }
}

/// A fresh folder under the temporary directory, holding the given files (relative path → contents; sub-folders
/// are created). Removed by `remove()`, or at the latest when the object goes away.
final class TemporaryFolder: Sendable {
    let url: URL
    var path: String { url.path }

    init(_ files: [String: FileContents] = [:]) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("session-guide-cli-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, contents) in files {
            try write(name, contents)
        }
    }

    /// The full path of a file in the folder, as the program prints it when given `path`.
    func path(of name: String) -> String { path + "/" + name }

    func write(_ name: String, _ contents: FileContents) throws {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try contents.data.write(to: file)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    deinit { remove() }
}

/// Runs `body` with a temporary folder holding `files`, and removes the folder afterwards.
@discardableResult
func withTemporaryFolder<T>(
    _ files: [String: FileContents] = [:], _ body: (TemporaryFolder) async throws -> T
) async throws -> T {
    let folder = try TemporaryFolder(files)
    defer { folder.remove() }
    return try await body(folder)
}

// MARK: - Reading output

/// One `path:line:column: severity: message` line of `check`'s output.
struct PrintedDiagnostic: Equatable, CustomStringConvertible {
    var path: String
    var line: Int
    var column: Int
    var severity: String
    var message: String

    var description: String { "\(path):\(line):\(column): \(severity): \(message)" }

    /// The diagnostic lines of an output (excerpt and caret lines are skipped).
    static func all(in output: String) -> [PrintedDiagnostic] {
        RunResult.lines(of: output).compactMap(parse)
    }

    /// Reads one line of exactly the form `<path>:<line>:<column>: <error|warning>: <message>`.
    static func parse(_ line: String) -> PrintedDiagnostic? {
        for severity in ["error", "warning"] {
            guard let marker = line.range(of: ": \(severity): ") else { continue }
            let location = line[..<marker.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
            guard location.count >= 3, let number = Int(location[location.count - 2]),
                  let column = Int(location[location.count - 1]), number >= 1, column >= 1
            else { continue }
            let path = location.dropLast(2).joined(separator: ":")
            guard !path.isEmpty, !path.hasPrefix(" ") else { continue }
            return PrintedDiagnostic(path: path, line: number, column: column, severity: severity,
                                     message: String(line[marker.upperBound...]))
        }
        return nil
    }
}

/// A small, seeded random number generator (SplitMix64), so "random" inputs are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A valid drill, for folders that need one (`cat-cow`, so references to it resolve).
let validCatCowDrill = """
    ---
    kind: drill
    id: cat-cow
    title: Cat-cow
    purpose: Moves the spine slowly between rounding and arching.
    reps: 10
    tempo: 4s
    ---
    # Steps
    1. Start on your hands and knees.
    2. Round your back — then arch it → slowly.

    # Safety
    Pain-free, controlled movement.

    """
