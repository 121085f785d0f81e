import CNcursesW
import SessionGuideLayout

/// How each style role looks on this terminal: a colour pair on the terminal's own background, plus
/// attributes. Without colour, attributes alone keep every role apart (meaning never rests on colour).
struct Theme {
    let hasColor: Bool
    private let pairs: [StyleRole: (foreground: Int16, attributes: attr_t)]
    private let monochrome: [StyleRole: attr_t]

    static func make(_ name: ThemeName, useColor: Bool) -> Theme {
        let bold = sg_attr_bold(), reverse = sg_attr_reverse(), underline = sg_attr_underline()
        let monochrome: [StyleRole: attr_t] = [
            .normal: 0, .dim: 0, .heading: bold, .bar: reverse, .key: bold, .scriptLabel: bold | underline,
            .script: 0, .timer: bold, .done: bold | reverse, .warning: bold, .selected: reverse,
        ]
        let colored: [StyleRole: (Int16, attr_t)] = [
            .normal: (-1, 0),
            .dim: (Int16(COLOR_BLUE), 0),
            .heading: (Int16(COLOR_CYAN), bold),
            .bar: (Int16(COLOR_CYAN), reverse),
            .key: (Int16(COLOR_YELLOW), bold),
            .scriptLabel: (Int16(COLOR_MAGENTA), bold),
            .script: (Int16(COLOR_MAGENTA), 0),
            // Not bold: a progress bar looks the same either way, and its update then needs no attribute
            // change beyond the colour (fewer bytes down a slow SSH link; docs/benchmarks.md).
            .timer: (Int16(COLOR_GREEN), 0),
            .done: (Int16(COLOR_GREEN), bold | reverse),
            .warning: (Int16(COLOR_YELLOW), bold),
            .selected: (-1, reverse),
        ]
        let highContrast: [StyleRole: (Int16, attr_t)] = [
            .normal: (-1, 0),
            .dim: (-1, 0),  // nothing faint: every word at full strength
            .heading: (Int16(COLOR_WHITE), bold | underline),
            .bar: (Int16(COLOR_WHITE), bold | reverse),
            .key: (Int16(COLOR_YELLOW), bold),
            .scriptLabel: (Int16(COLOR_YELLOW), bold | underline),
            .script: (Int16(COLOR_YELLOW), bold),
            .timer: (Int16(COLOR_WHITE), bold),
            .done: (Int16(COLOR_GREEN), bold | reverse),
            .warning: (Int16(COLOR_YELLOW), bold),
            .selected: (-1, bold | reverse),
        ]
        switch name {
        case .default: return Theme(hasColor: useColor, pairs: colored, monochrome: monochrome)
        case .highContrast: return Theme(hasColor: useColor, pairs: highContrast, monochrome: monochrome)
        case .mono: return Theme(hasColor: false, pairs: colored, monochrome: monochrome)
        }
    }

    /// Starts colour and defines one pair per role, on the terminal's default background.
    func install() {
        guard hasColor else { return }
        start_color()
        use_default_colors()
        for (index, role) in StyleRole.allCases.enumerated() {
            let foreground = pairs[role]?.foreground ?? -1
            init_pair(Int16(index + 1), foreground, -1)
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
