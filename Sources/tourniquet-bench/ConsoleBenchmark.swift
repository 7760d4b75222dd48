import Foundation
import TourniquetConsole
import TourniquetConsoleRuntime
import TourniquetEngine
import TourniquetModel
import TourniquetStore

/// The console on a big case: time to the first screen, and the redraw after each navigation key
/// (reduce + render; painting is ncurses' work on changed rows only).
enum ConsoleBenchmark {
    static func run(casePath: String, keys: Int) {
        do {
            let start = Date()
            let file = try CaseFile.openReadOnly(at: casePath)
            let data = try ConsoleDataLoader.load(file)
            var state = ConsoleState()
            state.nowMs = WallClock.live.nowMs()
            _ = ConsoleRenderer.render(state, data, rows: 50, columns: 200)
            let firstScreen = Date().timeIntervalSince(start)
            print(
                String(
                    format: "console: first screen in %.0f ms (%lld requests, %d findings, %d timeline rows loaded)",
                    firstScreen * 1000, data.requestCount, data.findings.count, data.timeline.count))
            let script: [Key] = [
                .character("3"), .down, .down, .pageDown, .up, .character("4"), .pageDown, .end, .home, .tab, .character("2"),
                .down, .character("1"), .character("?"), .escape, .backTab,
            ]
            var times: [Double] = []
            for i in 0..<keys {
                let key = script[i % script.count]
                let t = Date()
                _ = ConsoleReducer.reduce(&state, .key(key), data)
                _ = ConsoleRenderer.render(state, data, rows: i % 2 == 0 ? 50 : 24, columns: i % 2 == 0 ? 200 : 80)
                times.append(Date().timeIntervalSince(t) * 1000)
            }
            times.sort()
            print(
                String(
                    format: "keypress redraw over %d keys: median %.2f ms, p99 %.2f ms, max %.2f ms", keys, times[times.count / 2],
                    times[min(times.count - 1, times.count * 99 / 100)], times.last ?? 0))
        } catch {
            print("benchmark failed: \(error)")
            exit(1)
        }
    }
}
