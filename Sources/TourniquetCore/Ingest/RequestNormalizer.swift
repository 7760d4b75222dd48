/// Turns parsed lines into storable rows: the real client address, redacted secrets, templated
/// routes and interned strings. Also builds the drill-down postings and per-subject statistics,
/// so the console and scope never have to scan the requests table.
public final class RequestNormalizer {
    public struct Settings: Sendable {
        public var routes: RouteTable
        public var redactor: SecretRedactor
        public var proxies: TrustedProxies
        public init(routes: RouteTable, redactor: SecretRedactor, proxies: TrustedProxies) {
            self.routes = routes
            self.redactor = redactor
            self.proxies = proxies
        }
    }

    public let settings: Settings
    public let dictionary: StringDictionary
    public private(set) var postings = PostingsBuilder()
    public private(set) var stats = SubjectStatsBuilder()
    public private(set) var firstMs: Int64?
    public private(set) var lastMs: Int64?
    private var batch = RequestBatch()
    private var nextRequestID: Int64

    public init(settings: Settings, dictionary: StringDictionary, firstRequestID: Int64) {
        self.settings = settings
        self.dictionary = dictionary
        nextRequestID = firstRequestID
    }

    public var batchCount: Int { batch.rows.count }

    public func add(_ parsed: ParsedRequest, line: Int64) {
        let id = nextRequestID
        nextRequestID += 1
        var flags: RequestFlags = []
        let client = settings.proxies.clientAddress(peer: parsed.clientAddress, forwardedFor: parsed.forwardedFor)
        let (path, rawQuery) = RequestNormalizer.split(target: parsed.target)
        var apiKey = parsed.apiKeyId.map { dictionary.id(.apiKey, $0) }
        var query: String?
        if let rawQuery {
            let redaction = settings.redactor.redactQuery(rawQuery)
            query = redaction.query
            if redaction.redacted { flags.insert(.credentialRedacted) }
            if apiKey == nil, let print = redaction.apiKey { apiKey = dictionary.id(.apiKey, print) }
        }
        for header in parsed.credentialHeaders {
            flags.insert(.credentialRedacted)
            if apiKey == nil { apiKey = dictionary.id(.apiKey, settings.redactor.fingerprintHeader(header)) }
        }
        let match = settings.routes.match(path: path)
        if !match.documented { flags.insert(.undocumented) }
        let identity = parsed.remoteUser ?? parsed.consumer
        let row = RequestRow(
            id: id, line: line, timestampMs: parsed.timestampMs, utcOffsetMinutes: Int64(parsed.utcOffsetMinutes),
            ip: dictionary.id(.ip, client), xff: parsed.forwardedFor.map { dictionary.id(.xff, $0) },
            client: identity.map { dictionary.id(.client, $0) }, apiKey: apiKey, method: dictionary.id(.method, parsed.method),
            path: path, route: dictionary.id(.route, match.route), query: query, status: Int64(parsed.status), bytes: parsed.bytes,
            latencyMicros: parsed.latencyMicros, userAgent: parsed.userAgent.map { dictionary.id(.userAgent, $0) },
            flags: flags.rawValue)
        batch.rows.append(row)
        postings.add(row)
        stats.add(row)
        firstMs = min(firstMs ?? row.timestampMs, row.timestampMs)
        lastMs = max(lastMs ?? row.timestampMs, row.timestampMs)
    }

    /// The rows gathered since the last call, with the strings they introduced.
    public func takeBatch() -> RequestBatch {
        var out = batch
        out.newStrings = dictionary.takePending()
        batch = RequestBatch()
        batch.rows.reserveCapacity(out.rows.count)
        return out
    }

    public func takePostings() -> [Posting] { postings.take() }

    /// `/v1/users?x=1` → (`/v1/users`, `x=1`). A fragment is never sent, so `#` stays in the path.
    static func split(target: String) -> (path: String, query: Substring?) {
        guard let mark = target.firstIndex(of: "?") else { return (target, nil) }
        return (String(target[..<mark]), target[target.index(after: mark)...])
    }
}
