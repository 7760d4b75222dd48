/// Odd but innocent traffic, written from how people and programs use a real API rather than from
/// what the detectors look for. Every source here is a decoy in the ground truth: scope must not
/// name any of them as an attacker.
///
/// - a stale bookmark: a user opens an order that no longer exists and gets 404;
/// - a mobile app on a flaky network retries the same request after 502/504s;
/// - a password manager submits the login twice, the first with an old password;
/// - a nightly export job walks every customer record in order, at 1 request a second, with its key;
/// - a search crawler reads the public product catalogue page by page and product by product,
///   including products that were removed.
enum BenignQuirks {
    static func sources(world: SimulatedWorld, ledger: TruthLedger) -> [TrafficSource] {
        let quirky = world.quirkUsers
        guard quirky.count >= 6 else { return [] }
        let users = quirky.map { world.users[$0] }
        ledger.decoyIPs += users.map(\.ip) + [ExportJobScript.address, CrawlerScript.addresses[0]]
        ledger.decoyClients += users.map(\.name) + [ExportJobScript.key.consumer]
        return [
            StaleBookmarkScript(world: world, user: quirky[0], index: 0),
            StaleBookmarkScript(world: world, user: quirky[1], index: 1),
            FlakyNetworkScript(world: world, user: quirky[2], index: 0),
            FlakyNetworkScript(world: world, user: quirky[3], index: 1),
            PasswordManagerScript(world: world, user: quirky[4], index: 0),
            PasswordManagerScript(world: world, user: quirky[5], index: 1),
            ExportJobScript(world: world),
            CrawlerScript(world: world),
        ]
    }
}

/// A user who follows two or three old links to orders that are gone (404), hours apart.
final class StaleBookmarkScript: TrafficScript {
    private let user: SimulatedWorld.User
    private var left: Int

    init(world: SimulatedWorld, user userIndex: Int, index: Int) {
        user = world.users[userIndex]
        left = 0
        super.init(world: world, name: "stale-bookmark", index: index, start: world.plan.startMs)
        left = 2 + rng.below(2)
        wait(Int64(rng.below(Int(world.plan.windowMs / 3))))
    }

    override func next() -> SimulatedRequest? {
        guard left > 0, clock < world.plan.endMs else { return nil }
        left -= 1
        // An id in the user's own block past its last order: an order that was cancelled and purged.
        let gone = SimulatedWorld.orderBase + SimulationPlan.orderBlock * user.block + user.orderCount
        let sent = request(
            ip: user.ip, identity: user.name, path: "/v1/orders/\(gone)", route: SimulatedAPI.order, status: 404, body: .order,
            userAgent: user.userAgent)
        wait(Int64(world.plan.windowMs / 4) + Int64(rng.below(600_000)))
        return sent
    }
}

/// A phone on a bad connection: a read that fails with 502 or 504 is retried at once, up to three
/// times, twenty times over the day.
final class FlakyNetworkScript: TrafficScript {
    private let user: SimulatedWorld.User
    private var bursts = 20
    private var retries: [Int] = []

    init(world: SimulatedWorld, user userIndex: Int, index: Int) {
        user = world.users[userIndex]
        super.init(world: world, name: "flaky-network", index: index, start: world.plan.startMs)
        wait(Int64(rng.below(600_000)))
    }

    override func next() -> SimulatedRequest? {
        guard clock < world.plan.endMs else { return nil }
        if retries.isEmpty {
            guard bursts > 0 else { return nil }
            bursts -= 1
            wait(world.plan.windowMs / 22 + Int64(rng.below(300_000)))
            retries = [[502, 504][rng.below(2)], [502, 504, 200][rng.below(3)], 200]
        } else {
            wait(300 + Int64(rng.below(1_500)))
        }
        guard clock < world.plan.endMs else { return nil }
        let status = retries.removeFirst()
        if status == 200 { retries.removeAll() }
        let account = String(world.accountID(user))
        return request(
            ip: user.ip, identity: user.name, path: "/v1/accounts/\(account)/orders", route: SimulatedAPI.accountOrders,
            status: status, body: .orderList, userAgent: user.userAgent)
    }
}

