/// Requests per minute for one subject, kept only for the minutes that had requests.
///
/// A dense array from the first to the last minute would let one forged line dated 9999 demand
/// gigabytes; here memory follows the rows, never the time span. Rows arrive almost in time order,
/// so `add` appends or bumps the last entry, and ``windows(widthMinutes:)`` sorts once at the end.
struct MinuteCounts {
    private var minutes: [Int64] = []
    private var counts: [Int] = []

    var isEmpty: Bool { minutes.isEmpty }

    mutating func add(_ minute: Int64) {
        if minutes.last == minute {
            counts[counts.count - 1] += 1
        } else {
            minutes.append(minute)
            counts.append(1)
        }
    }

    /// A stretch of consecutive window positions with the same request count.
    struct Run: Equatable {
        /// The first minute of the first window in the run.
        var start: Int64
        /// How many window positions (minutes) the run covers.
        var length: Int64
        var count: Int
    }

    /// The non-empty sliding windows of `widthMinutes`, one position per minute, as runs of equal
    /// counts. As with a dense per-minute array: windows end from the first to the last active
    /// minute, and partial windows at the start count only when the whole span is shorter than one
    /// (or when `partialStart` asks for them).
    func windows(widthMinutes: Int64, partialStart: Bool = false) -> [Run] {
        guard !minutes.isEmpty else { return [] }
        let width = max(1, widthMinutes)
        var merged: [(minute: Int64, count: Int)] = []
        for (m, c) in zip(minutes, counts).sorted(by: { $0.0 < $1.0 }) {
            if merged.last?.minute == m { merged[merged.count - 1].count += c } else { merged.append((m, c)) }
        }
        let first = merged[0].minute
        let last = merged[merged.count - 1].minute
        let span = last - first + 1
        // Window end positions that count: all of them when the span is shorter than a window.
        let firstEnd = span < width || partialStart ? first : first + width - 1
        var runs: [Run] = []
        var enter = 0
        var exit = 0  // next row to enter the window (at its minute) and to leave it (at minute + width)
        var running = 0
        var position = first
        while position <= last {
            while enter < merged.count && merged[enter].minute <= position {
                running += merged[enter].count
                enter += 1
            }
            while exit < enter && merged[exit].minute + width <= position {
                running -= merged[exit].count
                exit += 1
            }
            // The count stays the same until the next row enters or the oldest one leaves.
            var next = last + 1
            if enter < merged.count { next = min(next, merged[enter].minute) }
            if exit < enter { next = min(next, merged[exit].minute + width) }
            let from = max(position, firstEnd)
            if running > 0 && from < next {
                runs.append(Run(start: from - width + 1 < first ? first : from - width + 1, length: next - from, count: running))
            }
            position = next
        }
        return runs
    }

    /// The busiest window: its count and first minute (the earliest, if several tie).
    static func busiest(_ runs: [Run]) -> (count: Int, start: Int64) {
        var best = (count: 0, start: runs.first?.start ?? 0)
        for run in runs where run.count > best.count { best = (run.count, run.start) }
        return best
    }

    /// The median count over all non-empty window positions.
    static func median(_ runs: [Run]) -> Int {
        let total = runs.reduce(Int64(0)) { $0 + $1.length }
        guard total > 0 else { return 0 }
        var seen: Int64 = 0
        for run in runs.sorted(by: { $0.count < $1.count }) {
            seen += run.length
            if seen > total / 2 { return run.count }
        }
        return runs.map(\.count).max() ?? 0
    }

    /// The first minute of the first window whose count reaches `threshold`.
    static func firstReaching(_ runs: [Run], threshold: Double) -> Int64? {
        runs.first { Double($0.count) >= threshold }?.start
    }
}
