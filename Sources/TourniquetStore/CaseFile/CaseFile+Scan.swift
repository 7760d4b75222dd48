import CSQLite
import TourniquetCore

extension CaseFile {
    /// Every dict string by id, and the route strings, for a detection context.
    public func dictionary() throws -> (all: [Int64: String], routes: [Int64: String]) {
        let stmt = try db.prepare("SELECT id, kind, value FROM dict")
        var all: [Int64: String] = [:]
        var routes: [Int64: String] = [:]
        while try stmt.step() {
            let id = stmt.int(0)
            let value = stmt.text(2)
            all[id] = value
            if stmt.text(1) == DictKind.route.rawValue { routes[id] = value }
        }
        return (all, routes)
    }

    /// The dict entries of one kind, by id.
    public func dictionary(kind: DictKind) throws -> [Int64: String] {
        let stmt = try db.prepare("SELECT id, value FROM dict WHERE kind = ?")
        stmt.bind(1, kind.rawValue)
        var out: [Int64: String] = [:]
        while try stmt.step() { out[stmt.int(0)] = stmt.text(1) }
        return out
    }

    /// One pass over the requests in a time window, in ingest order, as detector rows.
    /// Strings are decoded only where rules read them: the object id on templated routes, and path
    /// and query for errors and requests that had a query.
    public func scan(fromMs: Int64?, toMs: Int64?, routes: [Int64: String], _ body: (ScanRow) -> Void) throws {
        try db.readTransaction { try scanRows(fromMs: fromMs, toMs: toMs, routes: routes, body) }
    }

    private func scanRows(fromMs: Int64?, toMs: Int64?, routes: [Int64: String], _ body: (ScanRow) -> Void) throws {
        let objectSegment = routes.compactMapValues(ObjectSegment.init)
        let stmt = try db.prepare("""
            SELECT id, ts_ms, ip, coalesce(client, 0), coalesce(api_key, 0), method, route, status, bytes, flags, path, query
            FROM requests WHERE ts_ms >= ? AND ts_ms <= ? ORDER BY id
            """)
        stmt.bind(1, fromMs ?? Int64.min)
        stmt.bind(2, toMs ?? Int64.max)
        let s = stmt.stmt
        while sqlite3_step(s) == SQLITE_ROW {
            let route = sqlite3_column_int64(s, 6)
            let status = Int(sqlite3_column_int64(s, 7))
            var row = ScanRow(
                id: sqlite3_column_int64(s, 0), timestampMs: sqlite3_column_int64(s, 1), ip: sqlite3_column_int64(s, 2),
                client: sqlite3_column_int64(s, 3), apiKey: sqlite3_column_int64(s, 4), method: sqlite3_column_int64(s, 5),
                route: route, status: status, bytes: sqlite3_column_int64(s, 8), flags: RequestFlags(rawValue: sqlite3_column_int64(s, 9)))
            let hasQuery = sqlite3_column_type(s, 11) != SQLITE_NULL
            let segment = objectSegment[route]
            if let segment, let text = sqlite3_column_text(s, 10) {
                row.objectID = segment.value(in: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(s, 10))))
            }
            if hasQuery || status >= 400 {
                let path = column(s, 10)
                row.pathAndQuery = hasQuery ? path + "?" + column(s, 11) : path
            }
            body(row)
        }
    }

    /// The requests of the given subjects, read through their postings rather than a scan.
    public func scanRequests(of ids: [(kind: DictKind, key: Int64)], routes: [Int64: String], _ body: (ScanRow) -> Void) throws {
        try db.readTransaction { try scanSubjects(ids, routes: routes, body) }
    }

    private func scanSubjects(_ ids: [(kind: DictKind, key: Int64)], routes: [Int64: String], _ body: (ScanRow) -> Void) throws {
        let postings = try db.prepare("SELECT ids FROM request_postings WHERE kind = ? AND key = ? ORDER BY evidence, chunk")
        var requestIDs: [Int64] = []
        for (kind, key) in ids {
            postings.reset()
            postings.bind(1, kind.rawValue)
            postings.bind(2, key)
            while try postings.step() { requestIDs += PostingCodec.decode(postings.blob(0)) }
        }
        requestIDs.sort()
        let objectSegment = routes.compactMapValues(ObjectSegment.init)
        let fetch = try db.prepare("""
            SELECT id, ts_ms, ip, coalesce(client, 0), coalesce(api_key, 0), method, route, status, bytes, flags, path FROM requests WHERE id = ?
            """)
        var previous: Int64 = -1
        for id in requestIDs where id != previous {
            previous = id
            fetch.reset()
            fetch.bind(1, id)
            guard try fetch.step() else { continue }
            let route = fetch.int(6)
            var row = ScanRow(id: fetch.int(0), timestampMs: fetch.int(1), ip: fetch.int(2), client: fetch.int(3), apiKey: fetch.int(4),
                              method: fetch.int(5), route: route, status: Int(fetch.int(7)), bytes: fetch.int(8),
                              flags: RequestFlags(rawValue: fetch.int(9)))
            if let segment = objectSegment[route] { row.objectID = segment.value(in: fetch.text(10)) }
            body(row)
        }
    }

    private func column(_ s: OpaquePointer, _ index: Int32) -> String {
        guard let text = sqlite3_column_text(s, index) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(s, index))), as: UTF8.self)
    }
}

/// Where a templated route's last parameter sits, counted from the end of the path, so a path
/// with a base prefix (`/api/v2/accounts/7`) still finds its object id against `/accounts/{id}`.
struct ObjectSegment {
    let fromEnd: Int
    let segments: Int

    init?(_ route: String) {
        let parts = route.split(separator: "/", omittingEmptySubsequences: true)
        guard let index = parts.lastIndex(where: { $0.hasPrefix("{") && $0.hasSuffix("}") }) else { return nil }
        fromEnd = parts.count - 1 - index
        segments = parts.count
    }

    func value(in path: String) -> String? {
        var copy = path
        return copy.withUTF8 { value(in: $0) }
    }

    /// Scans bytes from the end: the wanted segment is `fromEnd` segments before the last.
    func value(in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        do {
            var end = bytes.count
            while end > 0 && bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
            var skipped = 0
            var found = 0
            while end > 0 {
                var start = end
                while start > 0 && bytes[start - 1] != UInt8(ascii: "/") { start -= 1 }
                found += 1
                if skipped == fromEnd {
                    // Make sure the path is long enough to be this route at all.
                    var rest = start
                    while rest > 0 {
                        while rest > 0 && bytes[rest - 1] == UInt8(ascii: "/") { rest -= 1 }
                        if rest > 0 { found += 1 }
                        while rest > 0 && bytes[rest - 1] != UInt8(ascii: "/") { rest -= 1 }
                    }
                    return found >= segments ? String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) : nil
                }
                skipped += 1
                end = start
                while end > 0 && bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
            }
            return nil
        }
    }
}
