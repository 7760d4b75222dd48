/// **scraping**: a client or key far above both its own baseline and its peers on data routes,
/// and 429 storms (rate-limit violations). Also remembers where each key was used from, for
/// key-compromise inference.
struct ScrapingDetector {
    struct Subject {
        var minutes: [Int64: Int] = [:]  // minute → requests on data routes
        var sourcesFirstSeen: [Int64: Int64] = [:]
        var sourceRequests: [Int64: Int] = [:]
        var requests: Int64 = 0
        var first: Int64 = .max
        var last: Int64 = .min
    }
    /// Keys are dict ids; kind tells a key from a client (one id space, so no clash).
    private var subjects: [Int64: Subject] = [:]
    private var kinds: [Int64: FindingSubject.Kind] = [:]
    private var throttled: [Int64: [Int64]] = [:]  // ip → 429 times

    mutating func observe(_ row: ScanRow, traits: RouteTraits) {
        if row.status == 429 { throttled[row.ip, default: []].append(row.timestampMs) }
        guard !traits.contains(.authentication), !traits.contains(.health) else { return }
        let id = row.apiKey != 0 ? row.apiKey : row.client
        guard id != 0 else { return }
        kinds[id] = row.apiKey != 0 ? .key : .client
        ScrapingDetector.update(&subjects[id, default: Subject()], row)
    }

    private static func update(_ s: inout Subject, _ row: ScanRow) {
        s.minutes[row.timestampMs / 60_000, default: 0] += 1
        if s.sourcesFirstSeen[row.ip] == nil { s.sourcesFirstSeen[row.ip] = row.timestampMs }
        s.sourceRequests[row.ip, default: 0] += 1
        s.requests += 1
        s.first = min(s.first, row.timestampMs)
        s.last = max(s.last, row.timestampMs)
    }

    /// The busiest window's request count and its first minute, sliding a minute at a time.
    static func busiestWindow(_ minutes: [Int64: Int], windowMinutes: Int64) -> (count: Int, start: Int64, windows: [Int]) {
        guard let lo = minutes.keys.min(), let hi = minutes.keys.max() else { return (0, 0, []) }
        var sums: [Int] = []
        var running = 0
        var best = (count: 0, start: lo)
        for minute in lo...hi {
            running += minutes[minute] ?? 0
            if minute - windowMinutes >= lo { running -= minutes[minute - windowMinutes] ?? 0 }
            if minute - lo + 1 >= windowMinutes || hi - lo + 1 < windowMinutes {
                sums.append(running)
                if running > best.count { best = (running, max(lo, minute - windowMinutes + 1)) }
            }
        }
        return (best.count, best.start, sums)
    }

    func findings(_ c: DetectorConfig.Scraping, _ ctx: DetectionContext) -> [FindingDraft] {
        guard c.enabled else { return [] }
        let windowMinutes = Int64(max(1, c.windowSeconds / 60))
        var peaks: [Int64: (count: Int, start: Int64, median: Int)] = [:]
        for (id, s) in subjects {
            let busiest = ScrapingDetector.busiestWindow(s.minutes, windowMinutes: windowMinutes)
            let active = busiest.windows.filter { $0 > 0 }.sorted()
            peaks[id] = (busiest.count, busiest.start, active.isEmpty ? 0 : active[active.count / 2])
        }
        let allPeaks = peaks.values.map(\.count).sorted()
        var drafts: [FindingDraft] = []
        for (id, s) in subjects {
            guard let peak = peaks[id], peak.count >= c.minRequestsInWindow else { continue }
            // Peers: the 90th percentile of everyone else's busiest window.
            var others = allPeaks
            if let index = others.firstIndex(of: peak.count) { others.remove(at: index) }
            let peer = others.isEmpty ? 0 : others[min(others.count - 1, others.count * 9 / 10)]
            let spanMinutes = (s.last - s.first) / 60_000
            let hasBaseline = spanMinutes >= 4 * windowMinutes
            let aboveOwn = !hasBaseline || Double(peak.count) >= c.overOwnBaseline * Double(max(peak.median, 1))
            let abovePeers = Double(peak.count) >= c.overPeers * Double(max(peer, 1))
            guard aboveOwn && abovePeers else { continue }
            // The spike began at the first window already above the own-baseline threshold.
            let threshold = hasBaseline ? c.overOwnBaseline * Double(max(peak.median, 1)) : Double(c.minRequestsInWindow)
            let onset = ScrapingDetector.firstWindow(s.minutes, windowMinutes: windowMinutes, reaching: threshold) ?? peak.start
            let newSources = ScrapingDetector.newSources(s, since: onset * 60_000, hasBaseline: hasBaseline)
            let kind = kinds[id] ?? .client
            var draft = FindingDraft(Finding(
                detector: "scraping", severity: c.severity, subject: .init(kind: kind, value: ctx.string(id)), firstMs: s.first,
                lastMs: s.last, requests: s.requests,
                evidence: [
                    "busiest_window_requests": .int(Int64(peak.count)), "window_seconds": .int(Int64(c.windowSeconds)),
                    "own_median_window": .int(Int64(peak.median)), "peer_p90_window": .int(Int64(peer)),
                    "sources": .int(Int64(s.sourcesFirstSeen.count)), "new_sources": .int(Int64(newSources.count)),
                ]))
            draft.attackerIPs = newSources
            if kind == .key { draft.keys = [id] } else { draft.attackerClients = [id] }
            drafts.append(draft)
        }
        drafts += storms(c, ctx)
        return drafts
    }

