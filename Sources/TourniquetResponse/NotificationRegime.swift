import Foundation
import TourniquetModel

/// A notification regime: who must be told, by when, from which clock, and what the notice says.
/// Regimes are data (`playbooks/notifications/*.yaml`) so that users add their own; the law changes
/// and differs by place, and the shipped files say where each figure comes from.
public struct NotificationRegime: Equatable, Sendable {
    public enum Party: String, CaseIterable, Sendable {
        case accountHolders = "account-holders"
        case keyHolders = "key-holders"
        case dataSubjects = "data-subjects"
        case regulator
        case agency
        case publicFiling = "public"
    }

    public static var clocks: [String] { NotificationClocks.names }

    public var id: String
    public var title: String
    public var party: Party
    public var recipient: String
    /// False for a rule not yet in force (CIRCIA): shown, never counted down as a duty.
    public var inForce: Bool
    public var voluntary: Bool
    public var note: String
    public var source: String
    public var deadlines: [Deadline]
    /// What the notice must contain.
    public var contents: [String]
    /// The notice's text with `{placeholders}` the case fills in.
    public var draft: String
    /// Where business days are counted; nil when the regime counts none.
    public var businessCalendar: BusinessCalendar?

    public struct Deadline: Equatable, Sendable {
        public var name: String
        /// The deadline is the earliest of these; none means it has no fixed time (`text` says what).
        public var rules: [Rule]
        public var text: String
    }

    public struct Rule: Equatable, Sendable {
        public enum Base: Equatable, Sendable {
            case clock(String)
            /// Another deadline of the same regime (a final report a month after the notification).
            case deadline(String)
        }
        public var base: Base
        public var span: Span
    }

    public enum Span: Equatable, Sendable {
        case hours(Int)
        case days(Int)
        case businessDays(Int)
        case months(Int)

        public var text: String {
            switch self {
            case .hours(let n): return "\(n) h"
            case .days(let n): return "\(n) days"
            case .businessDays(let n): return "\(n) business days"
            case .months(let n): return n == 1 ? "1 month" : "\(n) months"
            }
        }
    }

    /// Business days: weekdays in one time zone, less listed holidays.
    public struct BusinessCalendar: Equatable, Sendable {
        public var timeZone: TimeZone
        /// `yyyy-MM-dd` in that zone.
        public var holidays: Set<String>
    }

    /// The clocks this regime's deadlines run from.
    public var clocks: [String] {
        var out: [String] = []
        for rule in deadlines.flatMap(\.rules) {
            if case .clock(let name) = rule.base, !out.contains(name) { out.append(name) }
        }
        return out
    }
}
