import Foundation
import TourniquetModel

/// When each of a regime's deadlines falls, from the clocks the case has started. Counted in UTC
/// instants; business days are counted in the regime's own time zone (a filing deadline in New
/// York ends at midnight there, whatever the responder's zone), across DST changes.
public enum Deadlines {
    public struct Due: Equatable, Sendable {
        public var name: String
        /// The instant, or nil while a clock it needs has not started (or it has no fixed time).
        public var atMs: Int64?
        /// How it is counted ("72 h after awareness"), or the regime's words ("without undue delay").
        public var rule: String
        /// Clocks that must start before this can be counted.
        public var waitingFor: [String]
    }

    public static func due(_ regime: NotificationRegime, clocks: [String: Int64]) -> [Due] {
        var computed: [String: Int64] = [:]
        var out: [Due] = []
        for deadline in regime.deadlines {
            var candidates: [Int64] = []
            var waiting: [String] = []
            for rule in deadline.rules {
                let base: Int64?
                switch rule.base {
                case .clock(let name):
                    base = clocks[name]
                    if base == nil { waiting.append(name) }
                case .deadline(let name):
                    base = computed[name]
                    if base == nil { waiting.append(name) }
                }
                if let base, let at = add(rule.span, to: base, calendar: regime.businessCalendar) { candidates.append(at) }
            }
            let at = candidates.min()
            if let at { computed[deadline.name] = at }
            let rule = deadline.rules.isEmpty ? deadline.text : deadline.rules.map(describe).joined(separator: ", or if earlier ")
            out.append(Due(name: deadline.name, atMs: at, rule: rule, waitingFor: at == nil ? waiting : []))
        }
        return out
    }

    static func describe(_ rule: NotificationRegime.Rule) -> String {
        switch rule.base {
        case .clock(let name): return "\(rule.span.text) after \(name)"
        case .deadline(let name): return "\(rule.span.text) after the \(name)"
        }
    }

    /// The instant `span` after `startMs`. Business days end at the end of the last day counted,
    /// in the calendar's zone; the day the clock starts does not count.
    public static func add(_ span: NotificationRegime.Span, to startMs: Int64, calendar business: NotificationRegime.BusinessCalendar?) -> Int64? {
        let start = Date(timeIntervalSince1970: Double(startMs) / 1000)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        switch span {
        case .hours(let n): return startMs + Int64(n) * 3_600_000
        case .days(let n): return startMs + Int64(n) * 86_400_000
        case .months(let n):
            return utc.date(byAdding: .month, value: n, to: start).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
        case .businessDays(let n):
            var local = Calendar(identifier: .gregorian)
            local.timeZone = business?.timeZone ?? TimeZone(identifier: "UTC")!
            var day = local.startOfDay(for: start)
            var counted = 0
            var guardDays = 0
            while counted < n && guardDays < 3660 {
                guard let next = local.date(byAdding: .day, value: 1, to: day) else { return nil }
                day = next
                guardDays += 1
                if isBusinessDay(day, local, business) { counted += 1 }
            }
            guard let end = local.date(byAdding: .day, value: 1, to: day) else { return nil }
            return Int64((end.timeIntervalSince1970 * 1000).rounded()) - 1
        }
    }

    static func isBusinessDay(_ day: Date, _ calendar: Calendar, _ business: NotificationRegime.BusinessCalendar?) -> Bool {
        let weekday = calendar.component(.weekday, from: day)
        guard weekday != 1 && weekday != 7 else { return false }
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        let text = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        return !(business?.holidays.contains(text) ?? false)
    }

    /// A deadline as a responder reads it: local time with its zone, and UTC.
    public static func format(_ ms: Int64, in zone: TimeZone) -> String {
        let date = Date(timeIntervalSince1970: Double(ms) / 1000)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "EEE yyyy-MM-dd HH:mm xxx"
        let local = formatter.string(from: date) + " " + zone.identifier
        formatter.timeZone = TimeZone(identifier: "UTC")!
        formatter.dateFormat = "EEE yyyy-MM-dd HH:mm'Z'"
        let utc = formatter.string(from: date)
        return ["UTC", "GMT", "Etc/UTC", "Z"].contains(zone.identifier) ? utc : "\(local) (\(utc))"
    }
}
