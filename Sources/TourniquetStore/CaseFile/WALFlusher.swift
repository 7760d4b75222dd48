import Foundation

/// Flushes the write-ahead log to disk in the background while a long import writes it.
///
/// A large import's pages reach the WAL as the page cache spills; with nothing flushing them,
/// the commit's fsync must push the whole file to disk at once. Syncing the file from our own
/// descriptor every few hundred thousand rows spreads that work over the import. It changes no
/// SQLite state: the commit still syncs, and durability is decided by that sync alone.
final class WALFlusher {
    private let walPath: String
    private var fd: Int32 = -1
    private var lastFlushRows: Int64 = 0
    private let group = DispatchGroup()
    private let queue = DispatchQueue(label: "tourniquet.wal-flush", qos: .utility)
    private var inFlight = false
    private let lock = NSLock()

    static let rowsBetweenFlushes: Int64 = 250_000

    init(walPath: String) { self.walPath = walPath }

    func rowsWritten(_ rows: Int64) {
        guard rows - lastFlushRows >= WALFlusher.rowsBetweenFlushes else { return }
        lastFlushRows = rows
        if fd < 0 { fd = open(walPath, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return }
        lock.lock()
        let busy = inFlight
        inFlight = true
        lock.unlock()
        if busy { return }
        let descriptor = fd
        queue.async(group: group) { [self] in
            fdatasync(descriptor)
            lock.lock()
            inFlight = false
            lock.unlock()
        }
    }

    /// Waits for a flush in progress and closes the descriptor.
    func finish() {
        group.wait()
        if fd >= 0 {
            close(fd)
            fd = -1
        }
    }

    deinit { finish() }
}
