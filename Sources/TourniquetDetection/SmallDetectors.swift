import TourniquetIngest
import TourniquetModel

/// **shadow-endpoint**: requests to paths the OpenAPI spec does not document (when one was given
/// at ingest), and deprecated operations that still answer 2xx.
struct ShadowEndpointDetector {
    struct Endpoint {
        var requests: Int64 = 0
        var statuses: [Int: Int64] = [:]
        var sources = Set<Int64>()
        var clientsBySource: [Int64: Set<Int64>] = [:]
        var first: Int64 = .max
        var last: Int64 = .min
        var deprecated = false
    }
    struct Key: Hashable {
        var method: Int64
        var route: Int64
    }
    private(set) var endpoints: [Key: Endpoint] = [:]

    mutating func observe(_ row: ScanRow, ctx: DetectionContext) {
        let undocumented = row.flags.contains(.undocumented)
        let deprecated = !undocumented && row.isSuccess && ctx.isDeprecated(method: row.method, route: row.route)
        guard undocumented || deprecated else { return }
        ShadowEndpointDetector.update(&endpoints[Key(method: row.method, route: row.route), default: Endpoint()], row, deprecated: deprecated)
    }

    private static func update(_ e: inout Endpoint, _ row: ScanRow, deprecated: Bool) {
        e.requests += 1
        e.statuses[row.status, default: 0] += 1
        e.sources.insert(row.ip)
        if row.client != 0 { e.clientsBySource[row.ip, default: []].insert(row.client) }
        e.first = min(e.first, row.timestampMs)
        e.last = max(e.last, row.timestampMs)
        e.deprecated = e.deprecated || deprecated
    }

    /// Endpoints that answered 2xx: the ones that are really there.
    func live(_ c: DetectorConfig.ShadowEndpoint) -> [(key: Key, endpoint: Endpoint)] {
        endpoints.filter { $0.value.requests >= c.minRequests && $0.value.statuses.contains { $0.key >= 200 && $0.key < 300 } }
            .map { ($0.key, $0.value) }
    }

    func findings(_ c: DetectorConfig.ShadowEndpoint, _ ctx: DetectionContext) -> [FindingDraft] {
        guard c.enabled else { return [] }
        // A source hitting two or more live shadow endpoints is mapping the API, not using it.
        var perSource: [Int64: Int] = [:]
        for (_, e) in live(c) { for ip in e.sources { perSource[ip, default: 0] += 1 } }
        return live(c).map { key, e in
            var draft = FindingDraft(
                Finding(
                    detector: .shadowEndpoint, severity: .configured(c.severity),
                    subject: .init(kind: .route, value: ctx.string(key.method) + " " + ctx.string(key.route)),
                    firstMs: e.first, lastMs: e.last, requests: e.requests,
                    evidence: [
                        "kind": .string(e.deprecated ? "deprecated" : "undocumented"),
                        "statuses": .fields(Dictionary(uniqueKeysWithValues: e.statuses.map { (String($0.key), JSONValue.int($0.value)) })),
                        "sources": .array(e.sources.sorted().prefix(10).map { .string(ctx.string($0)) }),
                    ]))
            draft.attackerIPs = e.sources.filter { (perSource[$0] ?? 0) >= 2 }
            draft.attackerClients = draft.attackerIPs.reduce(into: Set<Int64>()) { $0.formUnion(e.clientsBySource[$1] ?? []) }
            return draft
        }
    }
}

/// **password-reset-abuse**: many reset requests for one account or from one source. At a shared
/// address each identity is weighed alone: an office's users forget their passwords too.
struct PasswordResetDetector {
    struct Reset {
        var ts: Int64
        var client: Int64
        var userAgent: Int64
    }
    private var byAccount: [Int64: [Int64]] = [:]
    private var bySource: [Int64: [Reset]] = [:]

    mutating func observe(_ row: ScanRow, traits: RouteTraits) {
        guard traits.contains(.passwordReset) else { return }
        bySource[row.ip, default: []].append(Reset(ts: row.timestampMs, client: row.client, userAgent: row.userAgent))
        if row.client != 0 { byAccount[row.client, default: []].append(row.timestampMs) }
    }

    func findings(_ c: DetectorConfig.PasswordResetAbuse, _ ctx: DetectionContext, population: AddressPopulation) -> [FindingDraft] {
        guard c.enabled else { return [] }
        let windowMs = Int64(c.windowSeconds) * 1000
        var drafts: [FindingDraft] = []
        func add(kind: FindingSubject.Kind, _ id: Int64, _ times: [Int64], limit: Int, evidence extra: [String: JSONValue] = [:]) {
            let sorted = times.sorted()
            let busiest = SlidingWindow.busiest(sorted, windowMs: windowMs)
            guard busiest.count > limit else { return }
            let evidence = extra.merging(["in_window": .int(Int64(busiest.count)), "limit": .int(Int64(limit))]) { $1 }
            var draft = FindingDraft(
                Finding(
                    detector: .passwordResetAbuse, severity: .configured(c.severity), subject: .init(kind: kind, value: ctx.string(id)),
                    firstMs: sorted.first!, lastMs: sorted.last!, requests: Int64(sorted.count), evidence: .fields(evidence)))
            if kind == .ip { draft.attackerIPs = [id] }
            drafts.append(draft)
        }
        for (account, times) in byAccount { add(kind: .account, account, times, limit: c.maxPerAccount) }
        for (ip, resets) in bySource {
            let groups = population.weigh(resets, at: ip, client: \.client, userAgent: \.userAgent)
            let busiest = groups.max { $0.count < $1.count } ?? []
            add(kind: .ip, ip, busiest.map(\.ts), limit: c.maxPerSource, evidence: ["address": population.evidence(at: ip)])
        }
        return drafts
    }
}
