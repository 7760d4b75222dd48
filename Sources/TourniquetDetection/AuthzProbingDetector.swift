import TourniquetIngest
import TourniquetModel

/// **authz-probing**: repeated 403s from one source, weighted towards admin and privileged routes
/// (probing function-level authorization).
struct AuthzProbingDetector {
    private var forbidden: [Int64: [(ts: Int64, privileged: Bool, route: Int64, client: Int64)]] = [:]

    mutating func observe(_ row: ScanRow, traits: RouteTraits) {
        guard row.status == 403, !traits.contains(.authentication) else { return }
        forbidden[row.ip, default: []].append((row.timestampMs, traits.contains(.privileged), row.route, row.client))
    }

    func findings(_ c: DetectorConfig.AuthzProbing, _ ctx: DetectionContext) -> [FindingDraft] {
        guard c.enabled else { return [] }
        let windowMs = Int64(c.windowSeconds) * 1000
        var drafts: [FindingDraft] = []
        for (ip, unsorted) in forbidden {
            let events = unsorted.sorted { $0.ts < $1.ts }
            let all = SlidingWindow.busiest(events.map(\.ts), windowMs: windowMs)
            let privileged = events.filter(\.privileged)
            let priv = SlidingWindow.busiest(privileged.map(\.ts), windowMs: windowMs)
            guard all.count >= c.minForbidden || priv.count >= c.minPrivilegedForbidden else { continue }
            let routes = Set(events.map(\.route))
            var draft = FindingDraft(
                Finding(
                    detector: .authzProbing, severity: .configured(c.severity), subject: .init(kind: .ip, value: ctx.string(ip)),
                    firstMs: events.first!.ts, lastMs: events.last!.ts, requests: Int64(events.count),
                    evidence: [
                        "forbidden": .int(Int64(events.count)), "privileged_forbidden": .int(Int64(privileged.count)),
                        "distinct_routes": .int(Int64(routes.count)),
                        "routes": .array(routes.sorted().prefix(15).map { .string(ctx.string($0)) }),
                    ]))
            draft.attackerIPs = [ip]
            draft.attackerClients = Set(events.map(\.client).filter { $0 != 0 })
            drafts.append(draft)
        }
        return drafts
    }
}
