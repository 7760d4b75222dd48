/// The credential-stuffing campaign: a combolist played against `POST /v1/login` from a pool of
/// addresses, first as fast single-address bursts, then as a slow distributed wave in which each
/// address stays under per-IP limits while the route as a whole drowns in 401s.
///
/// A few attempts (2–4) hit real accounts with the right password; the address that got in then
/// uses the victim's account at once. A separate brute force hammers one real username and never
/// gets in.
final class StuffingCampaign {
    let world: SimulatedWorld
    let ledger: TruthLedger
    let total: Int
    let burstAttempts: Int
    /// Distinct usernames in the list; attempts beyond it retry names with other passwords.
    let listSize: Int
    /// Global attempt index → victim user index, for the attempts that succeed.
    let successes: [Int: Int]
    let bruteTarget: Int
    private let listSeed: UInt64

    init(world: SimulatedWorld, ledger: TruthLedger) {
        self.world = world
        self.ledger = ledger
        let plan = world.plan
        var rng = SimulationRandom(seed: plan.spec.seed, stream: SimulationRandom.label("stuffing-plan"))
        listSeed = rng.next()
        total = plan.stuffingAttempts
        burstAttempts = total * 35 / 100
        listSize = max(1, min(20_000, total * 85 / 100))
        // Victims and the brute-force target are ordinary users: not behind the NAT, not the decoy.
        let quirky = Set(world.quirkUsers)
        let eligible = Array(plan.natUserCount..<world.users.count).filter { $0 != world.stray403User && !quirky.contains($0) }
        var picks: [Int] = []
        let wanted = 1 + 2 + rng.below(3)  // the brute-force target, then 2–4 victims
        while picks.count < wanted {
            let u = eligible[rng.below(eligible.count)]
            if !picks.contains(u) { picks.append(u) }
        }
        bruteTarget = picks.removeFirst()
        var slots: [Int: Int] = [:]
        for victim in picks {
            var slot = rng.below(total)
            while slots[slot] != nil { slot = rng.below(total) }
            slots[slot] = victim
        }
        successes = slots
    }

    /// The username tried at a global attempt index: about 45% real accounts, the rest names
    /// leaked from other sites. Those never collide with an account here, whose names are all
    /// `first.last` or `first.lastN`: they have no dot (`mariag84`), an underscore, or a domain.
    func username(at attempt: Int) -> String {
        let h = SimulationRandom.mix(listSeed ^ UInt64(attempt % listSize))
        let users = world.users
        if h % 100 < 45 {
            let u = Int((h >> 8) % UInt64(users.count))
            if u != world.stray403User { return users[u].name }
        }
        let first = SimulatedNames.first[Int((h >> 16) % UInt64(SimulatedNames.first.count))]
        let last = SimulatedNames.last[Int((h >> 24) % UInt64(SimulatedNames.last.count))]
        let number = Int((h >> 32) % 100)
        switch (h >> 40) % 3 {
        case 0: return "\(first)\(last.prefix(1))\(number)"
        case 1: return "\(first)_\(last)\(number)"
        default:
            let domains = ["gmail.com", "yahoo.com", "hotmail.com", "mail.ru", "web.de", "outlook.com"]
            return "\(first).\(last)@\(domains[Int((h >> 48) % UInt64(domains.count))])"
        }
    }
}

/// One stuffing address: a burst (consecutive attempts, fast) or a share of the wave (every
/// `stride`-th attempt, slow). After a success it uses the victim's account, then carries on.
final class StuffingScript: TrafficScript {
    private let campaign: StuffingCampaign
    private let ip: String
    /// The next global attempt index, the step between this address's attempts, and where it stops.
    private var attempt: Int
    private let stride: Int
    private let limit: Int
    private let intervalMs: Double
    private let rotates: Bool
    private var agent = ""
    private var victim: SimulatedWorld.User?
    private var takeover: [(path: String, route: String, body: ResponseBody, method: String)] = []

