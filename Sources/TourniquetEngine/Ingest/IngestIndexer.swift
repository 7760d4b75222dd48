import Foundation
import TourniquetIngest

/// Builds what ingest derives from the rows (postings, statistics, the chunks packed for scope,
/// and the digests of the rows and strings written, which the action records) on a thread of its own, so the writing thread only writes and the parsing thread only
/// parses.
///
/// The writer hands over each batch once it is written and, between batches, takes whatever is
/// ready to store; only the writer touches SQLite.
final class IngestIndexer {
    enum Output {
        case postings([Posting])
        case scanChunk(ScanChunk)
    }

    private let input = BoundedQueue<RequestBatch?>(capacity: 8)
    private let lock = NSLock()
    private var ready: [Output] = []
    private let done = DispatchSemaphore(value: 0)
    /// Read only after `finish`, once the thread has stopped.
    private(set) var postings = PostingsBuilder()
    /// Read only after `finish`: the digests `verify` recomputes from `requests` and `dict`.
    private(set) var requestDigest = RowDigest()
    private(set) var dictDigest = RowDigest()

    init(postingsChunkRows: Int64, routes: [(id: Int64, template: String)]) {
        var packer = ScanChunkPacker(routes: routes, signatures: .defaults)
        let thread = Thread { [self] in
            while let batch = input.take() {
                var made: [Output] = []
                if let chunk = packer.pack(batch) { made.append(.scanChunk(chunk)) }
                for row in batch.rows { postings.add(row) }
                batch.text.withUnsafeBufferPointer { text in
                    for row in batch.rows { requestDigest.add(row, text: text) }
                }
                for entry in batch.newStrings { dictDigest.add(entry) }
                if postings.rowsSinceTake >= postingsChunkRows { made.append(.postings(postings.take())) }
                lock.withLock { ready += made }
            }
            done.signal()
        }
        thread.stackSize = 4 << 20
        thread.start()
    }

    func add(_ batch: RequestBatch) { input.put(batch) }

    /// What was finished since the last call.
    func readyOutput() -> [Output] {
        lock.withLock {
            defer { ready.removeAll() }
            return ready
        }
    }

    /// Waits for every batch handed over, and returns what remains to store.
    func finish() -> [Output] {
        input.put(nil)
        done.wait()
        return readyOutput() + [.postings(postings.take())]
    }

    /// Stops the thread (after the few batches still queued) when the import failed.
    func cancel() {
        input.put(nil)
        done.wait()
    }
}
