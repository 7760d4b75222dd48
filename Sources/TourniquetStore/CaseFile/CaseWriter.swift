import CSQLite
import Foundation
import TourniquetModel

/// A case opened for writing: everything a `CaseFile` reads, and the methods that change the case.
/// Every change is one transaction that appends its action to the chain.
public final class CaseWriter: CaseFile {
    /// Creates a new case file (mode 0600) and records the `case.created` action in the same transaction.
    public static func create(
        at path: String, metadata: CaseMetadata, actor: String, clock: WallClock, fingerprintKey: [UInt8]
    ) throws -> CaseWriter {
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
            let file = CaseWriter(path: path, db: db, metadata: metadata)
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

    /// Opens an existing case for writing: runs `PRAGMA integrity_check` and brings an older schema
    /// up to date (recorded as an action).
    public static func open(at path: String, actor: String = "tourniquet", clock: WallClock = .live) throws -> CaseWriter {
        try connect(at: path, writable: true) { db, metadata, version in
            let file = CaseWriter(path: path, db: db, metadata: metadata)
            if version < Migrations.currentVersion {
                try db.writeTransaction {
                    try file.applyMigrations(from: version, clock: clock)
                    _ = try file.appendAction(
                        ActionDraft(
                            kind: .schemaMigrated, target: path,
                            details: ["from": .int(Int64(version)), "to": .int(Int64(Migrations.currentVersion))]),
                        actor: actor, clock: clock)
                }
            }
            return file
        }
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
        let stmt = try db.prepare(
            """
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
