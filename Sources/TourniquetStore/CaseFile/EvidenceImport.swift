import CSQLite
import TourniquetIngest
import TourniquetModel

/// One evidence file being imported, inside a single write transaction.
///
/// Requests, strings, postings and statistics go in as they arrive; `finish` adds the evidence
/// record and its action and commits. A crash or kill before that leaves nothing behind, so
/// importing the file again brings it in exactly once.
public final class EvidenceImport {
    public let evidenceID: Int64
    public let firstRequestID: Int64
    /// Strings already in the case, to continue their ids.
    public let existingStrings: [(id: Int64, kind: DictKind, value: String)]
    public let fingerprintKey: [UInt8]
    private let caseFile: CaseWriter
    private let insertRequest: SQLiteStatement
    private let insertString: SQLiteStatement
    private let insertPosting: SQLiteStatement
    private let scanChunks: ScanChunkWriter
    private var open = true
    private var walFlusher: WALFlusher
    private var chunk: Int64 = 0
    public private(set) var rowsWritten: Int64 = 0

    init(caseFile: CaseWriter) throws {
        self.caseFile = caseFile
        let db = caseFile.db
        // A 16 MiB page cache for the import: the dictionary index and postings B-trees are written
        // in key order, not file order, and the 2 MiB default makes SQLite re-read their pages.
        try db.execute("PRAGMA cache_size = -16384")
        evidenceID = (try db.scalarInt("SELECT coalesce(max(id), 0) FROM evidence") ?? 0) + 1
        firstRequestID = (try db.scalarInt("SELECT coalesce(max(id), 0) FROM requests") ?? 0) + 1
        var strings: [(id: Int64, kind: DictKind, value: String)] = []
        let all = try db.prepare("SELECT id, kind, value FROM dict")
        while try all.step() {
            if let kind = DictKind(rawValue: all.text(1)) { strings.append((all.int(0), kind, all.text(2))) }
        }
        existingStrings = strings
        fingerprintKey = try caseFile.fingerprintKey()
        insertRequest = try db.prepare(
            """
            INSERT INTO requests (evidence, line, ts_ms, utc_offset_min, ip, xff, client, api_key, method, path, route, query,
                                  status, bytes, latency_us, user_agent, flags)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertString = try db.prepare("INSERT INTO dict (id, kind, value) VALUES (?, ?, ?)")
        walFlusher = WALFlusher(db: db)
        scanChunks = try ScanChunkWriter(db)
        insertPosting = try db.prepare("INSERT INTO request_postings (kind, key, evidence, chunk, count, ids) VALUES (?, ?, ?, ?, ?, ?)")
    }

    deinit {
        if open { abandon() }
    }

    public func write(_ batch: RequestBatch) throws {
        for entry in batch.newStrings {
            insertString.bind(1, entry.id)
            insertString.bind(2, entry.kind.rawValue)
            insertString.bind(3, entry.value)
            try insertString.step()
            insertString.reset()
        }
        let s = insertRequest
        var failure: Error?
        batch.text.withUnsafeBufferPointer { text in
            for row in batch.rows {
                // SQLite assigns the next rowid, which is the id the row was given (ids continue from
                // the case's highest): appending this way skips a B-tree seek per row. Checked below.
                s.bind(1, evidenceID)
                s.bind(2, row.line)
                s.bind(3, row.timestampMs)
                s.bind(4, row.utcOffsetMinutes)
                s.bind(5, row.ip)
                s.bind(6, row.xff)
                s.bind(7, row.client)
                s.bind(8, row.apiKey)
                s.bind(9, row.method)
                s.bindStatic(10, text, row.path)
                s.bind(11, row.route)
                if let query = row.query { s.bindStatic(12, text, query) } else { s.bind(12, nil as Int64?) }
                s.bind(13, row.status)
                s.bind(14, row.bytes)
                s.bind(15, row.latencyMicros)
                s.bind(16, row.userAgent)
                s.bind(17, row.flags)
                do { try s.step() } catch {
                    failure = error
                    break
                }
                sqlite3_reset(s.stmt)
            }
        }
        if failure == nil, let last = batch.rows.last, sqlite3_last_insert_rowid(caseFile.db.handle) != last.id {
            failure = CaseFileError.corrupt(path: caseFile.path, detail: "request ids went out of step while importing")
        }
        if let failure { throw failure }
        rowsWritten += Int64(batch.rows.count)
        walFlusher.rowsWritten(rowsWritten)
    }

    /// Writes one batch's requests packed for scope.
    public func write(_ chunk: ScanChunk) throws {
        try scanChunks.write(chunk, evidence: evidenceID)
    }

    /// Writes one chunk of postings; called every few million rows to keep memory bounded.
    public func write(_ postings: [Posting]) throws {
        for posting in postings {
            insertPosting.bind(1, posting.kind.rawValue)
            insertPosting.bind(2, posting.key)
            insertPosting.bind(3, evidenceID)
            insertPosting.bind(4, chunk)
            insertPosting.bind(5, posting.count)
            insertPosting.bind(6, blob: posting.encoded)
            try insertPosting.step()
            insertPosting.reset()
        }
        chunk += 1
    }

    /// Adds this file's per-subject statistics to what the case already holds.
    public func merge(_ stats: [SubjectStatsEntry]) throws {
        let upsert = try caseFile.db.prepare(
            """
            INSERT INTO subject_stats (kind, key, requests, first_ms, last_ms, status_1xx, status_2xx, status_3xx, status_4xx, status_5xx, bytes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (kind, key) DO UPDATE SET
                requests = requests + excluded.requests, first_ms = min(first_ms, excluded.first_ms),
                last_ms = max(last_ms, excluded.last_ms), status_1xx = status_1xx + excluded.status_1xx,
                status_2xx = status_2xx + excluded.status_2xx, status_3xx = status_3xx + excluded.status_3xx,
                status_4xx = status_4xx + excluded.status_4xx, status_5xx = status_5xx + excluded.status_5xx,
                bytes = bytes + excluded.bytes
            """)
        for entry in stats {
            do {
                let s = entry.stats
                upsert.bind(1, entry.kind.rawValue)
                upsert.bind(2, entry.key)
                upsert.bind(3, s.requests)
                upsert.bind(4, s.firstMs)
                upsert.bind(5, s.lastMs)
                for (i, count) in s.statusClasses.enumerated() { upsert.bind(Int32(6 + i), count) }
                upsert.bind(11, s.bytes)
                try upsert.step()
                upsert.reset()
            }
        }
    }

    /// Registers the evidence, records its action and commits: the file is now in, whole.
    public func finish(
        _ record: EvidenceRecord, importer: String, actor: String, clock: WallClock, rationale: String = "",
        gatewayState: [GatewayDocument] = []
    ) throws -> Action {
        precondition(record.id == evidenceID, "the record must carry the id this import was given")
        let action = try caseFile.appendAction(
            ActionDraft(kind: .evidenceIngested, target: record.path, details: record.actionDetails, rationale: rationale),
            actor: actor, clock: clock)
        let stmt = try caseFile.db.prepare(
            """
            INSERT INTO evidence (id, path, sha256, sha256_decompressed, size, format, importer, imported_at_ms, first_ms, last_ms,
                                  lines_read, parsed, malformed, malformed_samples, action_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        stmt.bind(1, record.id)
        stmt.bind(2, record.path)
        stmt.bind(3, record.sha256)
        stmt.bind(4, record.sha256Decompressed)
        stmt.bind(5, record.size)
        stmt.bind(6, record.format)
        stmt.bind(7, importer)
        stmt.bind(8, record.importedAtMs)
        stmt.bind(9, record.firstMs)
        stmt.bind(10, record.lastMs)
        stmt.bind(11, record.linesRead)
        stmt.bind(12, record.parsed)
        stmt.bind(13, record.malformed)
        stmt.bind(14, record.samplesJSON)
        stmt.bind(15, action.id)
        try stmt.step()
        for document in gatewayState { try caseFile.insertGatewayState(document, actionID: action.id, atMs: record.importedAtMs) }
        try caseFile.db.execute("COMMIT")
        open = false
        return action
    }

    /// Rolls everything back, as if the import had never started.
    public func abandon() {
        guard open else { return }
        try? caseFile.db.execute("ROLLBACK")
        open = false
    }
}

/// A gateway configuration document kept in the case (an OpenAPI spec, a decK file).
public struct GatewayDocument: Sendable {
    public var kind: String
    public var path: String
    public var content: String
    public init(kind: String, path: String, content: String) {
        self.kind = kind
        self.path = path
        self.content = content
    }
}

extension CaseWriter {
    /// Records a gateway import: its action and the documents it keeps, in one transaction.
    public func recordGatewayImport(_ documents: [GatewayDocument], draft: ActionDraft, actor: String, clock: WallClock) throws -> Action {
        try db.writeTransaction {
            let action = try appendAction(draft, actor: actor, clock: clock)
            for document in documents { try insertGatewayState(document, actionID: action.id, atMs: clock.nowMs()) }
            return action
        }
    }

    func insertGatewayState(_ document: GatewayDocument, actionID: Int64, atMs: Int64) throws {
        let stmt = try db.prepare("INSERT INTO gateway_state (kind, path, sha256, content, imported_at_ms, action_id) VALUES (?, ?, ?, ?, ?, ?)")
        stmt.bind(1, document.kind)
        stmt.bind(2, document.path)
        stmt.bind(3, ContentDigest.sha256Hex(Array(document.content.utf8)))
        stmt.bind(4, document.content)
        stmt.bind(5, atMs)
        stmt.bind(6, actionID)
        try stmt.step()
    }
}
