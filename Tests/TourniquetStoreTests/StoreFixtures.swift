import Foundation
import TourniquetModel
import TourniquetTestSupport
import XCTest

@testable import TourniquetStore

/// A case file in a temporary directory with a deterministic clock.
struct CaseFixture {
    let directory = TemporaryDirectory()
    let clock = WallClock.test()
    var path: String { directory.file("incident.case") }

    func create(title: String = "Credential stuffing on /login", notes: Int = 0) throws -> CaseWriter {
        let metadata = CaseMetadata(
            id: "case-fixture-1", title: title, severity: .high, detectedAtMs: 1_764_400_000_000,
            createdAtMs: 1_764_417_600_000, isDrill: false)
        let file = try CaseWriter.create(at: path, metadata: metadata, actor: "alice", clock: clock, fingerprintKey: Array(repeating: 7, count: 32))
        for i in 0..<notes {
            try file.record(ActionDraft(kind: .note, target: "case", rationale: "note \(i + 1)"), actor: "alice", clock: clock)
        }
        return file
    }

    /// Runs SQL with the real sqlite3 shell, as someone tampering with the file behind the tool's back would.
    func sqliteShell(_ sql: String) throws {
        let shell = TestPaths.which("sqlite3")
        try TestPaths.require(shell != nil, "the sqlite3 shell")
        let result = try ProcessRunner.run(shell!, [path, sql])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    /// Opens its own raw connection and runs SQL, bypassing the façade.
    func raw(_ sql: String) throws {
        let db = try SQLiteDatabase(path: path, mode: .readWrite)
        try db.execute(sql)
    }
}
