import Foundation
import SessionGuideContent

/// The machine's config file, read once: `$XDG_CONFIG_HOME/session-guide/config.yaml`, by default
/// `~/.config/session-guide/config.yaml`. Problems in it are reported once on standard error, and the program
/// runs on its defaults for the settings concerned.
enum Configuration {
    struct Loaded {
        var path: String
        var exists: Bool
        var file: ConfigFile
        var diagnostics: [Diagnostic]
    }

    nonisolated(unsafe) private static var cache: Loaded?

    static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        return base + "/session-guide/config.yaml"
    }

    static var current: Loaded {
        if let cache { return cache }
        let path = path()
        var loaded = Loaded(path: path, exists: false, file: ConfigFile(), diagnostics: [])
        if let read = ContentLoader.readConfig(at: path) {
            loaded.exists = true
            switch read {
            case .bytes(let bytes): (loaded.file, loaded.diagnostics) = ConfigFile.parse(bytes: bytes, path: path)
            case .problem(let diagnostic): loaded.diagnostics = [diagnostic]
            }
            let formatter = DiagnosticFormatter(useColor: false, sourceLine: SourceLines.line)
            for diagnostic in loaded.diagnostics {
                Console.write(formatter.format(diagnostic) + "\n", to: .error)
            }
            if !loaded.diagnostics.isEmpty {
                Console.error("the settings above were left out; the program runs on its defaults for them")
            }
        }
        cache = loaded
        return loaded
    }

    /// The content folder the config names, relative to the config file's folder and with `~` expanded.
    static var contentFolder: String? {
        current.file.content.map { path($0.value, writtenIn: current.path) }
    }

    /// A path as written in the config file at `configPath`: `~` expanded, and a relative one taken from the
    /// config file's folder.
    static func path(_ value: String, writtenIn configPath: String) -> String {
        absolute(value, from: (configPath as NSString).deletingLastPathComponent)
    }

    /// `value` with `~` expanded, and taken from `folder` when it is relative.
    static func absolute(_ value: String, from folder: String) -> String {
        let expanded = (value as NSString).expandingTildeInPath
        return expanded.hasPrefix("/") ? expanded : (folder as NSString).appendingPathComponent(expanded)
    }

    /// "config file line 3" for `session-guide config`.
    static func source(line: Int) -> String { "\(current.path):\(line)" }
}
