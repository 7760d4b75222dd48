import XCTest

@testable import TourniquetDetection
@testable import TourniquetIngest
@testable import TourniquetModel

/// No input makes scope's memory depend on the time span its rows cover.
final class TimeSpanBoundTests: XCTestCase {
    func testScrapingOverRowsFrom2026To9999StaysBounded() throws {
        let y2026 = try XCTUnwrap(Timestamps.parseCLF("29/Nov/2026:10:00:00 +0000")).ms
        let y9999 = try XCTUnwrap(Timestamps.parseCLF("31/Dec/9999:23:59:00 +0000")).ms
        var scraping = ScrapingDetector()
        var id: Int64 = 0
        func send(client: Int64, at ms: Int64) {
            id += 1
            scraping.observe(
                ScanRow(
                    id: id, timestampMs: ms, ip: 10 + client, client: client, apiKey: 0, method: 1, route: 2, status: 200,
                    bytes: 100, flags: []), traits: [])
        }
        // An hour of steady use, a scraper's burst in 2026, then one forged line in 9999; peers stay quiet.
        for m in 1...60 { send(client: 7, at: y2026 - Int64(m) * 60_000) }
        for i in 0..<600 { send(client: 7, at: y2026 + Int64(i) * 500) }
        send(client: 7, at: y9999)
        for peer: Int64 in 100..<120 { for i in 0..<3 { send(client: peer, at: y2026 + Int64(i) * 60_000) } }
        var strings: [Int64: String] = [7: "scraper"]
        for n: Int64 in 0..<200 { strings[n] = strings[n] ?? "#\(n)" }
        // Before, this allocated one counter per minute of the 8,000-year span (33 GB) and aborted.
        let drafts = scraping.findings(
            DetectorConfig.defaults.scraping, DetectionContext(strings: strings, routes: [2: "/v1/items"], config: .defaults))
        let finding = try XCTUnwrap(drafts.first { $0.finding.subject.value == "scraper" }, "\(drafts.map(\.finding.subject.value))")
        guard case .object(let evidence) = finding.finding.evidence else { return XCTFail("evidence is not an object") }
        XCTAssertEqual(evidence["busiest_window_requests"], .int(600))
        XCTAssertEqual(evidence["own_median_window"], .int(5))
        XCTAssertEqual(finding.finding.lastMs, y9999)
    }

    /// The sparse windows give what a dense per-minute array gives, on random data.
    func testSparseWindowsMatchADenseArray() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var counts = MinuteCounts()
            var minutes: [Int64] = []
            let base = Int64.random(in: 0...1_000_000, using: &rng)
            for _ in 0..<Int.random(in: 1...40, using: &rng) {
                minutes.append(base + Int64.random(in: 0...60, using: &rng))
            }
            for m in minutes { counts.add(m) }  // out of order on purpose
            let width = Int64.random(in: 1...15, using: &rng)
            let first = minutes.min()!
            let last = minutes.max()!
            var dense = [Int](repeating: 0, count: Int(last - first + 1))
            for m in minutes { dense[Int(m - first)] += 1 }
            // The reference: the sliding sums the detector used to compute over a dense array.
            var sums: [(count: Int, start: Int64)] = []
            var all: [(count: Int, start: Int64)] = []
            var running = 0
            for i in dense.indices {
                running += dense[i]
                if i >= Int(width) { running -= dense[i - Int(width)] }
                let window = (running, first + Int64(max(0, i - Int(width) + 1)))
                all.append(window)
                if i + 1 >= Int(width) || dense.count < Int(width) { sums.append(window) }
            }
            let runs = counts.windows(widthMinutes: width)
            let expanded = runs.flatMap { run in (0..<run.length).map { _ in run.count } }
            XCTAssertEqual(expanded, sums.map(\.count).filter { $0 > 0 })
            var best = (count: 0, start: first)
            for s in sums where s.count > best.count { best = s }
            let busiest = MinuteCounts.busiest(runs)
            XCTAssertEqual(busiest.count, best.count)
            XCTAssertEqual(busiest.start, best.start)
            let active = sums.map(\.count).filter { $0 > 0 }.sorted()
            XCTAssertEqual(MinuteCounts.median(runs), active[active.count / 2])
            let threshold = Double(Int.random(in: 1...6, using: &rng))
            XCTAssertEqual(
                MinuteCounts.firstReaching(counts.windows(widthMinutes: width, partialStart: true), threshold: threshold),
                all.first { Double($0.count) >= threshold }?.start)
        }
    }
}
