import SessionGuideContent
import SessionGuideEngine
import SessionGuideLayout
import Testing

@Suite("Home menu and reader snapshots")
struct MenuAndReaderSnapshotTests {
    static let version = "0.1.0"

    @Test("home menu", arguments: screenSizes)
    func homeMenu(size: Size) throws {
        let menu = HomeMenu(library: try Shipped.library())
        assertScreen(MenuScreen.render(menu, size: size, version: Self.version).grid, named: "home-\(size.name)")
    }

    @Test("home menu with the selection moved down", arguments: screenSizes)
    func homeMenuSelectionMoved(size: Size) throws {
        var menu = HomeMenu(library: try Shipped.library())
        #expect(menu.handle(.down) == nil)
        #expect(menu.handle(.down) == nil)
        #expect(menu.selection == 2)
        assertScreen(MenuScreen.render(menu, size: size, version: Self.version).grid,
                     named: "home-selection-moved-\(size.name)")
    }

    @Test("routine in the reader", arguments: screenSizes)
    func routineReader(size: Size) throws {
        let reader = DocumentReader(document: try Shipped.document("daily-hip-back"))
        let screen = ReaderScreen.render(reader, library: try Shipped.library(), size: size)
        assertScreen(screen.grid, named: "reader-daily-hip-back-\(size.name)")
    }

    @Test("routine in the reader, paged down", arguments: screenSizes)
    func routineReaderScrolled(size: Size) throws {
        let library = try Shipped.library()
        var reader = DocumentReader(document: try Shipped.document("daily-hip-back"))
        for key in [KeyEvent.pageDown, .down] {
            let screen = ReaderScreen.render(reader, library: library, size: size)
            reader.setScrollLimits(maximum: screen.maximumScroll, page: screen.pageSize)
            #expect(reader.handle(key) == false)
        }
        let screen = ReaderScreen.render(reader, library: library, size: size)
        #expect(reader.scrollOffset > 0)
        assertScreen(screen.grid, named: "reader-daily-hip-back-scrolled-\(size.name)")
    }

    @Test("waiting-room deck in the reader", arguments: screenSizes)
    func deckReader(size: Size) throws {
        let reader = DocumentReader(document: try Shipped.document("waiting-room"))
        let screen = ReaderScreen.render(reader, library: try Shipped.library(), size: size)
        assertScreen(screen.grid, named: "reader-waiting-room-\(size.name)")
    }
}
