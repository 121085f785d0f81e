import Foundation
import Glibc
import SessionGuideContent
import SessionGuideEngine
import SessionGuideRuntime
import SessionGuideTerminal

/// The hidden, test-only way to run the real binary on a test's clock, so end-to-end tests never depend on time
/// passing at a rate. Not in `--help`: clinics never set these.
///
/// - `SESSION_GUIDE_TEST_CLOCK=PATH`: a FIFO. Time stands still until the test writes `advance N` (N
///   milliseconds) lines to it; the runtime then gives the time out deadline by deadline, as a real clock would.
///   `SESSION_GUIDE_TEST_CLOCK=fast-forward` instead jumps to each deadline at once: for runs nobody types into.
/// - `SESSION_GUIDE_TEST_CLOCK_START=SECONDS`: the wall-clock time at the start, in seconds since 1970 (the time
///   zone is the usual `TZ`). Default: 2026-05-28 20:26:40 UTC.
/// - `SESSION_GUIDE_TEST_TRACE=PATH`: a file the runtime appends a line to for each frame, input taken, wait
///   and exit, so a test waits for the event it caused before it reads the screen.
/// - `SESSION_GUIDE_TEST_INJECT=HEX`: text (UTF-8, in hex) put before and after every piece of text of every
///   document once it is loaded, past the parser that would refuse it: how the tests prove that the screen's
///   own edge lets no control character, escape sequence or bidi override through, whatever the model holds.
final class TestControl: @unchecked Sendable {
    static let shared = TestControl(environment: ProcessInfo.processInfo.environment)

    let clock: RuntimeClock
    let clockPort: TestClockPort?
    let trace: FileTrace?
    let injectedText: String?

    /// The library with the injected text around every text, or as it is (always, outside tests).
    func injecting(into library: ContentLibrary) -> ContentLibrary {
        guard let injectedText else { return library }
        return library.mappingText({ injectedText + $0 + injectedText }, drawings: true)
    }

    init(environment: [String: String]) {
        trace = environment["SESSION_GUIDE_TEST_TRACE"].flatMap(FileTrace.init(path:))
        injectedText = environment["SESSION_GUIDE_TEST_INJECT"].flatMap { hex -> String? in
            let digits = Array(hex.utf8)
            guard !digits.isEmpty, digits.count % 2 == 0 else { return nil }
            let bytes = stride(from: 0, to: digits.count, by: 2).compactMap {
                UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)
            }
            return bytes.count == digits.count / 2 ? String(decoding: bytes, as: UTF8.self) : nil
        }
        guard let fifo = environment["SESSION_GUIDE_TEST_CLOCK"], !fifo.isEmpty else {
            clock = SystemClock()
            clockPort = nil
            return
        }
        let start = environment["SESSION_GUIDE_TEST_CLOCK_START"].flatMap(Double.init)
            .map(Date.init(timeIntervalSince1970:)) ?? Date(timeIntervalSince1970: 1_780_000_000)
        if fifo == "fast-forward" {
            clock = ManualClock(start: start, utcOffset: SystemClock.utcOffset(at:), fastForward: true)
            clockPort = nil
            return
        }
        let manual = ManualClock(start: start, utcOffset: SystemClock.utcOffset(at:))
        clock = manual
        // Read and write: the FIFO then always has a writer, so it never reports a hang-up between test writes.
        let descriptor = open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        if descriptor < 0 {
            Console.error("SESSION_GUIDE_TEST_CLOCK: can't open \(fifo): \(String(cString: strerror(errno)))")
            exit(70)
        }
        let port = TestClockPort(descriptor: descriptor, clock: manual)
        clockPort = port
        // What the test wrote while the program was stopped (Ctrl-Z) is time that passed while it was stopped.
        manual.takeWhatArrived = { [port] in port.readAvailable() }
    }
}

/// Reads `advance N` lines from the test's FIFO and hands the time to the manual clock.
final class TestClockPort: RuntimePort {
    private let descriptor: Int32
    private let clock: ManualClock
    private var partial: [UInt8] = []

    init(descriptor: Int32, clock: ManualClock) {
        self.descriptor = descriptor
        self.clock = clock
    }

    var descriptors: [Int32] { [descriptor] }
    func deadline(after now: Moment) -> Moment? { nil }

    func inputs(ready: Set<Int32>, at now: Instant) -> [ProgramInput] {
        if ready.contains(descriptor) { readAvailable() }
        return []
    }

    /// Reads every `advance N` line waiting in the FIFO (it never blocks) and hands the time to the clock.
    func readAvailable() {
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0 else { break }
            partial += buffer[0..<count]
        }
        while let end = partial.firstIndex(of: 0x0A) {
            let line = String(decoding: partial[..<end], as: UTF8.self)
            partial.removeSubrange(...end)
            let words = line.split(separator: " ")
            if words.count == 2, words[0] == "advance", let milliseconds = Int64(words[1]) {
                clock.advance(by: milliseconds)
            }
        }
    }
}

/// Appends the runtime's trace lines to a file.
final class FileTrace: RuntimeTrace {
    private let descriptor: Int32

    init?(path: String) {
        guard !path.isEmpty else { return nil }
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
    }

    func record(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}
