import TourniquetModel

/// credential-stuffing and brute-force, both read from `LoginActivity`.
enum CredentialDetectors {
    /// **credential-stuffing**: bursts of failed logins from one source with a high failure ratio;
    /// and distributed bursts (many sources, one route, one window) grouped into one finding.
    static func credentialStuffing(
        _ activity: LoginActivity, _ c: DetectorConfig.CredentialStuffing, _ ctx: DetectionContext, population: AddressPopulation
    ) -> [FindingDraft] {
        guard c.enabled else { return [] }
        let windowMs = Int64(c.windowSeconds) * 1000
        var drafts: [FindingDraft] = []
        var singleSources = Set<Int64>()
        for (ip, attempts) in activity.attemptsByIP {
            let failures = attempts.filter(\.failed).map(\.ts)
            let busiest = SlidingWindow.busiest(failures, windowMs: windowMs)
            guard busiest.count >= c.minFailures else { continue }
            let from = failures[busiest.startIndex]
            let to = failures[busiest.endIndex]
            let inWindow = attempts.filter { $0.ts >= from && $0.ts <= to }
            let ratio = Double(busiest.count) / Double(max(inWindow.count, 1))
            guard ratio >= c.minFailureRatio else { continue }
            singleSources.insert(ip)
            let identities = Set(attempts.map(\.client).filter { $0 != 0 })
            var draft = FindingDraft(
                Finding(
                    detector: .credentialStuffing, severity: .configured(c.severity), subject: .init(kind: .ip, value: ctx.string(ip)),
                    firstMs: attempts.first?.ts ?? from, lastMs: attempts.last?.ts ?? to, requests: Int64(attempts.count),
                    evidence: [
                        "failures_in_window": .int(Int64(busiest.count)), "window_seconds": .int(Int64(c.windowSeconds)),
                        // Null when the logins were logged without their accounts: unknown, not none.
                        "failure_ratio": .string(String(format: "%.2f", ratio)),
                        "identities_tried": identities.isEmpty ? .null : .int(Int64(identities.count)),
                        "successes": .int(Int64(attempts.filter { !$0.failed }.count)), "address": population.evidence(at: ip),
                    ]))
            draft.attackerIPs = [ip]
            drafts.append(draft)
        }
        drafts += distributed(activity, c, ctx, excluding: singleSources)
        return drafts
    }

