/// One customer using the shop's apps: sessions that start with a login, then reads of their own
/// account, orders and customer record, product browsing, and now and then an order.
///
/// Everything a user touches is theirs, so every object read is 2xx; the only 404s are product ids
/// that do not exist, and the only 401s are a mistyped password, retried a few seconds later.
final class UserScript: TrafficScript {
    private let user: SimulatedWorld.User
    private var sessionStarts: [Int64]
    private var sessionIndex = 0
    private var leftInSession = 0
    private let total: Int
    private let perSession: Int
    private var gapMs: Double
    private var retryLogin = false
    private let wrongPasswordRate: Double

    init(world: SimulatedWorld, userIndex: Int) {
        user = world.users[userIndex]
        let plan = world.plan
        let mean = Double(plan.benignUserRequests) / Double(plan.userCount)
        total = max(2, Int((mean * user.activity / 0.85).rounded()))
        let sessions = min(12, max(1, total / 7))
        perSession = max(2, total / sessions)
        // A session lasts up to ~20 minutes whatever its length; long ones are apps polling.
        gapMs = min(45_000, max(2_000, 1_200_000 / Double(perSession)))
        wrongPasswordRate = user.onNAT ? 0.05 : 0.02
        sessionStarts = []
        super.init(world: world, name: "user", index: userIndex, start: plan.startMs)
        let latest = max(1, plan.windowMs - Int64(gapMs) * Int64(perSession))
        sessionStarts = (0..<sessions).map { _ in plan.startMs + Int64(rng.below(Int(latest))) }.sorted()
    }

    override func next() -> SimulatedRequest? {
        if retryLogin {
            retryLogin = false
            wait(4_000 + Int64(rng.below(11_000)))
            return login(status: 200)
        }
        if leftInSession == 0 {
            guard sessionIndex < sessionStarts.count else { return nil }
            clock = max(clock + 1_000, sessionStarts[sessionIndex])
            // The remainder of total / sessions goes to the first sessions, one each.
            let extra = sessionIndex < total % sessionStarts.count && perSession * sessionStarts.count < total ? 1 : 0
            sessionIndex += 1
            leftInSession = perSession + extra - 1
            if rng.chance(0.005) {
                // Forgot the password first: the reset is anonymous, the login follows later.
                retryLogin = true
                return request(
                    ip: user.ip, method: "POST", path: SimulatedAPI.passwordReset,
                    route: SimulatedAPI.passwordReset, status: 202, body: .accepted, userAgent: user.userAgent)
            }
            // People behind the NAT mistype at their own rate, whenever they do: their failures
            // can cluster on the shared address.
            if rng.chance(wrongPasswordRate) {
                retryLogin = true
                return login(status: 401)
            }
            return login(status: 200)
        }
        leftInSession -= 1
        wait(rng.jittered(meanMs: gapMs, spread: 0.7))
        guard clock < world.plan.endMs else { return nil }
        return browse()
    }

    private func login(status: Int) -> SimulatedRequest {
        request(
            ip: user.ip, identity: user.name, method: "POST", path: SimulatedAPI.login, route: SimulatedAPI.login,
            status: status, body: .login, userAgent: user.userAgent)
    }

    /// One request of the app's usual mix.
    private func browse() -> SimulatedRequest {
        let account = String(world.accountID(user))
        let roll = rng.below(100)
        func mine(
            _ path: String, _ route: String, _ body: ResponseBody, method: String = "GET", status: Int = 200,
            query: String? = nil
        ) -> SimulatedRequest {
            request(
                ip: user.ip, identity: user.name, method: method, path: path, query: query, route: route,
                status: status, body: body, userAgent: user.userAgent)
        }
        switch roll {
        case 0..<24:
            let route = user.legacyClient ? SimulatedAPI.accountV1 : SimulatedAPI.accountV2
            let prefix = user.legacyClient ? "/v1/accounts/" : "/v2/accounts/"
            return mine(prefix + account, route, .account, status: rng.chance(0.1) ? 304 : 200)
        case 24..<44:
            return mine("/v1/accounts/\(account)/orders", SimulatedAPI.accountOrders, .orderList)
        case 44..<58:
            let order = SimulatedWorld.orderBase + SimulationPlan.orderBlock * user.block + rng.below(user.orderCount)
            return mine("/v1/orders/\(order)", SimulatedAPI.order, .order)
        case 58..<78:
            return mine(
                "/v1/products", SimulatedAPI.products, .productPage, status: rng.chance(0.3) ? 304 : 200,
                query: "page=\(1 + rng.below(5))")
        case 78..<92:
            if rng.chance(0.03) {
                return mine(
                    "/v1/products/\(SimulatedWorld.productBase + SimulatedWorld.productCount + rng.below(400))",
                    SimulatedAPI.product, .product, status: 404)
            }
            let product = SimulatedWorld.productBase + rng.below(SimulatedWorld.productCount)
            return mine("/v1/products/\(product)", SimulatedAPI.product, .product, status: rng.chance(0.15) ? 304 : 200)
        case 92..<96:
            return mine("/v1/customers/\(user.customerID)", SimulatedAPI.customer, .customer)
        case 96..<98:
            return mine(SimulatedAPI.orders, SimulatedAPI.orders, .created, method: "POST", status: 201)
        default:
            return mine("/v2/accounts/\(account)", SimulatedAPI.accountV2, .account, method: "PUT")
        }
    }
}

