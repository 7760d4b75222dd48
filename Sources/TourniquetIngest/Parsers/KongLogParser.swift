import TourniquetModel

/// Parses Kong Gateway file-log / http-log / tcp-log plugin lines (one JSON object per line).
///
/// Field map (Kong's basic log serializer):
/// - `started_at` (epoch ms) → timestamp; `client_ip` → client address
/// - `request.method`; `request.uri` (path and query as requested, Kong's `$request_uri`), else the
///   path and query of `request.url`
/// - `request.headers`: `user-agent`, `x-forwarded-for`, and the credential headers
///   (`authorization`, `proxy-authorization`, `cookie`, `apikey`, `x-api-key`)
/// - `response.status`, `response.size` → status, bytes
/// - `consumer.username`, else `consumer.id`, else the credential's consumer id → consumer
/// - `authenticated_entity.id` → apiKeyId: Kong logs the id of the credential that authenticated
///   the request there (the consumer id sits beside it as `consumer_id` and is not a credential)
/// - `latencies.request` (ms) → latency
public struct KongLogParser: LogLineParser {
    public var formatName: String { "kong" }

    public init() {}

    /// Only these members are built; `route`, `service`, `tries`, response headers … are skipped.
    static let selection = JSONSelection(paths: [
        "started_at", "client_ip",
        "request.method", "request.uri", "request.url",
        // Kong logs header names lower-cased (ngx.req.get_headers), so exact names select them.
        "request.headers.user-agent", "request.headers.x-forwarded-for",
        "request.headers.authorization", "request.headers.proxy-authorization", "request.headers.cookie",
        "request.headers.apikey", "request.headers.x-api-key",
        "response.status", "response.size",
        "consumer.username", "consumer.id",
        "authenticated_entity.id", "authenticated_entity.consumer_id", "authenticated_entity.consumer.id",
        "latencies.request",
        // Enough of the response's headers to tell that they were logged, and whether a 429 said when to retry.
        "response.headers.retry-after", "response.headers.content-type", "response.headers.content-length", "response.headers.date",
        "response.headers.x-kong-response-latency", "response.headers.x-kong-proxy-latency", "response.headers.via",
    ])

    public func parse(_ line: UnsafeBufferPointer<UInt8>) -> Result<ParsedRequest, MalformedLine> {
        JSONFields.parseObject(line, keeping: Self.selection, request(from:))
    }

    private func request(from f: JSONFields) throws(MalformedLine) -> ParsedRequest {
        guard let time = try f.epoch(Keys.startedAt, inSeconds: false) else { throw MalformedLine("missing started_at") }
        let target: String
        if let uri = try f.string(Keys.uri), !uri.isEmpty {
            target = uri
        } else if let url = try f.string(Keys.url), !url.isEmpty {
            target = Self.pathAndQuery(ofURL: url)
        } else {
            throw MalformedLine("missing request.uri")
        }
        let headers = JSONHeaders(f.root.lookup(Keys.headers))
        let responseHeaders = f.root.lookup(Keys.responseHeaders)
        return ParsedRequest(
            timestampMs: time.ms,
            utcOffsetMinutes: time.offset,
            clientAddress: try f.requiredString(Keys.clientIP),
            forwardedFor: headers.text("x-forwarded-for"),
            consumer: try f.string(Keys.consumer),
            apiKeyId: try f.string(Keys.credentialID),
            method: try f.requiredString(Keys.method),
            target: target,
            status: try f.status(Keys.status),
            bytes: try f.byteCount(Keys.size),
            latencyMicros: try f.micros(Keys.latency, perUnit: 1000),
            userAgent: headers.text("user-agent"),
            credentialHeaders: headers.credentials,
            retryAfter: responseHeaders.map { _ in JSONHeaders(responseHeaders).text("retry-after") != nil }
        )
    }

    /// Paths split once, not per line.
    private enum Keys {
        static let startedAt: [JSONPath] = ["started_at"]
        static let clientIP: [JSONPath] = ["client_ip"]
        static let method: [JSONPath] = ["request.method"]
        static let uri: [JSONPath] = ["request.uri"]
        static let url: [JSONPath] = ["request.url"]
        static let headers: JSONPath = "request.headers"
        static let responseHeaders: JSONPath = "response.headers"
        static let status: [JSONPath] = ["response.status"]
        static let size: [JSONPath] = ["response.size"]
        static let consumer: [JSONPath] = [
            "consumer.username", "consumer.id", "authenticated_entity.consumer_id", "authenticated_entity.consumer.id",
        ]
        static let credentialID: [JSONPath] = ["authenticated_entity.id"]
        static let latency: [JSONPath] = ["latencies.request"]
    }

    /// The path and query of an absolute URL (`http://h:8000/a?b` → `/a?b`); other text is kept.
    static func pathAndQuery(ofURL url: String) -> String {
        // The scheme's colon is the first one in an absolute URL; a path like "/a:b" is left alone.
        guard let colon = url.firstIndex(of: ":"), url[colon...].hasPrefix("://") else { return url }
        let rest = url[url.index(colon, offsetBy: 3)...]
        guard let start = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) else { return "/" }
        let tail = rest[start...]
        return tail.first == "/" ? String(tail) : "/" + tail
    }
}
