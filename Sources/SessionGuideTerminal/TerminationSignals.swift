import CNcursesW
import Glibc
import SessionGuideRuntime

/// SIGINT, SIGTERM, SIGHUP and SIGQUIT, blocked and read from a descriptor, so they arrive as input in the main
/// loop (which then restores the terminal) instead of interrupting the program or running ncurses' handlers.
final class TerminationSignals {
    let descriptor: Int32
    private static let numbers = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

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
    func drain() -> [TerminalSignal] {
        var signals: [TerminalSignal] = []
        var info = signalfd_siginfo()
        while read(descriptor, &info, MemoryLayout<signalfd_siginfo>.size) == MemoryLayout<signalfd_siginfo>.size {
            switch Int32(info.ssi_signo) {
            case SIGINT: signals.append(.interrupt)
            case SIGTERM: signals.append(.terminate)
            case SIGHUP: signals.append(.hangup)
            default: signals.append(.quit)
            }
        }
        return signals
    }
}
