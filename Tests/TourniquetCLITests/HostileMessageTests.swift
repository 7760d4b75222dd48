import Foundation
import TourniquetTestSupport
import XCTest

/// Messages that quote outside text (paths, file contents, parse errors, values) show it escaped:
/// no ESC, BEL, CR or bidi override reaches the terminal raw, and each stays one line.
final class HostileMessageTests: XCTestCase {
    /// ESC (a title-setting OSC), BEL, CR and a right-to-left override, as an attacker would name a file.
    static let hostile = "x\u{1B}]0;owned\u{07}\r\u{202E}gol"
    static let shown = #"x\x1b]0;owned\x07\r\u{202E}gol"#

    private func assertInert(_ result: ProcessResult, contains expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(result.status, 0, file: file, line: line)
        let text = result.stderr
        XCTAssertTrue(text.hasSuffix("\n"), text, file: file, line: line)
        // Standard output may carry ingest's per-file outcome ("failed: …"), inert like the rest.
        let both = text + result.stdout
        // Line feeds separate a usage message's lines; everything else must arrive escaped.
        let raw = both.unicodeScalars.filter { s in
            (s.value < 0x20 && s.value != 0x0A) || s.value == 0x7F || (0x80...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value)
                || (0x2066...0x2069).contains(s.value)
        }
        XCTAssertEqual(raw.count, 0, "raw control or bidi characters in: \(both.debugDescription)", file: file, line: line)
        XCTAssertTrue(text.contains(expected), "\(expected) in \(text.debugDescription)", file: file, line: line)
        XCTAssertTrue(result.stdout.isEmpty || result.stdout.hasPrefix("failed: "), result.stdout, file: file, line: line)
    }

    func testPathsAreEscapedInEveryKindOfError() throws {
        let dir = TemporaryDirectory()
        let hostilePath = dir.file(HostileMessageTests.hostile + ".case")
        let shownPath = dir.file(HostileMessageTests.shown + ".case")
        // Store errors: the case file does not exist.
        for arguments in [["timeline", hostilePath], ["verify", hostilePath], ["note", hostilePath, "hello"]] {
            assertInert(try ProcessRunner.run(TestPaths.executable("tourniquet"), arguments), contains: "\(shownPath): no such case file")
        }
        // Engine errors: an evidence file that cannot be read, and an unknown log format with a hostile first line.
        let fixture = try IngestFixture()
        assertInert(try fixture.ingest(hostilePath), contains: "\(shownPath): cannot read")
        let strange = fixture.write(HostileMessageTests.hostile + ".log", "\u{1B}[2J\u{202E}not a log line at all\u{07}\n")
        assertInert(try fixture.ingest(strange), contains: #"first line: \x1b[2J\u{202E}not a log line at all\x07"#)
        // Refused requests that quote what the responder typed.
        assertInert(
            try ProcessRunner.tourniquet("finding", "confirm", [fixture.casePath, "F-" + HostileMessageTests.hostile, "--reason", "x"]),
            contains: "there is no finding F-\(HostileMessageTests.shown)")
        // Usage errors quote the argument given.
        assertInert(
            try ProcessRunner.tourniquet("scope", fixture.casePath, ["--since", HostileMessageTests.hostile]), contains: HostileMessageTests.shown)
        assertInert(
            try fixture.ingest(strange, "--trusted-proxy", HostileMessageTests.hostile), contains: "--trusted-proxy '\(HostileMessageTests.shown)'")
        // A simulated file in the way, in a hostile folder.
        let folder = dir.file(HostileMessageTests.hostile)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: folder + "/openapi.yaml", contents: Data())
        assertInert(
            try ProcessRunner.tourniquet("simulate", folder, "--lines", "1000"),
            contains: dir.file(HostileMessageTests.shown) + "/openapi.yaml: already exists")
    }

    func testOpenAPIParseErrorsAreEscaped() throws {
        let fixture = try IngestFixture()
        let log = fixture.write("access.log", "203.0.113.5 - - [01/Apr/2026:10:00:00 +0000] \"GET /a HTTP/1.1\" 200 1 \"-\" \"c\"\n")
        // A duplicated key quoted back by the YAML reader, from a file with a hostile name.
        // YAML refuses raw control characters, so the key carries them as YAML escapes, decoded by the reader.
        let key = #""k\e[31m\u202E""#
        let duplicate = fixture.write(HostileMessageTests.hostile + ".yaml", "openapi: 3.0.0\npaths: {}\n\(key): 1\n\(key): 2\n")
        let result = try fixture.ingest(log, "--openapi", duplicate)
        assertInert(result, contains: #"cannot use this OpenAPI spec: duplicate key 'k\x1b[31m\u{202E}'"#)
        XCTAssertTrue(result.stderr.contains(HostileMessageTests.shown + ".yaml: "), result.stderr)
        // A syntax error: where it is, not the document around it.
        let broken = fixture.write("broken.yaml", "openapi: 3.0.0\n\u{1B}]0;owned\u{07}: [\n")
        let syntax = try fixture.ingest(log, "--openapi", broken)
        assertInert(syntax, contains: "broken.yaml: cannot use this OpenAPI spec: not YAML or JSON: ")
        XCTAssertTrue(syntax.stderr.contains(" at line "), syntax.stderr)
        XCTAssertEqual(syntax.stderr.split(separator: "\n").count, 1)
    }

    /// Internals never reach the responder: no DecodingError, NSCocoaErrorDomain or Swift type names.
    func testBadJSONFilesGiveOnePlainLine() throws {
        let fixture = try IngestFixture()
        let log = fixture.write("access.log", "203.0.113.5 - - [01/Apr/2026:10:00:00 +0000] \"GET /a HTTP/1.1\" 200 1 \"-\" \"c\"\n")
        let cases: [(String, String, [String], String)] = [
            ("map-not-json.json", "{ \"ip\": ", ["--aws-field-map"], "not a field mapping: not valid JSON"),
            ("map-wrong-type.json", "[1, 2]", ["--aws-field-map"], "not a field mapping: the top level must be an object"),
            ("spec-not-json.json", "{\"openapi\": \"3.0.0\", \"paths\": {", ["--openapi"], "cannot use this OpenAPI spec: not YAML or JSON: "),
        ]
        for (name, content, option, expected) in cases {
            let path = fixture.write(name, content)
            let result = try fixture.ingest(log, option[0], path)
            XCTAssertNotEqual(result.status, 0)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
            XCTAssertTrue(result.stderr.contains("\(path)"), result.stderr)
            XCTAssertTrue(result.stderr.contains(expected), "\(expected) in \(result.stderr)")
            for leak in ["DecodingError", "NSCocoaErrorDomain", "3840", "Swift.", "Context(", "codingPath", "YamlError", "Mark("] {
                XCTAssertFalse(result.stderr.contains(leak), result.stderr)
            }
        }
    }
}
