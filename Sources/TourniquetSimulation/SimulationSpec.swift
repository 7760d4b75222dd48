/// The attack scenarios the incident simulator can stage.
///
/// Raw values are the names used on the command line and in ground-truth files.
public enum SimulatedScenario: String, CaseIterable, Sendable, Codable {
    case credentialStuffing = "credential-stuffing"
    case bola
    case adminProbing = "admin-probing"
    case scraping
    case shadowEndpoints = "shadow-endpoints"
}

/// What to simulate: seed, scenarios, log format, size and start time.
///
/// The same spec always produces the same bytes, on every platform.
public struct SimulationSpec: Sendable {
    /// The log formats the simulator writes, by their `--format` names.
    public static let formats = ["combined", "kong", "aws-apigw", "ecs"]

    public var seed: UInt64
    /// The scenarios to stage; empty means all of them.
    public var scenarios: [SimulatedScenario]
    /// One of ``formats``. Anything else is a programming error (checked by a precondition).
    public var format: String
    /// Approximate total lines, benign and attack; meant for 2,000 to 10,000,000.
    public var lines: Int
    /// Time of the first request, epoch milliseconds UTC (default 2026-11-29T08:00:00Z).
    public var startMs: Int64
    /// Whether login and password-reset lines carry the account. Real gateways mostly log them
    /// without it (the account is in the request body: nginx writes `-`, Kong has no consumer on
    /// an unauthenticated route), so the default is anonymous; the account shows on the requests
    /// made after the login.
    public var identifiedLogins: Bool
    /// A day without attacks: only the users, services and their innocent oddities.
    public var benignOnly: Bool

    public init(
        seed: UInt64 = 1, scenarios: [SimulatedScenario] = [], format: String = "combined",
        lines: Int = 20_000, startMs: Int64 = 1_795_939_200_000, identifiedLogins: Bool = false, benignOnly: Bool = false
    ) {
        self.seed = seed
        self.scenarios = scenarios
        self.format = format
        self.lines = lines
        self.startMs = startMs
        self.identifiedLogins = identifiedLogins
        self.benignOnly = benignOnly
    }

    /// The scenarios actually staged: the selection without duplicates, in declaration order.
    public var resolvedScenarios: [SimulatedScenario] {
        if benignOnly { return [] }
        return scenarios.isEmpty ? SimulatedScenario.allCases : SimulatedScenario.allCases.filter(scenarios.contains)
    }
}

/// A generated incident: its ground truth and the gateway documents that go with its log.
public struct SimulatedIncident: Sendable {
    /// What really happened, for scoring a drill.
    public var truth: GroundTruth
    /// OpenAPI 3.0.3 description of the documented API (no base path, so logged paths are spec paths).
    public var openAPIYAML: String
    /// Kong decK declarative configuration (`_format_version: "3.0"`) of the gateway in front of it.
    public var deckYAML: String
    /// `access.log` for combined logs, `access.json` for the JSON formats.
    public var logFileName: String

    public init(truth: GroundTruth, openAPIYAML: String, deckYAML: String, logFileName: String) {
        self.truth = truth
        self.openAPIYAML = openAPIYAML
        self.deckYAML = deckYAML
        self.logFileName = logFileName
    }
}

/// One request the simulator decided happened, before it is written in a log format.
public struct SimulatedRequest: Equatable, Sendable {
    public var timestampMs: Int64
    /// The client (peer) address.
    public var ip: String
    /// An X-Forwarded-For value, when the request came through a proxy that added one.
    public var forwardedFor: String?
    /// The user: CLF remote user, Kong `consumer.username`, AWS `user`, ECS `user.name`.
    public var identity: String?
    /// The API key's name as the gateway logs it: Kong consumer name, AWS `identity.apiKeyId`.
    public var apiKeyID: String?
    /// The raw key: an `api_key` query parameter (combined, ECS) or an `apikey` header (Kong).
    public var apiKeySecret: String?
    public var method: String
    /// The path without its query.
    public var path: String
    /// The query without `?` and without the API key (the writer adds that).
    public var query: String?
    public var status: Int
    public var bytes: Int
    public var latencyMs: Int
    public var userAgent: String
    /// The route template (`/v1/orders/{orderId}`); AWS logs it as `resourcePath`. Undocumented when nil.
    public var route: String?

    public init(
        timestampMs: Int64, ip: String, forwardedFor: String? = nil, identity: String? = nil,
        apiKeyID: String? = nil, apiKeySecret: String? = nil, method: String, path: String,
        query: String? = nil, status: Int, bytes: Int, latencyMs: Int, userAgent: String,
        route: String? = nil
    ) {
        self.timestampMs = timestampMs
        self.ip = ip
        self.forwardedFor = forwardedFor
        self.identity = identity
        self.apiKeyID = apiKeyID
        self.apiKeySecret = apiKeySecret
        self.method = method
        self.path = path
        self.query = query
        self.status = status
        self.bytes = bytes
        self.latencyMs = latencyMs
        self.userAgent = userAgent
        self.route = route
    }
}