    /// Many sources failing on one route in one window: one finding for the whole campaign.
    private static func distributed(
        _ activity: LoginActivity, _ c: DetectorConfig.CredentialStuffing, _ ctx: DetectionContext,
        excluding singleSources: Set<Int64>
    ) -> [FindingDraft] {
        let windowMs = Int64(c.windowSeconds) * 1000
        var failuresByRoute: [Int64: [LoginActivity.Attempt]] = [:]
        for attempts in activity.attemptsByIP.values {
            for attempt in attempts where attempt.failed { failuresByRoute[attempt.route, default: []].append(attempt) }
        }
        var drafts: [FindingDraft] = []
        for (route, unsorted) in failuresByRoute {
            let failures = unsorted.sorted { $0.ts < $1.ts }
            // Mark every failure that falls in a window with enough failures from enough sources.
            var inCampaign = [Bool](repeating: false, count: failures.count)
            var start = 0
            var marked = -1  // every index up to here is already marked
            var sourcesInWindow: [Int64: Int] = [:]
            for end in failures.indices {
                sourcesInWindow[failures[end].ip, default: 0] += 1
                while failures[end].ts - failures[start].ts >= windowMs {
                    let ip = failures[start].ip
                    sourcesInWindow[ip]! -= 1
                    if sourcesInWindow[ip] == 0 { sourcesInWindow[ip] = nil }
                    start += 1
                }
                if end - start + 1 >= c.distributedMinFailures && sourcesInWindow.count >= c.distributedMinSources {
                    // Windows overlap: mark only what the previous window did not, so this stays linear.
                    for i in max(start, marked + 1)...end { inCampaign[i] = true }
                    marked = end
                }
            }
            let campaign = failures.indices.filter { inCampaign[$0] }.map { failures[$0] }
            guard let first = campaign.first, let last = campaign.last else { continue }
            // A source joins the campaign only if logins were most of what it did and nearly all failed:
            // a shared NAT with one typo among many successful logins does not.
            var members = Set<Int64>()
            for ip in Set(campaign.map(\.ip)) {
                let attempts = (activity.attemptsByIP[ip] ?? []).filter { $0.ts >= first.ts && $0.ts <= last.ts }
                let failed = attempts.filter(\.failed).count
                let ratio = Double(failed) / Double(max(attempts.count, 1))
                let share = activity.requestsByIP[ip].map { Double($0.auth) / Double(max($0.all, 1)) } ?? 0
                if ratio >= c.minFailureRatio && (failed >= 3 || share >= 0.5) { members.insert(ip) }
            }
            guard members.count >= c.distributedMinSources else { continue }
            let identities = activity.identitiesTried(by: members)
            var draft = FindingDraft(
                Finding(
                    detector: .credentialStuffing, severity: .configured(c.severity), subject: .init(kind: .route, value: ctx.string(route)),
                    firstMs: first.ts, lastMs: last.ts, requests: Int64(campaign.count),
                    evidence: [
                        "distributed": true, "sources": .int(Int64(members.count)), "failures": .int(Int64(campaign.count)),
                        "identities_tried": identities.isEmpty ? .null : .int(Int64(identities.count)),
                        "source_sample": .array(members.sorted().prefix(20).map { .string(ctx.string($0)) }),
                    ]))
            draft.attackerIPs = members.union(singleSources.intersection(Set(campaign.map(\.ip))))
            drafts.append(draft)
        }
        return drafts
    }

    /// **brute-force**: many failures against one known account in a window, from sources that
    /// concentrate on few accounts. A source spraying many identities is credential stuffing: a
    /// campaign over thousands of accounts is one finding there, not one per account here.
    static func bruteForce(_ activity: LoginActivity, _ c: DetectorConfig.BruteForce, _ ctx: DetectionContext) -> [FindingDraft] {
        guard c.enabled else { return [] }
        var byAccount: [Int64: [LoginActivity.Attempt]] = [:]
        for attempts in activity.attemptsByIP.values {
            var identities = Set<Int64>()
            for attempt in attempts where attempt.client != 0 {
                identities.insert(attempt.client)
                if identities.count > c.maxIdentitiesPerSource { break }
            }
            guard identities.count <= c.maxIdentitiesPerSource else { continue }
            for attempt in attempts where attempt.client != 0 { byAccount[attempt.client, default: []].append(attempt) }
        }
        var drafts: [FindingDraft] = []
        for (account, unsorted) in byAccount {
            let attempts = unsorted.sorted { $0.ts < $1.ts }
            let failures = attempts.filter(\.failed)
            let busiest = SlidingWindow.busiest(failures.map(\.ts), windowMs: Int64(c.windowSeconds) * 1000)
            guard busiest.count >= c.minFailures else { continue }
            let window = failures[busiest.startIndex...busiest.endIndex]
            let sources = Set(window.map(\.ip))
            var draft = FindingDraft(
                Finding(
                    detector: .bruteForce, severity: .configured(c.severity), subject: .init(kind: .account, value: ctx.string(account)),
                    firstMs: window.first!.ts, lastMs: window.last!.ts, requests: Int64(window.count),
                    evidence: [
                        "failures_in_window": .int(Int64(busiest.count)), "window_seconds": .int(Int64(c.windowSeconds)),
                        "sources": .array(sources.sorted().prefix(20).map { .string(ctx.string($0)) }),
                        // Only an attacking source's success counts: the owner logging in from home is not one.
                        "succeeded": .bool(attempts.contains { !$0.failed && $0.ts > window.first!.ts && sources.contains($0.ip) }),
                    ]))
            draft.attackerIPs = sources
            drafts.append(draft)
        }
        return drafts
    }
}
