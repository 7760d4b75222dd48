import TourniquetIngest
import TourniquetModel

/// A page of one subject's requests, with true counts.
public struct RequestPage: Equatable, Sendable {
    /// The page, oldest first.
    public var requests: [StoredRequest]
    /// The position of the page's first request among those matching.
    public var first: Int
    /// How many of the subject's requests match the filter.
    public var matching: Int
    /// How many requests the subject has in all.
    public var total: Int
}

extension CaseFile {
    /// Ids go to SQLite this many at a time, as a JSON array (`json_each`), so no statement has
    /// more parameters than SQLite allows.
    static let idsPerQuery = 2_000

    /// One page of a subject's requests (an IP, client, key or route), in ingest order, with the
    /// filter run in the database over every one of them: the counts are true however many there are.
    public func requestPage(of kind: DictKind, value: String, filter: RequestFilter = .none, skip: Int = 0, limit: Int = 5_000) throws
        -> RequestPage
    {
        let ids = try postingIDs(of: kind, value: value)
        let matching = filter.isEmpty ? ids : try matchingIDs(ids, filter)
        let first = min(max(0, skip), matching.count)
        let page = Array(matching[first..<min(matching.count, first + max(0, limit))])
        var requests: [StoredRequest] = []
        requests.reserveCapacity(page.count)
        let stmt = try db.prepare(CaseFile.storedRequestSelect + " WHERE r.id IN (SELECT value FROM json_each(?)) ORDER BY r.id")
        for chunk in stride(from: 0, to: page.count, by: CaseFile.idsPerQuery) {
            stmt.reset()
            stmt.bind(1, CaseFile.jsonArray(page[chunk..<min(page.count, chunk + CaseFile.idsPerQuery)]))
            while try stmt.step() { requests.append(CaseFile.storedRequest(stmt)) }
        }
        return RequestPage(requests: requests, first: first, matching: matching.count, total: ids.count)
    }

    /// Every request id of a subject, ascending, from its postings.
    func postingIDs(of kind: DictKind, value: String) throws -> [Int64] {
        let key = try db.prepare("SELECT id FROM dict WHERE kind = ? AND value = ?")
        key.bind(1, kind.rawValue)
        key.bind(2, value)
        guard try key.step() else { return [] }
        let postings = try db.prepare("SELECT ids FROM request_postings WHERE kind = ? AND key = ? ORDER BY evidence, chunk")
        postings.bind(1, kind.rawValue)
        postings.bind(2, key.int(0))
        var ids: [Int64] = []
        while try postings.step() { ids += PostingCodec.decode(postings.blob(0)) }
        return ids
    }

    private func matchingIDs(_ ids: [Int64], _ filter: RequestFilter) throws -> [Int64] {
        let (condition, values) = CaseFile.sql(filter)
        let stmt = try db.prepare(
            """
            SELECT r.id FROM requests r
            JOIN dict ip ON ip.id = r.ip
            LEFT JOIN dict client ON client.id = r.client
            JOIN dict method ON method.id = r.method
            LEFT JOIN dict ua ON ua.id = r.user_agent
            WHERE r.id IN (SELECT value FROM json_each(?)) AND \(condition) ORDER BY r.id
            """)
        var out: [Int64] = []
        for chunk in stride(from: 0, to: ids.count, by: CaseFile.idsPerQuery) {
            stmt.reset()
            stmt.bind(1, CaseFile.jsonArray(ids[chunk..<min(ids.count, chunk + CaseFile.idsPerQuery)]))
            for (i, value) in values.enumerated() { stmt.bind(Int32(i + 2), value) }
            while try stmt.step() { out.append(stmt.int(0)) }
        }
        return out
    }

    /// The filter as one SQL condition and its parameters (never text pasted into the SQL).
    static func sql(_ filter: RequestFilter) -> (condition: String, values: [String]) {
        var parts: [String] = []
        var values: [String] = []
        let contains = "instr(lower(%@), lower(?)) > 0"
        for term in filter.terms {
            switch term {
            case .status(let code):
                parts.append("r.status = CAST(? AS INTEGER)")
                values.append(String(code))
            case .statusClass(let digit):
                parts.append("r.status / 100 = CAST(? AS INTEGER)")
                values.append(String(digit))
            case .method(let method):
                parts.append("method.value = ?")
                values.append(method)
            case .pathContains(let text):
                parts.append(contains.replacingOccurrences(of: "%@", with: "r.path"))
                values.append(text)
            case .ip(let address):
                parts.append("ip.value = ?")
                values.append(address)
            case .userAgentContains(let text):
                parts.append(contains.replacingOccurrences(of: "%@", with: "coalesce(ua.value, '')"))
                values.append(text)
            case .anywhere(let text):
                let fields = ["r.path", "coalesce(r.query, '')", "coalesce(ua.value, '')", "ip.value", "coalesce(client.value, '')"]
                parts.append(
                    "(" + fields.map { contains.replacingOccurrences(of: "%@", with: $0) }.joined(separator: " OR ")
                        + " OR CAST(r.status AS TEXT) = ?)")
                values += Array(repeating: text, count: fields.count) + [text]
            }
        }
        return (parts.isEmpty ? "1" : parts.joined(separator: " AND "), values)
    }

    static func jsonArray(_ ids: ArraySlice<Int64>) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }
}
