import Foundation
import TourniquetTestSupport
import XCTest

@testable import TourniquetStore

/// Several responders on one case at once: consoles and CLI commands in other shells. Every
/// action that was acknowledged must be in the case afterwards, in one valid chain.
final class SharedCaseTests: XCTestCase {
    private func demoCase(_ dir: TemporaryDirectory) throws -> String {
        try TestPaths.require(TestPaths.which("tmux") != nil, "tmux")
        let path = dir.file("r.case")
        let built = try ProcessRunner.tourniquet("demo", "--case", path, "--no-console")
        XCTAssertEqual(built.status, 0, built.stderr)
        return path
    }

    private func console(_ path: String, actor: String) throws -> TmuxSession {
        let tmux = try TmuxSession("env TERM=xterm-256color TOURNIQUET_ACTOR=\(actor) '\(TestPaths.executable("tourniquet"))' open '\(path)'")
        tmux.waitFor("ready: ? shows every key")
        return tmux
    }

    /// The id a CLI note printed ("recorded action #7 at …"), or nil when it printed none.
    private func cliNote(_ path: String, _ text: String) throws -> Int64? {
        let result = try ProcessRunner.tourniquet("note", path, text)
        XCTAssertEqual(result.status, 0, "note '\(text)': \(result.stderr)")
        XCTAssertFalse(result.stderr.contains("locked") || result.stderr.contains("busy"), result.stderr)
        guard let hash = result.stdout.firstIndex(of: "#") else { return nil }
        return Int64(result.stdout[result.stdout.index(after: hash)...].prefix { $0.isNumber })
    }

    private func consoleNote(_ tmux: TmuxSession, _ text: String) {
        tmux.send("4", "n")
        tmux.waitFor("note:")
        tmux.type(text)
        tmux.send("Enter")
        tmux.waitFor(text)
    }

    /// Files the process has open that were deleted under it: a WAL or shared-memory file unlinked
    /// by another process while this one still writes to it.
    private func deletedCaseFiles(of pid: Int32, case path: String) -> [String] {
        let fdDir = "/proc/\(pid)/fd"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: fdDir)) ?? []
        return entries.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDir)/\($0)") }
            .filter { $0.hasPrefix(path) && $0.hasSuffix("(deleted)") }
    }

    private func assertWhole(_ path: String, notes expected: [String: Int64?], file: StaticString = #filePath, line: UInt = #line) throws {
        let sqlite = try ProcessRunner.run(try XCTUnwrap(TestPaths.which("sqlite3")), [path, "PRAGMA integrity_check"])
        XCTAssertEqual(sqlite.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "ok", sqlite.stderr, file: file, line: line)
        let caseFile = try CaseFile.openReadOnly(at: path)
        XCTAssertTrue(try caseFile.verify().isIntact, file: file, line: line)
        let notes = try caseFile.actions().filter { $0.kind == "note" }
        XCTAssertEqual(Set(notes.map(\.id)).count, notes.count, "ids are unique", file: file, line: line)
        for (text, printedID) in expected {
            let found = notes.filter { $0.rationale == text }
            XCTAssertEqual(found.count, 1, "acknowledged note '\(text)' is in the case exactly once", file: file, line: line)
            if let printedID, let note = found.first {
                XCTAssertEqual(note.id, printedID, "'\(text)' has the id the CLI printed", file: file, line: line)
            }
        }
        let verify = try ProcessRunner.tourniquet("verify", path)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr, file: file, line: line)
    }

    /// The reproduction from the field: a console open, a CLI note, a console note, a CLI note.
    /// Before the fix the console's header check dropped SQLite's locks, the CLI deleted the WAL
    /// under the console, and the last note vanished although it printed "recorded action #7".
    func testConsoleAndCLINotesInTurnAreAllKept() throws {
        let dir = TemporaryDirectory("tourniquet-shared")
        let path = try demoCase(dir)
        let tmux = try console(path, actor: "console")
        var expected: [String: Int64?] = [:]
        expected["note A from the CLI"] = try cliNote(path, "note A from the CLI")
        consoleNote(tmux, "note B from the console")
        expected["note B from the console"] = .some(nil)
        expected["note C from the CLI"] = try cliNote(path, "note C from the CLI")
        if let pid = tmux.panePID {
            XCTAssertEqual(deletedCaseFiles(of: pid, case: path), [], "the console's WAL was deleted under it")
        } else {
            XCTFail("no pane pid")
        }
        tmux.send("q")
        XCTAssertTrue(tmux.waitUntilDead(), "q quits")
        try assertWhole(path, notes: expected)
    }

    /// Two consoles and a CLI loop write to one case for a minute. Every note the CLI printed as
    /// recorded, and every note a console showed on its timeline, is in the case afterwards.
    func testTwoConsolesAndACLILoopForAMinute() throws {
        let dir = TemporaryDirectory("tourniquet-shared")
        let path = try demoCase(dir)
        let consoles = [try console(path, actor: "alice"), try console(path, actor: "bob")]
        let expected = AcknowledgedNotes()
        let deadline = Date().addingTimeInterval(60)
        let group = DispatchGroup()
        for writer in ["cli-1", "cli-2"] {
            group.enter()
            DispatchQueue.global().async {
                defer { group.leave() }
                var n = 0
                while Date() < deadline {
                    n += 1
                    let text = "\(writer) note \(n)"
                    let printed = try? self.cliNote(path, text)
                    if printed == nil { expected.unacknowledged(text) }
                    expected.add(text, id: printed)
                }
            }
        }
        var round = 0
        while Date() < deadline {
            round += 1
            for (index, tmux) in consoles.enumerated() {
                let text = "console \(index) note \(round)"
                consoleNote(tmux, text)
                expected.add(text, id: nil)
                if let pid = tmux.panePID {
                    XCTAssertEqual(deletedCaseFiles(of: pid, case: path), [], "console \(index)'s WAL was deleted under it")
                }
            }
        }
        group.wait()
        for tmux in consoles {
            tmux.send("q")
            XCTAssertTrue(tmux.waitUntilDead(), "q quits")
        }
        let notes = expected.all
        XCTAssertGreaterThan(notes.count, 40, "the minute saw real contention")
        XCTAssertEqual(expected.missingIDs, [], "every CLI note printed its id")
        try assertWhole(path, notes: notes)
    }
}

/// The notes acknowledged so far, by text, with the id the CLI printed (nil: a console note).
private final class AcknowledgedNotes: @unchecked Sendable {
    private let lock = NSLock()
    private var notes: [String: Int64?] = [:]
    private var withoutID: [String] = []

    func add(_ text: String, id: Int64?) {
        lock.lock()
        notes[text] = id
        lock.unlock()
    }

    /// A CLI note that did not print "recorded action #N".
    func unacknowledged(_ text: String) {
        lock.lock()
        withoutID.append(text)
        lock.unlock()
    }

    var all: [String: Int64?] {
        lock.lock()
        defer { lock.unlock() }
        return notes
    }

    var missingIDs: [String] {
        lock.lock()
        defer { lock.unlock() }
        return withoutID
    }
}
