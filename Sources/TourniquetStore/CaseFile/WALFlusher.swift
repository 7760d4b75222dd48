import CSQLite

/// Flushes the write-ahead log to disk every few hundred thousand rows of a long import.
///
/// A large import's pages reach the WAL as the page cache spills; with nothing flushing them,
/// the commit's fsync must push the whole file to disk at once. Syncing earlier spreads that work
/// over the import. It changes no SQLite state: the commit still syncs, and durability is decided
/// by that sync alone.
///
/// The sync goes through SQLite's own file object for the WAL, on the writing thread. An earlier
/// version opened the WAL with a descriptor of its own; closing a descriptor on a file SQLite
/// uses drops the process's POSIX locks on it, so the case file is only ever opened by SQLite.
struct WALFlusher {
    private let db: SQLiteDatabase
    private var lastFlushRows: Int64 = 0

    static let rowsBetweenFlushes: Int64 = 250_000

    init(db: SQLiteDatabase) { self.db = db }

    mutating func rowsWritten(_ rows: Int64) {
        guard rows - lastFlushRows >= WALFlusher.rowsBetweenFlushes else { return }
        lastFlushRows = rows
        // A failed early sync is not an error: the commit's own sync decides durability.
        _ = tq_sqlite_sync_journal(db.handle)
    }
}
