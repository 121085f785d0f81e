import Testing
@testable import SessionGuideContent

@Suite("The config file")
struct ConfigFileTests {
    @Test func readsEverySetting() {
        let (config, diagnostics) = ConfigFile.parse("""
            # the waiting-room box
            content: /srv/clinic/content
            theme: high-contrast
            color: no
            ascii: yes
            reduce-motion: on
            voice: true
            quiet: off
            pain-check: no
            """, path: "config.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(config.content == .init(value: "/srv/clinic/content", line: 2))
        #expect(config.theme?.value == "high-contrast")
        #expect(config.color?.value == false)
        #expect(config.ascii?.value == true)
        #expect(config.reduceMotion?.value == true)
        #expect(config.voice?.value == true)
        #expect(config.quiet?.value == false)
        #expect(config.painCheck == .init(value: false, line: 9))
    }

    @Test func emptyAndCommentOnlyFilesAreFine() {
        #expect(ConfigFile.parse("", path: "c").1.isEmpty)
        #expect(ConfigFile.parse("# nothing yet\n", path: "c").0 == ConfigFile())
    }

    @Test("problems point at line and column; the rest still counts", arguments: [
        ("theme: high contrast\n", 1, 8, "unknown theme 'high contrast'; did you mean 'high-contrast'?"),
        ("thme: mono\n", 1, 1, "unknown setting 'thme'; did you mean 'theme'?"),
        ("ascii: maybe\n", 1, 8, "'ascii': 'maybe' is not yes or no"),
        ("theme: [a, b]\n", 1, 8, "'theme' needs a single value"),
        ("theme: mono\ntheme: mono\n", 1, 1, "'theme' given more than once"),
        ("theme: a: b\n", 1, 9, "not valid YAML"),
    ])
    func problems(text: String, line: Int, column: Int, message: String) {
        let (_, diagnostics) = ConfigFile.parse("color: no\n" + text, path: "config.yaml")
        let match = diagnostics.first { $0.message.contains(message) }
        #expect(match != nil, "\(diagnostics)")
        #expect(match?.location.line == line + 1)
        if message != "'theme' given more than once" { #expect(match?.location.column == column) }
    }

    @Test func aListIsNotSettings() {
        let (_, diagnostics) = ConfigFile.parse("- theme\n- mono\n", path: "c")
        #expect(diagnostics.map(\.description) == ["c:1:1: error: settings are 'key: value' lines, such as 'theme: high-contrast'"])
    }

    @Test func aBadEntryLeavesTheOthersInForce() {
        let (config, diagnostics) = ConfigFile.parse("theme: loud\nascii: yes\n", path: "c")
        #expect(diagnostics.count == 1)
        #expect(config.theme == nil)
        #expect(config.ascii?.value == true)
    }
}
