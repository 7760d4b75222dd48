import Foundation
import TourniquetTestSupport
import XCTest

@testable import TourniquetStore

/// Crash and concurrency: a committed action is never lost, and writers never see a busy error.
final class DurabilityTests: XCTestCase {
    private func newCase(in dir: TemporaryDirectory) throws -> String {
        let path = dir.file("incident.case")
        let created = try ProcessRunner.tourniquet("new", path, "--title", "durability")
        XCTAssertEqual(created.status, 0, created.stderr)
        return path
    }

    /// Starts the action driver, reads its "committed N" lines, and kills it with SIGKILL after `killAfter` of them.
    private func recordThenKill(path: String, killAfter: Int) throws -> [Int64] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.executable("tourniquet-bench"))
        process.arguments = ["actions", path, "--count", "1000", "--label", "crash"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var committed: [Int64] = []
        var buffer = Data()
        var killed = false
        while true {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                if let id = Int64(line.dropFirst("committed ".count)) { committed.append(id) }
            }
            if !killed && committed.count >= killAfter {
                kill(process.processIdentifier, SIGKILL)
                killed = true
            }
        }
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, "the driver should have been killed, not finished")
        return committed
    }

    func testKillNineMidStreamLosesNoCommittedAction() throws {
        let dir = TemporaryDirectory()
        let path = try newCase(in: dir)
        var expected: [Int64] = []
        for killAfter in [37, 211, 503] {
            let committed = try recordThenKill(path: path, killAfter: killAfter)
            XCTAssertGreaterThanOrEqual(committed.count, killAfter)
            XCTAssertLessThan(committed.count, 1000)
            expected += committed
        }
        // Opening for writing runs integrity_check; verify walks the chain.
        let file = try CaseWriter.open(at: path)
        XCTAssertTrue(try file.verify().isIntact)
        let present = Set(try file.actions().map(\.id))
        XCTAssertTrue(Set(expected).isSubset(of: present), "missing: \(Set(expected).subtracting(present).sorted().prefix(5))")
        let cli = try ProcessRunner.tourniquet("verify", path)
        XCTAssertEqual(cli.status, 0, cli.stdout)
    }

    func testTwoWritersAtOnceProduceOneValidChain() throws {
        let dir = TemporaryDirectory()
        let path = try newCase(in: dir)
        let bench = TestPaths.executable("tourniquet-bench")
        let group = DispatchGroup()
        let lock = NSLock()
        var results: [ProcessResult] = []
        for label in ["writer-a", "writer-b"] {
            group.enter()
            DispatchQueue.global().async {
                let result = try? ProcessRunner.run(bench, ["actions", path, "--count", "2000", "--label", label])
                lock.lock()
                if let result { results.append(result) }
                lock.unlock()
                group.leave()
            }
        }
        group.wait()
        XCTAssertEqual(results.count, 2)
        for result in results {
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertFalse(result.stderr.lowercased().contains("busy") || result.stderr.lowercased().contains("locked"), result.stderr)
            XCTAssertEqual(result.stdout.split(separator: "\n").count, 2000)
        }
        let file = try CaseWriter.open(at: path)
        let actions = try file.actions()
        XCTAssertEqual(actions.filter { $0.kind == "note" }.count, 4000)
        XCTAssertEqual(actions.filter { $0.actor == "writer-a" }.count, 2000)
        XCTAssertEqual(actions.filter { $0.actor == "writer-b" }.count, 2000)
        XCTAssertEqual(actions.map(\.at), actions.map(\.at).sorted(), "times follow the order of the chain")
        XCTAssertTrue(try file.verify().isIntact)
    }
}
