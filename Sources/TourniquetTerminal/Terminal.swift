import CNCurses
import Foundation

/// The only code that talks to ncurses: it starts and restores the terminal, paints a grid of
/// cells and reads keys. Everything it paints was already sanitised by the caller.
public enum Terminal {
    /// Puts the terminal in a UTF-8 locale (CI and tmux may start us with none) and starts curses.
    public static func start() {
        setlocale(LC_ALL, "")
        if String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "") != "UTF8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        initscr()
        cbreak()
        noecho()
        nonl()
        set_escdelay(25)
        keypad(tq_stdscr(), true)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        installRestoreHandlers()
    }

    /// Leaves curses; safe to call more than once.
    public static func stop() {
        if isendwin() == false { endwin() }
    }

    /// The screen size in cells.
    public static var size: (rows: Int, columns: Int) { (Int(tq_lines()), Int(tq_cols())) }

    /// Restores the terminal on SIGINT, SIGTERM and SIGHUP, and on crashes, before the process dies.
    static func installRestoreHandlers() {
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGILL, SIGABRT, SIGFPE] {
            signal(sig) { received in
                endwin()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }
}
