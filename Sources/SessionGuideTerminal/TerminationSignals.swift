import CNcursesW
import Glibc
import SessionGuideRuntime

/// SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGTSTP (Ctrl-Z), blocked and read from a descriptor, so they arrive as
/// input in the main loop (which then restores the terminal, or suspends with the timers paused) instead of
/// interrupting the program or running ncurses' handlers.
final class TerminationSignals {
    let descriptor: Int32
    private static let numbers = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP]

    /// Blocks the signals for the process; threads started afterwards inherit the mask. SIGWINCH is blocked
    /// too (not read from the descriptor): the full screen lets it in only while it sleeps, so no resize is
    /// missed (`sg_poll_letting_resize_in`), and no other thread ever takes it.
    static func block() {
        var set = signalSet()
        sigaddset(&set, SIGWINCH)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for number in numbers { sigaddset(&set, number) }
        return set
    }

    init() {
        Self.block()
        var set = Self.signalSet()
        descriptor = signalfd(-1, &set, Int32(SFD_CLOEXEC | SFD_NONBLOCK))
    }

    deinit {
        close(descriptor)
    }

    /// Every signal waiting on the descriptor.
    func drain() -> [RuntimeEvent] {
        var signals: [RuntimeEvent] = []
        var info = signalfd_siginfo()
        while read(descriptor, &info, MemoryLayout<signalfd_siginfo>.size) == MemoryLayout<signalfd_siginfo>.size {
            switch Int32(info.ssi_signo) {
            case SIGINT: signals.append(.signal(.interrupt))
            case SIGTERM: signals.append(.signal(.terminate))
            case SIGHUP: signals.append(.signal(.hangup))
            case SIGTSTP: signals.append(.suspend)
            default: signals.append(.signal(.quit))
            }
        }
        return signals
    }

    /// Stops the process as Ctrl-Z would have, and returns once it is continued (`fg`, SIGCONT).
    static func stopUntilContinued() {
        kill(getpid(), SIGSTOP)
    }
}
