import Foundation

/// **path-probing**: one source requesting many distinct paths that answer 404/403/400, or paths
/// and payloads that match known probe signatures (sensitive files, admin panels, technology and
/// CVE probes, SQL injection, XSS, file inclusion, traversal).
struct PathProbingDetector {
    struct Source {
        var requests = 0
        var errors = 0
        var errorRoutes: [(ts: Int64, route: Int64)] = []
        var hits: [String: Int] = [:]
        var samples: [String] = []
        var first: Int64 = .max
        var last: Int64 = .min
    }
    private var sources = DenseTable<Source>()
    private let signatures: [(name: String, set: DetectorConfig.SignatureSet)]
    private let matcher: PatternMatcher

    init(config: DetectorConfig) {
        signatures = config.signatures.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        matcher = PatternMatcher(patterns: signatures.enumerated().flatMap { index, entry in
            entry.set.contains.map { (Array($0.lowercased().utf8), index) }
        })
    }

    mutating func observe(_ row: ScanRow) {
        let isError = row.status == 400 || row.status == 403 || row.status == 404 || row.status == 405
        // Mutate in place: copying a Source out and back would copy its arrays on every row.
        var hit: String?
        if let text = row.pathAndQuery { hit = signature(of: text, status: row.status) }
        PathProbingDetector.update(&sources[row.ip, default: Source()], row, isError: isError, hit: hit)
    }

    /// The first signature set (by name) the request matches, if any.
    private func signature(of text: String, status: Int) -> String? {
        let normalised = ProbeText.normalise(text)
        let found = normalised.withUnsafeBufferPointer { matcher.groups(in: $0) }
        let pathEnd = normalised.firstIndex(of: UInt8(ascii: "?")) ?? normalised.count
        let path = normalised[0..<pathEnd]
        for (index, (name, set)) in signatures.enumerated() where !set.errorsOnly || status >= 400 {
            if found & (1 << UInt64(index)) != 0 { return name }
            for suffix in set.pathSuffixes where path.count >= suffix.utf8.count && path.suffix(suffix.utf8.count).elementsEqual(suffix.utf8) {
                return name
            }
        }
        return nil
    }

    private static func update(_ source: inout Source, _ row: ScanRow, isError: Bool, hit: String?) {
        source.requests += 1
        if isError {
            source.errors += 1
            source.errorRoutes.append((row.timestampMs, row.route))
        }
        if let name = hit, let text = row.pathAndQuery {
            source.hits[name, default: 0] += 1
            if source.samples.count < 8 && !source.samples.contains(text) { source.samples.append(text) }
            source.first = min(source.first, row.timestampMs)
            source.last = max(source.last, row.timestampMs)
        }
    }

    func findings(_ c: DetectorConfig.PathProbing, _ ctx: DetectionContext) -> [FindingDraft] {
        guard c.enabled else { return [] }
        let windowMs = Int64(c.windowSeconds) * 1000
        var drafts: [FindingDraft] = []
        for (ip, source) in sources.entries {
            let matched = signatures.filter { (source.hits[$0.name] ?? 0) >= $0.set.minHits }.map(\.name)
            let errors = source.errorRoutes.sorted { $0.ts < $1.ts }
            let breadth = PathProbingDetector.distinctInWindow(errors, windowMs: windowMs)
            let errorRatio = Double(source.errors) / Double(max(source.requests, 1))
            let broad = breadth.count >= c.minDistinctErrorPaths && errorRatio >= c.minErrorRatio
            guard !matched.isEmpty || broad else { continue }
            let first = min(source.first, errors.first?.ts ?? .max), last = max(source.last, errors.last?.ts ?? .min)
            var draft = FindingDraft(Finding(
                detector: "path-probing", severity: c.severity, subject: .init(kind: .ip, value: ctx.string(ip)),
                firstMs: first == .max ? 0 : first, lastMs: last == .min ? 0 : last, requests: Int64(source.requests),
                evidence: [
                    "signatures": .array(matched.map { .string($0) }), "distinct_error_paths_in_window": .int(Int64(breadth.count)),
                    "error_ratio": .string(String(format: "%.2f", errorRatio)),
                    "samples": .array(source.samples.map { .string($0) }),
                ]))
            draft.attackerIPs = [ip]
            drafts.append(draft)
        }
        return drafts
    }

    /// The most distinct routes answered with an error within any window.
    static func distinctInWindow(_ events: [(ts: Int64, route: Int64)], windowMs: Int64) -> (count: Int, Void) {
        var best = 0
        var counts: [Int64: Int] = [:]
        var start = 0
        for end in events.indices {
            counts[events[end].route, default: 0] += 1
            while events[end].ts - events[start].ts >= windowMs {
                let route = events[start].route
                counts[route]! -= 1
                if counts[route] == 0 { counts[route] = nil }
                start += 1
            }
            best = max(best, counts.count)
        }
        return (best, ())
    }
}
