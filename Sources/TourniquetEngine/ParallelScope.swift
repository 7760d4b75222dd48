import Foundation
import TourniquetCore
import TourniquetStore

/// Feeds a scope analyzer from the case on three threads: this one reads rows from SQLite in
/// batches; two workers each run one half of the detectors over every batch. The halves share no
/// state, and a batch is an immutable array both workers read.
enum ParallelScope {
    static let batchSize = 4096

    static func run(_ analyzer: ScopeAnalyzer, caseFile: CaseFile, fromMs: Int64?, toMs: Int64?, routes: [Int64: String]) throws {
        let first = BoundedQueue<[ScanRow]?>(capacity: 8)
        let second = BoundedQueue<[ScanRow]?>(capacity: 8)
        let done = DispatchGroup()
        for (queue, half) in [(first, analyzer.observeFirstHalf), (second, analyzer.observeSecondHalf)] {
            done.enter()
            let worker = Thread {
                while let batch = queue.take() {
                    for row in batch { half(row) }
                }
                done.leave()
            }
            worker.stackSize = 4 << 20
            worker.start()
        }
        var batch: [ScanRow] = []
        batch.reserveCapacity(batchSize)
        defer {
            first.put(nil)
            second.put(nil)
            done.wait()
        }
        try caseFile.scan(fromMs: fromMs, toMs: toMs, routes: routes) { row in
            batch.append(row)
            if batch.count == batchSize {
                first.put(batch)
                second.put(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty {
            first.put(batch)
            second.put(batch)
        }
    }
}
