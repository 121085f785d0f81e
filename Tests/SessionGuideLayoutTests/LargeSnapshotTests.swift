import SessionGuideContent
import SessionGuideEngine
import Testing
@testable import SessionGuideLayout

@Suite("--large: block-letter headings")
struct LargeSnapshotTests {
    @Test func blockLettersForEveryCharacterOfAHeading() {
        let lines = BigText.render("Hip-Lumbar 8?")
        #expect(lines.count == BigText.height)
        #expect(lines.allSatisfy { DisplayWidth.of($0) == BigText.width(of: "Hip-Lumbar 8?", pixelWidth: 1) })
        #expect(BigText.render("A")[2] == "███")
        // Typography folds first ("–" to "-"); characters with no ASCII relative become "?", never a broken box.
        #expect(BigText.width(of: "Hip–Lumbar", pixelWidth: 1) == BigText.width(of: "HIP-LUMBAR", pixelWidth: 1))
        #expect(BigText.render("日本") == BigText.render("??"))
    }

    @Test func headingsWrapByWordOrDoNotFit() {
        let two = BigText.heading("Simple Recap", width: 30)
        #expect(two?.count == BigText.height * 2 + 1)  // two lines of letters with a blank line between
        #expect(BigText.heading("Simple Recap", width: 60)?.count == BigText.height)
        #expect(BigText.heading("Gentle lumbar rotations for improving spinal movement confidence", width: 40) == nil)
    }

    @Test(arguments: [Size(width: 80, height: 24), Size(width: 132, height: 43), Size(width: 40, height: 12)])
    func sessionSteps(size: Size) throws {
        var engine = SessionEngine(session: try Shipped.treatment(), library: try Shipped.library(), startedAt: Moment.ms(0))
        let text = SessionScreen.render(engine, at: Moment.ms(1_000), size: size, large: true)
        assertScreen(text.grid, named: "large-step-text-\(size.name)")
        for _ in 0..<4 { _ = engine.handle(.right, at: Moment.ms(2_000)) }
        let drill = SessionScreen.render(engine, at: Moment.ms(3_000), size: size, large: true)
        assertScreen(drill.grid, named: "large-step-drill-\(size.name)")
        // The big heading only when there is room for it and the timer: at 40×12 the heading stays one line.
        if size.height < 20 {
            #expect(drill.grid.text.contains("Cat-cow for spinal motion"))
        }
    }
}
