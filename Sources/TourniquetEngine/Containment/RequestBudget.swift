import Foundation

/// Calls allowed in a sliding window. Cloudflare allows 1,200 calls in five minutes and, past that,
/// refuses every call for five minutes: in the middle of an incident that locks the responder out,
/// so an apply waits for room rather than go over.
final class RequestBudget {
    let limit: Int
    let window: Double
    private var times: [Double] = []
    private let now: () -> Double
    private let sleep: (Double) -> Void

    init(
        limit: Int, window: Double, now: @escaping () -> Double = { Date().timeIntervalSince1970 },
        sleep: @escaping (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }
    ) {
        self.limit = max(1, limit)
        self.window = window
        self.now = now
        self.sleep = sleep
    }

    /// Waits, when the window is full, until one more call fits; returns the seconds waited.
    @discardableResult
    func take() -> Double {
        var time = now()
        times.removeAll { $0 <= time - window }
        var waited = 0.0
        if times.count >= limit {
            waited = times[times.count - limit] + window - time
            sleep(waited)
            time = now()
            times.removeAll { $0 <= time - window }
        }
        times.append(time)
        return waited
    }
}
