import Foundation

/// The responder's time zone, from `$TZ`: deadlines are counted in UTC and shown in it.
public enum ResponderZone {
    /// The zone `TZ` names, or nil when it is unset, empty or not a zone.
    public static func from(_ environment: [String: String]) -> TimeZone? {
        environment["TZ"].flatMap { $0.isEmpty ? nil : TimeZone(identifier: $0) }
    }
}
