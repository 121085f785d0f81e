import CNcursesW
import SessionGuideEngine

/// Turns what `wget_wch` returns into the program's own key events.
enum KeyDecoder {
    static func decode(status: Int32, code: UInt32, mouse: () -> KeyEvent?) -> KeyEvent? {
        if status == KEY_CODE_YES {
            return decodeKeyCode(Int32(bitPattern: code), mouse: mouse)
        }
        switch code {
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x1B: return .escape
        case 0x7F, 0x08: return .backspace
        case 0x00: return nil
        case 0x01...0x1A: return .control(Character(Unicode.Scalar(code + 0x60)!))  // Ctrl-A … Ctrl-Z
        case 0x1C: return .control("\\")
        case 0x1D...0x1F: return nil
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .character(Character(scalar))
        }
    }

    private static func decodeKeyCode(_ code: Int32, mouse: () -> KeyEvent?) -> KeyEvent? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME, KEY_A1: return .home
        case KEY_END, KEY_C1: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case sg_key_resize(): return .resize
        case sg_key_mouse(): return mouse()
        case (sg_key_f0() + 1)...(sg_key_f0() + 24): return .function(Int(code - sg_key_f0()))
        default: return nil
        }
    }
}
