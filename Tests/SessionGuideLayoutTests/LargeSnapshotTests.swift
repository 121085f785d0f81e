import SessionGuideContent
import SessionGuideEngine
import Testing
@testable import SessionGuideLayout

@Suite("--large: block-letter headings")
struct LargeSnapshotTests {
    @Test func blockLettersForEveryCharacterOfAHeading() {
        let one = BigFont.Scale(columns: 1, rows: 1)
        let drawing = BigFont.render("Hip-Lumbar 8?", scale: one, pixels: .halfBlocks)
        #expect(drawing.height == 4)  // seven pixel rows in four lines of half blocks
        #expect(drawing.lines.allSatisfy { DisplayWidth.of($0) == BigFont.width(of: "Hip-Lumbar 8?", scale: one) })
        #expect(BigFont.bitmap("A")[3] == [true, true, true, true, true])
        // Typography folds first ("–" to "-"); characters with no ASCII relative become "?", never a broken box.
        #expect(BigFont.pixelWidth(of: "Hip–Lumbar") == BigFont.pixelWidth(of: "HIP-LUMBAR"))
        #expect(BigFont.bitmap("日本") == BigFont.bitmap("??"))
    }

    @Test func headingsWrapByWordOrDoNotFit() {
        let one = BigFont.Scale(columns: 1, rows: 1)
        let lineHeight = BigFont.height(scale: one, pixels: .halfBlocks)
        let two = BigFont.heading("Simple Recap", width: 40, height: 20, lineHeight: lineHeight, pixels: .halfBlocks)
        #expect(two?.height == lineHeight * 2 + 1)  // two lines of letters with a blank line between
        let single = BigFont.heading("Simple Recap", width: 80, height: 20, lineHeight: lineHeight, pixels: .halfBlocks)
        #expect(single?.height == lineHeight)
        #expect(BigFont.heading("Gentle lumbar rotations for improving spinal movement confidence", width: 40,
                                height: 20, pixels: .halfBlocks) == nil)
        // Without a cap on its lines, a heading grows to the largest scale that fits: "SIMPLE" is 33 pixels,
        // 198 columns at 6 a pixel, on two lines of 21 rows.
        let grown = BigFont.heading("Simple Recap", width: 200, height: 60, pixels: .halfBlocks)
        #expect(grown?.scale == BigFont.Scale(columns: 6, rows: 6))
        #expect(grown?.height == 21 * 2 + 1)
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
