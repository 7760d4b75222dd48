import CSQLite
import Foundation
import TourniquetModel

/// The case file: one SQLite database holding everything about one incident.
///
/// A `CaseFile` reads; only a `CaseWriter` (its subclass, opened for writing) has the methods that
/// change the case, so a write on a read-only case does not compile, as with GRDB's reader and
/// writer types. Methods are named for intent (`open`, `findings`, `verify`); no SQL escapes this
/// target.
public class CaseFile {
    public let path: String
    public internal(set) var metadata: CaseMetadata
    let db: SQLiteDatabase
    /// True for a case written by an earlier Tourniquet and opened read-only: its schema lacks
    /// what this version adds until it is opened for writing.
    public internal(set) var needsMigration = false

    init(path: String, db: SQLiteDatabase, metadata: CaseMetadata) {
        self.path = path
        self.db = db
        self.metadata = metadata
    }

    /// Opens an existing case read-only; its schema must not be newer than this version's.
    public static func openReadOnly(at path: String) throws -> CaseFile {
        try connect(at: path, writable: false) { db, metadata, version in
            let file = CaseFile(path: path, db: db, metadata: metadata)
            file.needsMigration = version < Migrations.currentVersion
            return file
        }
    }

    /// Opens the connection and checks it is a case this version reads, then hands it over with
    /// the case's header and schema version; SQLite errors become the case's own errors.
    static func connect<File: CaseFile>(
        at path: String, writable: Bool, _ make: (SQLiteDatabase, CaseMetadata, Int) throws -> File
    ) throws -> File {
        try checkLooksLikeCase(path)
        try FilesystemGuard.check(path: path)
        let db: SQLiteDatabase
        do {
            db = try SQLiteDatabase(path: path, mode: writable ? .readWrite : .readOnly)
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
            try configure(db, writable: writable)
            if writable {
                let result = try db.scalarText("PRAGMA integrity_check") ?? "no result"
                if result != "ok" { throw CaseFileError.corrupt(path: path, detail: result) }
            }
            return try make(db, try loadMetadata(db, path: path), version)
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

    static func loadMetadata(_ db: SQLiteDatabase, path: String) throws -> CaseMetadata {
        let stmt = try db.prepare(
            "SELECT case_id, title, severity, status, detected_at_ms, created_at_ms, drill FROM case_info WHERE singleton = 1")
        guard try stmt.step() else { throw CaseFileError.notACase(path) }
        return CaseMetadata(
            id: stmt.text(0), title: stmt.text(1), severity: Severity(rawValue: stmt.text(2)) ?? .medium,
            status: CaseStatus(rawValue: stmt.text(3)) ?? .open, detectedAtMs: stmt.int(4), createdAtMs: stmt.int(5),
            isDrill: stmt.int(6) != 0)
    }
}
