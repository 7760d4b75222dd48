import Foundation

/// The source of "now" for everything that records time, injected so tests control it.
///
/// Logic never calls `Date()` itself; commands receive a clock.
public struct WallClock: Sendable {
    /// Milliseconds since the Unix epoch, UTC.
    public var nowMs: @Sendable () -> Int64

    public init(nowMs: @escaping @Sendable () -> Int64) {
        self.nowMs = nowMs
    }

    /// The system clock.
    public static let live = WallClock {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec / 1_000_000)
    }

    /// A drill's clock: from `originMs` on, time runs `speed` times as fast as `base`'s, so a
    /// 72-hour deadline can be rehearsed in an afternoon.
    public static func scaled(speed: Double, originMs: Int64, base: WallClock) -> WallClock {
        WallClock { originMs + Int64((Double(base.nowMs() - originMs) * speed).rounded(.down)) }
    }

    /// A clock that starts at `startMs` and advances by `stepMs` on every reading.
    public static func test(startMs: Int64 = 1_764_417_600_000, stepMs: Int64 = 1000) -> WallClock {
        let state = TestClockState(next: startMs, step: stepMs)
        return WallClock { state.advance() }
    }
}

private final class TestClockState: @unchecked Sendable {
    private let lock = NSLock()
    private var next: Int64
    private let step: Int64
    init(next: Int64, step: Int64) {
        self.next = next
        self.step = step
    }
    func advance() -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        let value = next
        next += step
        return value
    }
}
