import Foundation
import TourniquetTestSupport
import XCTest

@testable import TourniquetStore

final class CaseFileOpenErrorTests: XCTestCase {
    private func assertOpenFails(_ path: String, with expected: CaseFileError, file: StaticString = #filePath, line: UInt = #line) {
        for writing in [false, true] {
            XCTAssertThrowsError(try writing ? CaseWriter.open(at: path) : CaseFile.openReadOnly(at: path), file: file, line: line) { error in
                XCTAssertEqual(error as? CaseFileError, expected, file: file, line: line)
                XCTAssertEqual((error as? CaseFileError)?.exitCode, 2, file: file, line: line)
            }
        }
    }

    func testMissingPathDirectoryEmptyAndRandomFiles() throws {
        let dir = TemporaryDirectory()
        assertOpenFails(dir.file("missing.case"), with: .notFound(dir.file("missing.case")))
        assertOpenFails(dir.path, with: .isDirectory(dir.path))
        FileManager.default.createFile(atPath: dir.file("empty.case"), contents: Data())
        assertOpenFails(dir.file("empty.case"), with: .emptyFile(dir.file("empty.case")))
        var generator = SystemRandomNumberGenerator()
        FileManager.default.createFile(
            atPath: dir.file("random.case"), contents: Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }))
        assertOpenFails(dir.file("random.case"), with: .notSQLite(dir.file("random.case")))
        FileManager.default.createFile(atPath: dir.file("short.case"), contents: Data("SQLite".utf8))
        assertOpenFails(dir.file("short.case"), with: .notSQLite(dir.file("short.case")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("missing.case")), "a wrong path must not become a new database")
    }

    func testAnotherSQLiteDatabaseIsRefusedAndLeftUnchanged() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("app.db")
        do {
            let db = try SQLiteDatabase(path: path, mode: .create)
            try db.execute("CREATE TABLE users (id INTEGER)")
        }
        assertOpenFails(path, with: .notACase(path))
        let db = try SQLiteDatabase(path: path, mode: .readOnly)
        XCTAssertEqual(try db.scalarText("PRAGMA journal_mode"), "delete", "opening it must not convert it to WAL")
    }

    func testNewerSchemaIsRefusedClearly() throws {
        let fixture = CaseFixture()
        _ = try fixture.create()
        try fixture.raw("PRAGMA user_version = \(Migrations.currentVersion + 3)")
        assertOpenFails(
            fixture.path, with: .newerSchema(path: fixture.path, fileVersion: Migrations.currentVersion + 3, knownVersion: Migrations.currentVersion))
        XCTAssertTrue(CaseFileError.newerSchema(path: "x", fileVersion: 9, knownVersion: 1).description.contains("newer Tourniquet"))
    }

    func testCorruptionIsFoundWhenOpeningForWriting() throws {
        let fixture = CaseFixture()
        _ = try fixture.create(notes: 200)
        // Checkpoint so the rows are in the main file, then scribble over a page in the middle.
        try fixture.raw("PRAGMA wal_checkpoint(TRUNCATE)")
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: fixture.path))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size / 2)
        handle.write(Data(repeating: 0xA5, count: 4096))
        try handle.close()
        XCTAssertThrowsError(try CaseWriter.open(at: fixture.path)) { error in
            guard case .corrupt = error as? CaseFileError else { return XCTFail("expected corrupt, got \(error)") }
        }
    }

    func testMountTableLookupFindsNetworkFilesystems() {
        let table = """
            22 1 0:21 / / rw,relatime - ext4 /dev/vda rw
            40 22 0:35 / /mnt/cases rw,relatime - nfs4 server:/export rw
            41 22 0:36 / /mnt/my\\040share rw - cifs //srv/share rw
            42 40 0:37 / /mnt/cases/local rw - ext4 /dev/vdb rw
            """
        XCTAssertEqual(FilesystemGuard.filesystemType(of: "/home/alice", mountInfo: table), "ext4")
        XCTAssertEqual(FilesystemGuard.filesystemType(of: "/mnt/cases/incident", mountInfo: table), "nfs4")
        XCTAssertEqual(FilesystemGuard.filesystemType(of: "/mnt/cases/local/x", mountInfo: table), "ext4")
        XCTAssertEqual(FilesystemGuard.filesystemType(of: "/mnt/my share", mountInfo: table), "cifs")
        XCTAssertEqual(FilesystemGuard.filesystemType(of: "/mnt/casesX", mountInfo: table), "ext4")
        XCTAssertTrue(FilesystemGuard.networkTypes.contains("nfs4"))
        XCTAssertTrue(CaseFileError.networkFilesystem(path: "/mnt/cases/x.case", filesystem: "nfs4").description.contains("network filesystem"))
    }
}
