import TourniquetIngest
import TourniquetModel

/// Runs every detector over one pass of the requests and concludes who attacked, with what, and
/// which accounts and keys are compromised.
public final class ScopeAnalyzer {
    public let config: DetectorConfig
    public let context: DetectionContext
    /// The configuration's probe signature sets; their digest tells the reader whether the
    /// matches packed at ingest can be used.
    public let signatures: ProbeSignatures
    private var login = LoginActivity()
    private var authz = AuthzProbingDetector()
    private var bola = BOLADetector()
    private var probing: PathProbingDetector
    private var scraping = ScrapingDetector()
    private var shadow = ShadowEndpointDetector()
    private var resets = PasswordResetDetector()
    private var geo: GeoAnomalyDetector
    private var population = AddressPopulation()
    private let failureStatuses: Set<Int>
    public private(set) var requests: Int64 = 0
    public private(set) var firstMs: Int64?
    public private(set) var lastMs: Int64?
    /// Requests per (method, route) over the whole window, for the targeted-endpoints table.
    /// Per route (dict id), a short list of (method, requests): routes see few methods.
    private var endpointCounts = DenseTable<[(method: Int64, count: Int64)]>()
    public var endpointTotals: [EndpointKey: Int64] {
        var out: [EndpointKey: Int64] = [:]
        for (route, methods) in endpointCounts.entries { for m in methods { out[EndpointKey(method: m.method, route: route)] = m.count } }
        return out
    }

    private static func count(_ methods: inout [(method: Int64, count: Int64)], method: Int64) {
        if let i = methods.firstIndex(where: { $0.method == method }) { methods[i].count += 1 } else { methods.append((method, 1)) }
    }

    public struct EndpointKey: Hashable, Sendable {
        public var method: Int64
        public var route: Int64
    }

    public init(config: DetectorConfig, context: DetectionContext) {
        self.config = config
        self.context = context
        signatures = ProbeSignatures(config.signatures)
        probing = PathProbingDetector(signatures: signatures, config: config)
        geo = GeoAnomalyDetector(minBaselineRequests: config.geoAnomaly.minBaselineRequests)
        failureStatuses = Set(config.routes.loginFailureStatuses)
    }

    public func observe(_ row: ScanRow) {
        observeFirstHalf(row)
        observeSecondHalf(row)
    }

    /// The detectors are split in two halves that share no state, so two threads can each run one
    /// half over the same rows (see `ChunkWorkers`).
    public func observeFirstHalf(_ row: ScanRow) {
        requests += 1
        firstMs = min(firstMs ?? row.timestampMs, row.timestampMs)
        lastMs = max(lastMs ?? row.timestampMs, row.timestampMs)
        ScopeAnalyzer.count(&endpointCounts[row.route, default: []], method: row.method)
        let traits = context.traits(row.route)
        login.observe(row, traits: traits, failureStatuses: failureStatuses)
        authz.observe(row, traits: traits)
        probing.observe(row, traits: traits)
        shadow.observe(row, ctx: context)
        resets.observe(row, traits: traits)
        population.observe(row)
    }

    public func observeSecondHalf(_ row: ScanRow) {
        let traits = context.traits(row.route)
        bola.observe(row, traits: traits)
        scraping.observe(row, traits: traits)
        if let countries = context.countries { geo.observe(row, country: countries[row.ip]) }
    }

