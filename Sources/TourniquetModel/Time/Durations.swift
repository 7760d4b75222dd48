/// Durations as responders type them: `90s`, `30m`, `12h`, `7d`.
public enum Durations {
    /// Milliseconds, or nil when the text is not a positive duration of at most ten years.
    public static func milliseconds(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000]
        guard let unit = text.last.flatMap({ units[$0] }), let count = Int64(text.dropLast()), count > 0, count <= 3650 * 86_400_000 / unit
        else { return nil }
        return count * unit
    }
}
