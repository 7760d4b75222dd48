/// Shared machinery for traffic sources: a clock, a random stream, and request building.
class TrafficScript: TrafficSource {
    let world: SimulatedWorld
    var rng: SimulationRandom
    /// The time of the last request this script produced.
    var clock: Int64

    init(world: SimulatedWorld, name: String, index: Int = 0, start: Int64) {
        self.world = world
        rng = SimulationRandom(seed: world.plan.spec.seed, stream: SimulationRandom.label(name, index))
        clock = start
    }

    func next() -> SimulatedRequest? { nil }

    /// Advances the clock by a wait, never backwards.
    func wait(_ ms: Int64) { clock += max(0, ms) }

    /// A request at the current clock with a response shaped like the real service's.
    func request(
        ip: String, identity: String? = nil, key: SimulatedWorld.APIKey? = nil, method: String = "GET",
        path: String, query: String? = nil, route: String?, status: Int, body: ResponseBody,
        userAgent: String
    ) -> SimulatedRequest {
        let shape = body.shape(status: status, &rng)
        // An anonymous login names its account only in the body, which gateways do not log.
        let anonymous = !world.plan.spec.identifiedLogins && (route == SimulatedAPI.login || route == SimulatedAPI.passwordReset)
        return SimulatedRequest(
            timestampMs: clock, ip: ip, identity: anonymous ? nil : identity, apiKeyID: key.map(world.keyID),
            apiKeySecret: key.flatMap(world.keySecret), method: method, path: path, query: query,
            status: status, bytes: shape.bytes, latencyMs: shape.latencyMs, userAgent: userAgent, route: route)
    }
}

/// A fixed list of requests, already in time order (one-off events such as a stray 403).
final class FixedScript: TrafficSource {
    private var requests: [SimulatedRequest]
    private var index = 0

    init(_ requests: [SimulatedRequest]) { self.requests = requests }

    func next() -> SimulatedRequest? {
        guard index < requests.count else { return nil }
        defer { index += 1 }
        return requests[index]
    }
}

/// What a response carries, for plausible sizes and latencies.
enum ResponseBody {
    case login, account, orderList, order, productPage, product, customer, health, created, accepted
    case export, debugVars, emptyPage

    /// Response size in bytes and latency in milliseconds for this body at `status`.
    func shape(status: Int, _ rng: inout SimulationRandom) -> (bytes: Int, latencyMs: Int) {
        switch status {
        case 304: return (0, 3 + rng.below(12))
        case 400: return (71 + rng.below(20), 2 + rng.below(6))
        case 401: return (52, self == .login ? 60 + rng.below(90) : 4 + rng.below(10))
        case 403: return (56, 3 + rng.below(9))
        case 404: return (48, 3 + rng.below(15))
        case 429: return (61, 1 + rng.below(3))
        default: break
        }
        switch self {
        case .login: return (296 + rng.below(40), 70 + rng.below(110))
        case .account: return (640 + rng.below(420), 12 + rng.below(40))
        case .orderList: return (1_200 + rng.below(5_200), 25 + rng.below(90))
        case .order: return (560 + rng.below(700), 10 + rng.below(45))
        case .productPage: return (8_800 + rng.below(5_600), 30 + rng.below(120))
        case .product: return (1_150 + rng.below(1_300), 8 + rng.below(40))
        case .customer: return (690 + rng.below(480), 12 + rng.below(50))
        case .health: return (15, 1 + rng.below(3))
        case .created: return (410 + rng.below(160), 90 + rng.below(160))
        case .accepted: return (34, 40 + rng.below(80))
        case .export: return (48_000 + rng.below(90_000), 400 + rng.below(1_400))
        case .debugVars: return (4_800 + rng.below(900), 2 + rng.below(5))
        case .emptyPage: return (38, 6 + rng.below(20))
        }
    }
}