    /// The first minute of the first window whose requests reach `threshold`.
    static func firstWindow(_ minutes: [Int64: Int], windowMinutes: Int64, reaching threshold: Double) -> Int64? {
        guard let lo = minutes.keys.min(), let hi = minutes.keys.max() else { return nil }
        var running = 0
        for minute in lo...hi {
            running += minutes[minute] ?? 0
            if minute - windowMinutes >= lo { running -= minutes[minute - windowMinutes] ?? 0 }
            if Double(running) >= threshold { return max(lo, minute - windowMinutes + 1) }
        }
        return nil
    }

    /// Sources first seen with this subject once its spike began: the ones that were not its history.
    static func newSources(_ s: Subject, since peakStart: Int64, hasBaseline: Bool) -> Set<Int64> {
        guard hasBaseline else { return Set(s.sourcesFirstSeen.keys) }
        return Set(s.sourcesFirstSeen.filter { $0.value >= peakStart - 5 * 60_000 }.map(\.key))
    }

    /// Keys used from many sources they had never used before, carrying most of their traffic.
    func keysUsedFromNewSources(minNew: Int) -> [(key: Int64, sources: Set<Int64>)] {
        var out: [(Int64, Set<Int64>)] = []
        for (id, s) in subjects where kinds[id] == .key && s.sourcesFirstSeen.count > minNew {
            let span = s.last - s.first
            guard span > 0 else { continue }
            let cutoff = s.first + span / 3
            let history = Set(s.sourcesFirstSeen.filter { $0.value < cutoff }.map(\.key))
            let newcomers = Set(s.sourcesFirstSeen.keys).subtracting(history)
            let newTraffic = newcomers.reduce(0) { $0 + (s.sourceRequests[$1] ?? 0) }
            if newcomers.count >= minNew && newcomers.count >= 3 * max(history.count, 1) && newTraffic * 2 >= Int(s.requests) {
                out.append((id, newcomers))
            }
        }
        return out
    }

    private func storms(_ c: DetectorConfig.Scraping, _ ctx: DetectionContext) -> [FindingDraft] {
        var drafts: [FindingDraft] = []
        for (ip, times) in throttled {
            let sorted = times.sorted()
            let busiest = SlidingWindow.busiest(sorted, windowMs: Int64(c.storm429Window) * 1000)
            guard busiest.count >= c.storm429Min else { continue }
            var draft = FindingDraft(Finding(
                detector: "scraping", severity: c.severity, subject: .init(kind: .ip, value: ctx.string(ip)),
                firstMs: sorted.first!, lastMs: sorted.last!, requests: Int64(sorted.count),
                evidence: ["rate_limited_429": .int(Int64(sorted.count)), "in_window": .int(Int64(busiest.count))]))
            draft.attackerIPs = [ip]
            drafts.append(draft)
        }
        return drafts
    }
}
