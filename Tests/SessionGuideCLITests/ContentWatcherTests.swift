import Foundation
import SessionGuideTerminal
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The watcher that lets the kiosk sleep until the content changes, instead of looking at file times.
@Suite("content watcher (inotify)")
struct ContentWatcherTests {
    /// Waits up to two seconds for the watcher's descriptor to become readable, then drains it.
    private func changeReported(_ watcher: ContentWatcher) -> Bool {
        guard let descriptor = watcher.descriptor else { return false }
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        _ = poll(&entry, 1, 2_000)
        return watcher.drain()
    }

    @Test("edits, new files, removals and files in new subfolders are reported; a quiet folder reports nothing")
    func reportsChanges() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("drills"),
                                                withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let drill = folder.appendingPathComponent("drills/a.md")
        try "first".write(to: drill, atomically: false, encoding: .utf8)

        let watcher = ContentWatcher(folder: folder.path)
        #expect(watcher.isWatching)
        #expect(!watcher.drain(), "nothing happened yet")

        try "second".write(to: drill, atomically: false, encoding: .utf8)
        #expect(changeReported(watcher), "an edit in a subfolder")
        #expect(!watcher.drain(), "each change is reported once")

        try "saved".write(to: folder.appendingPathComponent("b.md"), atomically: true, encoding: .utf8)
        #expect(changeReported(watcher), "a new file written by rename, as editors save")

        let decks = folder.appendingPathComponent("decks")
        try FileManager.default.createDirectory(at: decks, withIntermediateDirectories: true)
        #expect(changeReported(watcher), "a new folder")
        try "deck".write(to: decks.appendingPathComponent("c.md"), atomically: false, encoding: .utf8)
        #expect(changeReported(watcher), "a file in the new folder is watched too")

        try FileManager.default.removeItem(at: drill)
        #expect(changeReported(watcher), "a removal")
    }

    @Test("a folder that doesn't exist is not watched, so the caller looks at file times instead")
    func missingFolder() {
        let watcher = ContentWatcher(folder: "/nonexistent/\(UUID().uuidString)")
        #expect(!watcher.isWatching)
        #expect(!watcher.drain())
    }
}
