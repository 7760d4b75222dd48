import TourniquetDetection
import TourniquetIngest

/// Function-level probing: an anonymous scanner sweeping for admin consoles, secrets files and
/// injectable parameters, and a logged-in customer (Trudy) trying the admin API by hand.
///
/// Nothing succeeds: every probe is answered 400, 403 or 404. Once its list is exhausted the
/// scanner tries it again under other prefixes (`/api/.env`, `/backup/v1/admin/config` …), which
/// do not exist at all (404); Trudy instead retries the same functions with other ids and pages.
final class ProbeScript: TrafficScript {
    private let ip: String
    private let identity: String?
    private let probes: [(String, String, String?, Int)]
    private let agents: [String]
    private var left: Int
    private var index = 0
    private let intervalMs: Double
    private var loggedIn: Bool
    private let ledger: TruthLedger
    /// Whether later rounds move the probes under other prefixes (scanner) or vary their
    /// parameters (a person at the keyboard).
    private let rotatesPrefixes: Bool

    static let prefixes = ["/api", "/old", "/backup", "/static", "/app", "/dev", "/test", "/v2"]

    /// The anonymous scanner: fast, from a hosting range.
    static func scanner(world: SimulatedWorld, ledger: TruthLedger, count: Int) -> ProbeScript {
        let plan = world.plan
        return ProbeScript(
            world: world, ledger: ledger, name: "scanner", identity: nil, probes: SimulatedNames.scannerProbes,
            agents: [
                "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
                "sqlmap/1.8.11#stable (https://sqlmap.org)", "curl/8.5.0",
            ],
            count: count, start: plan.at(SimulationPlan.adminScannerStart),
            intervalMs: plan.intervalMs(count: count, minPerSecond: 4, maxFraction: 0.05),
            prefixes: SimulatedWorld.hosting)
    }

    /// Trudy: a customer account trying privileged functions by hand, a few seconds apart.
    static func privileged(world: SimulatedWorld, ledger: TruthLedger, count: Int) -> ProbeScript {
        let plan = world.plan
        return ProbeScript(
            world: world, ledger: ledger, name: "trudy", identity: world.trudy.name,
            probes: SimulatedNames.privilegeProbes, agents: [SimulatedNames.postmanAgent], count: count,
            start: plan.at(SimulationPlan.adminUserStart),
            intervalMs: plan.intervalMs(count: count, minPerSecond: 0.3, maxFraction: 0.08),
            prefixes: SimulatedWorld.residential)
    }

    private init(
        world: SimulatedWorld, ledger: TruthLedger, name: String, identity: String?,
        probes: [(String, String, String?, Int)], agents: [String], count: Int, start: Int64, intervalMs: Double,
        prefixes: [UInt8]
    ) {
        var setup = SimulationRandom(seed: world.plan.spec.seed, stream: SimulationRandom.label(name + "-ip"))
        ip = world.newAddress(prefixes, &setup)
        self.identity = identity
        self.probes = probes
        self.agents = agents
        left = count
        self.intervalMs = intervalMs
        loggedIn = identity == nil
        rotatesPrefixes = identity == nil
        self.ledger = ledger
        super.init(world: world, name: name, start: start)
    }

    override func next() -> SimulatedRequest? {
        ledger.attackerIPs.insert(ip)
        if let identity { ledger.attackerClients.insert(identity) }
        if !loggedIn {
            loggedIn = true
            return request(
                ip: ip, identity: identity, method: "POST", path: SimulatedAPI.login, route: SimulatedAPI.login,
                status: 200, body: .login, userAgent: agents[0])
        }
        guard left > 0 else { return nil }
        left -= 1
        wait(rng.jittered(meanMs: intervalMs, spread: 0.5))
        let (method, basePath, query, status) = probes[index % probes.count]
        let round = index / probes.count
        index += 1
        if round > 0 && !rotatesPrefixes {
            // Same function, another target: the next user id, or the next page.
            var path = basePath
            var extra = "page=\(round + 1)"
            if let slash = basePath.lastIndex(of: "/"), let id = Int(basePath[basePath.index(after: slash)...]) {
                path = String(basePath[..<slash]) + "/\(id + 3 * round)"
                extra = ""
            }
            let fullQuery = [query, extra].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "&")
            return request(
                ip: ip, identity: identity, method: method, path: path, query: fullQuery.isEmpty ? nil : fullQuery,
                route: documentedRoute(path), status: status, body: .account, userAgent: rng.pick(agents))
        }
        // Later rounds try the same things under other prefixes; those paths do not exist at all.
        let path = round == 0 ? basePath : ProbeScript.prefixes[(round - 1) % ProbeScript.prefixes.count] + basePath
        let variant = round > ProbeScript.prefixes.count ? "cb=\(round)" : nil
        let fullQuery = [query, variant].compactMap { $0 }.joined(separator: "&")
        let route = round == 0 ? documentedRoute(path) : nil
        return request(
            ip: ip, identity: identity, method: method, path: path, query: fullQuery.isEmpty ? nil : fullQuery,
            route: route, status: round == 0 ? status : 404, body: .account, userAgent: rng.pick(agents))
    }

    private func documentedRoute(_ path: String) -> String? {
        if path == SimulatedAPI.adminUsers || path == SimulatedAPI.products { return path }
        if path.hasPrefix("/v1/products/") { return SimulatedAPI.product }
        if path.hasPrefix("/v1/customers/") { return SimulatedAPI.customer }
        return nil
    }
}