/// The load balancer's liveness probe: `GET /health` every 10 s from one internal address.
final class HealthScript: TrafficScript {
    private let agent: String

    init(world: SimulatedWorld) {
        agent = world.format == "aws-apigw" ? SimulatedNames.awsHealthAgent : SimulatedNames.healthAgent
        super.init(world: world, name: "health", start: world.plan.startMs)
        wait(Int64(rng.below(Int(world.plan.healthIntervalMs))))
    }

    override func next() -> SimulatedRequest? {
        guard clock < world.plan.endMs else { return nil }
        // Probes fire on a timer; only the network adds a few milliseconds.
        let sent = request(
            ip: world.healthIP, path: SimulatedAPI.health, route: SimulatedAPI.health, status: 200,
            body: .health, userAgent: agent)
        wait(world.plan.healthIntervalMs + Int64(rng.below(7)) - 3)
        return sent
    }
}

/// The billing service: a heavy, steady client with its own key, alternating between two fixed
/// addresses and reading many customers' orders and records, all of which exist.
final class ServiceScript: TrafficScript {
    private let intervalMs: Double
    private var count = 0

    init(world: SimulatedWorld) {
        intervalMs = Double(world.plan.windowMs) / Double(world.plan.serviceRequests)
        super.init(world: world, name: "service", start: world.plan.startMs)
        wait(Int64(rng.below(Int(intervalMs))))
    }

    override func next() -> SimulatedRequest? {
        guard clock < world.plan.endMs, count < world.plan.serviceRequests else { return nil }
        let ip = world.serviceIPs[count % 2]
        count += 1
        let key = world.serviceKey
        let sent: SimulatedRequest
        switch rng.below(3) {
        case 0:
            sent = request(
                ip: ip, identity: key.consumer, key: key, path: "/v1/orders/\(world.anyOrderID(&rng))",
                route: SimulatedAPI.order, status: 200, body: .order, userAgent: SimulatedNames.serviceAgent)
        case 1:
            let customer = world.users[rng.below(world.users.count)].customerID
            sent = request(
                ip: ip, identity: key.consumer, key: key, path: "/v1/customers/\(customer)",
                route: SimulatedAPI.customer, status: 200, body: .customer, userAgent: SimulatedNames.serviceAgent)
        default:
            let account = world.accountID(world.users[rng.below(world.users.count)])
            sent = request(
                ip: ip, identity: key.consumer, key: key, path: "/v1/accounts/\(account)/orders",
                route: SimulatedAPI.accountOrders, status: 200, body: .orderList, userAgent: SimulatedNames.serviceAgent)
        }
        wait(rng.jittered(meanMs: intervalMs, spread: 0.1))
        return sent
    }
}

/// The partner's catalogue sync: light use of its key from its own two addresses, all day. While
/// its leaked key is being abused the shared rate limit throttles the partner too.
final class PartnerScript: TrafficScript {
    private let intervalMs: Double
    private let leak: LeakSchedule?
    private var page = 1
    private var count = 0

    init(world: SimulatedWorld, leak: LeakSchedule?) {
        intervalMs = Double(world.plan.windowMs) / Double(world.plan.partnerRequests)
        self.leak = leak
        super.init(world: world, name: "partner", start: world.plan.startMs)
        wait(rng.exponential(meanMs: intervalMs))
    }

    override func next() -> SimulatedRequest? {
        guard clock < world.plan.endMs, count < world.plan.partnerRequests else { return nil }
        count += 1
        let ip = world.partnerIPs[rng.below(2)]
        let throttled = leak?.inStorm(clock) == true && rng.chance(0.85)
        let key = world.partnerKey
        let agent = SimulatedNames.partnerAgent
        let sent: SimulatedRequest
        if rng.chance(0.7) {
            let pages = SimulatedWorld.productCount / SimulatedWorld.productsPerPage
            page = page % pages + 1
            sent = request(
                ip: ip, key: key, path: SimulatedAPI.products, query: "page=\(page)", route: SimulatedAPI.products,
                status: throttled ? 429 : 200, body: .productPage, userAgent: agent)
        } else {
            let product = SimulatedWorld.productBase + rng.below(SimulatedWorld.productCount)
            sent = request(
                ip: ip, key: key, path: "/v1/products/\(product)", route: SimulatedAPI.product,
                status: throttled ? 429 : (rng.chance(0.2) ? 304 : 200), body: .product, userAgent: agent)
        }
        wait(rng.exponential(meanMs: intervalMs))
        return sent
    }
}
