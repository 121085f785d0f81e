import SessionGuideContent
import SessionGuideEngine

/// The programme editor: a table of the routine's drills with the patient's doses, then how often, until when
/// and the note. The row and field being changed are in reverse video, so it reads in `mono` too.
public enum ProgrammeScreen {
    public static func render(_ editor: ProgrammeEditor, size: Size) -> Screen {
        guard Chrome.fits(size) else { return Screen(grid: Chrome.tooSmall(size), maximumScroll: 0, pageSize: 1) }
        var grid = Grid(size: size)
        let version = editor.replacesVersion.map { "replaces version \($0)" } ?? "first programme"
        Chrome.bar(&grid, row: 0, left: "Programme for \(editor.patient)", right: version)
        let (left, width) = ReadingColumn.centred(left: 1, width: size.width - 2).span
        var lines: [StyledLine] = []
        var selectedLine = 0
        func mark(_ row: ProgrammeEditor.Row) -> Bool {
            if editor.row == row { selectedLine = lines.count }
            return editor.row == row
        }
        let selectedStyle = Style(.selected, reverse: true)

        let onRoutine = mark(.routine)
        lines.append([Span("Routine  ", Style(.heading, bold: true)),
                      Span("‹ \(editor.routine?.title ?? "(no routines in the content folder)") ›",
                           onRoutine ? selectedStyle : .normal)])
        lines.append([])
        // The table: a fixed width per column, the drill's title taking what is left. On a narrow screen, the
        // column being changed alone, beside the titles (←→ change which).
        let columns = [3, 7, 12, 7, 11, 9]
        if width < columns.reduce(0, +) + 2 + 14 {
            lines += compactTable(editor, width: width, mark: mark, selected: selectedStyle)
        } else {
            let titleWidth = max(8, width - columns.reduce(0, +) - 2)
            var header: StyledLine = [Span("  " + pad("Drill", titleWidth), Style(.dim))]
            for (field, columnWidth) in zip(ProgrammeEditor.Field.allCases, columns) {
                header.append(Span(pad(field == .included ? "In" : field.title, columnWidth), Style(.dim)))
            }
            lines.append(header)
            for (index, dose) in editor.doses.enumerated() {
                let onRow = mark(.drill(index))
                let title = editor.drill(for: dose)?.drill.title ?? dose.drillID
                var line: StyledLine = [Span(onRow ? "▸ " : "  ", Style(.heading)),
                                        Span(pad(truncated(title, to: titleWidth - 1), titleWidth),
                                             dose.included ? .normal : Style(.dim))]
                for (field, columnWidth) in zip(ProgrammeEditor.Field.allCases, columns) {
                    let text = pad(value(of: field, dose), columnWidth - 1) + " "
                    let style = onRow && editor.field == field ? selectedStyle : dose.included ? .normal : Style(.dim)
                    line.append(Span(text, style))
                }
                lines.append(line)
            }
        }
        lines.append([])
        let onDays = mark(.daysPerWeek)
        lines.append([Span("How often  ", Style(.heading, bold: true)),
                      Span("‹ \(editor.daysPerWeek) day\(editor.daysPerWeek == 1 ? "" : "s") a week ›",
                           onDays ? selectedStyle : .normal)])
        let onUntil = mark(.until)
        lines.append([Span("Until      ", Style(.heading, bold: true)),
                      Span("‹ \(editor.until.map(dayText) ?? "no end set") ›", onUntil ? selectedStyle : .normal)])
        let onNote = mark(.note)
        if let noteEditor = editor.noteEditor {
            let window = NoteField.window(before: noteEditor.beforeCursor, after: noteEditor.afterCursor,
                                          firstVisible: noteEditor.firstVisible, width: max(10, width - 13))
            lines.append([Span("Note       ", Style(.heading, bold: true)), Span(window.text, Style(.selected, reverse: true))])
        } else {
            let note = editor.note.isEmpty ? "(none: Enter to write one for the patient)" : editor.note
            lines += RichWrapper.wrap([Span(note, onNote ? selectedStyle : editor.note.isEmpty ? Style(.dim) : .normal)],
                                      width: width, firstPrefix: [Span("Note       ", Style(.heading, bold: true))],
                                      prefix: [Span("           ")])
        }
        if let problem = problem(editor) {
            lines += [[]] + RichWrapper.wrap([Span(problem, Style(.warning))], width: width)
        }
        let top = 2, bottom = size.height - 2
        let height = max(1, bottom - top)
        let offset = max(0, min(selectedLine - height / 2, lines.count - height))
        Chrome.scrolled(&grid, lines: lines, offset: offset, top: top, height: height, left: left, width: width)
        if editor.confirmingLeave {
            Chrome.note(&grid, row: size.height - 2, label: "", text: "Leave without saving the programme? y leaves, any other key stays.")
        }
        let hints: [Chrome.KeyHint]
        if editor.noteEditor != nil {
            hints = [.init(key: "Enter", action: "keep the note"), .init(key: "Esc", action: "cancel")]
        } else {
            hints = [.init(key: "↑↓", action: "row"), .init(key: "←→", action: "column"),
                     .init(key: "+-", action: "change"), .init(key: "Space", action: "toggle", priority: 2),
                     .init(key: "s", action: "save"), .init(key: "q", action: "cancel", priority: 1)]
        }
        Chrome.keys(&grid, row: size.height - 1, hints: hints)
        return Screen(grid: grid, maximumScroll: 0, pageSize: height)
    }

