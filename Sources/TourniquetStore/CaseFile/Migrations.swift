/// The case-file schema, as named migrations applied in order.
///
/// A shipped migration is never edited: a change is a new migration appended to `all`.
/// `PRAGMA user_version` holds how many have been applied, so a file written by a newer
/// Tourniquet (more migrations than this build knows) is recognised and refused.
struct Migration {
    let name: String
    let sql: String
    /// Fills new tables from existing data, in the migration's transaction.
    var backfill: ((SQLiteDatabase) throws -> Void)? = nil
}

enum Migrations {
    /// "TNQT": marks an SQLite file as a Tourniquet case.
    static let applicationID: Int32 = 0x544E_5154

    static let all: [Migration] = [initialSchema, accessPaths, allowlist, scanChunks, findingConfidence]

    static var currentVersion: Int { all.count }

    static let initialSchema = Migration(
        name: "0001-initial-case-schema",
        sql: """
            CREATE TABLE schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                applied_at_ms INTEGER NOT NULL
            );

            -- One row: the case header. Changes to it are recorded as actions first.
            CREATE TABLE case_info (
                singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                case_id TEXT NOT NULL,
                title TEXT NOT NULL,
                severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
                status TEXT NOT NULL CHECK (status IN ('open', 'contained', 'closed')),
                detected_at_ms INTEGER NOT NULL,
                created_at_ms INTEGER NOT NULL,
                drill INTEGER NOT NULL CHECK (drill IN (0, 1)),
                fingerprint_key BLOB NOT NULL -- per-case HMAC key for secret fingerprints; never exported
            );

            -- The action log: the timeline. Append-only, SHA-256 chained (see ActionChain).
            CREATE TABLE actions (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                kind TEXT NOT NULL,
                target TEXT NOT NULL,
                details TEXT NOT NULL,
                rationale TEXT NOT NULL,
                corrects INTEGER REFERENCES actions(id),
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            );
            CREATE TRIGGER actions_no_update BEFORE UPDATE ON actions
            BEGIN SELECT RAISE(ABORT, 'the action log is append-only: record a correction instead'); END;
            CREATE TRIGGER actions_no_delete BEFORE DELETE ON actions
            BEGIN SELECT RAISE(ABORT, 'the action log is append-only: record a correction instead'); END;

            -- One row per imported file. Registered in the same transaction as its requests.
            CREATE TABLE evidence (
                id INTEGER PRIMARY KEY,
                path TEXT NOT NULL,
                sha256 TEXT NOT NULL UNIQUE,
                sha256_decompressed TEXT,
                size INTEGER NOT NULL,
                format TEXT NOT NULL,
                importer TEXT NOT NULL,
                imported_at_ms INTEGER NOT NULL,
                first_ms INTEGER,
                last_ms INTEGER,
                lines_read INTEGER NOT NULL,
                parsed INTEGER NOT NULL,
                malformed INTEGER NOT NULL,
                malformed_samples TEXT NOT NULL, -- JSON: [{"line":N,"text":"escaped","reason":"..."}]
                action_id INTEGER NOT NULL REFERENCES actions(id)
            );

            -- Repeated strings (addresses, clients, keys, routes, user agents) stored once.
            CREATE TABLE dict (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                UNIQUE (kind, value)
            );

            -- One row per request, in ingest order; narrow and all-integer but for path and query.
            CREATE TABLE requests (
                id INTEGER PRIMARY KEY,
                evidence INTEGER NOT NULL,
                line INTEGER NOT NULL,
                ts_ms INTEGER NOT NULL,
                utc_offset_min INTEGER NOT NULL,
                ip INTEGER NOT NULL,      -- dict: client address after trusted proxies
                xff INTEGER,              -- dict: raw X-Forwarded-For
                client INTEGER,           -- dict: remote user, consumer or user name
                api_key INTEGER,          -- dict: API key id or credential fingerprint
                method INTEGER NOT NULL,  -- dict
                path TEXT NOT NULL,
                route INTEGER NOT NULL,   -- dict: templated route
                query TEXT,               -- redacted
                status INTEGER NOT NULL,
                bytes INTEGER NOT NULL,
                latency_us INTEGER,
                user_agent INTEGER,       -- dict
                flags INTEGER NOT NULL    -- bit 0: undocumented route; bit 1: credential redacted
            );

            -- Scope runs and their findings; a finding's state changes only through an action.
            CREATE TABLE scope_runs (
                id INTEGER PRIMARY KEY,
                action_id INTEGER NOT NULL REFERENCES actions(id),
                window_from_ms INTEGER,
                window_to_ms INTEGER,
                requests INTEGER NOT NULL,
                report TEXT NOT NULL -- the JSON report
            );
            CREATE TABLE findings (
                id TEXT PRIMARY KEY,
                detector TEXT NOT NULL,
                severity TEXT NOT NULL,
                subject_kind TEXT NOT NULL,
                subject_value TEXT NOT NULL,
                first_ms INTEGER,
                last_ms INTEGER,
                requests INTEGER NOT NULL,
                evidence TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'confirmed', 'dismissed')),
                scope_run INTEGER REFERENCES scope_runs(id)
            );

            -- Gateway configuration as imported (decK, OpenAPI, consumers), secrets redacted.
            CREATE TABLE gateway_state (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                path TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                content TEXT NOT NULL,
                imported_at_ms INTEGER NOT NULL,
                action_id INTEGER NOT NULL REFERENCES actions(id)
            );

            -- Notification and hardening checklists with their deadlines.
            CREATE TABLE checklist_items (
                id INTEGER PRIMARY KEY,
                checklist TEXT NOT NULL,
                item_key TEXT NOT NULL,
                title TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'not-applicable')),
                due_at_ms INTEGER,
                updated_by_action INTEGER REFERENCES actions(id),
                UNIQUE (checklist, item_key)
            );
            """
    )

