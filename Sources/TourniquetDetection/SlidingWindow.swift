/// Sliding windows over sorted timestamps: the busiest window of a given length.
public enum SlidingWindow {
    /// The largest number of timestamps inside any window of `windowMs`, and where that window starts and ends.
    public static func busiest(_ sorted: [Int64], windowMs: Int64) -> (count: Int, startIndex: Int, endIndex: Int) {
        var best = (count: 0, startIndex: 0, endIndex: -1)
        var start = 0
        for end in sorted.indices {
            while sorted[end] - sorted[start] >= windowMs { start += 1 }
            if end - start + 1 > best.count { best = (end - start + 1, start, end) }
        }
        return best
    }
}