    /// Findings, attackers and compromise, with the allowlist applied. `requestText` reads a
    /// request's path and query from the case, for the few samples findings quote.
    public func conclude(allowlist: Allowlist, requestText: (Int64) -> String? = { _ in nil }) -> ScopeConclusion {
        login.sortAll()
        population.countIdentities(pairs: login.useBySourceAndClient.keys)
        let c = config
        var drafts = CredentialDetectors.credentialStuffing(login, c.credentialStuffing, context, population: population)
        drafts += CredentialDetectors.bruteForce(login, c.bruteForce, context)
        drafts += authz.findings(c.authzProbing, context, population: population)
        drafts += bola.findings(c.bolaEnumeration, context)
        drafts += probing.findings(c.pathProbing, context, population: population, requestText: requestText)
        drafts += scraping.findings(c.scraping, context)
        drafts += shadow.findings(c.shadowEndpoint, context)
        drafts += resets.findings(c.passwordResetAbuse, context, population: population)
        if context.countries != nil { drafts += geo.findings(c.geoAnomaly, context) }
        drafts = allowlist.apply(to: drafts, context: context)

        var conclusion = ScopeConclusion()
        // Weak findings are shown, but only strong ones name attackers and compromised keys.
        for draft in drafts where draft.finding.confidence == .strong {
            conclusion.attackerIPs.formUnion(draft.attackerIPs)
            conclusion.attackerClients.formUnion(draft.attackerClients)
            conclusion.compromisedKeys.formUnion(draft.keys)
            conclusion.stolenIdentities.formUnion(draft.stolenIdentities)
            for (route, objects) in draft.objects { conclusion.objects[route, default: []].formUnion(objects) }
        }
        // Keys used from many sources outside their history are compromised even below scraping rates.
        for (key, sources) in scraping.keysUsedFromNewSources(minNew: c.scraping.newSourcesMin) {
            conclusion.compromisedKeys.insert(key)
            conclusion.attackerIPs.formUnion(sources.filter { !allowlist.allows(ip: context.string($0)) })
        }
        // Accounts: a credential-attack source logged in and then used the account.
        let credentialSources = drafts.filter { [.credentialStuffing, .bruteForce].contains($0.finding.detector) }
            .reduce(into: Set<Int64>()) { $0.formUnion($1.attackerIPs) }
        let window = Int64(c.credentialStuffing.takeoverWindowSeconds) * 1000
        let takenOver = login.accountsTakenOver(by: credentialSources, window: window)
        conclusion.compromisedAccounts = takenOver.values.reduce(into: Set<Int64>()) { $0.formUnion($1) }
        conclusion.campaigns = Campaigns.group(&drafts, takenOver: takenOver, context: context)
        if credentialSources.isEmpty || login.attemptsNameAccounts(from: credentialSources) {
            conclusion.accountsTargeted = login.identitiesTried(by: credentialSources).count
        } else {
            conclusion.accountsTargeted = nil
        }
        conclusion.attackerClients.subtract(conclusion.compromisedAccounts)
        // A leaked credential's owner and the identities logged with it are victims, not attackers.
        for key in conclusion.compromisedKeys { conclusion.keyConsumers[key] = scraping.consumers(ofKey: key) }
        conclusion.attackerClients.subtract(conclusion.stolenIdentities)
        conclusion.attackerClients.subtract(conclusion.keyConsumers.values.flatMap { $0 })
        conclusion.findings = drafts.map(\.finding).sorted { ($0.severityRank, $0.firstMs, $0.id) < ($1.severityRank, $1.firstMs, $1.id) }
        conclusion.shadowEndpoints = shadow.live(c.shadowEndpoint).map { key, e in
            ShadowEndpointSummary(
                method: context.string(key.method), path: context.string(key.route), requests: e.requests,
                statuses: Dictionary(uniqueKeysWithValues: e.statuses.map { (String($0.key), $0.value) }),
                deprecated: e.deprecated)
        }.sorted { ($0.path, $0.method) < ($1.path, $1.method) }
        return conclusion
    }
}

/// What scope concluded, before the attacker footprint is measured.
public struct ScopeConclusion: Sendable {
    public var findings: [Finding] = []
    public var attackerIPs = Set<Int64>()
    public var attackerClients = Set<Int64>()
    public var compromisedKeys = Set<Int64>()
    public var compromisedAccounts = Set<Int64>()
    /// Identities whose credential others used (in a log where the credential is the remote user).
    public var stolenIdentities = Set<Int64>()
    /// The identities logged with each compromised key.
    public var keyConsumers: [Int64: [Int64]] = [:]
    /// Credential-stuffing campaigns: the per-address findings grouped under each.
    public var campaigns: [Campaign] = []
    /// Distinct accounts the credential attacks tried; nil when their logins were logged without
    /// the account, so the number is unknown.
    public var accountsTargeted: Int? = 0
    public var objects: [Int64: Set<String>] = [:]
    public var shadowEndpoints: [ShadowEndpointSummary] = []
}

public struct ShadowEndpointSummary: Equatable, Sendable {
    public var method: String
    public var path: String
    public var requests: Int64
    public var statuses: [String: Int64]
    public var deprecated: Bool
}

extension Finding {
    var severityRank: Int { Severity.rank(severity.rawValue) }
}
