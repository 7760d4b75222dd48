import Foundation
import TourniquetConsole
import TourniquetEngine
import TourniquetModel

/// Runs the console's changes to the case one at a time, on one worker thread, over one writer.
///
/// The writer opens once, on the worker, before the first job: its `integrity_check` takes
/// seconds on a large case and is not repeated for each job. Jobs handed in before it is open
/// wait in order; if it cannot open, each is refused with the reason. Every change goes through
/// here, short or long, so a note typed during an ingest waits its turn on the worker instead
/// of blocking the keyboard on the ingest's write lock.
final class JobRunner: @unchecked Sendable {
    /// One unit of work: it gets the writer and a way to report progress, and returns the line
    /// the status bar shows when it is done.
    typealias Work = (CaseEngine, _ report: @escaping (ConsoleEvent) -> Void) throws -> String

    private let condition = NSCondition()
    private var queue: [(name: String, work: Work)] = []
    private var failure: String?
    private var ready = false
    private let post: @Sendable (ConsoleEvent) -> Void

    /// Starts the worker, which opens the writer with `open` and then takes jobs in order.
    init(open: @escaping @Sendable () throws -> CaseEngine, post: @escaping @Sendable (ConsoleEvent) -> Void) {
        self.post = post
        // The worker holds the runner for the life of the process; the console ends with it.
        let thread = Thread { self.work(open: open) }
        thread.stackSize = 8 << 20  // ingest parses on a thread of its own, but deep YAML specs load here
        thread.start()
    }

    /// Queues a job; it runs after those before it.
    func submit(_ name: String, _ work: @escaping Work) {
        condition.lock()
        queue.append((name, work))
        condition.signal()
        condition.unlock()
    }

    /// Jobs queued or running, for the status line.
    var isWaitingForWriter: Bool {
        condition.lock()
        defer { condition.unlock() }
        return !ready && failure == nil
    }

    private func work(open: () throws -> CaseEngine) {
        let engine: CaseEngine?
        do {
            engine = try open()
            condition.lock()
            ready = true
            condition.unlock()
            post(.finished(message: "ready: ? shows every key", isError: false))
        } catch {
            engine = nil
            condition.lock()
            failure = "read-only: \(error)"
            condition.unlock()
            post(.finished(message: "read-only: \(error)", isError: true))
        }
        while true {
            condition.lock()
            while queue.isEmpty { condition.wait() }
            let job = queue.removeFirst()
            let refused = failure
            condition.unlock()
            guard let engine else {
                post(.finished(message: "\(job.name) refused: \(refused ?? "the case cannot be written")", isError: true))
                continue
            }
            do {
                let message = try job.work(engine, post)
                post(.finished(message: message, isError: false))
            } catch {
                post(.finished(message: "\(job.name) failed: \(error)", isError: true))
            }
        }
    }
}
