import Foundation
import TourniquetTestSupport
import XCTest

@testable import TourniquetStore

/// A log that grew since it was imported brings in only its new lines; several files each get an
/// outcome, and one bad file does not stop the rest.
final class IngestGrowthTests: XCTestCase {
    private func lines(_ range: ClosedRange<Int>) -> String {
        range.map { i in
            #"198.51.100.\#(i % 7 + 1) - - [29/Nov/2026:10:\#(String(format: "%02d", i / 60)):\#(String(format: "%02d", i % 60)) +0000] "GET /v1/items/\#(i) HTTP/1.1" 200 5 "-" "x""#
        }.joined(separator: "\n") + "\n"
    }

    private func append(_ text: String, to path: String) throws {
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try handle.close()
    }

    func testAGrownLogImportsOnlyItsTail() throws {
        let fixture = try IngestFixture()
        let log = fixture.write("live.log", lines(1...40))
        let original = fixture.directory.file("live-at-40.log")
        try FileManager.default.copyItem(atPath: log, toPath: original)
        XCTAssertEqual(try fixture.ingest(log).status, 0)

        try append(lines(41...55), to: log)
        let grown = try fixture.ingest(log, "--json")
        XCTAssertEqual(grown.status, 0, grown.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(grown.stdout.utf8)) as? [String: Any])
        let entry = try XCTUnwrap((json["evidence"] as? [[String: Any]])?.first)
        XCTAssertEqual(entry["outcome"] as? String, "continued")
        XCTAssertEqual(entry["continues"] as? Int, 1)
        XCTAssertEqual(entry["offset"] as? Int, lines(1...40).utf8.count)
        XCTAssertEqual(entry["parsed"] as? Int, 15)
        XCTAssertEqual(json["requests"] as? Int, 15)

        var file = try fixture.open()
        XCTAssertEqual(try file.requestCount(), 55, "the first 40 lines are not imported twice")
        let tail = try file.requests().suffix(15)
        XCTAssertEqual(tail.map(\.line), Array(Int64(41)...55), "rows keep the file's line numbers")
        XCTAssertEqual(tail.first?.path, "/v1/items/41")
        let action = try XCTUnwrap(try file.actions().last)
        XCTAssertEqual(action.kind, "evidence.ingested")
        XCTAssertTrue(action.details.contains(#""continues":1"#), action.details)
        XCTAssertEqual(try file.evidence().last?.size, Int64(lines(41...55).utf8.count))

        // The same file again, or the file as it was at the first import, is already evidence.
        let again = try fixture.ingest(log)
        XCTAssertTrue(again.stdout.hasPrefix("skipped"), again.stdout)
        let old = try fixture.ingest(original)
        XCTAssertTrue(old.stdout.hasPrefix("skipped \(original): already evidence #1"), old.stdout)
        XCTAssertEqual(try fixture.open().requestCount(), 55)

        // Growing again continues the tail, not the first import.
        try append(lines(56...60), to: log)
        let third = try fixture.ingest(log)
        XCTAssertTrue(third.stdout.hasPrefix("continued evidence #2 with the"), third.stdout)
        file = try fixture.open()
        XCTAssertEqual(try file.requestCount(), 60)
        XCTAssertEqual(try file.requests().map(\.line), Array(Int64(1)...60))
        let verify = try ProcessRunner.tourniquet("verify", fixture.casePath, ["--deep"])
        XCTAssertEqual(verify.status, 0, verify.stdout)
        XCTAssertTrue(verify.stdout.contains("intact: 4 actions, 3 evidence records, 60 requests re-hashed"), verify.stdout)

        // A tail too short to recognise on its own is read in the format of the evidence it continues.
        try append("half a line being writ", to: log)
        let partial = try fixture.ingest(log)
        XCTAssertEqual(partial.status, 0, partial.stdout + partial.stderr)
        XCTAssertTrue(partial.stdout.contains("format combined, 1 lines: 0 parsed, 1 malformed"), partial.stdout)
        XCTAssertTrue(partial.stdout.contains("malformed line 61:"), partial.stdout)
    }

    func testEachFileGetsAnOutcomeAndABadOneDoesNotStopTheRest() throws {
        let fixture = try IngestFixture()
        let first = fixture.write("first.log", lines(1...3))
        let missing = fixture.directory.file("missing.log")
        let binary = fixture.directory.file("blob.bin")
        FileManager.default.createFile(atPath: binary, contents: Data([0x7F, 0x45, 0x4C, 0x46, 0, 0, 1, 2] + (0..<4000).map { UInt8($0 % 251) }))
        let second = fixture.write("second.log", lines(4...8))

        let text = try fixture.ingest(first, missing, binary, second, first)
        XCTAssertEqual(text.status, 1, "a failed file makes the exit status non-zero")
        let reported = text.stdout.split(separator: "\n").map { String($0) }.filter { !$0.hasPrefix("  ") }
        XCTAssertEqual(
            reported,
            [
                "imported \(first) as evidence #1 (action #2)",
                "failed: \(missing): cannot read: No such file or directory",
                "failed: \(binary): looks like a binary file, not a text log; nothing was imported",
                "imported \(second) as evidence #2 (action #3)",
                "skipped \(first): already evidence #1 (same SHA-256 \(FileDigestForTests.sha256(first)))",
            ])
        XCTAssertTrue(text.stderr.contains("tourniquet: 2 of 5 files failed"), text.stderr)
        XCTAssertEqual(try fixture.open().requestCount(), 8)

        let other = fixture.write("third.log", lines(9...10))
        let json = try fixture.ingest("--json", missing, other)
        XCTAssertEqual(json.status, 1)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let entries = try XCTUnwrap(object["evidence"] as? [[String: Any]])
        XCTAssertEqual(entries.map { $0["outcome"] as? String }, ["failed", "imported"])
        XCTAssertEqual(entries[0]["reason"] as? String, "\(missing): cannot read: No such file or directory")
        XCTAssertEqual(entries[1]["evidence_id"] as? Int, 3)
        XCTAssertEqual(object["failed"] as? Int, 1)
        XCTAssertEqual(object["requests"] as? Int, 2)
        XCTAssertEqual(try fixture.open().requestCount(), 10)
    }
}
