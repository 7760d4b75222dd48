import CSQLite
import TourniquetIngest

/// Writes packed scope chunks into `scan_chunks`.
struct ScanChunkWriter {
    private let insert: SQLiteStatement

    init(_ db: SQLiteDatabase) throws {
        insert = try db.prepare(
            """
            INSERT INTO scan_chunks (first_id, evidence, rows, first_ms, last_ms, signatures, data) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
    }

    func write(_ chunk: ScanChunk, evidence: Int64) throws {
        insert.bind(1, chunk.firstID)
        insert.bind(2, evidence)
        insert.bind(3, Int64(chunk.rows))
        insert.bind(4, chunk.firstMs)
        insert.bind(5, chunk.lastMs)
        insert.bind(6, chunk.signatures)
        insert.bind(7, blob: chunk.data)
        try insert.step()
        insert.reset()
    }
}

/// Builds the scope chunks of a case written before they existed, from `requests`.
enum ScanChunkBackfill {
    static let rowsPerChunk = 8192

    static func run(_ db: SQLiteDatabase) throws {
        var segments: [Int64: ObjectSegment] = [:]
        let routes = try db.prepare("SELECT id, value FROM dict WHERE kind = 'route'")
        while try routes.step() { segments[routes.int(0)] = ObjectSegment(routes.text(1)) }
        let writer = try ScanChunkWriter(db)
        let read = try db.prepare(
            """
            SELECT id, evidence, ts_ms, ip, client, api_key, method, route, status, bytes, flags, path, query, user_agent
            FROM requests ORDER BY id
            """)
        var encoder = ScanChunkEncoder(signatures: .defaults)
        var evidence: Int64 = -1
        var nextID: Int64 = -1
        var rows = 0
        func flush() throws {
            if let chunk = encoder.take() { try writer.write(chunk, evidence: evidence) }
            rows = 0
        }
        let s = read.stmt
        while try read.step() {
            // A chunk holds consecutive ids of one evidence file.
            if read.int(1) != evidence || read.int(0) != nextID || rows == rowsPerChunk {
                try flush()
                evidence = read.int(1)
            }
            let route = read.int(7)
            let row = ScanRow(
                id: read.int(0), timestampMs: read.int(2), ip: read.int(3), client: read.int(4), apiKey: read.int(5),
                method: read.int(6), route: route, status: Int(read.int(8)), bytes: read.int(9),
                flags: RequestFlags(rawValue: read.int(10)), userAgent: read.int(13))
            let path = text(s, 11) ?? UnsafeBufferPointer(start: nil, count: 0)
            encoder.append(row, objectSegment: segments[route], path: path, query: text(s, 12))
            nextID = row.id + 1
            rows += 1
        }
        try flush()
    }

    /// A text column's bytes, valid until the next step; nil for NULL.
    private static func text(_ s: OpaquePointer, _ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        guard sqlite3_column_type(s, column) != SQLITE_NULL else { return nil }
        let pointer = sqlite3_column_text(s, column)
        return UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(s, column)))
    }
}

extension CaseFile {
    /// The packed requests of a time window, in request order: chunks wholly outside the window
    /// are skipped here; rows outside it are for the caller to drop (`ScanChunk.forEachRow`).
    ///
    /// A chunk packed with other probe signature sets than `signatures` comes with the path and
    /// query of the requests rules read, so scope can match them itself (slower, but right).
    public func scanChunks(fromMs: Int64?, toMs: Int64?, signatures: String? = nil, _ body: (ScanChunk) throws -> Void) throws {
        try db.readTransaction {
            let stmt = try db.prepare(
                """
                SELECT first_id, rows, first_ms, last_ms, signatures, data FROM scan_chunks
                WHERE last_ms >= ? AND first_ms <= ? ORDER BY first_id
                """)
            stmt.bind(1, fromMs ?? Int64.min)
            stmt.bind(2, toMs ?? Int64.max)
            let texts = try db.prepare(
                """
                SELECT id, path, query FROM requests WHERE id >= ? AND id < ? AND (status >= 400 OR query IS NOT NULL) ORDER BY id
                """)
            while try stmt.step() {
                var chunk = ScanChunk(
                    firstID: stmt.int(0), rows: Int(stmt.int(1)), firstMs: stmt.int(2), lastMs: stmt.int(3),
                    signatures: stmt.text(4), data: stmt.blob(5))
                if let signatures, signatures != chunk.signatures {
                    texts.reset()
                    texts.bind(1, chunk.firstID)
                    texts.bind(2, chunk.firstID + Int64(chunk.rows))
                    var found: [(id: Int64, text: String)] = []
                    while try texts.step() {
                        found.append((texts.int(0), texts.isNull(2) ? texts.text(1) : texts.text(1) + "?" + texts.text(2)))
                    }
                    chunk.texts = found
                }
                try body(chunk)
            }
        }
    }

    /// A request's path and query as stored, for the samples a finding quotes.
    public func requestText(id: Int64) throws -> String? {
        let stmt = try db.prepare("SELECT path, query FROM requests WHERE id = ?")
        stmt.bind(1, id)
        guard try stmt.step() else { return nil }
        return stmt.isNull(1) ? stmt.text(0) : stmt.text(0) + "?" + stmt.text(1)
    }
}