    init(
        campaign: StuffingCampaign, index: Int, ip: String, first: Int, stride: Int, limit: Int, start: Int64,
        intervalMs: Double, rotatesAgents: Bool
    ) {
        self.campaign = campaign
        self.ip = ip
        attempt = first
        self.stride = stride
        self.limit = min(limit, campaign.total)
        self.intervalMs = intervalMs
        rotates = rotatesAgents
        super.init(world: campaign.world, name: "stuffer", index: index, start: start)
        // A burst is one tool run with one user agent; the wave's tooling rotates them.
        agent = rng.pick(SimulatedNames.stuffingAgents)
    }

    override func next() -> SimulatedRequest? {
        if !takeover.isEmpty, let victim {
            let step = takeover.removeFirst()
            wait(2_000 + Int64(rng.below(6_000)))
            campaign.ledger.attackerIPs.insert(ip)
            return request(
                ip: ip, identity: victim.name, method: step.method, path: step.path, route: step.route,
                status: 200, body: step.body, userAgent: agent)
        }
        guard attempt < limit else { return nil }
        let index = attempt
        attempt += stride
        if rotates { agent = rng.pick(SimulatedNames.stuffingAgents) }
        campaign.ledger.attackerIPs.insert(ip)
        let sent: SimulatedRequest
        if let u = campaign.successes[index] {
            let user = campaign.world.users[u]
            sent = request(
                ip: ip, identity: user.name, method: "POST", path: SimulatedAPI.login, route: SimulatedAPI.login,
                status: 200, body: .login, userAgent: agent)
            campaign.ledger.triedUsernames.insert(user.name)
            campaign.ledger.compromised.insert(user.name)
            planTakeover(of: user)
        } else {
            let name = campaign.username(at: index)
            campaign.ledger.triedUsernames.insert(name)
            sent = request(
                ip: ip, identity: name, method: "POST", path: SimulatedAPI.login, route: SimulatedAPI.login,
                status: 401, body: .login, userAgent: agent)
        }
        wait(rng.jittered(meanMs: intervalMs, spread: 0.5))
        return sent
    }

    /// What an account-takeover crew does first: look at the account, its orders and payment
    /// details, and change the profile's contact details.
    private func planTakeover(of user: SimulatedWorld.User) {
        victim = user
        let account = String(world.accountID(user))
        let order = SimulatedWorld.orderBase + SimulationPlan.orderBlock * user.block
        takeover = [
            ("/v2/accounts/\(account)", SimulatedAPI.accountV2, .account, "GET"),
            ("/v1/accounts/\(account)/orders", SimulatedAPI.accountOrders, .orderList, "GET"),
            ("/v1/orders/\(order)", SimulatedAPI.order, .order, "GET"),
            ("/v1/customers/\(user.customerID)", SimulatedAPI.customer, .customer, "GET"),
        ]
        if rng.chance(0.6) { takeover.append(("/v1/orders/\(order + 1)", SimulatedAPI.order, .order, "GET")) }
        if rng.chance(0.7) { takeover.append(("/v2/accounts/\(account)", SimulatedAPI.accountV2, .account, "PUT")) }
    }
}

/// One address trying one real username over and over, never with the right password.
final class BruteForceScript: TrafficScript {
    private let ip: String
    private let username: String
    private let intervalMs: Double
    private var left: Int
    private let ledger: TruthLedger

    init(campaign: StuffingCampaign) {
        let plan = campaign.world.plan
        username = campaign.world.users[campaign.bruteTarget].name
        left = plan.bruteForceAttempts
        intervalMs = plan.intervalMs(count: left, minPerSecond: 0.5, maxFraction: 0.10)
        ledger = campaign.ledger
        var rng = SimulationRandom(seed: plan.spec.seed, stream: SimulationRandom.label("brute-ip"))
        ip = campaign.world.newAddress(SimulatedWorld.hosting, &rng)
        super.init(world: campaign.world, name: "brute", start: plan.at(SimulationPlan.bruteForceStart))
    }

    override func next() -> SimulatedRequest? {
        guard left > 0 else { return nil }
        left -= 1
        ledger.attackerIPs.insert(ip)
        ledger.triedUsernames.insert(username)
        let sent = request(
            ip: ip, identity: username, method: "POST", path: SimulatedAPI.login, route: SimulatedAPI.login,
            status: 401, body: .login, userAgent: SimulatedNames.bruteForceAgent)
        wait(rng.jittered(meanMs: intervalMs, spread: 0.3))
        return sent
    }
}
