/// The files `session-guide new` writes: one of each kind, with every part in place and a line in each saying
/// what goes there. Each checks clean as written (`check --strict`), so a new file starts without errors.
public enum Templates {
    /// The folder of the content folder a kind's files go in.
    public static func folder(for kind: DocumentKind) -> String { kind.rawValue + "s" }

    /// "Side bend" for "side-bend".
    public static func title(forID id: String) -> String {
        let words = id.split(separator: "-").joined(separator: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// A value for the front matter: quoted when YAML would read it as something else.
    static func quoted(_ text: String) -> String {
        let special = "&*!|>%@[{#`'\""
        let needsQuotes = text.first.map { special.contains($0) } ?? true || text.contains(": ") || text.contains(" #")
            || text != text.trimmingSpaces()
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The new file's text. A routine and a session use `drill` (an existing drill's id) for their first drill.
    public static func text(kind: DocumentKind, id: String, title: String, drill: String?) -> String {
        let head = "---\nkind: \(kind.rawValue)\nid: \(id)\ntitle: \(quoted(title))\n"
        switch kind {
        case .drill:
            return head + """
                purpose: One sentence on what this drill is for (replace this line).
                reps: 10
                tempo: 4s
                sets: 1
                ---
                # Steps
                1. Where the patient starts: the position, the feet, the hands.
                2. The movement itself, slowly, in a few words.
                3. How to come back to the start.

                # Cues
                - A short reminder to give while the patient moves.

                # Figures
                ```figure Start: the starting position
                   o
                  /|\\
                  / \\
                ```

                # Easier
                1. An easier way to do it, for a therapist to prescribe (or delete this part).

                # Safety
                Keep to pain-free, controlled movement, and stop if it hurts. The amounts here are a starting point:
                your therapist sets the right amount for you.

                """
        case .routine:
            return head + """
                goal: One sentence on what the routine is for (replace this line).
                safety: Keep to pain-free, controlled movement the whole way through, and stop if it hurts.
                rest-between: 15s
                get-ready: 10s
                ---
                A few words for the first screen: how often, when, what to have ready.

                [drill: \(drill ?? "your-drill")]

                """
        case .deck:
            return head + """
                dwell: 20s
                screen: 80x24
                ---
                # The first slide's heading
                One or two short sentences: people read them from across the room.

                # Another slide
                - A short point.
                - Another short point.

                # Move gently
                Whatever you try at home, keep to pain-free, controlled movement, and stop if it hurts.

                """
        case .session:
            return head + """
                goal: One sentence on what this visit is for (replace this line).
                duration: 45 min
                ---
                # Simple recap
                - What to ask about first.

                > [!script] Suggested therapist script
                > “What the therapist might say, in quotes.”

                # The drill
                [drill: \(drill ?? "your-drill")]

                # Patient homework
                - What the patient does at home.
                - Focus on pain-free, controlled movement.

                """
        }
    }
}
