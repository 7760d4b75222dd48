import TourniquetIngest
import TourniquetModel

/// **scraping**: a client or key far above both its own baseline and its peers on data routes,
/// and 429 storms (rate-limit violations). Also remembers where each key was used from, for
/// key-compromise inference.
struct ScrapingDetector {
    struct Subject {
        var kind: FindingSubject.Kind
        var perMinute = MinuteCounts()  // requests on data routes
        var sources: [Int64: (firstSeen: Int64, requests: Int)] = [:]
        /// The previous request's source; consecutive requests from it are counted without a lookup.
        var lastSource: Int64 = -1
        var requests: Int64 = 0
        var first: Int64 = .max
        var last: Int64 = .min

        /// For a key: the identities (consumer, user) logged with it, and how often.
        var consumers: [Int64: Int] = [:]
        var lastConsumer: Int64 = 0

        var sourcesFirstSeen: [Int64: Int64] { sources.mapValues(\.firstSeen) }
        var sourceRequests: [Int64: Int] { sources.mapValues(\.requests) }
    }
    /// Keys and clients by dict id (one id space, so no clash); `kind` tells them apart.
    private var subjects = DenseTable<Subject>()
    private var throttled: [Int64: [Int64]] = [:]  // ip → 429 times

    mutating func observe(_ row: ScanRow, traits: RouteTraits) {
        if row.status == 429 { throttled[row.ip, default: []].append(row.timestampMs) }
        guard !traits.contains(.authentication), !traits.contains(.health) else { return }
        let id = row.apiKey != 0 ? row.apiKey : row.client
        guard id != 0 else { return }
        ScrapingDetector.update(&subjects[id, default: Subject(kind: row.apiKey != 0 ? .key : .client)], row)
    }

    private static func update(_ s: inout Subject, _ row: ScanRow) {
        s.perMinute.add(row.timestampMs / 60_000)
        if row.ip == s.lastSource {
            s.sources[row.ip]!.requests += 1
        } else if s.sources[row.ip] == nil {
            s.sources[row.ip] = (row.timestampMs, 1)
        } else {
            s.sources[row.ip]!.requests += 1
        }
        s.lastSource = row.ip
        if s.kind == .key && row.client != 0 && row.client != s.lastConsumer {
            s.consumers[row.client, default: 0] += 1
            s.lastConsumer = row.client
        }
        s.requests += 1
        s.first = min(s.first, row.timestampMs)
        s.last = max(s.last, row.timestampMs)
    }

    func findings(_ c: DetectorConfig.Scraping, _ ctx: DetectionContext) -> [FindingDraft] {
        guard c.enabled else { return [] }
        let windowMinutes = Int64(max(1, c.windowSeconds / 60))
        var peaks: [Int64: (count: Int, start: Int64, median: Int)] = [:]
        for (id, s) in subjects.entries {
            let windows = s.perMinute.windows(widthMinutes: windowMinutes)
            let busiest = MinuteCounts.busiest(windows)
            // Only a subject whose peak could qualify needs its median (the sort is the costly part).
            let median = busiest.count >= c.minRequestsInWindow ? MinuteCounts.median(windows) : 0
            peaks[id] = (busiest.count, busiest.start, median)
        }
        let allPeaks = peaks.values.map(\.count).sorted()
        var drafts: [FindingDraft] = []
        // A key's own sources from before the spike, when newcomers drove it: the gateway throttled
        // the key, so their 429s are collateral, not a storm of their own.
        var keyHolders = Set<Int64>()
        for (id, s) in subjects.entries {
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
            let onset =
                MinuteCounts.firstReaching(s.perMinute.windows(widthMinutes: windowMinutes, partialStart: true), threshold: threshold) ?? peak.start
            let newSources = ScrapingDetector.newSources(s, since: onset * 60_000, hasBaseline: hasBaseline)
            let kind = s.kind
            var draft = FindingDraft(
                Finding(
                    detector: .scraping, severity: .configured(c.severity), subject: .init(kind: kind, value: ctx.string(id)), firstMs: s.first,
                    lastMs: s.last, requests: s.requests,
                    evidence: [
                        "busiest_window_requests": .int(Int64(peak.count)), "window_seconds": .int(Int64(c.windowSeconds)),
                        "own_median_window": .int(Int64(peak.median)), "peer_p90_window": .int(Int64(peer)),
                        "sources": .int(Int64(s.sourcesFirstSeen.count)), "new_sources": .int(Int64(newSources.count)),
                    ]))
            draft.attackerIPs = newSources
            let history = Set(s.sources.keys).subtracting(newSources)
            if kind == .key {
                draft.keys = [id]
            } else if hasBaseline && !history.isEmpty && !newSources.isEmpty {
                // Its own sources kept their pace while new ones drove the spike: someone else holds
                // this identity's credential. Its owner is a victim, not an attacker.
                draft.stolenIdentities = [id]
            } else {
                draft.attackerClients = [id]
            }
            // A key used only by the one source it always used is its owner's heavy use (an
            // export, a sync), not a leak: nothing suggests anyone else holds it.
            if kind == .key && s.sourcesFirstSeen.count == 1 {
                draft.finding.confidence = .weak
                draft.finding.confidenceReason =
                    "used only from the one source it has always used: heavy use by its holder (an export, a sync), not a leak"
            }
            if kind == .key && !newSources.isEmpty { keyHolders.formUnion(Set(s.sources.keys).subtracting(newSources)) }
            drafts.append(draft)
        }
        drafts += storms(c, ctx, sparing: keyHolders)
        return drafts
    }

    /// Sources first seen with this subject once its spike began: the ones that were not its history.
    static func newSources(_ s: Subject, since peakStart: Int64, hasBaseline: Bool) -> Set<Int64> {
        guard hasBaseline else { return Set(s.sourcesFirstSeen.keys) }
        return Set(s.sourcesFirstSeen.filter { $0.value >= peakStart - 5 * 60_000 }.map(\.key))
    }

    /// Keys used from many sources they had never used before, carrying most of their traffic.
    func keysUsedFromNewSources(minNew: Int) -> [(key: Int64, sources: Set<Int64>)] {
        var out: [(Int64, Set<Int64>)] = []
        for (id, s) in subjects.entries where s.kind == .key && s.sources.count > minNew {
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

    private func storms(_ c: DetectorConfig.Scraping, _ ctx: DetectionContext, sparing keyHolders: Set<Int64>) -> [FindingDraft] {
        var drafts: [FindingDraft] = []
        for (ip, times) in throttled where !keyHolders.contains(ip) {
            let sorted = times.sorted()
            let busiest = SlidingWindow.busiest(sorted, windowMs: Int64(c.storm429Window) * 1000)
            guard busiest.count >= c.storm429Min else { continue }
            var draft = FindingDraft(
                Finding(
                    detector: .scraping, severity: .configured(c.severity), subject: .init(kind: .ip, value: ctx.string(ip)),
                    firstMs: sorted.first!, lastMs: sorted.last!, requests: Int64(sorted.count),
                    evidence: ["rate_limited_429": .int(Int64(sorted.count)), "in_window": .int(Int64(busiest.count))]))
            draft.attackerIPs = [ip]
            drafts.append(draft)
        }
        return drafts
    }

    /// The identities logged with a key, most frequent first (changes of identity counted).
    func consumers(ofKey key: Int64) -> [Int64] {
        guard let s = subjects[key] else { return [] }
        return s.consumers.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map(\.key)
    }
}
