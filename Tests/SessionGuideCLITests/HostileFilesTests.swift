import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Content folders and config files that are hostile as files, not as text: links (good, dangling, looping,
/// leading back up), names that aren't UTF-8, what can't be read, a 2 GB sparse file, aliases that never end.
/// Every special file is made here, in a temporary folder; none is committed.
@Suite("hostile files and folders")
struct HostileFilesTests {
    /// A shell that runs the program with at most 500 MB of address space: reading a 2 GB file whole (or a
    /// 1 GB config file) can't fit, so a run that finishes proves it read only what it needed.
    static let boundedMemory = ["/bin/sh", "-c", "ulimit -v 512000 && exec \"$0\" \"$@\""]

    static func creat(_ bytes: [UInt8], in folder: TemporaryFolder) -> Bool {
        let path = Array(folder.path.utf8) + [UInt8(ascii: "/")] + bytes + [0]
        let descriptor = path.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                open($0, O_CREAT | O_WRONLY, 0o644)
            }
        }
        guard descriptor >= 0 else { return false }
        close(descriptor)
        return true
    }

    @Test("links to files and folders are followed; dangling, looping and upward links are errors")
    func links() async throws {
        try await withTemporaryFolder(["real/drills/cat-cow.md": .text(validCatCowDrill)]) { real in
            try await withTemporaryFolder { folder in
                let manager = FileManager.default
                try manager.createSymbolicLink(atPath: folder.path(of: "drills"), withDestinationPath: real.path(of: "real"))
                try manager.createSymbolicLink(atPath: folder.path(of: "same.md"),
                                               withDestinationPath: real.path(of: "real/drills/cat-cow.md"))
                try manager.createSymbolicLink(atPath: folder.path(of: "dangling.md"), withDestinationPath: "/nonexistent/x.md")
                try manager.createSymbolicLink(atPath: folder.path(of: "loop.md"), withDestinationPath: "loop.md")
                try manager.createSymbolicLink(atPath: real.path(of: "real/drills/up"), withDestinationPath: "..")

                let result = try await BinaryRunner.run(["check", folder.path])
                #expect(result.exitCode == 65, Comment(rawValue: result.summary))
                let errors = PrintedDiagnostic.all(in: result.stdout).map { "\($0.path): \($0.message)" }
                #expect(errors == [
                    folder.path(of: "dangling.md") + ": can't read file: it is a dangling link: it points to a file "
                        + "or folder that does not exist",
                    folder.path(of: "drills/drills/up") + ": this link leads back to a folder that contains it; "
                        + "it is not followed",
                    folder.path(of: "loop.md") + ": can't read file: it is a link that loops back on itself",
                ], Comment(rawValue: result.summary))
                // The drill is found through the folder link, and not a second time through the file link.
                #expect(result.stdoutLines.last == "4 files, 3 errors, 0 warnings", Comment(rawValue: result.summary))
            }
            // A link to a folder, named on the command line or as the content folder, is read like the folder.
            try await withTemporaryFolder { folder in
                let link = folder.path(of: "content")
                try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real.path(of: "real/drills"))
                try? FileManager.default.removeItem(atPath: real.path(of: "real/drills/up"))
                let check = try await BinaryRunner.run(["check", link])
                #expect(check.exitCode == 0, Comment(rawValue: check.summary))
                #expect(check.stdoutLines == ["1 file, 0 errors, 0 warnings"])
                let list = try await BinaryRunner.run(["--content", link, "list"])
                #expect(list.exitCode == 0, Comment(rawValue: list.summary))
                #expect(list.stdout.contains("cat-cow"), Comment(rawValue: list.summary))
                let single = folder.path(of: "one.md")
                try FileManager.default.createSymbolicLink(atPath: single, withDestinationPath: real.path(of: "real/drills/cat-cow.md"))
                let checkFile = try await BinaryRunner.run(["check", single])
                #expect(checkFile.stdoutLines == ["1 file, 0 errors, 0 warnings"], Comment(rawValue: checkFile.summary))
                let dangling = folder.path(of: "gone")
                try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "/nonexistent/folder")
                let missing = try await BinaryRunner.run(["check", dangling])
                #expect(missing.exitCode == 66, Comment(rawValue: missing.summary))
                #expect(missing.stderr.contains("can't read \(dangling): it is a dangling link"), Comment(rawValue: missing.summary))
            }
        }
    }

    @Test("a file name that is not UTF-8 is reported, shown safely, not called missing")
    func nonUTF8Name() async throws {
        try await withTemporaryFolder(["cat-cow.md": .text(validCatCowDrill)]) { folder in
            #expect(Self.creat(Array("bad".utf8) + [0xFF, 0x1B] + Array("].md".utf8), in: folder))
            let result = try await BinaryRunner.run(["check", folder.path])
            #expect(result.exitCode == 65, Comment(rawValue: result.summary))
            #expect(result.stdoutLines.first == folder.path(of: "bad\\xFF^[].md") + ":1:1: error: the name is not valid "
                + "UTF-8 (byte 0xFF); rename it so that it can be read and shown", Comment(rawValue: result.summary))
            #expect(!result.stdout.contains("does not exist"))
            #expect(!result.stdoutData.contains(0x1B))
        }
    }

    @Test("the program runs for a user who can't reach the folders above its own (it used to trap finding itself)")
    func programBelowAFolderClosedToItsUser() async throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
              let executable = BinaryRunner.executable else {
            print("skipped: needs root and /usr/bin/setpriv to run the program as another user")
            return
        }
        try await withTemporaryFolder(["cat-cow.md": .text(validCatCowDrill)]) { content in
            try await withTemporaryFolder { closed in
                // A copy of the program in an open folder inside one only root may enter (as a checkout in a
                // private temporary folder is): started from its own folder, the user reaches it, but not its
                // absolute path.
                let open = closed.path(of: "open")
                #expect(mkdir(open, 0o755) == 0)
                // Not copied in this process: a write descriptor open here leaks into whatever another test
                // spawns meanwhile, and exec then fails with "Text file busy". A hard link writes nothing; across
                // file systems, cp writes in a process of its own.
                if link(executable.path, open + "/session-guide") != 0 {
                    let copy = Process()
                    copy.executableURL = URL(fileURLWithPath: "/bin/cp")
                    copy.arguments = [executable.path, open + "/session-guide"]
                    try copy.run()
                    copy.waitUntilExit()
                    #expect(copy.terminationStatus == 0)
                }
                #expect(chmod(closed.path, 0o700) == 0 && chmod(content.path, 0o755) == 0)
                defer { _ = chmod(closed.path, 0o755) }
                let launcher = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                "/bin/sh", "-c", "shift; exec ./session-guide \"$@\"", "sh"]
                let result = try await BinaryRunner.run(["check", content.path],
                                                        workingDirectory: URL(fileURLWithPath: open), launcher: launcher)
                #expect(result.exitCode == 0, Comment(rawValue: result.summary))
                #expect(result.stdoutLines.last == "1 file, 0 errors, 0 warnings", Comment(rawValue: result.summary))
            }
        }
    }

    @Test("what can't be read is an error: a file, a subfolder, the content folder itself")
    func unreadable() async throws {
        // Root reads everything, so as root the program runs as 'nobody' (setpriv); without setpriv, as root,
        // permissions can't be tested at all.
        var launcher: [String] = []
        if getuid() == 0 {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
                print("skipped: running as root without /usr/bin/setpriv, so no file can be made unreadable")
                return
            }
            launcher = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        }
        try await withTemporaryFolder(["ok/cat-cow.md": .text(validCatCowDrill), "locked/x.md": .text(validCatCowDrill),
                                       "secret.md": .text(validCatCowDrill)]) { folder in
            defer { _ = chmod(folder.path(of: "locked"), 0o755); _ = chmod(folder.path, 0o755) }
            #expect(chmod(folder.path(of: "locked"), 0o000) == 0)
            #expect(chmod(folder.path(of: "secret.md"), 0o000) == 0)
            let result = try await BinaryRunner.run(["check", folder.path], launcher: launcher)
            #expect(result.exitCode == 65, Comment(rawValue: result.summary))
            let errors = PrintedDiagnostic.all(in: result.stdout).map { "\($0.path): \($0.message)" }
            #expect(errors == [
                folder.path(of: "locked") + ": can't read folder: permission denied; its files are not checked",
                folder.path(of: "secret.md") + ": can't read file: permission denied",
            ], Comment(rawValue: result.summary))

            #expect(chmod(folder.path, 0o000) == 0)
            let whole = try await BinaryRunner.run(["check", folder.path], launcher: launcher)
            #expect(whole.exitCode == 65, Comment(rawValue: whole.summary))
            #expect(whole.stdoutLines.first == folder.path + ":1:1: error: can't read folder: permission denied; "
                + "its files are not checked", Comment(rawValue: whole.summary))
            let list = try await BinaryRunner.run(["--content", folder.path, "list"], launcher: launcher)
            #expect(list.exitCode == 65, Comment(rawValue: list.summary))
            #expect(list.stderr.contains("1 file with errors left out"), Comment(rawValue: list.summary))
        }
    }

    @Test("a 2 GB sparse file is refused from its size, and its excerpt read from its start only")
    func hugeSparseFile() async throws {
        try await withTemporaryFolder(["cat-cow.md": .text(validCatCowDrill)]) { folder in
            try folder.write("huge.md", .text("---\nkind: deck\n"))
            #expect(truncate(folder.path(of: "huge.md"), 2 << 30) == 0)
            let result = try await BinaryRunner.run(["check", folder.path], launcher: Self.boundedMemory)
            #expect(result.exitCode == 65, Comment(rawValue: result.summary))
            // The excerpt is there: its first line was read without reading the rest.
            #expect(result.stdoutLines == [
                folder.path(of: "huge.md") + ":1:1: error: file is 2048 MiB; a content file may be at most 1 MiB",
                "  ---", "  ^", "2 files, 1 error, 0 warnings",
            ], Comment(rawValue: result.summary))
            let list = try await BinaryRunner.run(["--content", folder.path, "list"], launcher: Self.boundedMemory)
            #expect(list.exitCode == 65 && list.stdout.contains("cat-cow"), Comment(rawValue: list.summary))
        }
    }

    @Test("billion laughs in front matter is refused at its first alias")
    func billionLaughs() async throws {
        var frontMatter = "---\nkind: deck\nid: l\ntitle: L\na0: &a0 [\"lol\"]\n"
        for level in 1...9 {
            frontMatter += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ",")
                + "]\n"
        }
        let text = frontMatter + "? *a9\n: x\n---\n# S\nHi.\n"
        try await withTemporaryFolder(["laughs.md": .text(text)]) { folder in
            let result = try await BinaryRunner.run(["check", folder.path], launcher: Self.boundedMemory)
            #expect(result.exitCode == 65, Comment(rawValue: result.summary))
            #expect(result.stdoutLines.first?.hasPrefix(folder.path(of: "laughs.md")
                + ":6:10: error: '*a0' is a YAML alias; anchors ('&') and aliases ('*') are not used here") == true,
                Comment(rawValue: result.summary))
        }
    }

    /// A config folder with `config.yaml` made by `make`, and the environment pointing at it.
    static func withConfig(_ make: (String) throws -> Void, _ body: ([String: String?]) async throws -> Void) async throws {
        try await withTemporaryFolder { folder in
            try FileManager.default.createDirectory(atPath: folder.path(of: "session-guide"),
                                                    withIntermediateDirectories: true)
            try make(folder.path(of: "session-guide/config.yaml"))
            try await body(["XDG_CONFIG_HOME": folder.path, "NO_COLOR": nil])
        }
    }

    @Test("a 1 GB config file is refused from its size, without reading it")
    func hugeConfig() async throws {
        let sparse = { (path: String) in
            #expect(FileManager.default.createFile(atPath: path, contents: nil))
            #expect(truncate(path, 1 << 30) == 0)
        }
        try await Self.withConfig(sparse) { environment in
            let result = try await BinaryRunner.run(["config"], environment: environment, launcher: Self.boundedMemory)
            #expect(result.exitCode == 0, Comment(rawValue: result.summary))
            #expect(result.stderrLines.first?.hasSuffix("config.yaml:1:1: error: the config file is 1024 MiB; it may be "
                + "at most 64 KiB; it is ignored") == true, Comment(rawValue: result.summary))
        }
    }

    @Test("a raw ESC, a YAML escape and an alias in the config file: one clean message each, at the right place")
    func hostileConfig() async throws {
        let text = "theme: mo\u{1B}no\ncolor: \"\\e]0;x\\a\"\nascii: yes\nlarge: *a1\n"
        try await Self.withConfig({ try text.write(toFile: $0, atomically: true, encoding: .utf8) }) { environment in
            let result = try await BinaryRunner.run(["config"], environment: environment)
            #expect(result.exitCode == 0, Comment(rawValue: result.summary))
            let errors = result.stderrLines.filter { $0.contains(": error: ") }
                .map { String($0[$0.range(of: "config.yaml:")!.lowerBound...]) }
            #expect(errors == [
                "config.yaml:1:10: error: control character ESC (U+001B) is not allowed in the config file: control "
                    + "characters and terminal escape sequences could garble the screen",
                "config.yaml:4:8: error: '*a1' is a YAML alias; anchors ('&') and aliases ('*') are not used here: "
                    + "write the value itself (in double quotes if it starts with '*' or '&')",
            ], Comment(rawValue: result.summary))
            #expect(!result.stderr.contains("reader"), Comment(rawValue: result.summary))
            #expect(!result.stderrData.contains(0x1B) && !result.stdoutData.contains(0x1B))
        }
        let escapes = "theme: mo\u{1B}no\ncolor: \"\\e]0;x\\a\"\nascii: yes\n"
        try await Self.withConfig({ try escapes.write(toFile: $0, atomically: true, encoding: .utf8) }) { environment in
            let result = try await BinaryRunner.run(["config"], environment: environment)
            let errors = result.stderrLines.filter { $0.contains(": error: ") }
                .map { String($0[$0.range(of: "config.yaml:")!.lowerBound...]) }
            #expect(errors.first == "config.yaml:1:10: error: control character ESC (U+001B) is not allowed in the "
                + "config file: control characters and terminal escape sequences could garble the screen",
                Comment(rawValue: result.summary))
            #expect(errors.contains { $0.hasPrefix("config.yaml:2:8: error: the value of 'color' contains control "
                + "character ESC (U+001B), written as a YAML escape") }, Comment(rawValue: result.summary))
            #expect(ConfigTests.row("ascii", in: result.stdout)?.dropFirst().first == "yes",
                    "the rest of the file still counts")
            #expect(!result.stderrData.contains(0x1B) && !result.stdoutData.contains(0x1B))
        }
    }
}
