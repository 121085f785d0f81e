import Foundation
import Testing

@Suite("session-guide config and the config file")
struct ConfigTests {
    /// A config folder holding `config.yaml` with `text`, and the environment that points at it.
    static func withConfig<T>(_ text: String, _ body: ([String: String?]) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("session-guide"),
                                                withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try text.write(to: folder.appendingPathComponent("session-guide/config.yaml"), atomically: true, encoding: .utf8)
        return try await body(["XDG_CONFIG_HOME": folder.path, "NO_COLOR": nil, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"])
    }

    static func row(_ name: String, in output: String) -> [String]? {
        output.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            .first { $0.first == name }
    }

    @Test func showsEachSettingAndWhereItComesFrom() async throws {
        try await Self.withConfig("theme: high-contrast\nreduce-motion: yes\n") { environment in
            let result = try await BinaryRunner.run(["config"], environment: environment)
            #expect(result.exitCode == 0, Comment(rawValue: result.summary))
            #expect(Self.row("theme", in: result.stdout)?.dropFirst().first == "high-contrast")
            #expect(Self.row("theme", in: result.stdout)?.last?.hasSuffix("config.yaml:1") == true)
            #expect(Self.row("reduce-motion", in: result.stdout)?[1] == "yes")
            #expect(Self.row("voice", in: result.stdout)?.last == "default")
        }
    }

    @Test func flagsWinOverTheConfigFile() async throws {
        try await Self.withConfig("theme: high-contrast\n") { environment in
            let result = try await BinaryRunner.run(["config", "--theme", "mono"], environment: environment)
            #expect(Self.row("theme", in: result.stdout) == ["theme", "mono", "--theme"])
        }
    }

    @Test func aBadConfigFileGetsDiagnosticsAndTheProgramRunsOnDefaults() async throws {
        try await Self.withConfig("theme: loud\nascii: yes\n") { environment in
            let list = try await BinaryRunner.run(["list"], environment: environment)
            #expect(list.exitCode == 0, Comment(rawValue: list.summary))
            #expect(list.stderr.contains("config.yaml:1:8: error: unknown theme 'loud'"), Comment(rawValue: list.summary))
            // The good entry still counts: ascii output.
            #expect(list.stdout.contains("Treatment 8 - Hip-Lumbar"), Comment(rawValue: list.summary))
        }
    }

    @Test func theConfigFileCanNameTheContentFolder() async throws {
        let content = FileManager.default.temporaryDirectory.appendingPathComponent("content-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: content) }
        try "---\nkind: deck\nid: lobby\ntitle: Lobby\n---\n# Hello\nWelcome.\n"
            .write(to: content.appendingPathComponent("lobby.md"), atomically: true, encoding: .utf8)
        try await Self.withConfig("content: \(content.path)\n") { environment in
            var environment = environment
            environment["SESSION_GUIDE_CONTENT"] = nil
            let list = try await BinaryRunner.run(["list"], environment: environment)
            #expect(list.stdout.contains("lobby"), Comment(rawValue: list.summary))
            #expect(!list.stdout.contains("treatment-08"), Comment(rawValue: list.summary))
        }
    }
}