/// Oscar maps the API beyond its documentation: a wordlist sweep finds `/v1/internal/export`,
/// `/v1/debug/vars` and the old `/v0` account API still answering, and he then uses them, along
/// with the deprecated `GET /v1/accounts/{accountId}`.
final class ShadowScript: TrafficScript {
    private let ip: String
    private var left: Int
    private let discovery: Int
    private var step = 0
    private let intervalMs: Double
    private let ledger: TruthLedger
    private let account: Int

    /// What the wordlist sweep asks for, and what answers.
    static let sweep: [(String, Int, ResponseBody)] = [
        ("/v1/internal/users", 404, .account), ("/v1/internal/export", 200, .export), ("/v1/internal/health", 404, .health),
        ("/v1/debug", 404, .debugVars), ("/v1/debug/vars", 200, .debugVars), ("/v1/debug/pprof/", 404, .debugVars),
        ("/v1/swagger.json", 404, .account), ("/v1/graphql", 404, .account), ("/v0/orders", 404, .orderList),
        ("/v2/internal/export", 404, .export), ("/v1/backup", 404, .account), ("/v1/config", 404, .account),
    ]

    init(world: SimulatedWorld, ledger: TruthLedger) {
        let plan = world.plan
        var setup = SimulationRandom(seed: plan.spec.seed, stream: SimulationRandom.label("oscar-ip"))
        ip = world.newAddress(SimulatedWorld.hosting, &setup)
        left = plan.shadowRequests
        discovery = plan.shadowRequests * 2 / 5
        intervalMs = plan.intervalMs(count: plan.shadowRequests, minPerSecond: 1, maxFraction: 0.06)
        self.ledger = ledger
        account = world.accountID(world.oscar)
        super.init(world: world, name: "oscar", start: plan.at(SimulationPlan.shadowStart))
    }

    override func next() -> SimulatedRequest? {
        guard left > 0 else { return nil }
        left -= 1
        defer { step += 1 }
        ledger.attackerIPs.insert(ip)
        ledger.attackerClients.insert(world.oscar.name)
        let me = world.oscar.name
        if step == 0 {
            return request(
                ip: ip, identity: me, method: "POST", path: SimulatedAPI.login, route: SimulatedAPI.login,
                status: 200, body: .login, userAgent: SimulatedNames.proxiedBrowserAgent)
        }
        wait(rng.jittered(meanMs: intervalMs, spread: 0.5))
        if step == 1 {
            return used("/v1/accounts/\(account)", route: SimulatedAPI.accountV1, body: .account)
        }
        if step < discovery {
            // The sweep also tries each word under /v0 once the plain list is done.
            let (path, status, body) = ShadowScript.sweep[(step - 2) % ShadowScript.sweep.count]
            let round = (step - 2) / ShadowScript.sweep.count
            let probed = round == 0 ? path : "/v0" + path.dropFirst(3) + (round > 1 ? "-\(round)" : "")
            if round == 0 && status == 200 { record("GET", path) }
            return request(
                ip: ip, identity: me, path: probed, route: nil, status: round == 0 ? status : 404, body: body,
                userAgent: SimulatedNames.fuzzerAgent)
        }
        switch step % 5 {
        case 0: return used("/v1/internal/export", query: "page=\(step / 5)", route: nil, body: .export)
        case 1: return used("/v1/debug/vars", route: nil, body: .debugVars)
        case 2: return used("/v0/accounts/\(account)", route: nil, body: .account)
        case 3: return used("/v0/accounts/\(account)/orders", route: nil, body: .orderList)
        default: return used("/v1/accounts/\(account)", route: SimulatedAPI.accountV1, body: .account)
        }
    }

    /// A 2xx on a shadow endpoint, recorded under its route (or ingest's heuristic template).
    private func used(_ path: String, query: String? = nil, route: String?, body: ResponseBody) -> SimulatedRequest {
        record("GET", route ?? RouteTable.heuristicTemplate(path))
        return request(
            ip: ip, identity: world.oscar.name, path: path, query: query, route: route, status: 200, body: body,
            userAgent: SimulatedNames.proxiedBrowserAgent)
    }

    private func record(_ method: String, _ path: String) {
        ledger.shadowEndpoints.insert(GroundTruth.ShadowEndpoint(method: method, path: path))
    }
}
