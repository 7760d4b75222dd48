import TourniquetIngest
import TourniquetModel

/// **authz-probing**: repeated 403s from one source, weighted towards admin and privileged routes
/// (probing function-level authorization). At a shared address each identity is weighed alone:
/// a hundred users who each once follow a link to an admin page they may not open are not a probe.
struct AuthzProbingDetector {
    struct Refusal {
        var ts: Int64
        var privileged: Bool
        var route: Int64
        var client: Int64
        var userAgent: Int64
    }
    private var forbidden: [Int64: [Refusal]] = [:]

    mutating func observe(_ row: ScanRow, traits: RouteTraits) {
        guard row.status == 403, !traits.contains(.authentication) else { return }
        forbidden[row.ip, default: []].append(
            Refusal(ts: row.timestampMs, privileged: traits.contains(.privileged), route: row.route, client: row.client, userAgent: row.userAgent))
    }

    func findings(_ c: DetectorConfig.AuthzProbing, _ ctx: DetectionContext, population: AddressPopulation) -> [FindingDraft] {
        guard c.enabled else { return [] }
        let windowMs = Int64(c.windowSeconds) * 1000
        var drafts: [FindingDraft] = []
        for (ip, unsorted) in forbidden {
            let groups = population.weigh(unsorted.sorted { $0.ts < $1.ts }, at: ip, client: \.client, userAgent: \.userAgent)
            let probing = groups.filter { group in
                SlidingWindow.busiest(group.map(\.ts), windowMs: windowMs).count >= c.minForbidden
                    || SlidingWindow.busiest(group.filter(\.privileged).map(\.ts), windowMs: windowMs).count >= c.minPrivilegedForbidden
            }
            guard !probing.isEmpty else { continue }
            let events = probing.joined().sorted { $0.ts < $1.ts }
            let privileged = events.filter(\.privileged)
            let routes = Set(events.map(\.route))
            var draft = FindingDraft(
                Finding(
                    detector: .authzProbing, severity: .configured(c.severity), subject: .init(kind: .ip, value: ctx.string(ip)),
                    firstMs: events.first!.ts, lastMs: events.last!.ts, requests: Int64(events.count),
                    evidence: [
                        "forbidden": .int(Int64(events.count)), "privileged_forbidden": .int(Int64(privileged.count)),
                        "distinct_routes": .int(Int64(routes.count)),
                        "routes": .array(routes.sorted().prefix(15).map { .string(ctx.string($0)) }),
                        "address": population.evidence(at: ip),
                    ]))
            draft.attackerIPs = [ip]
            draft.attackerClients = Set(events.map(\.client).filter { $0 != 0 })
            // Probing tries many functions; one route refused a few times is a user retrying a link.
            if routes.count == 1 && events.count < 2 * c.minForbidden {
                draft.finding.confidence = .weak
                draft.finding.confidenceReason = "\(events.count) refusals, all on one route: a user retrying one link, not probing functions"
            }
            drafts.append(draft)
        }
        return drafts
    }
}
