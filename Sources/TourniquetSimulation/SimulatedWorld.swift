/// The simulated company's users, addresses, object ids and API keys, fixed by the seed.
///
/// Ids are laid out so ownership needs no lookup table per object: each account owns block `b` of
/// order ids (`orderBase + 5·b + j` for its first 3–5 `j`), and blocks are shuffled among users,
/// so walking order ids sequentially crosses many owners and meets gaps where no order exists.
/// Attacker accounts signed up last and own the newest blocks.
final class SimulatedWorld {
    /// One person with an account.
    struct User {
        var name: String
        var ip: String
        var block: Int
        var orderCount: Int
        var customerID: Int
        var userAgent: String
        var onNAT: Bool
        /// Still on an old app version that calls the deprecated `/v1/accounts/{accountId}`.
        var legacyClient: Bool
        /// How much busier than average this user is (0.3–2.5).
        var activity: Double
    }

    /// A key-auth credential: the consumer it belongs to, its raw value and its AWS key id.
    struct APIKey {
        var consumer: String
        var secret: String
        var awsKeyID: String
    }

    static let orderBase = 1_000_000
    static let accountBase = 40_000
    static let customerBase = 70_000
    static let productBase = 5_001
    static let productCount = 600
    static let productsPerPage = 25

    let plan: SimulationPlan
    let format: String
    private(set) var users: [User] = []
    /// Owner (index into `users`, or -1 for an attacker account) of each order block.
    private(set) var blockOwner: [Int] = []
    let natIP: String
    let healthIP: String
    let serviceIPs: [String]
    let partnerIPs: [String]
    let serviceKey: APIKey
    let partnerKey: APIKey
    let mallory: User
    let trudy: User
    let oscar: User
    /// Index of the user who hits one 403 (a decoy).
    let stray403User: Int
    /// Users with innocent oddities (`BenignQuirks`): the last few who are not behind the NAT.
    /// They are decoys, so no attack picks them as victims.
    var quirkUsers: [Int] {
        Array(max(plan.natUserCount, users.count - 9)..<users.count).filter { $0 != stray403User }.suffix(8)
    }
    private var addresses = AddressBook()

    init(plan: SimulationPlan) {
        self.plan = plan
        format = plan.spec.format
        var rng = SimulationRandom(seed: plan.spec.seed, stream: SimulationRandom.label("world"))
        let n = plan.userCount
        var book = AddressBook()
        natIP = book.draw(SimulatedWorld.residential, &rng)
        healthIP = "10.0.\(rng.inRange(1...9)).\(rng.inRange(2...250))"
        serviceIPs = (0..<2).map { _ in book.draw(SimulatedWorld.cloud, &rng) }
        partnerIPs = (0..<2).map { _ in book.draw(SimulatedWorld.corporate, &rng) }
        serviceKey = APIKey(
            consumer: "svc-billing", secret: SimulatedWorld.token(32, &rng),
            awsKeyID: SimulatedWorld.token(10, &rng, lower: true))
        partnerKey = APIKey(
            consumer: "partner-acme", secret: SimulatedWorld.token(32, &rng),
            awsKeyID: SimulatedWorld.token(10, &rng, lower: true))

        // Names: first.last in a seeded order, with a number once the combinations run out.
        let combos = SimulatedNames.first.count * SimulatedNames.last.count
        let nameOrder = rng.permutation(combos * ((n + combos - 1) / combos))
        let blockOrder = rng.permutation(n)
        let customerOrder = rng.permutation(n)
        blockOwner = Array(repeating: -1, count: n + 3)
        users.reserveCapacity(n)
        for u in 0..<n {
            let k = nameOrder[u]
            let combo = k % combos
            let round = k / combos
            let name =
                SimulatedNames.first[combo % SimulatedNames.first.count] + "."
                + SimulatedNames.last[combo / SimulatedNames.first.count] + (round > 0 ? String(round + 1) : "")
            let onNAT = u < plan.natUserCount
            let user = User(
                name: name, ip: onNAT ? natIP : book.draw(SimulatedWorld.residential, &rng),
                block: blockOrder[u], orderCount: rng.inRange(3...5),
                customerID: SimulatedWorld.customerBase + 2 * customerOrder[u],
                userAgent: rng.pick(SimulatedNames.appAgents), onNAT: onNAT, legacyClient: rng.chance(0.03),
                activity: 0.3 + 2.2 * rng.unit() * rng.unit())
            blockOwner[user.block] = u
            users.append(user)
        }
        func attacker(_ name: String, _ block: Int) -> User {
            User(
                name: name, ip: "", block: block, orderCount: 3, customerID: SimulatedWorld.customerBase + 2 * n + 2 * (block - n),
                userAgent: "", onNAT: false, legacyClient: false, activity: 1)
        }
        mallory = attacker("mallory", n)
        trudy = attacker("trudy", n + 1)
        oscar = attacker("oscar", n + 2)
        stray403User = plan.natUserCount + rng.below(n - plan.natUserCount)
        addresses = book
    }

