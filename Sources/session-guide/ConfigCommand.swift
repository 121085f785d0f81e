import ArgumentParser
import Foundation
import SessionGuideContent

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the settings in force and where each one comes from.",
        discussion: """
            Settings come from the command line, then the environment, then the config file \
            ($XDG_CONFIG_HOME/session-guide/config.yaml, by default ~/.config/session-guide/config.yaml), \
            then the defaults. The config file takes: content, theme, color, ascii, reduce-motion, large, \
            voice, quiet, pain-check, remember-patient and history (a file, or postgres://user@host/database); \
            yes/no settings take yes or no, for example 'theme: high-contrast' or 'large: yes'.
            """
    )

    @OptionGroup var options: ContentOptions

    func run() throws {
        let loaded = Configuration.current
        let file = loaded.file
        func fromFile(_ line: Int?) -> String { line.map(Configuration.source(line:)) ?? "default" }
        var rows: [[String]] = []

        let environment = ProcessInfo.processInfo.environment
        let content = options.contentChoice ?? ("(none found)", "bundled")
        rows.append(["content", content.path, content.source])
        rows.append(["theme", options.effectiveTheme.rawValue,
                     options.theme != nil ? "--theme" : fromFile(file.theme?.line)])
        let colorSource = options.noColor ? "--no-color"
            : !(environment["NO_COLOR"] ?? "").isEmpty ? "$NO_COLOR"
            : environment["TERM"] == "dumb" ? "$TERM" : fromFile(file.color?.line)
        rows.append(["color", options.colorAllowed ? "yes" : "no", colorSource])
        let asciiSource = options.ascii ? "--ascii" : file.ascii?.value == true ? fromFile(file.ascii?.line)
            : options.asciiMode ? "the locale is not UTF-8" : fromFile(file.ascii?.line)
        rows.append(["ascii", options.asciiMode ? "yes" : "no", asciiSource])
        rows.append(["reduce-motion", options.effectiveReduceMotion ? "yes" : "no",
                     options.reduceMotion ? "--reduce-motion" : fromFile(file.reduceMotion?.line)])
        rows.append(["large", options.effectiveLarge ? "yes" : "no",
                     options.large ? "--large" : fromFile(file.large?.line)])
        rows.append(["voice", file.voice?.value == true ? "yes" : "no", fromFile(file.voice?.line)])
        rows.append(["quiet", file.quiet?.value == true ? "yes" : "no", fromFile(file.quiet?.line)])
        rows.append(["pain-check", file.painCheck?.value == false ? "no" : "yes", fromFile(file.painCheck?.line)])
        rows.append(["remember-patient", file.rememberPatient?.value == true ? "yes" : "no",
                     fromFile(file.rememberPatient?.line)])

        let history = HistoryLocation.current
        rows.append(["history", (try? history.get().description) ?? "(not usable, see above)",
                     HistoryLocation.commandLine != nil ? "--history" : fromFile(file.history?.line)])

        Console.write("Config file: \(loaded.path)\(loaded.exists ? "" : " (not present)")\n\n")
        Console.write(Table.render(header: ["SETTING", "VALUE", "FROM"], rows: rows))
        if !loaded.diagnostics.isEmpty {
            Console.write("\n\(DiagnosticFormatter.countPhrase(loaded.diagnostics.count, "problem")) in the config file "
                + "(shown above on standard error); those settings use their defaults.\n")
        }
    }
}
