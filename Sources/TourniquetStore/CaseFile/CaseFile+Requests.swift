import TourniquetIngest

/// A stored request with its strings resolved, for display, export and tests.
public struct StoredRequest: Equatable, Sendable {
    public var id: Int64
    public var evidence: Int64
    public var line: Int64
    public var timestampMs: Int64
    public var utcOffsetMinutes: Int64
    public var ip: String
    public var forwardedFor: String?
    public var client: String?
    public var apiKey: String?
    public var method: String
    public var path: String
    public var route: String
    public var query: String?
    public var status: Int64
    public var bytes: Int64
    public var latencyMicros: Int64?
    public var userAgent: String?
    public var flags: RequestFlags
}

extension CaseFile {
    static let storedRequestSelect = """
        SELECT r.id, r.evidence, r.line, r.ts_ms, r.utc_offset_min, ip.value, xff.value, client.value, key.value, method.value,
               r.path, route.value, r.query, r.status, r.bytes, r.latency_us, ua.value, r.flags
        FROM requests r
        JOIN dict ip ON ip.id = r.ip
        LEFT JOIN dict xff ON xff.id = r.xff
        LEFT JOIN dict client ON client.id = r.client
        LEFT JOIN dict key ON key.id = r.api_key
        JOIN dict method ON method.id = r.method
        JOIN dict route ON route.id = r.route
        LEFT JOIN dict ua ON ua.id = r.user_agent
        """

    /// Requests in ingest order, a page at a time.
    public func requests(evidence: Int64? = nil, afterID: Int64 = 0, limit: Int = 1000) throws -> [StoredRequest] {
        let stmt = try db.prepare(
            CaseFile.storedRequestSelect + """
                 WHERE r.id > ? AND (? IS NULL OR r.evidence = ?) ORDER BY r.id LIMIT ?
                """)
        stmt.bind(1, afterID)
        stmt.bind(2, evidence)
        stmt.bind(3, evidence)
        stmt.bind(4, Int64(limit))
        var out: [StoredRequest] = []
        while try stmt.step() { out.append(CaseFile.storedRequest(stmt)) }
        return out
    }

    /// The first requests of one subject (an IP, client, key or route), through its postings: no scan.
    public func requests(of kind: DictKind, value: String, limit: Int = 1000) throws -> [StoredRequest] {
        try requestPage(of: kind, value: value, limit: limit).requests
    }

    /// Statistics of one subject, as kept at ingest.
    public func subjectStats(_ kind: DictKind, value: String) throws -> SubjectStats? {
        let stmt = try db.prepare(
            """
            SELECT s.requests, s.first_ms, s.last_ms, s.status_1xx, s.status_2xx, s.status_3xx, s.status_4xx, s.status_5xx, s.bytes
            FROM subject_stats s JOIN dict d ON d.id = s.key WHERE s.kind = ? AND d.kind = ? AND d.value = ?
            """)
        stmt.bind(1, kind.rawValue)
        stmt.bind(2, kind.rawValue)
        stmt.bind(3, value)
        guard try stmt.step() else { return nil }
        var s = SubjectStats()
        s.requests = stmt.int(0)
        s.firstMs = stmt.int(1)
        s.lastMs = stmt.int(2)
        (s.status1xx, s.status2xx, s.status3xx, s.status4xx, s.status5xx) = (stmt.int(3), stmt.int(4), stmt.int(5), stmt.int(6), stmt.int(7))
        s.bytes = stmt.int(8)
        return s
    }

    static func storedRequest(_ s: SQLiteStatement) -> StoredRequest {
        StoredRequest(
            id: s.int(0), evidence: s.int(1), line: s.int(2), timestampMs: s.int(3), utcOffsetMinutes: s.int(4), ip: s.text(5),
            forwardedFor: s.optionalText(6), client: s.optionalText(7), apiKey: s.optionalText(8), method: s.text(9), path: s.text(10),
            route: s.text(11), query: s.optionalText(12), status: s.int(13), bytes: s.int(14), latencyMicros: s.optionalInt(15),
            userAgent: s.optionalText(16), flags: RequestFlags(rawValue: s.int(17)))
    }
}
