/// Small content written for the tests, shared by the in-process and the end-to-end ones.
public enum TestContent {
    /// A session with one drill step whose drill works for 3 seconds, for watching a timer end.
    public static let quickDrill: [String: String] = [
        "drills/quick-drill.md": """
            ---
            kind: drill
            id: quick-drill
            title: Quick drill
            purpose: A three-second drill, for testing the timer.
            work: 3s
            ---
            # Steps
            1. Move gently.

            # Safety
            Pain-free, controlled movement.

            """,
        "sessions/timer-test.md": """
            ---
            kind: session
            id: timer-test
            title: Timer test
            ---
            # Quick drill step
            [drill: quick-drill]

            """,
    ]
}
