/// Mallory's BOLA walk: a real customer who logs in, looks at their own orders, then reads
/// `/v1/orders/{orderId}` for a few hundred consecutive ids that belong to other customers.
///
/// Existing orders answer 200 (the missing ownership check); ids that never existed answer 404,
/// leaving gaps. Halfway through, Mallory may move to a second address (a VPS) after a pause.
final class BolaScript: TrafficScript {
    private let user: SimulatedWorld.User
    private let ips: [String]
    private var warmup: [(path: String, route: String, body: ResponseBody, method: String)]
    private var nextID: Int
    private var left: Int
    private let total: Int
    private let intervalMs: Double
    private let walkStart: Int64
    private let ledger: TruthLedger
    private let agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"

    init(world: SimulatedWorld, ledger: TruthLedger) {
        let plan = world.plan
        user = world.mallory
        self.ledger = ledger
        var setup = SimulationRandom(seed: plan.spec.seed, stream: SimulationRandom.label("bola-plan"))
        var addresses = [world.newAddress(SimulatedWorld.residential, &setup)]
        if setup.chance(0.6) { addresses.append(world.newAddress(SimulatedWorld.hosting, &setup)) }
        ips = addresses
        total = plan.bolaIDs
        left = total
        let blocks = (total + SimulationPlan.orderBlock - 1) / SimulationPlan.orderBlock
        let firstBlock = setup.below(max(1, world.users.count - blocks))
        nextID = SimulatedWorld.orderBase + SimulationPlan.orderBlock * firstBlock
        intervalMs = plan.intervalMs(count: total, minPerSecond: 1.5, maxFraction: 0.12)
        walkStart = plan.at(SimulationPlan.bolaWalkStart)
        let account = String(world.accountID(world.mallory))
        let own = SimulatedWorld.orderBase + SimulationPlan.orderBlock * world.mallory.block
        warmup = [
            (SimulatedAPI.login, SimulatedAPI.login, .login, "POST"),
            ("/v2/accounts/\(account)", SimulatedAPI.accountV2, .account, "GET"),
            ("/v1/accounts/\(account)/orders", SimulatedAPI.accountOrders, .orderList, "GET"),
            ("/v1/orders/\(own)", SimulatedAPI.order, .order, "GET"),
            ("/v1/orders/\(own + 1)", SimulatedAPI.order, .order, "GET"),
            ("/v1/orders/\(own)", SimulatedAPI.order, .order, "GET"),
        ]
        super.init(world: world, name: "bola", start: plan.at(SimulationPlan.bolaLoginStart))
    }

    override func next() -> SimulatedRequest? {
        if !warmup.isEmpty {
            let step = warmup.removeFirst()
            wait(3_000 + Int64(rng.below(20_000)))
            ledger.attackerIPs.insert(ips[0])
            return request(
                ip: ips[0], identity: user.name, method: step.method, path: step.path, route: step.route,
                status: 200, body: step.body, userAgent: agent)
        }
        guard left > 0 else { return nil }
        let done = total - left
        left -= 1
        if done == 0 { clock = max(clock, walkStart) }
        // A pause while the script is moved to the second address.
        if ips.count > 1 && done == total / 2 { wait(60_000 + Int64(rng.below(120_000))) }
        let ip = ips.count > 1 && done >= total / 2 ? ips[1] : ips[0]
        let id = nextID
        nextID += 1
        let exists = world.orderOwner(id) != nil
        if exists { ledger.bolaIDs.append(id) }
        ledger.attackerIPs.insert(ip)
        let sent = request(
            ip: ip, identity: user.name, path: "/v1/orders/\(id)", route: SimulatedAPI.order,
            status: exists ? 200 : 404, body: .order, userAgent: agent)
        wait(rng.jittered(meanMs: intervalMs, spread: 0.4))
        return sent
    }
}

/// When the partner's leaked key is abused, and when the abuse trips the shared rate limit.
struct LeakSchedule {
    let startMs: Int64
    let durationMs: Int64
    /// Mean gap between abusive requests outside the storm (a third of it inside).
    let intervalMs: Double

    init(plan: SimulationPlan) {
        startMs = plan.at(SimulationPlan.leakStart)
        let count = Double(plan.scrapeRequests)
        // Aim for 8 requests/s, but spend at least 15 minutes and at most 22% of the window.
        let wanted = count / 8 * 1000
        durationMs = Int64(min(Double(plan.windowMs) * 0.22, max(900_000, wanted)))
        let storm = SimulationPlan.stormSpan.upperBound - SimulationPlan.stormSpan.lowerBound
        // Storm at 3× the rate over `storm` of the time: count = rate · D · (1 − storm + 3·storm).
        intervalMs = Double(durationMs) * (1 + 2 * storm) / max(1, count)
    }

    var stormRange: Range<Int64> {
        let lo = startMs + Int64(Double(durationMs) * SimulationPlan.stormSpan.lowerBound)
        let hi = startMs + Int64(Double(durationMs) * SimulationPlan.stormSpan.upperBound)
        return lo..<hi
    }

    func inStorm(_ ms: Int64) -> Bool { stormRange.contains(ms) }
}

/// The leaked partner key in the wrong hands: 5–15 new addresses pulling product pages and
/// customer records as fast as the gateway allows, then faster, into a storm of 429s.
final class ScraperScript: TrafficScript {
    private let ips: [String]
    private let leak: LeakSchedule
    private var count = 0
    private var page = 0
    private let ledger: TruthLedger

    init(world: SimulatedWorld, leak: LeakSchedule, ledger: TruthLedger) {
        var setup = SimulationRandom(seed: world.plan.spec.seed, stream: SimulationRandom.label("scrape-ips"))
        ips = (0..<(5 + setup.below(11))).map { _ in world.newAddress(SimulatedWorld.hosting, &setup) }
        self.leak = leak
        self.ledger = ledger
        super.init(world: world, name: "scraper", start: leak.startMs)
    }

    override func next() -> SimulatedRequest? {
        guard count < world.plan.scrapeRequests, clock < world.plan.endMs else { return nil }
        // Every address is put to work at once, then picked at random.
        let which = count < ips.count ? count : rng.below(ips.count)
        let ip = ips[which]
        count += 1
        ledger.attackerIPs.insert(ip)
        let storm = leak.inStorm(clock)
        let throttled = storm && rng.chance(0.85)
        let agent = SimulatedNames.scraperAgents[which % SimulatedNames.scraperAgents.count]
        let key = world.partnerKey
        let sent: SimulatedRequest
        if rng.chance(0.5) {
            page += 1
            let pages = SimulatedWorld.productCount / SimulatedWorld.productsPerPage
            let beyond = (page - 1) % (pages + 3) + 1 > pages
            sent = request(
                ip: ip, key: key, path: SimulatedAPI.products, query: "page=\((page - 1) % (pages + 3) + 1)",
                route: SimulatedAPI.products, status: throttled ? 429 : 200,
                body: beyond ? .emptyPage : .productPage, userAgent: agent)
        } else {
            let id = world.anyCustomerID(&rng)
            let status = throttled ? 429 : (world.customerExists(id) ? 200 : 404)
            sent = request(
                ip: ip, key: key, path: "/v1/customers/\(id)", route: SimulatedAPI.customer, status: status,
                body: .customer, userAgent: agent)
        }
        wait(rng.jittered(meanMs: storm ? leak.intervalMs / 3 : leak.intervalMs, spread: 0.6))
        return sent
    }
}
