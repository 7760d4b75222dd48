import CNCurses
import Foundation
import TourniquetConsole

/// The only code that talks to ncurses: it starts and restores the terminal, paints a grid of
/// cells and reads keys. Everything it paints was already sanitised by the console; it never sets
/// the terminal title.
public final class Terminal {
    private var colours = false
    private var previous: Grid?

    public init() {}

    /// Puts the terminal in a UTF-8 locale (CI and tmux may start us with none) and starts curses.
    public func start() {
        setlocale(LC_ALL, "")
        if String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "") != "UTF8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        initscr()
        cbreak()
        noecho()
        nonl()
        curs_set(0)
        set_escdelay(25)
        keypad(tq_stdscr(), true)
        timeout(100)
        colours = has_colors() && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
        if colours {
            start_color()
            use_default_colors()
            for (role, pair) in Terminal.palette { init_pair(Int16(role.rawValue + 1), pair.fg, pair.bg) }
        }
        Terminal.installRestoreHandlers()
    }

    /// Leaves curses and restores the terminal; safe to call more than once.
    public func stop() {
        if isendwin() == false { endwin() }
    }

    public var size: (rows: Int, columns: Int) { (Int(tq_lines()), Int(tq_cols())) }

    /// Paints a grid; only changed rows are redrawn.
    public func paint(_ grid: Grid) {
        if previous?.rows != grid.rows || previous?.columns != grid.columns { erase() }
        for row in 0..<grid.rows {
            if let previous, previous.rows == grid.rows, previous.columns == grid.columns,
                (0..<grid.columns).allSatisfy({ previous[row, $0] == grid[row, $0] })
            {
                continue
            }
            move(Int32(row), 0)
            var column = 0
            while column < grid.columns {
                let cell = grid[row, column]
                setRole(cell.role)
                if !cell.text.isEmpty { addstr(cell.text) }
                column += 1
            }
        }
        setRole(.normal)
        refresh()
        previous = grid
    }

    /// The next key, or nil after a short wait (so the loop can tick and poll).
    public func readKey() -> Key? {
        var wide: wint_t = 0
        let status = get_wch(&wide)
        if status == tq_err() {
            return nil
        }
        if status == KEY_CODE_YES {
            switch Int32(wide) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_BACKSPACE: return .backspace
            case KEY_BTAB: return .backTab
            case KEY_ENTER: return .enter
            case tq_key_resize(): return .resize
            default: return nil
            }
        }
        switch wide {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(wide) + 96)))
        default:
            guard let scalar = Unicode.Scalar(UInt32(wide)) else { return nil }
            return .character(Character(scalar))
        }
    }

    /// Whether the terminal went away (hangup): the loop must then exit instead of spinning.
    public var isGone: Bool { isatty(STDIN_FILENO) == 0 }

    private func setRole(_ role: StyleRole) {
        func bits(_ a: attr_t) -> Int32 { Int32(truncatingIfNeeded: a) }
        attrset(bits(tq_a_normal()))
        if colours && role != .normal { attron(COLOR_PAIR(Int32(role.rawValue + 1))) }
        switch role {
        case .title, .header, .critical, .key: attron(bits(tq_a_bold()))
        case .selected: attron(bits(tq_a_reverse()))
        case .dim: attron(bits(tq_a_dim()))
        case .escaped: attron(bits(tq_a_underline()))
        default: break
        }
    }

    /// Colours by role; -1 is the terminal's default.
    static let palette: [StyleRole: (fg: Int16, bg: Int16)] = [
        .normal: (-1, -1), .title: (Int16(COLOR_CYAN), -1), .header: (Int16(COLOR_CYAN), -1), .selected: (-1, -1),
        .dim: (-1, -1), .footer: (Int16(COLOR_BLACK), Int16(COLOR_CYAN)), .key: (Int16(COLOR_YELLOW), -1),
        .critical: (Int16(COLOR_RED), -1), .high: (Int16(COLOR_RED), -1), .medium: (Int16(COLOR_YELLOW), -1),
        .low: (Int16(COLOR_BLUE), -1), .good: (Int16(COLOR_GREEN), -1), .warning: (Int16(COLOR_YELLOW), -1),
        .escaped: (Int16(COLOR_MAGENTA), -1),
    ]

    /// Restores the terminal on SIGINT, SIGTERM and SIGHUP, and on crashes, before the process dies.
    static func installRestoreHandlers() {
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGILL, SIGABRT, SIGFPE, SIGTRAP] {
            signal(sig) { received in
                endwin()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }
}
