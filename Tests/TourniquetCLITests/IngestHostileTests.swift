import Foundation
import TourniquetModel
import TourniquetTestSupport
import XCTest

@testable import TourniquetStore

/// Every hostile payload, written into a log the way nginx escapes it, survives ingest exactly and
/// never reaches a terminal raw.
final class IngestHostileTests: XCTestCase {
    struct Payload {
        var id: String
        var bytes: [UInt8]
    }

    static func payloads() throws -> [Payload] {
        let url = TestPaths.fixtures.appendingPathComponent("hostile/payloads.jsonl")
        try TestPaths.require(FileManager.default.fileExists(atPath: url.path), "Tests/Fixtures/hostile/payloads.jsonl")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let id = object["id"] as? String ?? "?"
            if let text = object["text"] as? String { return Payload(id: id, bytes: Array(text.utf8)) }
            let hex = Array((object["hex"] as? String ?? "").utf8)
            let bytes = stride(from: 0, to: hex.count - 1, by: 2).compactMap { UInt8(String(decoding: hex[$0...$0 + 1], as: UTF8.self), radix: 16) }
            return Payload(id: id, bytes: bytes)
        }
    }

    /// nginx's escaping for `escape=default`: `"`, `\` and bytes outside 0x20…0x7E become `\xHH`.
    static func nginxEscaped(_ bytes: [UInt8]) -> String {
        var out = ""
        for b in bytes {
            if b < 0x20 || b > 0x7E || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                out += String(format: "\\x%02X", b)
            } else {
                out.unicodeScalars.append(Unicode.Scalar(b))
            }
        }
        return out
    }

    func testHostilePayloadsRoundTripAndStayInert() throws {
        let payloads = try Self.payloads()
        let fixture = try IngestFixture()
        var lines: [String] = []
        for (i, p) in payloads.enumerated() {
            let e = Self.nginxEscaped(p.bytes)
            let user = Self.nginxEscaped(p.bytes.map { $0 == 0x20 ? UInt8(ascii: "_") : $0 })
            lines.append(
                "203.0.113.\(i % 250 + 1) - \(user.isEmpty ? "-" : user) [29/Nov/2026:10:00:\(String(format: "%02d", i % 60)) +0000] \"GET /h/\(i)?q=\(e.replacingOccurrences(of: " ", with: "%20")) HTTP/1.1\" 200 5 \"-\" \"\(e)\""
            )
        }
        let result = try fixture.ingest(fixture.write("hostile.log", lines.joined(separator: "\n") + "\n"), "--format", "combined")
        XCTAssertEqual(result.status, 0, result.stderr)
        let stored = try fixture.open().requests(limit: 10_000)
        let record = try XCTUnwrap(try fixture.open().evidence().first)
        XCTAssertEqual(
            stored.count, payloads.count,
            "every hostile line is a request: \(record.malformedSamples.map { "\($0.line): \($0.reason): \($0.text.prefix(120))" })")
        for row in stored {
            let p = payloads[Int(row.line) - 1]
            let expected = String(decoding: p.bytes, as: UTF8.self)
            if !p.bytes.isEmpty { XCTAssertTrue(row.userAgent == expected, "\(p.id): user agent did not round-trip") }
            // Whatever was stored, its display form carries no control, bidi or invisible character.
            for value in [row.userAgent ?? "", row.query ?? "", row.client ?? "", row.path] {
                let shown = DisplayText.sanitize(value).text
                XCTAssertFalse(shown.unicodeScalars.contains { DisplayText.escapeForm($0) != nil && $0 != "\\" }, p.id)
            }
        }
        for output in [result.stdout, try ProcessRunner.tourniquet("timeline", fixture.casePath).stdout] {
            XCTAssertFalse(output.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "raw control character in CLI output")
        }
    }

    /// Forged X-Forwarded-For hops are kept raw and never make the trusted proxy the client.
    func testForgedForwardedForHopsBehindATrustedProxy() throws {
        let fixture = try IngestFixture()
        let chains = [
            "garbage, 8.8.4.4", "unknown, 9.9.9.9", "9.9.9.9, unknown", "198.51.100.7:5555, 10.0.0.9", "[2001:db8::7]:443", "en-US,en;q=0.9",
        ]
        let lines = chains.enumerated().map { i, chain in
            #"10.0.0.5 - - [29/Nov/2026:10:00:0\#(i) +0000] "GET /a HTTP/1.1" 200 5 "-" "curl" "\#(chain)""#
        }
        let result = try fixture.ingest(
            fixture.write("xff.log", lines.joined(separator: "\n")), "--format", "combined", "--trusted-proxy", "10.0.0.0/8")
        XCTAssertEqual(result.status, 0, result.stderr)
        let rows = try fixture.open().requests()
        XCTAssertEqual(rows.map(\.ip), ["8.8.4.4", "9.9.9.9", "unknown", "198.51.100.7", "2001:db8::7", "10.0.0.5"])
        XCTAssertEqual(
            rows.map(\.forwardedFor), chains.prefix(5).map { Optional($0) } + [nil], "the raw header is kept; a value with no address is not an XFF")
        XCTAssertFalse(rows.prefix(5).contains { $0.ip == "10.0.0.5" }, "attacker text never makes the proxy the client")
    }

    /// Lines dated 9999 (or 1970) are refused at ingest and counted, so no time span reaches scope.
    func testImplausibleTimesAreRefusedAndCounted() throws {
        let fixture = try IngestFixture()
        let dates = ["29/Nov/2026:10:00:00", "31/Dec/9999:23:59:59", "29/Nov/2026:10:00:01", "01/Jan/1970:00:00:00", "29/Nov/2026:10:00:02"]
        let lines = dates.map { #"203.0.113.7 - - [\#($0) +0000] "GET /v1/items HTTP/1.1" 200 5 "-" "curl""# }
        let log = fixture.write("span.log", lines.joined(separator: "\n"))
        let result = try fixture.ingest(log, "--format", "combined")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("5 lines: 3 parsed, 2 malformed (2 refused for an implausible time)"), result.stdout)
        let record = try XCTUnwrap(try fixture.open().evidence().first)
        XCTAssertEqual(record.malformedSamples.map(\.line), [2, 4])
        XCTAssertTrue(record.malformedSamples[0].reason.contains("9999-12-31"), record.malformedSamples[0].reason)
        XCTAssertEqual(try fixture.open().requests().map(\.line), [1, 3, 5])
        XCTAssertEqual(record.lastMs, Timestamps.parseCLF("29/Nov/2026:10:00:02 +0000")?.ms)
        let action = try XCTUnwrap(try fixture.open().actions().last)
        XCTAssertTrue(action.details.contains(#""time_refused":2"#), "the evidence action records the count: \(action.details)")
        let scope = try ProcessRunner.tourniquet("scope", fixture.casePath, [])
        XCTAssertEqual(scope.status, 0, scope.stderr)
    }
}
