import TourniquetModel

extension CaseFile {
    /// Counts what the review reads from the logs, over every stored request, in a few grouped
    /// queries. `benign` are clients the responders allowlisted: they neither own objects nor
    /// count as reading others'.
    public func logFacts(benign: Set<String> = []) throws -> LogFacts {
        var facts = LogFacts()
        try db.readTransaction {
            // One pass gives the per-route answers and, summed, the totals and the GraphQL counts.
            let routes = try db.prepare(
                """
                SELECT m.value, rt.value, count(*), sum(r.status BETWEEN 200 AND 299),
                       sum(r.status BETWEEN 200 AND 299 AND r.client IS NULL AND r.api_key IS NULL),
                       sum(r.status = 429), sum(r.status = 410),
                       sum(r.status = 429 AND (r.flags & 4) != 0), sum(r.status = 429 AND (r.flags & 8) != 0),
                       sum(r.client IS NOT NULL OR r.api_key IS NOT NULL), sum(r.latency_us IS NOT NULL), sum((r.flags & 2) != 0),
                       sum(r.path LIKE '%graphql%'),
                       sum(r.path LIKE '%graphql%' AND r.status = 200 AND r.query LIKE '%\\_\\_schema%' ESCAPE '\\')
                FROM requests r JOIN dict m ON m.id = r.method JOIN dict rt ON rt.id = r.route
                GROUP BY r.method, r.route ORDER BY rt.value, m.value
                """)
            while try routes.step() {
                facts.routes.append(
                    .init(
                        method: routes.text(0), route: routes.text(1), requests: routes.int(2), ok: routes.int(3), anonymousOK: routes.int(4),
                        tooMany: routes.int(5), gone: routes.int(6), tooManyWithHeaders: routes.int(7), tooManyWithRetryAfter: routes.int(8)))
                facts.requests += routes.int(2)
                facts.identified += routes.int(9)
                facts.withLatency += routes.int(10)
                facts.credentialsInURL += routes.int(11)
                facts.graphqlRequests += routes.int(12)
                facts.graphqlIntrospection += routes.int(13)
            }
            // A version in the spec's base path is stripped from routes, so a sample path gives it back.
            let byClient = try db.prepare(
                """
                SELECT rt.value, coalesce(c.value, k.value) AS who, count(*), min(r.path)
                FROM requests r JOIN dict rt ON rt.id = r.route
                LEFT JOIN dict c ON c.id = r.client LEFT JOIN dict k ON k.id = r.api_key
                WHERE r.status BETWEEN 200 AND 299
                GROUP BY r.route, who ORDER BY rt.value, who
                """)
            while try byClient.step() {
                let route = byClient.text(0)
                let sample = byClient.text(3)
                let use = LogFacts.ClientUse(route: route, client: byClient.optionalText(1), ok: byClient.int(2))
                if LogFacts.isPrivileged(route) { facts.privileged.append(use) }
                if LogFacts.version(of: route) != nil {
                    facts.versioned.append(use)
                } else if let version = LogFacts.version(of: sample) {
                    facts.versioned.append(.init(route: "/v\(version)" + route, client: use.client, ok: use.ok))
                }
            }
            facts.foreignObjects = try foreignObjects(benign: benign)
            facts.credentialFingerprints = try credentialFingerprints()
        }
        return facts
    }

    /// On routes with an object id in them, the object's owner is taken to be the first identity
    /// it answered 2xx to (ties broken by name); counted per route and client: objects first
    /// answered to someone else. SQLite does the grouping, so only the counts come back.
    private func foreignObjects(benign: Set<String>) throws -> [LogFacts.ForeignObjects] {
        let stmt = try db.prepare(
            """
            WITH hits AS (
                SELECT r.route AS route, r.path AS path, coalesce(c.value, k.value) AS who, min(r.ts_ms) AS first_ms
                FROM requests r JOIN dict rt ON rt.id = r.route
                LEFT JOIN dict c ON c.id = r.client LEFT JOIN dict k ON k.id = r.api_key
                WHERE r.status BETWEEN 200 AND 299 AND (r.client IS NOT NULL OR r.api_key IS NOT NULL) AND rt.value LIKE '%{%'
                GROUP BY r.path, who
            ), kept AS (
                SELECT * FROM hits WHERE who NOT IN (SELECT value FROM json_each(?))
            ), owned AS (
                SELECT route, who, first_value(who) OVER (PARTITION BY path ORDER BY first_ms, who) AS owner FROM kept
            )
            SELECT rt.value, o.who, count(*) FROM owned o JOIN dict rt ON rt.id = o.route
            WHERE o.who != o.owner GROUP BY o.route, o.who
            """)
        stmt.bind(1, CaseFile.jsonStrings(benign.sorted()))
        var out: [LogFacts.ForeignObjects] = []
        while try stmt.step() { out.append(.init(route: stmt.text(0), client: stmt.text(1), objects: stmt.int(2))) }
        return out.sorted { ($0.objects, $1.route, $1.client) > ($1.objects, $0.route, $0.client) }
    }

    /// Distinct `fp:` fingerprints in the redacted queries and paths of requests that carried a credential.
    private func credentialFingerprints() throws -> Int {
        // Bounded: past this many distinct URLs the count is a floor, and says so.
        let stmt = try db.prepare("SELECT DISTINCT coalesce(query, '') || ' ' || path FROM requests WHERE (flags & 2) != 0 LIMIT 200000")
        var fingerprints = Set<Substring>()
        while try stmt.step() {
            let text = stmt.text(0)
            var rest = Substring(text)
            while let range = rest.range(of: "fp:") {
                let tail = rest[range.upperBound...]
                let token = tail.prefix { $0.isHexDigit }
                if !token.isEmpty { fingerprints.insert(token) }
                rest = tail.dropFirst(token.count)
            }
        }
        return fingerprints.count
    }
}

extension CaseFile {
    /// Strings for `json_each(?)`: any number of them in one parameter.
    static func jsonStrings(_ strings: [String]) -> String { JSONValue.array(strings.map { .string($0) }).canonicalJSON }
}
