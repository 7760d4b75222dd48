import Foundation
import TourniquetConsole
import TourniquetEngine
import TourniquetModel
import TourniquetTestSupport
import XCTest

@testable import TourniquetConsoleRuntime

/// The console's job runner: one writer, opened once, jobs in order.
final class JobRunnerTests: XCTestCase {
    /// Collects what the runner posts, for the test to wait on.
    private final class Posts: @unchecked Sendable {
        private let lock = NSLock()
        private var messages: [String] = []
        func add(_ event: ConsoleEvent) {
            guard case .finished(let message, _) = event else { return }
            lock.lock()
            messages.append(message)
            lock.unlock()
        }
        func wait(for count: Int, file: StaticString = #filePath, line: UInt = #line) -> [String] {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                lock.lock()
                let now = messages
                lock.unlock()
                if now.count >= count { return now }
                Thread.sleep(forTimeInterval: 0.01)
            }
            XCTFail("the runner posted too little", file: file, line: line)
            return []
        }
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func increment() {
            lock.lock()
            value += 1
            lock.unlock()
        }
        var count: Int {
            lock.lock()
            defer { lock.unlock() }
            return value
        }
    }

    func testTheWriterOpensOnceAndJobsRunInOrder() throws {
        let directory = TemporaryDirectory("tourniquet-jobs")
        let path = directory.file("j.case")
        let context = CommandContext(actor: "alice", clock: .test())
        _ = try CaseEngine.createCase(at: path, title: "jobs", severity: .low, detectedAtMs: nil, isDrill: false, context: context, ids: .test())
        let opened = Counter()
        let posts = Posts()
        let runner = JobRunner(
            open: {
                opened.increment()
                Thread.sleep(forTimeInterval: 0.2)  // a slow integrity check: the jobs below queue behind it
                return try CaseEngine.open(path: path, context: context)
            }, post: posts.add)
        for i in 1...3 {
            runner.submit("note") { engine, _ in
                guard case .recorded(let action) = try engine.execute(.note(text: "note \(i)", corrects: nil)) else { return "none" }
                return "note \(i) is #\(action.id)"
            }
        }
        let messages = posts.wait(for: 4)
        XCTAssertEqual(messages, ["ready: ? shows every key", "note 1 is #2", "note 2 is #3", "note 3 is #4"])
        XCTAssertEqual(opened.count, 1, "one writer, one integrity check, for every job")
    }

    func testAWriterThatCannotOpenRefusesEachJobWithTheReason() {
        let posts = Posts()
        struct Damaged: Error, CustomStringConvertible { var description: String { "integrity check failed" } }
        let runner = JobRunner(open: { throw Damaged() }, post: posts.add)
        runner.submit("scope") { _, _ in "ran" }
        let messages = posts.wait(for: 2)
        XCTAssertEqual(messages, ["read-only: integrity check failed", "scope refused: read-only: integrity check failed"])
    }
}
