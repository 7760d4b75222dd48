import XCTest

@testable import TourniquetIngest

final class FormatSnifferTests: XCTestCase {
    private func sniff(_ lines: [String]) -> String? {
        FormatSniffer.jsonFormat(of: lines.map { Array($0.utf8) })
    }

    func testRecognisesEachJSONFormatFromItsKeys() {
        XCTAssertEqual(sniff([KongLogParserTests.kong3Line]), "kong")
        XCTAssertEqual(sniff([KongLogParserTests.classicLine]), "kong")
        XCTAssertEqual(sniff([AWSAPIGatewayParserTests.restLine]), "aws-apigw")
        XCTAssertEqual(sniff([AWSAPIGatewayParserTests.httpAPILine]), "aws-apigw")
        XCTAssertEqual(sniff([ECSParserTests.filebeatLine]), "ecs")
        XCTAssertEqual(sniff([ECSParserTests.flatLine]), "ecs")
        XCTAssertEqual(sniff([ECSParserTests.mixedLine]), "ecs")
    }

    func testMajorityWinsAndJunkIsIgnored() {
        let lines = [
            "not json", "", AWSAPIGatewayParserTests.restLine, ECSParserTests.flatLine,
            AWSAPIGatewayParserTests.httpAPILine, #"{"unrelated":true}"#, "[1,2]",
        ]
        XCTAssertEqual(sniff(lines), "aws-apigw")
        XCTAssertNil(sniff(["not json", #"{"a":1}"#, EnvoyParserTests.documentedLine]))
        XCTAssertNil(sniff([]))
        // The buffer-pointer entry point agrees (buffers owned here so they outlive the call).
        let buffers = [ECSParserTests.filebeatLine, ECSParserTests.flatLine].map { text -> UnsafeMutableBufferPointer<UInt8> in
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: text.utf8.count)
            _ = buffer.initialize(from: text.utf8)
            return buffer
        }
        defer { for buffer in buffers { buffer.deallocate() } }
        XCTAssertEqual(FormatSniffer.jsonFormat(of: buffers.map { UnsafeBufferPointer($0) }), "ecs")
    }

    func testEnvoyShape() {
        XCTAssertTrue(FormatSniffer.looksLikeEnvoy(Array(EnvoyParserTests.documentedLine.utf8)))
        XCTAssertTrue(FormatSniffer.looksLikeEnvoy(Array(EnvoyParserTests.istioLine.utf8)))
        let clf = #"203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 2326 "-" "curl""#
        for text in [
            clf, "[Wed Oct 11 14:32:52 2000] [error] client denied", "[", "", KongLogParserTests.classicLine,
            "[2016-04-15T20:17:00.310Z]", "[2016-04-15T20:17:00.310Z] GET",
        ] {
            XCTAssertFalse(FormatSniffer.looksLikeEnvoy(Array(text.utf8)), text)
        }
    }
}