/// A password manager that fills the old password first: 401, then the new one a second later,
/// then the app's first read. Three times a day.
final class PasswordManagerScript: TrafficScript {
    private let user: SimulatedWorld.User
    private var sessions = 3
    private var step = 0

    init(world: SimulatedWorld, user userIndex: Int, index: Int) {
        user = world.users[userIndex]
        super.init(world: world, name: "password-manager", index: index, start: world.plan.startMs)
        wait(Int64(rng.below(1_800_000)))
    }

    override func next() -> SimulatedRequest? {
        guard clock < world.plan.endMs else { return nil }
        switch step {
        case 0:
            guard sessions > 0 else { return nil }
            sessions -= 1
            step = 1
            return login(status: 401)
        case 1:
            step = 2
            wait(600 + Int64(rng.below(900)))
            guard clock < world.plan.endMs else { return nil }
            return login(status: 200)
        default:
            step = 0
            wait(1_000 + Int64(rng.below(2_000)))
            guard clock < world.plan.endMs else { return nil }
            let sent = request(
                ip: user.ip, identity: user.name, path: "/v2/accounts/\(world.accountID(user))", route: SimulatedAPI.accountV2,
                status: 200, body: .account, userAgent: user.userAgent)
            wait(world.plan.windowMs / 4 + Int64(rng.below(900_000)))
            return sent
        }
    }

    private func login(status: Int) -> SimulatedRequest {
        request(
            ip: user.ip, identity: user.name, method: "POST", path: SimulatedAPI.login, route: SimulatedAPI.login, status: status,
            body: .login, userAgent: user.userAgent)
    }
}

/// The nightly CRM export: every customer record in id order, one a second, with its own key from
/// one internal address. Sequential ids across every owner, all 2xx: innocent by design.
final class ExportJobScript: TrafficScript {
    static let address = "10.20.30.40"
    static let key = SimulatedWorld.APIKey(consumer: "svc-crm-export", secret: "crmx0e7c1b9f4d2a8e6c3b5f1a9d7e4c2b", awsKeyID: "crmexport01")
    private var nextCustomer = 0

    init(world: SimulatedWorld) {
        super.init(world: world, name: "export-job", start: world.plan.at(0.15))
    }

    override func next() -> SimulatedRequest? {
        guard clock < world.plan.endMs, nextCustomer < world.users.count else { return nil }
        let id = world.users[nextCustomer].customerID
        nextCustomer += 1
        let sent = request(
            ip: ExportJobScript.address, identity: ExportJobScript.key.consumer, key: ExportJobScript.key, path: "/v1/customers/\(id)",
            route: SimulatedAPI.customer, status: 200, body: .customer, userAgent: "crm-export/1.8 (cron)")
        wait(1_000 + Int64(rng.below(40)) - 20)
        return sent
    }
}

/// A search engine's crawler on the public catalogue: the list pages, then each product in turn,
/// every ten seconds or so; a few products it remembers were removed (404).
final class CrawlerScript: TrafficScript {
    static let addresses = ["66.249.66.20"]
    static let agent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    private var page = 0
    private var product = 0

    init(world: SimulatedWorld) {
        super.init(world: world, name: "crawler", start: world.plan.at(0.3))
    }

    override func next() -> SimulatedRequest? {
        wait(8_000 + Int64(rng.below(4_000)))
        guard clock < world.plan.endMs else { return nil }
        let pages = SimulatedWorld.productCount / SimulatedWorld.productsPerPage
        if page < pages {
            page += 1
            return request(
                ip: CrawlerScript.addresses[0], path: SimulatedAPI.products, query: "page=\(page)", route: SimulatedAPI.products,
                status: 200, body: .productPage, userAgent: CrawlerScript.agent)
        }
        guard product < SimulatedWorld.productCount + 12 else { return nil }
        product += 1
        let id = SimulatedWorld.productBase + product - 1
        return request(
            ip: CrawlerScript.addresses[0], path: "/v1/products/\(id)", route: SimulatedAPI.product,
            status: product > SimulatedWorld.productCount ? 404 : 200, body: .product, userAgent: CrawlerScript.agent)
    }
}
