import Foundation
import Testing

// The example systemd unit for the waiting-room box, docs/session-guide-kiosk.service, must stay valid and locked
// down: scripts/check-kiosk-unit.sh runs `systemd-analyze verify` and `systemd-analyze security --offline=true` on
// it and fails on any warning or an exposure of 3.0 or more. Linux only: systemd-analyze comes with systemd (the
// `systemd` package, which .ci/run installs).

#if os(Linux)
@Suite("the kiosk's systemd unit")
struct KioskUnitTests {
    @Test("docs/session-guide-kiosk.service passes systemd-analyze verify, with an exposure below 3.0")
    func unitIsValidAndLockedDown() throws {
        let script = BinaryRunner.packageRoot.appendingPathComponent("scripts/check-kiosk-unit.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path]
        process.currentDirectoryURL = BinaryRunner.packageRoot
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let status = process.terminationStatus
        #expect(status == 0, "scripts/check-kiosk-unit.sh exited with \(status):\n\(output)")
        #expect(output.contains("exposure"), "\(output)")
    }
}
#endif
