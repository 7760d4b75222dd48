import TourniquetModel

/// Parses Elastic Common Schema NDJSON as Filebeat, Elastic Agent or an Elasticsearch export writes it.
///
/// Every field may be a nested object (`"url": {"path": …}`) or a flattened dotted key
/// (`"url.path": …`), or a mix of both; lookups try each form.
/// - `@timestamp` (RFC 3339, or epoch ms as a number) → timestamp
/// - `source.ip`, else `client.ip`, `source.address`, `client.address` → client address
/// - `http.request.method`; `url.path` plus `?` and `url.query`, else the path and query of
///   `url.original` (else `url.full`) → target
/// - `http.response.status_code`; `http.response.body.bytes` (else `http.response.bytes`) → bytes
/// - `user.name`, else `user.id` → remote user; `user_agent.original` → user agent
/// - `event.duration` (nanoseconds) → latency
/// - `http.request.headers`, when a pipeline keeps them: X-Forwarded-For and credential headers
public struct ECSParser: LogLineParser {
    public var formatName: String { "ecs" }

    public init() {}

    static let selection = JSONSelection(paths: [
        "@timestamp", "source.ip", "source.address", "client.ip", "client.address",
        "http.request.method", "http.request.headers", "url.path", "url.query", "url.original", "url.full",
        "http.response.status_code", "http.response.body.bytes", "http.response.bytes",
        "user.name", "user.id", "user_agent.original", "event.duration",
    ])

    public func parse(_ line: UnsafeBufferPointer<UInt8>) -> Result<ParsedRequest, MalformedLine> {
        JSONFields.parseObject(line, keeping: Self.selection, request(from:))
    }

    private func request(from f: JSONFields) throws(MalformedLine) -> ParsedRequest {
        let time = try timestamp(f)
        let headers = JSONHeaders(f.root.lookup(Keys.headers))
        var userAgent = try f.string(Keys.userAgent)
        if userAgent == nil { userAgent = headers.text("user-agent") }
        return ParsedRequest(
            timestampMs: time.ms,
            utcOffsetMinutes: time.offset,
            clientAddress: try f.requiredString(Keys.client),
            forwardedFor: headers.text("x-forwarded-for"),
            remoteUser: try f.string(Keys.user),
            method: try f.requiredString(Keys.method),
            target: try target(f),
            status: try f.status(Keys.status),
            bytes: try f.byteCount(Keys.bytes),
            latencyMicros: try f.micros(Keys.duration, perUnit: 0.001),
            userAgent: userAgent,
            credentialHeaders: headers.credentials
        )
    }

    private func timestamp(_ f: JSONFields) throws(MalformedLine) -> Timestamps.Instant {
        guard let (_, value) = f.first(Keys.timestamp) else { throw MalformedLine("missing @timestamp") }
        if case .string(let text) = value {
            guard let t = Timestamps.parseRFC3339(text) else { throw MalformedLine("invalid @timestamp") }
            return t
        }
        // Some exports write @timestamp as epoch milliseconds.
        guard let t = try f.epoch(Keys.timestamp, inSeconds: false) else { throw MalformedLine("invalid @timestamp") }
        return t
    }

    private func target(_ f: JSONFields) throws(MalformedLine) -> String {
        if let path = try f.string(Keys.path), !path.isEmpty {
            guard let query = try f.string(Keys.query), !query.isEmpty else { return path }
            return path + "?" + query
        }
        if let url = try f.string(Keys.url), !url.isEmpty {
            return KongLogParser.pathAndQuery(ofURL: url)
        }
        throw MalformedLine("missing url.path")
    }

    /// Paths split once, not per line.
    private enum Keys {
        static let timestamp: [JSONPath] = ["@timestamp"]
        static let client: [JSONPath] = ["source.ip", "client.ip", "source.address", "client.address"]
        static let method: [JSONPath] = ["http.request.method"]
        static let headers: JSONPath = "http.request.headers"
        static let path: [JSONPath] = ["url.path"]
        static let query: [JSONPath] = ["url.query"]
        static let url: [JSONPath] = ["url.original", "url.full"]
        static let status: [JSONPath] = ["http.response.status_code"]
        static let bytes: [JSONPath] = ["http.response.body.bytes", "http.response.bytes"]
        static let user: [JSONPath] = ["user.name", "user.id"]
        static let userAgent: [JSONPath] = ["user_agent.original"]
        static let duration: [JSONPath] = ["event.duration"]
    }
}
