import CNcursesW
import SessionGuideLayout

/// How each style role looks on this terminal: a colour pair on the terminal's own background, plus
/// attributes. Without colour, attributes alone keep every role apart (meaning never rests on colour).
///
/// The terminal's background may be dark or light, and nothing tells which, so the default theme uses only
/// colours that read on both: on a 256-colour terminal, mid-tone shades that keep a contrast ratio of about 4:1
/// or better against black and against white. An 8-colour terminal (a Linux console) has no such shades: text
/// there is in the terminal's own colour or a basic one, and the phases take the basic colours, which some
/// backgrounds show less well; their words and attributes still tell them apart.
struct Theme {
    /// A role's colour: an xterm 256-colour index, and the basic colour used where only 8 exist (-1 is the
    /// terminal's own text colour).
    struct Colour {
        var extended: Int16
        var basic: Int16

        static let terminal = Colour(extended: -1, basic: -1)
    }

    let hasColor: Bool
    private let pairs: [StyleRole: (colour: Colour, attributes: attr_t)]
    private let monochrome: [StyleRole: attr_t]

    static func make(_ name: ThemeName, useColor: Bool) -> Theme {
        let bold = sg_attr_bold(), reverse = sg_attr_reverse(), underline = sg_attr_underline()
        // The phases differ by their words; bold for effort, plain for rest, reverse for the switch, so they
        // look different even without colour.
        let monochrome: [StyleRole: attr_t] = [
            .normal: 0, .dim: 0, .heading: bold, .bar: reverse, .key: bold, .scriptLabel: bold | underline,
            .script: 0, .timer: bold, .done: bold | reverse, .warning: bold, .selected: reverse,
            .phaseGetReady: bold, .phaseWork: bold, .phaseHold: bold, .phaseRest: 0, .phaseSwitch: bold,
            .finalSeconds: bold,
        ]
        let red = Int16(COLOR_RED), green = Int16(COLOR_GREEN)
        let yellow = Int16(COLOR_YELLOW), magenta = Int16(COLOR_MAGENTA), cyan = Int16(COLOR_CYAN)
        let white = Int16(COLOR_WHITE)
        let colored: [StyleRole: (Colour, attr_t)] = [
            .normal: (.terminal, 0),
            // Grey 243 (#767676) reads at 4.5:1 on white and on black; faint blue did not on black.
            .dim: (Colour(extended: 243, basic: -1), 0),
            .heading: (Colour(extended: 31, basic: -1), bold),           // #0087af steel blue
            .bar: (Colour(extended: 31, basic: -1), reverse),
            .key: (Colour(extended: 166, basic: magenta), bold),         // #d75f00 dark orange
            .scriptLabel: (Colour(extended: 127, basic: magenta), bold), // #af00af magenta
            .script: (Colour(extended: 127, basic: magenta), 0),
            // Not bold: a progress bar looks the same either way, and its update then needs no attribute
            // change beyond the colour (fewer bytes down a slow SSH link; docs/benchmarks.md).
            .timer: (Colour(extended: 28, basic: green), 0),             // #008700 green
            .done: (Colour(extended: 28, basic: green), bold | reverse),
            .warning: (Colour(extended: 166, basic: red), bold),
            .selected: (.terminal, reverse),
            .phaseGetReady: (Colour(extended: 136, basic: yellow), bold), // #af8700 gold
            .phaseWork: (Colour(extended: 28, basic: green), bold),
            .phaseHold: (Colour(extended: 26, basic: cyan), bold),       // #005fd7 blue
            .phaseRest: (Colour(extended: 97, basic: -1), 0),            // #875faf violet
            .phaseSwitch: (Colour(extended: 163, basic: magenta), bold), // #d700af pink
            .finalSeconds: (Colour(extended: 160, basic: red), bold),    // #d70000 red
        ]
        let highContrast: [StyleRole: (Colour, attr_t)] = [
            .normal: (.terminal, 0),
            .dim: (.terminal, 0),  // nothing faint: every word at full strength
            .heading: (Colour(extended: white, basic: white), bold | underline),
            .bar: (Colour(extended: white, basic: white), bold | reverse),
            .key: (Colour(extended: yellow, basic: yellow), bold),
            .scriptLabel: (Colour(extended: yellow, basic: yellow), bold | underline),
            .script: (Colour(extended: yellow, basic: yellow), bold),
            .timer: (Colour(extended: white, basic: white), bold),
            .done: (Colour(extended: green, basic: green), bold | reverse),
            .warning: (Colour(extended: yellow, basic: yellow), bold),
            .selected: (.terminal, bold | reverse),
            .phaseGetReady: (Colour(extended: yellow, basic: yellow), bold),
            .phaseWork: (Colour(extended: green, basic: green), bold),
            .phaseHold: (Colour(extended: cyan, basic: cyan), bold),
            .phaseRest: (Colour(extended: white, basic: white), 0),
            .phaseSwitch: (Colour(extended: magenta, basic: magenta), bold),
            .finalSeconds: (Colour(extended: red, basic: red), bold),
        ]
        switch name {
        case .default: return Theme(hasColor: useColor, pairs: colored, monochrome: monochrome)
        case .highContrast: return Theme(hasColor: useColor, pairs: highContrast, monochrome: monochrome)
        case .mono: return Theme(hasColor: false, pairs: colored, monochrome: monochrome)
        }
    }

    /// Starts colour and defines one pair per role, on the terminal's default background: the 256-colour
    /// shades where the terminal has them, else the basic colours.
    func install() {
        guard hasColor else { return }
        start_color()
        use_default_colors()
        let extended = sg_colors() >= 256
        for (index, role) in StyleRole.allCases.enumerated() {
            let colour = pairs[role]?.colour ?? .terminal
            init_pair(Int16(index + 1), extended ? colour.extended : colour.basic, -1)
        }
    }

    func attributes(for style: Style) -> (attr_t, Int16) {
        var attributes: attr_t
        var pair: Int16 = 0
        if hasColor, let entry = pairs[style.role] {
            attributes = entry.attributes
            pair = Int16(StyleRole.allCases.firstIndex(of: style.role)! + 1)
        } else {
            attributes = monochrome[style.role] ?? 0
        }
        if style.bold { attributes |= sg_attr_bold() }
        if style.reverse { attributes |= sg_attr_reverse() }
        if style.underline { attributes |= sg_attr_underline() }
        return (attributes, pair)
    }
}
