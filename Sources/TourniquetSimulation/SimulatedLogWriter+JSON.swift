/// The JSON log formats: Kong file-log, AWS API Gateway access logs and ECS NDJSON.
extension SimulatedLogWriter {
    /// Kong's basic log serializer: `request` (method, uri, url, headers with lower-case names),
    /// `response`, `latencies`, `client_ip`, `started_at` and the `consumer`.
    ///
    /// The key travels as the `apikey` header, as key-auth reads it. No `authenticated_entity` is
    /// written: ingest would take its credential id as the request's key, and the drill wants the
    /// header's fingerprint to be the key so ground truth can name the raw secret.
    static func writeKong(_ r: SimulatedRequest, _ out: inout LineBytes) {
        let uri = target(r, keyInQuery: false)
        out.raw("{\"request\":{")
        out.key("method")
        out.jsonString(r.method)
        out.raw(",")
        out.key("uri")
        out.jsonString(uri)
        out.raw(",")
        out.key("url")
        out.jsonString("https://api.example.com" + uri)
        out.raw(",\"headers\":{\"host\":\"api.example.com\",")
        out.key("user-agent")
        out.jsonString(r.userAgent)
        if let secret = r.apiKeySecret {
            out.raw(",")
            out.key("apikey")
            out.jsonString(secret)
        }
        if let xff = r.forwardedFor {
            out.raw(",")
            out.key("x-forwarded-for")
            out.jsonString(xff)
        }
        out.raw("}},\"response\":{")
        out.key("status")
        out.int(r.status)
        out.raw(",")
        out.key("size")
        out.int(r.bytes)
        out.raw("},\"latencies\":{")
        let kongMs = min(r.latencyMs, 1 + r.latencyMs / 20)
        out.key("request")
        out.int(r.latencyMs)
        out.raw(",")
        out.key("kong")
        out.int(kongMs)
        out.raw(",")
        out.key("proxy")
        out.int(r.latencyMs - kongMs)
        out.raw("},")
        out.key("client_ip")
        out.jsonString(r.ip)
        out.raw(",")
        out.key("started_at")
        out.int64(r.timestampMs)
        out.raw(",\"service\":{\"name\":")
        out.raw(r.path.hasPrefix("/v0/") ? "\"legacy-accounts\"" : "\"shop-api\"")
        out.raw("}")
        if let name = r.identity ?? r.apiKeyID {
            let hash = SimulationRandom.label(name)
            out.raw(",\"consumer\":{")
            out.key("username")
            out.jsonString(name)
            out.raw(",\"id\":\"")
            out.uuid(hash, SimulationRandom.mix(hash))
            out.raw("\"}")
        }
        out.bytes.append(0x7D)
    }

    /// API Gateway's JSON access-log layout from AWS's documentation: `$context` values as strings,
    /// `-` for absent ones, `requestTimeEpoch` in milliseconds, `path` without its query.
    static func writeAWS(_ r: SimulatedRequest, _ out: inout LineBytes) {
        out.raw("{\"requestId\":\"")
        var hash = SimulationRandom.label(r.path, Int(truncatingIfNeeded: r.timestampMs))
        for b in r.ip.utf8 { hash = SimulationRandom.mix(hash ^ UInt64(b)) }
        out.uuid(hash, SimulationRandom.mix(hash &+ UInt64(r.status)))
        out.raw("\",")
        out.key("ip")
        out.jsonString(r.ip)
        out.raw(",\"caller\":\"-\",")
        out.key("user")
        optional(r.identity, &out)
        out.raw(",\"requestTime\":\"")
        out.clfTime(r.timestampMs)
        out.raw("\",")
        out.key("requestTimeEpoch")
        out.int64(r.timestampMs)
        out.raw(",")
        out.key("httpMethod")
        out.jsonString(r.method)
        out.raw(",")
        out.key("resourcePath")
        out.jsonString(r.route ?? "/{proxy+}")
        out.raw(",")
        out.key("path")
        out.jsonString(r.path)
        out.raw(",\"status\":\"")
        out.int(r.status)
        out.raw("\",\"protocol\":\"HTTP/1.1\",\"responseLength\":\"")
        out.int(r.bytes)
        out.raw("\",\"responseLatency\":\"")
        out.int(r.latencyMs)
        out.raw("\",")
        out.key("userAgent")
        out.jsonString(r.userAgent)
        out.raw(",")
        out.key("xForwardedFor")
        optional(r.forwardedFor, &out)
        out.raw(",\"identity\":{")
        out.key("apiKeyId")
        optional(r.apiKeyID, &out)
        out.raw("}}")
    }

    /// Elastic Common Schema as Filebeat's nginx module ships it: nested objects, `@timestamp` in
    /// RFC 3339, `url.path` and `url.query` apart, `event.duration` in nanoseconds.
    static func writeECS(_ r: SimulatedRequest, _ out: inout LineBytes) {
        out.raw("{\"@timestamp\":\"")
        out.rfc3339(r.timestampMs)
        out.raw("\",\"event\":{\"kind\":\"event\",\"category\":[\"web\"],\"outcome\":")
        out.raw(r.status < 400 ? "\"success\"" : "\"failure\"")
        out.raw(",")
        out.key("duration")
        out.int64(Int64(r.latencyMs) * 1_000_000)
        out.raw("},\"source\":{")
        out.key("ip")
        out.jsonString(r.ip)
        out.raw("},\"http\":{\"version\":\"1.1\",\"request\":{")
        out.key("method")
        out.jsonString(r.method)
        if let xff = r.forwardedFor {
            out.raw(",\"headers\":{")
            out.key("x-forwarded-for")
            out.jsonString(xff)
            out.raw("}")
        }
        out.raw("},\"response\":{")
        out.key("status_code")
        out.int(r.status)
        out.raw(",\"body\":{")
        out.key("bytes")
        out.int(r.bytes)
        out.raw("}}},\"url\":{")
        out.key("path")
        out.jsonString(r.path)
        let full = target(r, keyInQuery: true)
        if full.utf8.count > r.path.utf8.count {
            out.raw(",")
            out.key("query")
            out.jsonString(String(full.utf8.dropFirst(r.path.utf8.count + 1))!)
        }
        out.raw("}")
        if let user = r.identity {
            out.raw(",\"user\":{")
            out.key("name")
            out.jsonString(user)
            out.raw("}")
        }
        out.raw(",\"user_agent\":{")
        out.key("original")
        out.jsonString(r.userAgent)
        out.raw("},\"ecs\":{\"version\":\"8.11.0\"}}")
    }

    /// A string value, or API Gateway's `-` for an absent one.
    private static func optional(_ value: String?, _ out: inout LineBytes) {
        if let value, !value.isEmpty { out.jsonString(value) } else { out.raw("\"-\"") }
    }
}
