/// Time left until a deadline, as the console and the CLI print it, and how urgent it is.
public enum Countdown {
    public enum Urgency: String, Sendable {
        case later, soon, overdue
    }

    /// `in 2d 3h`, `in 47m`, `overdue by 5h 2m`.
    public static func remaining(_ dueMs: Int64, nowMs: Int64) -> String {
        let delta = dueMs - nowMs
        let minutes = abs(delta) / 60_000
        let text: String
        if minutes >= 2 * 1440 {
            text = "\(minutes / 1440)d \((minutes % 1440) / 60)h"
        } else if minutes >= 60 {
            text = "\(minutes / 60)h \(minutes % 60)m"
        } else {
            text = "\(minutes)m"
        }
        return delta >= 0 ? "in \(text)" : "overdue by \(text)"
    }

    /// Under 12 hours left warns; past the deadline is an alarm.
    public static func urgency(_ dueMs: Int64, nowMs: Int64) -> Urgency {
        dueMs < nowMs ? .overdue : dueMs - nowMs < 12 * 3_600_000 ? .soon : .later
    }
}
