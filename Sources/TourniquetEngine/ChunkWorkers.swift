import Foundation
import TourniquetIngest
import TourniquetStore

/// Runs work over a case's packed scope chunks on one thread per worker, while this thread reads
/// the chunks from SQLite. A chunk is an immutable byte array, so workers share nothing.
enum ChunkWorkers {
    enum Split {
        /// Every worker sees every chunk (each runs different detectors over all requests).
        case everyChunkToEach
        /// Chunks are dealt out in turn (each worker does the same job over part of the requests).
        case inTurn
    }

    static func run(
        _ caseFile: CaseFile, fromMs: Int64?, toMs: Int64?, signatures: String? = nil, split: Split, workers: [(ScanChunk) throws -> Void]
    ) throws {
        let queues = workers.map { _ in BoundedQueue<ScanChunk?>(capacity: 8) }
        let failures = FirstFailure()
        let done = DispatchGroup()
        for (queue, work) in zip(queues, workers) {
            done.enter()
            let thread = Thread {
                // After a failure a worker still drains its queue, so the reader never blocks on it.
                while let chunk = queue.take() {
                    guard failures.error == nil else { continue }
                    do { try work(chunk) } catch { failures.record(error) }
                }
                done.leave()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        var turn = 0
        do {
            try caseFile.scanChunks(fromMs: fromMs, toMs: toMs, signatures: signatures) { chunk in
                if let error = failures.error { throw error }
                switch split {
                case .everyChunkToEach:
                    for queue in queues { queue.put(chunk) }
                case .inTurn:
                    queues[turn % queues.count].put(chunk)
                    turn += 1
                }
            }
        } catch {
            failures.record(error)
        }
        for queue in queues { queue.put(nil) }
        done.wait()
        if let error = failures.error { throw error }
    }
}

/// The first error any worker met.
private final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var first: Error?

    var error: Error? { lock.withLock { first } }

    func record(_ error: Error) { lock.withLock { if first == nil { first = error } } }
}
