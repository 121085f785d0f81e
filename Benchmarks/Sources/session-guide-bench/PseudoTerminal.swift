import CPseudoTerminal
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Monotonic nanoseconds, the clock every terminal figure is taken on.
func monotonicNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A program running in a pseudo-terminal of a given size, as a terminal emulator would run it: the bench reads
/// everything it writes (with the time each chunk arrived), types keys into it, and reads its CPU time and peak
/// memory from /proc. The same harness runs session-guide and the peers, so their figures compare.
final class PseudoTerminalProcess {
    struct Chunk {
        var nanoseconds: UInt64
        var bytes: [UInt8]
    }

    let pid: pid_t
    let master: Int32
    let startedAt: UInt64
    private(set) var chunks: [Chunk] = []
    /// Output with escape sequences removed, for waiting on visible text.
    private(set) var visibleText = ""
    private var escapeFilter = EscapeFilter()
    private var exited = false
    /// Peak resident memory in kB (VmHWM), read just before the program was told to end.
    private(set) var peakKilobytesAtExit: Int?

    init(arguments: [String], environment: [String: String], columns: Int, rows: Int) throws {
        var name = [CChar](repeating: 0, count: 256)
        let master = bench_open_pseudo_terminal(&name, name.count)
        guard master >= 0 else {
            throw HarnessError("can't open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        let slavePath = String(cString: name)
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)

        // A new session whose first terminal opened becomes its controlling terminal, as a login shell's would.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, bench_spawn_setsid_flag() | Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let started = monotonicNanoseconds()
        let status = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard status == 0 else {
            close(master)
            throw HarnessError("can't start \(arguments[0]): \(String(cString: strerror(status)))")
        }
        self.pid = pid
        self.master = master
        self.startedAt = started
    }

    deinit {
        stop()
        close(master)
    }

    /// Reads whatever arrives until `deadline` (monotonic ns), or until `until` holds for what has arrived.
    @discardableResult
    func read(until deadline: UInt64, stopWhen until: ((PseudoTerminalProcess) -> Bool)? = nil) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let until, until(self) { return true }
            let now = monotonicNanoseconds()
            guard now < deadline else { return false }
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            let timeout = Int32(min(Int64(deadline - now) / 1_000_000 + 1, 1_000))
            guard poll(&descriptor, 1, timeout) >= 0 || errno == EINTR else { return false }
            guard descriptor.revents != 0 else { continue }
            let count = Glibc.read(master, &buffer, buffer.count)
            guard count > 0 else { return until?(self) ?? false }  // EIO: the program has gone
            let bytes = Array(buffer[0..<count])
            chunks.append(Chunk(nanoseconds: monotonicNanoseconds(), bytes: bytes))
            visibleText += escapeFilter.visible(bytes)
        }
    }

    /// Waits up to `seconds` for `text` to show; false when it never did.
    func waitFor(_ text: String, seconds: Double) -> Bool {
        read(until: monotonicNanoseconds() + UInt64(seconds * 1e9)) { $0.visibleText.contains(text) }
    }

    /// Reads (and so drains the terminal, as an emulator would) for `seconds`.
    func drain(seconds: Double) { read(until: monotonicNanoseconds() + UInt64(seconds * 1e9)) }

    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBufferPointer { Glibc.write(master, $0.baseAddress, $0.count) }
    }

    /// Bytes received at or after `from` and before `to` (monotonic ns).
    func bytesBetween(_ from: UInt64, _ to: UInt64) -> Int {
        chunks.lazy.filter { $0.nanoseconds >= from && $0.nanoseconds < to }.reduce(0) { $0 + $1.bytes.count }
    }

    /// CPU time used so far by every thread, in nanoseconds (from the scheduler's own accounting, which is finer
    /// than the 10 ms ticks of /proc/PID/stat).
    func cpuNanoseconds() -> UInt64 {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.reduce(0) { total, task in
            guard let line = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/schedstat", encoding: .utf8),
                  let first = line.split(separator: " ").first, let value = UInt64(first) else { return total }
            return total + value
        }
    }

    private func statusField(_ name: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return 0
    }

    /// Ends the program (SIGTERM, then SIGKILL after a second) and reaps it.
    func stop() {
        guard !exited else { return }
        exited = true
        // VmHWM while the program still runs: the kernel's ru_maxrss would also count the memory of this
        // process, which the child shared until its exec.
        peakKilobytesAtExit = statusField("VmHWM")
        kill(pid, SIGTERM)
        let deadline = monotonicNanoseconds() + 1_000_000_000
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if monotonicNanoseconds() > deadline { kill(pid, SIGKILL); waitpid(pid, &status, 0); break }
            drain(seconds: 0.02)
        }
    }
}

/// Drops terminal escape sequences (CSI, OSC, charset selections) and control bytes from a byte stream, keeping
/// the visible text. Chunks may split a sequence, so it keeps its state between calls.
struct EscapeFilter {
    private enum State { case text, escape, csi, osc, oscEscape, charset }
    private var state = State.text
    private var pendingUTF8: [UInt8] = []

    mutating func visible(_ bytes: [UInt8]) -> String {
        var kept: [UInt8] = pendingUTF8
        pendingUTF8 = []
        for byte in bytes {
            switch state {
            case .text:
                if byte == 0x1B { state = .escape } else if byte >= 0x20 || byte == 0x0A { kept.append(byte) }
            case .escape:
                switch byte {
                case UInt8(ascii: "["): state = .csi
                case UInt8(ascii: "]"): state = .osc
                case UInt8(ascii: "("), UInt8(ascii: ")"): state = .charset
                default: state = .text
                }
            case .csi: if (0x40...0x7E).contains(byte) { state = .text }
            case .osc: if byte == 0x07 { state = .text } else if byte == 0x1B { state = .oscEscape }
            case .oscEscape: state = .text
            case .charset: state = .text
            }
        }
        // Keep an incomplete UTF-8 sequence at the end for the next chunk.
        var cut = kept.count
        var back = 0
        while cut > 0, back < 4, kept[cut - 1] & 0xC0 == 0x80 { cut -= 1; back += 1 }
        if cut > 0, kept[cut - 1] >= 0xC0 {
            let lead = kept[cut - 1]
            let needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            if kept.count - (cut - 1) < needed { pendingUTF8 = Array(kept[(cut - 1)...]); kept.removeSubrange((cut - 1)...) }
        }
        return String(decoding: kept, as: UTF8.self)
    }
}
