/// RFC 3339 UTC timestamps with milliseconds, as the action log stores and hashes them.
///
/// Written by hand (in `Timestamps`) so the text never depends on a locale or a platform's date
/// formatter: it is part of the hash input.
public enum UTCTime {
    /// `1_700_000_000_123` → `2023-11-14T22:13:20.123Z`.
    public static func format(ms: Int64) -> String {
        Timestamps.formatRFC3339Millis(ms)
    }
}
