import CSQLite
import Foundation
import TourniquetIngest

/// An error reported by SQLite, with its result code and message.
public struct SQLiteError: Error, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var description: String { "SQLite error \(code): \(message)" }
    var isBusy: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }
}

/// One SQLite connection. Not shared between threads; each user opens its own.
final class SQLiteDatabase {
    let handle: OpaquePointer

    enum Mode { case readOnly, readWrite, create }

    init(path: String, mode: Mode) throws {
        var db: OpaquePointer?
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch mode {
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        }
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: message)
        }
        handle = db
        // Before any statement: the first read may meet another process's checkpoint or WAL
        // recovery, and must wait for it rather than fail with "database is locked".
        sqlite3_busy_timeout(db, SQLiteDatabase.busyTimeoutMs)
    }

    /// How long a statement waits for another connection's lock before giving up.
    static let busyTimeoutMs: Int32 = 30_000

    deinit {
        sqlite3_close_v2(handle)
    }

    func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(errorMessage)
            throw SQLiteError(code: rc, message: message)
        }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw SQLiteError(code: rc, message: lastErrorMessage) }
        return SQLiteStatement(stmt, database: self)
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so two
    /// writers queue on the busy timeout instead of deadlocking on a lock upgrade.
    func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try beginImmediate()
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Takes the write lock, waiting out other writers. The busy handler covers ordinary contention;
    /// a few cases return busy without calling it (another connection running WAL recovery, or a
    /// lock taken in the instant between two of its retries), so those are retried here, within
    /// the same bound.
    private func beginImmediate() throws {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(SQLiteDatabase.busyTimeoutMs) * 1_000_000
        var pauseMs: UInt32 = 1
        while true {
            do {
                try execute("BEGIN IMMEDIATE")
                return
            } catch let error as SQLiteError where error.isBusy && DispatchTime.now().uptimeNanoseconds < deadline {
                usleep(pauseMs * 1000)
                pauseMs = min(pauseMs * 2, 100)
            }
        }
    }

    /// Runs reads under one shared lock, instead of taking and dropping it for every statement.
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN DEFERRED")
        defer { try? execute("COMMIT") }
        return try body()
    }

    /// The first column of the first row of a query, as text.
    func scalarText(_ sql: String) throws -> String? {
        let stmt = try prepare(sql)
        return try stmt.step() ? stmt.text(0) : nil
    }

    func scalarInt(_ sql: String) throws -> Int64? {
        let stmt = try prepare(sql)
        return try stmt.step() ? stmt.int(0) : nil
    }

    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
}

/// A prepared statement. Bind with 1-based indexes, read columns with 0-based ones.
final class SQLiteStatement {
    let stmt: OpaquePointer
    private let database: SQLiteDatabase

    init(_ stmt: OpaquePointer, database: SQLiteDatabase) {
        self.stmt = stmt
        self.database = database
    }

    deinit { sqlite3_finalize(stmt) }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(stmt, index, value) } else { sqlite3_bind_null(stmt, index) }
    }

    func bind(_ index: Int32, _ value: String?) {
        // An explicit byte length: attacker text may hold NUL bytes, which -1 would cut at.
        if let value { sqlite3_bind_text(stmt, index, value, Int32(value.utf8.count), tq_sqlite_transient()) } else { sqlite3_bind_null(stmt, index) }
    }

    /// Binds bytes of `text` without copying; they must stay alive until the statement is reset.
    func bindStatic(_ index: Int32, _ text: UnsafeBufferPointer<UInt8>, _ span: TextSpan) {
        let base = text.baseAddress.map { UnsafeRawPointer($0 + Int(span.start)) }
        sqlite3_bind_text(stmt, index, base?.assumingMemoryBound(to: CChar.self) ?? UnsafePointer(bitPattern: 1), span.count, nil)
    }

    func bind(_ index: Int32, blob: [UInt8]) {
        blob.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob(stmt, index, raw.baseAddress, Int32(raw.count), tq_sqlite_transient())
        }
    }

    /// Steps once; true when a row is available, false when done.
    @discardableResult
    func step() throws -> Bool {
        let rc = sqlite3_step(stmt)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteError(code: rc, message: database.lastErrorMessage)
        }
    }

    func reset() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(stmt, column) == SQLITE_NULL }
    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(stmt, column) }
    func optionalInt(_ column: Int32) -> Int64? { isNull(column) ? nil : int(column) }

    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(stmt, column) else { return "" }
        let count = Int(sqlite3_column_bytes(stmt, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    /// A text column's bytes as stored (nil for NULL), without repairing invalid UTF-8 as `text` does.
    func withTextBytes<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>?) -> T) -> T {
        if isNull(column) { return body(nil) }
        let pointer = sqlite3_column_text(stmt, column)
        let count = Int(sqlite3_column_bytes(stmt, column))
        guard let pointer, count > 0 else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return body(UnsafeBufferPointer(start: pointer, count: count))
    }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(stmt, column))
        guard count > 0, let pointer = sqlite3_column_blob(stmt, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
