import Foundation
import TourniquetTestSupport
import XCTest

/// A responder holding a key can ask whether it is the one the case saw, without the case ever
/// holding the key itself.
final class FingerprintCommandTests: XCTestCase {
    func testAKeyYouHoldIsFoundByItsFingerprint() throws {
        let fixture = try IngestFixture()
        let lines = (0..<3).map { i in
            "203.0.113.7 - - [29/Nov/2025:08:0\(i):00 +0000] \"GET /v1/products?api_key=pk_live_leaked42&page=\(i) HTTP/1.1\" 200 512 \"-\" \"curl/8\""
        }
        let log = fixture.write("access.log", lines.joined(separator: "\n") + "\n")
        XCTAssertEqual(try fixture.ingest(log).status, 0)

        let held = try ProcessRunner.tourniquet("fingerprint", fixture.casePath, [], stdin: Data("pk_live_leaked42\n".utf8))
        XCTAssertEqual(held.status, 0, held.stderr)
        XCTAssertTrue(held.stdout.hasPrefix("fp:"), held.stdout)
        XCTAssertTrue(held.stdout.contains("the API key of 3 requests"), held.stdout)
        XCTAssertFalse(held.stdout.contains("pk_live_leaked42"), "the secret is never printed")

        let other = try ProcessRunner.tourniquet("fingerprint", fixture.casePath, ["pk_live_another"])
        XCTAssertEqual(other.status, 0, other.stderr)
        XCTAssertTrue(other.stdout.contains("no request used it"), other.stdout)
        XCTAssertNotEqual(other.stdout.prefix(19), held.stdout.prefix(19))

        // The case holds only the fingerprint.
        let bytes = fixture.caseBytes()
        XCTAssertNil(bytes.range(of: Data("pk_live_leaked42".utf8)))
    }
}
