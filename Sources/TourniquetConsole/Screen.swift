import Foundation
import TourniquetModel

/// One console screen. Adding a screen is one type and one row in `ScreenRegistry.screens`; the
/// number keys, Tab, the footer and the help screen pick it up from there.
public protocol ConsoleScreen: Sendable {
    var title: String { get }
    /// The screen's own keys (global keys come first, from `GlobalBindings`).
    func bindings(_ state: ConsoleState, _ data: ConsoleData) -> [KeyBinding]
    /// How many selectable rows the screen lists now (for movement keys).
    func rowCount(_ state: ConsoleState, _ data: ConsoleData) -> Int
    /// Draws the screen's body into `area` of the grid.
    func render(_ state: ConsoleState, _ data: ConsoleData, into grid: inout Grid, area: Area)
}

/// A rectangle of the grid.
public struct Area: Equatable, Sendable {
    public var top: Int, left: Int, height: Int, width: Int
    public init(top: Int, left: Int, height: Int, width: Int) {
        (self.top, self.left, self.height, self.width) = (top, left, height, width)
    }
}

/// The screens, in order: their position is their number key.
public enum ScreenRegistry {
    public static let screens: [ConsoleScreen] = [
        OverviewScreen(), EvidenceScreen(), ScopeScreen(), TimelineScreen(), ContainmentScreen(), RespondScreen(), NotificationsScreen(),
        ReviewScreen(),
    ]
}

/// Sanitises evidence-derived text for display; every screen goes through this.
func shown(_ text: String) -> String { DisplayText.sanitize(text).text }

/// Formats for the screens.
enum Format {
    static func time(_ ms: Int64?) -> String { ms.map { UTCTime.format(ms: $0) } ?? "-" }
    static func shortTime(_ ms: Int64?) -> String {
        guard let ms else { return "-" }
        let full = UTCTime.format(ms: ms)  // 2026-11-29T10:00:01.250Z
        return String(full.dropFirst(5).prefix(14)).replacingOccurrences(of: "T", with: " ")
    }
    /// `10:00:01` on narrow screens (the date is in the Overview), `11-29 10:00:01` on wide ones.
    static func rowTime(_ ms: Int64?, narrow: Bool) -> String {
        narrow ? String(shortTime(ms).suffix(8)) : shortTime(ms)
    }
    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
    static func elapsed(_ ms: Int64) -> String {
        let minutes = max(0, ms) / 60_000
        return minutes >= 60 * 24 ? "\(minutes / 1440)d \(minutes % 1440 / 60)h" : "\(minutes / 60)h \(String(minutes % 60).leftPad(2))m"
    }
    static func count(_ n: Int64) -> String {
        var digits = String(n)
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits = String(digits.dropLast(3))
        }
        return digits + out
    }
    static func severityRole(_ severity: String) -> StyleRole {
        switch Severity(rawValue: severity) {
        case .critical: return .critical
        case .high: return .high
        case .medium: return .medium
        case .low, nil: return .low
        }
    }
}

extension String {
    func leftPad(_ width: Int, _ pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
    func padded(_ width: Int) -> String {
        let w = DisplayWidth.of(self)
        return w >= width ? self : self + String(repeating: " ", count: width - w)
    }
}
