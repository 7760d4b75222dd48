import Foundation
import TourniquetTestSupport
import XCTest

@testable import TourniquetStore

/// A case plus helpers to ingest files into it through the real binary.
struct IngestFixture {
    let directory = TemporaryDirectory("tourniquet-ingest")
    var casePath: String { directory.file("incident.case") }

    init() throws {
        let created = try ProcessRunner.tourniquet("new", directory.file("incident.case"), "--title", "ingest test")
        XCTAssertEqual(created.status, 0, created.stderr)
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let path = directory.file(name)
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @discardableResult
    func ingest(_ arguments: String..., stdin: Data? = nil) throws -> ProcessResult {
        try ProcessRunner.tourniquet("ingest", casePath, arguments, stdin: stdin)
    }

    func open() throws -> CaseFile { try CaseFile.openReadOnly(at: casePath) }

    /// Every byte of the case on disk: the database, its WAL and shared-memory files.
    func caseBytes() -> Data {
        var all = Data()
        for suffix in ["", "-wal", "-shm"] {
            if let data = FileManager.default.contents(atPath: casePath + suffix) { all.append(data) }
        }
        return all
    }
}

extension ProcessRunner {
    /// `tourniquet <command> <case> <arguments…>`.
    static func tourniquet(_ command: String, _ casePath: String, _ arguments: [String], stdin: Data? = nil) throws -> ProcessResult {
        try run(TestPaths.executable("tourniquet"), [command, casePath] + arguments, stdin: stdin)
    }
}
