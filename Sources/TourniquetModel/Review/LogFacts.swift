/// What the access logs say about how the API is protected, counted over every stored request
/// for the hardening review: which fields the logs carry, what each route answered and to whom.
public struct LogFacts: Equatable, Sendable {
    /// One method and templated route.
    public struct RouteUse: Equatable, Sendable {
        public var method: String
        public var route: String
        public var requests: Int64
        /// Answered 2xx.
        public var ok: Int64
        /// Answered 2xx to a request that carried neither a client identity nor an API key.
        public var anonymousOK: Int64
        public var tooMany: Int64
        public var gone: Int64
        /// 429s whose response headers were logged, and those of them that carried Retry-After.
        public var tooManyWithHeaders: Int64
        public var tooManyWithRetryAfter: Int64
        public init(
            method: String, route: String, requests: Int64, ok: Int64, anonymousOK: Int64, tooMany: Int64, gone: Int64,
            tooManyWithHeaders: Int64 = 0, tooManyWithRetryAfter: Int64 = 0
        ) {
            (self.method, self.route, self.requests, self.ok, self.anonymousOK, self.tooMany, self.gone) =
                (method, route, requests, ok, anonymousOK, tooMany, gone)
            (self.tooManyWithHeaders, self.tooManyWithRetryAfter) = (tooManyWithHeaders, tooManyWithRetryAfter)
        }
    }

    /// A client's 2xx answers on one route.
    public struct ClientUse: Equatable, Sendable {
        public var route: String
        /// The client identity, or the API key's fingerprint when only a key was logged; nil when anonymous.
        public var client: String?
        public var ok: Int64
        public init(route: String, client: String?, ok: Int64) { (self.route, self.client, self.ok) = (route, client, ok) }
    }

    /// One client that got 2xx on objects another client used first, on one templated route.
    public struct ForeignObjects: Equatable, Sendable {
        public var route: String
        public var client: String
        /// Objects (distinct paths) whose first 2xx went to someone else.
        public var objects: Int64
        public init(route: String, client: String, objects: Int64) { (self.route, self.client, self.objects) = (route, client, objects) }
    }

    public var requests: Int64 = 0
    /// Requests that carried a client identity or an API key.
    public var identified: Int64 = 0
    public var withLatency: Int64 = 0
    /// Requests whose query or path carried a credential (redacted at ingest).
    public var credentialsInURL: Int64 = 0
    /// Distinct credentials among them, by the case's fingerprint.
    public var credentialFingerprints: Int = 0
    public var routes: [RouteUse] = []
    /// 2xx answers on routes that look privileged (admin, internal, management), by client.
    public var privileged: [ClientUse] = []
    /// 2xx answers on versioned routes (`/v1/…`), by client.
    public var versioned: [ClientUse] = []
    public var foreignObjects: [ForeignObjects] = []
    public var graphqlRequests: Int64 = 0
    /// GraphQL requests whose query string asks for `__schema` and were answered 200.
    public var graphqlIntrospection: Int64 = 0

    public init() {}

    /// Paths that look privileged: admin consoles, internal and management endpoints.
    public static func isPrivileged(_ route: String) -> Bool {
        let lower = route.lowercased()
        return ["/admin", "/internal", "/manage", "/management", "/actuator", "/debug", "/_", "/ops/"].contains { lower.contains($0) }
    }

    /// The version a route starts with or holds as a segment (`/v2/orders` → 2), if any.
    public static func version(of route: String) -> Int? {
        for segment in route.split(separator: "/").prefix(3) {
            guard segment.count >= 2, segment.count <= 4, segment.first == "v" || segment.first == "V" else { continue }
            if let n = Int(segment.dropFirst()) { return n }
        }
        return nil
    }
}