    /// Drill-down access paths and per-subject statistics, built at ingest so neither the console
    /// nor scope scans `requests` (which is clustered on ingest order and has no secondary index).
    static let accessPaths = Migration(
        name: "0002-request-access-paths",
        sql: """
            -- Ascending request ids per subject, as LEB128 varints of the gaps; one row per evidence chunk.
            CREATE TABLE request_postings (
                kind TEXT NOT NULL,       -- ip, client, api_key, route
                key INTEGER NOT NULL,     -- dict id
                evidence INTEGER NOT NULL,
                chunk INTEGER NOT NULL,
                count INTEGER NOT NULL,
                ids BLOB NOT NULL,
                PRIMARY KEY (kind, key, evidence, chunk)
            ) WITHOUT ROWID;

            CREATE TABLE subject_stats (
                kind TEXT NOT NULL,
                key INTEGER NOT NULL,
                requests INTEGER NOT NULL,
                first_ms INTEGER NOT NULL,
                last_ms INTEGER NOT NULL,
                status_1xx INTEGER NOT NULL,
                status_2xx INTEGER NOT NULL,
                status_3xx INTEGER NOT NULL,
                status_4xx INTEGER NOT NULL,
                status_5xx INTEGER NOT NULL,
                bytes INTEGER NOT NULL,
                PRIMARY KEY (kind, key)
            ) WITHOUT ROWID;
            """
    )

    /// Sources and clients a responder declared benign; an entry is never deleted, only marked removed.
    static let allowlist = Migration(
        name: "0003-allowlist",
        sql: """
            CREATE TABLE allowlist (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('ip', 'cidr', 'client')),
                value TEXT NOT NULL,
                added_by_action INTEGER NOT NULL REFERENCES actions(id),
                removed_by_action INTEGER REFERENCES actions(id)
            );
            CREATE INDEX findings_by_detector ON findings (detector, severity);
            """
    )

    /// The requests packed for scope (see `ScanChunk`), one row per ingest batch. A case from an
    /// earlier version gets them built from `requests` when it is first opened for writing.
    static let scanChunks = Migration(
        name: "0004-scan-chunks",
        sql: """
            CREATE TABLE scan_chunks (
                first_id INTEGER PRIMARY KEY, -- the first request id in the chunk
                evidence INTEGER NOT NULL,
                rows INTEGER NOT NULL,
                first_ms INTEGER NOT NULL,    -- earliest and latest timestamps, to skip chunks outside a window
                last_ms INTEGER NOT NULL,
                signatures TEXT NOT NULL,     -- digest of the probe signature sets matched at packing
                data BLOB NOT NULL
            );
            """,
        backfill: ScanChunkBackfill.run
    )

    /// How sure each finding is (`strong` or `weak`) and why. Findings stored before read as strong,
    /// which is what the attacker lists took them for.
    static let findingConfidence = Migration(
        name: "0005-finding-confidence",
        sql: """
            ALTER TABLE findings ADD COLUMN confidence TEXT NOT NULL DEFAULT 'strong';
            ALTER TABLE findings ADD COLUMN confidence_reason TEXT NOT NULL DEFAULT '';
            """
    )
}
