import CSQLite
import Foundation
import TourniquetModel

/// The case file: one SQLite database holding everything about one incident.
///
/// This is the façade the rest of Tourniquet uses; its methods are named for intent
/// (`create`, `open`, `record`, `verify`) and no SQL escapes this target.
public final class CaseFile {
    public let path: String
    public private(set) var metadata: CaseMetadata
    let db: SQLiteDatabase
    let isWritable: Bool
    /// True for a case written by an earlier Tourniquet and opened read-only: its schema lacks
    /// what this version adds until it is opened for writing.
    public private(set) var needsMigration = false

    private init(path: String, db: SQLiteDatabase, metadata: CaseMetadata, isWritable: Bool) {
        self.path = path
        self.db = db
        self.metadata = metadata
        self.isWritable = isWritable
    }

    // MARK: Creating

    /// Creates a new case file (mode 0600) and records the `case.created` action in the same transaction.
    public static func create(
        at path: String, metadata: CaseMetadata, actor: String, clock: WallClock, fingerprintKey: [UInt8]
    ) throws -> CaseFile {
        if FileManager.default.fileExists(atPath: path) { throw CaseFileError.alreadyExists(path) }
        try FilesystemGuard.check(path: path)
        // Create the file ourselves so its mode is 0600 from the first byte; SQLite gives -wal and -shm the same mode.
        let fd = Foundation.open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CaseFileError.unreadable(path: path, detail: String(cString: strerror(errno)))
        }
        close(fd)
        do {
            let db = try SQLiteDatabase(path: path, mode: .readWrite)
            try db.execute("PRAGMA application_id = \(Migrations.applicationID)")
            try configure(db, writable: true)
            let file = CaseFile(path: path, db: db, metadata: metadata, isWritable: true)
            try db.writeTransaction {
                try file.applyMigrations(from: 0, clock: clock)
                try file.insertCaseInfo(metadata, fingerprintKey: fingerprintKey)
                _ = try file.appendAction(
                    ActionDraft(kind: .caseCreated, target: "case", details: metadata.creationDetails),
                    actor: actor, clock: clock)
            }
            return file
        } catch {
            for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
            throw error
        }
    }

    // MARK: Opening

    /// Opens an existing case. Opening for writing runs `PRAGMA integrity_check` and brings an
    /// older schema up to date (recorded as an action).
    public static func open(at path: String, forWriting: Bool, actor: String = "tourniquet", clock: WallClock = .live) throws -> CaseFile {
        try checkLooksLikeCase(path)
        try FilesystemGuard.check(path: path)
        let db: SQLiteDatabase
        do {
            db = try SQLiteDatabase(path: path, mode: forWriting ? .readWrite : .readOnly)
        } catch let error as SQLiteError {
            throw CaseFileError.unreadable(path: path, detail: error.message)
        }
        do {
            guard try db.scalarInt("PRAGMA application_id") == Int64(Migrations.applicationID) else {
                throw CaseFileError.notACase(path)
            }
            let version = Int(try db.scalarInt("PRAGMA user_version") ?? 0)
            if version > Migrations.currentVersion {
                throw CaseFileError.newerSchema(path: path, fileVersion: version, knownVersion: Migrations.currentVersion)
            }
            try configure(db, writable: forWriting)
            if forWriting {
                let result = try db.scalarText("PRAGMA integrity_check") ?? "no result"
                if result != "ok" { throw CaseFileError.corrupt(path: path, detail: result) }
            }
            let metadata = try loadMetadata(db, path: path)
            let file = CaseFile(path: path, db: db, metadata: metadata, isWritable: forWriting)
            file.needsMigration = !forWriting && version < Migrations.currentVersion
            if forWriting && version < Migrations.currentVersion {
                try db.writeTransaction {
                    try file.applyMigrations(from: version, clock: clock)
                    _ = try file.appendAction(
                        ActionDraft(kind: .schemaMigrated, target: path,
                                    details: ["from": .int(Int64(version)), "to": .int(Int64(Migrations.currentVersion))]),
                        actor: actor, clock: clock)
                }
            }
            return file
        } catch let error as SQLiteError {
            if error.code & 0xFF == SQLITE_NOTADB { throw CaseFileError.notSQLite(path) }
            if error.code & 0xFF == SQLITE_CORRUPT { throw CaseFileError.corrupt(path: path, detail: error.message) }
            throw CaseFileError.unreadable(path: path, detail: error.message)
        }
    }

    /// Refuses missing paths, directories and empty files before SQLite sees them, so that a wrong
    /// path never gets turned into a new or converted database. A file that is not SQLite is left
    /// to SQLite to refuse (`SQLITE_NOTADB`) on its first read.
    ///
    /// Only `stat`: this process must never open and close a descriptor of its own on a case file.
    /// POSIX locks belong to the process, so closing any descriptor on the file drops every lock
    /// SQLite holds on it through other connections; another process then takes itself for the
    /// last user, checkpoints and deletes the WAL under a live connection, and acknowledged
    /// actions vanish (sqlite.org, "How To Corrupt An SQLite Database File", 2.2).
    static func checkLooksLikeCase(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { throw CaseFileError.notFound(path) }
            throw CaseFileError.unreadable(path: path, detail: String(cString: strerror(errno)))
        }
        if info.st_mode & S_IFMT == S_IFDIR { throw CaseFileError.isDirectory(path) }
        if info.st_size == 0 { throw CaseFileError.emptyFile(path) }
        if info.st_mode & S_IFMT != S_IFREG { throw CaseFileError.notSQLite(path) }
    }

    static func configure(_ db: SQLiteDatabase, writable: Bool) throws {
        if writable {
            // WAL is persistent in the file; setting it again is cheap and repairs a file copied without it.
            guard try db.scalarText("PRAGMA journal_mode = WAL")?.lowercased() == "wal" else {
                throw SQLiteError(code: SQLITE_ERROR, message: "cannot switch the case to WAL mode")
            }
        }
        try db.execute("PRAGMA synchronous = FULL")
        try db.execute("PRAGMA foreign_keys = ON")
    }

    private static func loadMetadata(_ db: SQLiteDatabase, path: String) throws -> CaseMetadata {
        let stmt = try db.prepare(
            "SELECT case_id, title, severity, status, detected_at_ms, created_at_ms, drill FROM case_info WHERE singleton = 1")
        guard try stmt.step() else { throw CaseFileError.notACase(path) }
        return CaseMetadata(
            id: stmt.text(0), title: stmt.text(1), severity: Severity(rawValue: stmt.text(2)) ?? .medium,
            status: CaseStatus(rawValue: stmt.text(3)) ?? .open, detectedAtMs: stmt.int(4), createdAtMs: stmt.int(5),
            isDrill: stmt.int(6) != 0)
    }

    private func applyMigrations(from version: Int, clock: WallClock) throws {
        let appliedAt = clock.nowMs()
        for (index, migration) in Migrations.all.enumerated() where index >= version {
            try db.execute(migration.sql)
            try migration.backfill?(db)
            let stmt = try db.prepare("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)")
            stmt.bind(1, Int64(index + 1))
            stmt.bind(2, migration.name)
            stmt.bind(3, appliedAt)
            try stmt.step()
            try db.execute("PRAGMA user_version = \(index + 1)")
        }
    }

    private func insertCaseInfo(_ m: CaseMetadata, fingerprintKey: [UInt8]) throws {
        let stmt = try db.prepare("""
            INSERT INTO case_info (singleton, case_id, title, severity, status, detected_at_ms, created_at_ms, drill, fingerprint_key)
            VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        stmt.bind(1, m.id)
        stmt.bind(2, m.title)
        stmt.bind(3, m.severity.rawValue)
        stmt.bind(4, m.status.rawValue)
        stmt.bind(5, m.detectedAtMs)
        stmt.bind(6, m.createdAtMs)
        stmt.bind(7, m.isDrill ? 1 : 0)
        stmt.bind(8, blob: fingerprintKey)
        try stmt.step()
    }
}
