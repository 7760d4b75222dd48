import TourniquetModel

/// A key the console understands, decoded from the terminal by the run loop.
public enum Key: Hashable, Sendable {
    case character(Character)
    case enter, escape, tab, backTab, backspace, up, down, left, right, pageUp, pageDown, home, end, resize
    case control(Character)

    /// How the key is written in the footer, the help screen and docs/KEYBINDINGS.md.
    public var label: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let c): return String(c)
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .backspace: return "Bksp"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .resize: return "resize"
        case .control(let c): return "C-" + String(c)
        }
    }
}

/// What a key does on a screen. The footer, the `?` help and docs/KEYBINDINGS.md are all generated
/// from these tables, so they cannot drift from what the keys really do.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var command: ConsoleCommand
    public var description: String
    /// Shown instead of running the command when it cannot run now (nothing selected, a drill …).
    public var disabledReason: String?
    /// Whether the footer shows it (the help screen shows all).
    public var inFooter: Bool
    /// The footer's one-word name for it.
    public var short: String

    public init(
        _ keys: [Key], _ command: ConsoleCommand, _ description: String, short: String? = nil, disabledReason: String? = nil, inFooter: Bool = true
    ) {
        self.keys = keys
        self.command = command
        self.description = description
        self.short = short ?? String(description.split(separator: " ").first ?? "")
        self.disabledReason = disabledReason
        self.inFooter = inFooter
    }

    public var keyLabel: String { keys.map(\.label).joined(separator: "/") }
}

/// Everything a key can ask for.
public enum ConsoleCommand: Equatable, Sendable {
    case quit, help, nextScreen, previousScreen
    case goToScreen(Int)
    case moveUp, moveDown, pageUp, pageDown, top, bottom
    case open, back
    case filter, nextPage, previousPage
    case confirmFinding, dismissFinding, rerunScope, toggleSubjects, toggleDetail
    case cycleOrder, filterFindings, toggleMark, confirmMarked, dismissMarked
    case addNote, verifyChain, exportCase
    case runReview
    case answerReview(ReviewState)
    case ingestFile
    case blockSource, blockKey, disableRoute, revokeTokens, undoMeasure, markContained, reapply
    case startPlaybook, completeStep, skipStep, nextOption
    case startClock
    case markObligation(NotificationLedger.State)
}

/// Bindings every screen has, before its own.
public enum GlobalBindings {
    public static func table(screenCount: Int) -> [KeyBinding] {
        [
            KeyBinding([.character("q"), .control("c")], .quit, "quit (the case is saved after every action)"),
            KeyBinding([.character("?")], .help, "help: every key on this screen", short: "help"),
            KeyBinding([.tab], .nextScreen, "next screen", inFooter: false),
            KeyBinding([.backTab], .previousScreen, "previous screen", inFooter: false),
            KeyBinding(
                (1...max(1, min(screenCount, 9))).map { .character(Character(String($0))) }, .goToScreen(0), "go to screen by number", inFooter: false
            ),
            KeyBinding([.up, .character("k")], .moveUp, "move up", inFooter: false),
            KeyBinding([.down, .character("j")], .moveDown, "move down", inFooter: false),
            KeyBinding([.pageUp], .pageUp, "page up", inFooter: false),
            KeyBinding([.pageDown, .character(" ")], .pageDown, "page down", inFooter: false),
            KeyBinding([.home, .character("g")], .top, "first row", inFooter: false),
            KeyBinding([.end, .character("G")], .bottom, "last row", inFooter: false),
        ]
    }
}
