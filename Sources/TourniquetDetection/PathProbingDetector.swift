import Foundation
import TourniquetIngest
import TourniquetModel

/// **path-probing**: one source requesting many distinct paths that answer 404/403/400, or paths
/// and payloads that match known probe signatures (sensitive files, admin panels, technology and
/// CVE probes, SQL injection, XSS, file inclusion, traversal).
struct PathProbingDetector {
    struct Source {
        var requests = 0
        var errors = 0
        var errorRoutes: [(ts: Int64, route: Int64)] = []
        /// Hits per signature set, by index in `ProbeSignatures.names`.
        var hits: [Int] = []
        /// Requests that matched a signature; their text is read for samples only if a finding is made.
        var sampleIDs: [Int64] = []
        var first: Int64 = .max
        var last: Int64 = .min
    }
    static let sampleCandidates = 24
    private var sources = DenseTable<Source>()
    private let signatures: ProbeSignatures
    private let setsByIndex: [DetectorConfig.SignatureSet]

    init(signatures: ProbeSignatures, config: DetectorConfig) {
        self.signatures = signatures
        setsByIndex = signatures.names.map { config.signatures[$0]! }
    }

    mutating func observe(_ row: ScanRow, traits: RouteTraits) {
        let isError = row.status == 400 || row.status == 403 || row.status == 404 || row.status == 405
        // Ingest matched the default sets already; a row carries its text only when scope runs other sets.
        // Signatures are for paths outside the API: a route the OpenAPI document describes is never a hit.
        let hit =
            traits.contains(.documented)
            ? 0 : row.pathAndQuery.map { signatures.match(pathAndQuery: $0, status: row.status) } ?? row.probe
        // Mutate in place: copying a Source out and back would copy its arrays on every row.
        PathProbingDetector.update(&sources[row.ip, default: Source()], row, isError: isError, hit: hit, sets: setsByIndex.count)
    }

    private static func update(_ source: inout Source, _ row: ScanRow, isError: Bool, hit: Int, sets: Int) {
        source.requests += 1
        if isError {
            source.errors += 1
            source.errorRoutes.append((row.timestampMs, row.route))
        }
        if hit > 0 && hit <= sets {
            if source.hits.isEmpty { source.hits = Array(repeating: 0, count: sets) }
            source.hits[hit - 1] += 1
            if source.sampleIDs.count < sampleCandidates { source.sampleIDs.append(row.id) }
            source.first = min(source.first, row.timestampMs)
            source.last = max(source.last, row.timestampMs)
        }
    }

    /// `requestText` reads a request's path and query from the case, for the samples.
    /// A shared address needs no weighing here: its users' ordinary requests keep its error ratio low.
    func findings(
        _ c: DetectorConfig.PathProbing, _ ctx: DetectionContext, population: AddressPopulation, requestText: (Int64) -> String?
    ) -> [FindingDraft] {
        guard c.enabled else { return [] }
        let windowMs = Int64(c.windowSeconds) * 1000
        var drafts: [FindingDraft] = []
        for (ip, source) in sources.entries {
            let matched =
                source.hits.isEmpty ? [] : signatures.names.indices.filter { source.hits[$0] >= setsByIndex[$0].minHits }.map { signatures.names[$0] }
            let errors = source.errorRoutes.sorted { $0.ts < $1.ts }
            let breadth = PathProbingDetector.distinctInWindow(errors, windowMs: windowMs)
            let errorRatio = Double(source.errors) / Double(max(source.requests, 1))
            let broad = breadth.count >= c.minDistinctErrorPaths && errorRatio >= c.minErrorRatio
            guard !matched.isEmpty || broad else { continue }
            var samples: [String] = []
            for id in source.sampleIDs where samples.count < 8 {
                if let text = requestText(id), !samples.contains(text) { samples.append(text) }
            }
            let first = min(source.first, errors.first?.ts ?? .max)
            let last = max(source.last, errors.last?.ts ?? .min)
            var draft = FindingDraft(
                Finding(
                    detector: .pathProbing, severity: .configured(c.severity), subject: .init(kind: .ip, value: ctx.string(ip)),
                    firstMs: first == .max ? 0 : first, lastMs: last == .min ? 0 : last, requests: Int64(source.requests),
                    evidence: [
                        "signatures": .array(matched.map { .string($0) }), "distinct_error_paths_in_window": .int(Int64(breadth.count)),
                        "error_ratio": .string(String(format: "%.2f", errorRatio)),
                        "samples": .array(samples.map { .string($0) }), "address": population.evidence(at: ip),
                    ]))
            draft.attackerIPs = [ip]
            // One weak signal from a source whose traffic is otherwise ordinary (a user behind a
            // shared address who once followed an odd link) does not name it.
            let hits = source.hits.reduce(0, +)
            if !broad && hits <= PathProbingDetector.weakSignalHits && source.requests >= 100 && hits * 50 < source.requests {
                draft.finding.confidence = .weak
                draft.finding.confidenceReason =
                    "\(hits) probe-signature matches among \(source.requests) requests that are otherwise ordinary: one weak signal"
            }
            drafts.append(draft)
        }
        return drafts
    }

    /// At most this many signature matches, under 2% of a source's requests and with no broad run of
    /// errors, are a weak signal.
    static let weakSignalHits = 3

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