    /// The drills with one column, the one ←→ is on: for a screen too narrow for the whole table.
    private static func compactTable(_ editor: ProgrammeEditor, width: Int, mark: (ProgrammeEditor.Row) -> Bool,
                                     selected: Style) -> [StyledLine] {
        let field = editor.field
        let valueWidth = 11
        let titleWidth = max(6, width - valueWidth - 3)
        var lines: [StyledLine] = [[Span("  " + pad("Drill  (←→ column)", titleWidth) + " ", Style(.dim)),
                                    Span(field.title, Style(.heading, bold: true))]]
        for (index, dose) in editor.doses.enumerated() {
            let onRow = mark(.drill(index))
            let title = editor.drill(for: dose)?.drill.title ?? dose.drillID
            let value = dose.included || field == .included ? value(of: field, dose) : "(left out)"
            lines.append([Span(onRow ? "▸ " : "  ", Style(.heading)),
                          Span(pad(truncated(title, to: titleWidth), titleWidth) + " ", dose.included ? .normal : Style(.dim)),
                          Span(pad(value, valueWidth), onRow ? selected : dose.included ? .normal : Style(.dim))])
        }
        return lines
    }

    /// Why `s` would not save now, if it wouldn't.
    static func problem(_ editor: ProgrammeEditor) -> String? {
        if editor.routine == nil { return "There is no routine to prescribe in the content folder." }
        if editor.includedCount == 0 { return "Every drill is left out: put at least one in to save." }
        return nil
    }

    static func value(of field: ProgrammeEditor.Field, _ dose: Prescription.Dose) -> String {
        switch field {
        case .included: dose.included ? "[x]" : "[ ]"
        case .sets: "\(dose.sets ?? 1)"
        case .dose: dose.reps.map { "\($0) reps" } ?? dose.seconds.map { DurationParser.describe($0) } ?? "-"
        case .rest: DurationParser.describe(dose.rest ?? 0)
        case .sides: dose.perSide == true ? "each side" : "-"
        case .version: dose.version.rawValue
        }
    }

    static func dayText(_ day: CalendarDay) -> String {
        let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        return "\(names[day.weekday]) \(day)"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - DisplayWidth.of(text)))
    }
}

/// Asks for the patient's label (initials or a clinic code) before a programme is prescribed or run.
public enum LabelPromptScreen {
    public static func render(_ editor: NoteEditor, problem: String?, purpose: String, size: Size) -> Screen {
        guard Chrome.fits(size) else { return Screen(grid: Chrome.tooSmall(size), maximumScroll: 0, pageSize: 1) }
        var grid = Grid(size: size)
        Chrome.bar(&grid, row: 0, left: "session-guide", right: "Patient")
        let (left, width) = ReadingColumn.centred(left: 1, width: size.width - 2).span
        var lines: [StyledLine] = RichWrapper.wrap(
            [Span("Which patient? ", Style(.heading, bold: true)),
             Span("Type their initials or clinic code (never a name) to \(purpose).")], width: width)
        let field = NoteField.window(before: editor.beforeCursor, after: editor.afterCursor,
                                     firstVisible: editor.firstVisible, width: min(PatientFieldWidth, width - 2))
        let padding = String(repeating: " ", count: max(0, min(PatientFieldWidth, width - 2) - DisplayWidth.of(field.text)))
        lines += [[], [Span("> ", Style(.heading)), Span(field.text + padding, Style(.selected, reverse: true))]]
        if let problem { lines += [[]] + RichWrapper.wrap([Span(problem, Style(.warning))], width: width) }
        let top = max(2, (size.height - lines.count) / 2)
        for (index, line) in lines.enumerated() where top + index < size.height - 1 {
            grid.write(line, column: left, row: top + index, limit: size.width - 1)
        }
        Chrome.keys(&grid, row: size.height - 1, hints: [.init(key: "Enter", action: "done"),
                                                       .init(key: "Esc", action: "cancel")])
        return Screen(grid: grid, maximumScroll: 0, pageSize: 1)
    }

    static let PatientFieldWidth = 26
}
