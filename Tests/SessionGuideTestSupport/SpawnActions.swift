import Glibc

/// Adds "close every file from `lowest` up" to a spawn's file actions, so a program a test starts keeps none
/// of the test process's open files. With many tests running beside each other that process can hold hundreds
/// of them; a PostgreSQL server that inherits them refuses to start ("insufficient file descriptors"), and a
/// tmux server would keep them open after the test.
///
/// glibc has had `posix_spawn_file_actions_addclosefrom_np` since 2.34, but Swift's Glibc module does not
/// import it, so it is looked up by name. Returns false where the C library lacks it (the spawn still works).
@discardableResult
public func closeInheritedFiles(_ actions: inout posix_spawn_file_actions_t, from lowest: Int32 = 3) -> Bool {
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return false }
    let addCloseFrom = unsafeBitCast(symbol, to: AddCloseFrom.self)
    return addCloseFrom(&actions, lowest) == 0
}

/// Why `spawnAndWait` could not give a program's exit status.
public enum SpawnFailure: Error, CustomStringConvertible {
    case cannotStart(path: String, reason: String)
    case tookTooLong(path: String, seconds: Double)
    case waitFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotStart(let path, let reason): "can't start \(path): \(reason)"
        case .tookTooLong(let path, let seconds): "\(path) took over \(seconds) s and was killed"
        case .waitFailed(let path, let reason): "waitpid failed for \(path): \(reason)"
        }
    }
}

/// Starts `path` with `posix_spawn` and waits for it, killing it at `deadline` seconds: standard input from
/// /dev/null, standard output and error into the files given, none of the test process's other open files,
/// no signal blocked and every signal's handling at its default. Returns the exit status (128 + N when signal N
/// ended it).
///
/// Not `Foundation.Process`, for two reasons the tests met: a child inherits the signal mask of the thread that
/// starts it, and the threads tests run on (libdispatch workers) block nearly every signal, so a tmux server
/// started that way never sees SIGCHLD or SIGTERM, hangs and outlives the test; and its wait can miss the end
/// of a program that leaves a daemon behind (pg_ctl's server) and hang. Output goes through files, not pipes,
/// so a daemon that keeps them open can't keep a read from ending either.
public func spawnAndWait(_ path: String, _ arguments: [String], environment: [String: String], stdout: String,
                         stderr: String, deadline: Double) throws(SpawnFailure) -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    closeInheritedFiles(&actions)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    sigdelset(&allSignals, SIGKILL)
    sigdelset(&allSignals, SIGSTOP)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        for pointer in argv { free(pointer) }
        for pointer in envp { free(pointer) }
    }
    var pid: pid_t = 0
    let error = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
    guard error == 0 else { throw .cannotStart(path: path, reason: String(cString: strerror(error))) }

    // Poll (most of these programs take milliseconds), so one that hangs can be killed at the deadline.
    var startedAt = timespec()
    clock_gettime(CLOCK_MONOTONIC, &startedAt)
    var status: Int32 = 0
    var pause: UInt32 = 200
    while true {
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid { break }
        if result == -1, errno != EINTR { throw .waitFailed(path: path, reason: String(cString: strerror(errno))) }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        if Double(now.tv_sec - startedAt.tv_sec) + Double(now.tv_nsec - startedAt.tv_nsec) / 1e9 > deadline {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
            throw .tookTooLong(path: path, seconds: deadline)
        }
        usleep(pause)
        pause = min(pause * 2, 10_000)
    }
    let signal = status & 0x7F
    return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
}