    // MARK: - Ids

    func accountID(_ user: User) -> Int { SimulatedWorld.accountBase + 3 * user.block + 1 }

    /// Whether an order id exists, and whose it is (`-1`: an attacker account's).
    func orderOwner(_ id: Int) -> Int? {
        let offset = id - SimulatedWorld.orderBase
        guard offset >= 0 else { return nil }
        let block = offset / SimulationPlan.orderBlock
        guard block < blockOwner.count else { return nil }
        let owner = blockOwner[block]
        let count = owner >= 0 ? users[owner].orderCount : 3
        return offset % SimulationPlan.orderBlock < count ? owner : nil
    }

    /// A random existing order id.
    func anyOrderID(_ rng: inout SimulationRandom) -> Int {
        let user = users[rng.below(users.count)]
        return SimulatedWorld.orderBase + SimulationPlan.orderBlock * user.block + rng.below(user.orderCount)
    }

    /// A random customer id in the populated range: even offsets exist, odd ones never did.
    func anyCustomerID(_ rng: inout SimulationRandom) -> Int {
        SimulatedWorld.customerBase + rng.below(2 * users.count)
    }

    func customerExists(_ id: Int) -> Bool {
        let offset = id - SimulatedWorld.customerBase
        return offset >= 0 && offset < 2 * (users.count + 3) && offset % 2 == 0
    }

    /// A fresh address from `prefixes`, never one already handed out.
    func newAddress(_ prefixes: [UInt8], _ rng: inout SimulationRandom) -> String {
        addresses.draw(prefixes, &rng)
    }

    /// The key's name as this format's log shows it: the AWS key id, else the consumer name.
    func keyID(_ key: APIKey) -> String { format == "aws-apigw" ? key.awsKeyID : key.consumer }

    /// The raw key when this format's log carries it (query for combined and ECS, header for Kong).
    func keySecret(_ key: APIKey) -> String? { format == "aws-apigw" ? nil : key.secret }

    // MARK: - Address space

    /// First octets of consumer ISP space, cloud providers, corporate networks and hosting/VPS ranges.
    static let residential: [UInt8] = [24, 67, 68, 71, 73, 76, 81, 82, 86, 90, 92, 98, 99, 108, 109, 151, 174, 176, 187, 189, 201]
    static let cloud: [UInt8] = [34, 35, 52, 54]
    static let corporate: [UInt8] = [64, 162, 199, 208]
    static let hosting: [UInt8] = [5, 23, 45, 91, 103, 139, 141, 146, 154, 178, 185, 193, 194, 195, 212]

    /// A random alphanumeric token (API keys, AWS key ids).
    static func token(_ length: Int, _ rng: inout SimulationRandom, lower: Bool = false) -> String {
        let alphabet = Array((lower ? "abcdefghijklmnopqrstuvwxyz0123456789" : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789").utf8)
        return String(decoding: (0..<length).map { _ in alphabet[rng.below(alphabet.count)] }, as: UTF8.self)
    }
}

/// Hands out distinct public IPv4 addresses.
struct AddressBook {
    private var used: Set<UInt32> = []

    mutating func draw(_ firstOctets: [UInt8], _ rng: inout SimulationRandom) -> String {
        while true {
            let a = UInt32(rng.pick(firstOctets))
            let value = a << 24 | UInt32(rng.below(256)) << 16 | UInt32(rng.below(256)) << 8 | UInt32(rng.inRange(2...253))
            if used.insert(value).inserted {
                return "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
            }
        }
    }
}
