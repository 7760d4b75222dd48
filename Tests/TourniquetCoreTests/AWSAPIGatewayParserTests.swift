import Foundation
import XCTest

@testable import TourniquetIngest

final class AWSAPIGatewayParserTests: XCTestCase {
    private let parser = AWSAPIGatewayParser()

    /// AWS's documented REST API JSON layout, rendered.
    static let restLine =
        #"{"requestId":"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111","ip":"198.51.100.23","caller":"-","user":"-","requestTime":"15/Jan/2024:10:30:00 +0000","httpMethod":"GET","resourcePath":"/pets/{petId}","status":"200","protocol":"HTTP/1.1","responseLength":"48"}"#

    /// AWS's documented HTTP API JSON layout, rendered: a route key and no body length.
    static let httpAPILine =
        #"{"requestId":"Ab1CdEFGHijKLmn=","ip":"203.0.113.10","requestTime":"15/Jan/2024:16:00:00 +0530","httpMethod":"POST","routeKey":"POST /orders","status":"201","protocol":"HTTP/1.1","responseLength":"-"}"#

    /// A richer deployment: epoch time, concrete path, nested identity, latencies, numbers as numbers.
    static let richLine =
        #"{"requestId":"c6af9ac6-7b61-11e6-9a41-93e8deadbeef","requestTime":"15/Jan/2024:10:30:00 +0000","requestTimeEpoch":1705314600123,"httpMethod":"PUT","resourcePath":"/pets/{petId}","path":"/prod/pets/7?x=1","status":403,"responseLength":17,"responseLatency":"41","integrationLatency":"35","identity":{"sourceIp":"192.0.2.44","apiKeyId":"k9x8y7","userAgent":"aws-sdk-go/1.44","caller":"AIDAEXAMPLECALLER","user":"AIDAEXAMPLEUSER"}}"#

    func testDocumentedRESTLayout() throws {
        let r = try XCTUnwrap(expectParsed(parseLine(parser, Self.restLine)))
        XCTAssertEqual(parser.formatName, "aws-apigw")
        XCTAssertEqual(r.timestampMs, 1_705_314_600_000)
        XCTAssertEqual(r.utcOffsetMinutes, 0)
        XCTAssertEqual(r.clientAddress, "198.51.100.23")
        XCTAssertNil(r.remoteUser, "\"-\" means absent")
        XCTAssertEqual(r.method, "GET")
        XCTAssertEqual(r.target, "/pets/{petId}", "the resource template stands in for the path")
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.bytes, 48)
        XCTAssertNil(r.latencyMicros)
        XCTAssertNil(r.apiKeyId)
        XCTAssertNil(r.userAgent)
    }

    func testDocumentedHTTPAPILayoutWithRouteKeyAndOffset() throws {
        let r = try XCTUnwrap(expectParsed(parseLine(parser, Self.httpAPILine)))
        XCTAssertEqual(r.timestampMs, 1_705_314_600_000)
        XCTAssertEqual(r.utcOffsetMinutes, 330)
        XCTAssertEqual(r.method, "POST")
        XCTAssertEqual(r.target, "/orders")
        XCTAssertEqual(r.status, 201)
        XCTAssertEqual(r.bytes, 0)
    }

    func testRichLayoutPrefersEpochAndConcretePath() throws {
        let r = try XCTUnwrap(expectParsed(parseLine(parser, Self.richLine)))
        XCTAssertEqual(r.timestampMs, 1_705_314_600_123)
        XCTAssertEqual(r.clientAddress, "192.0.2.44")
        XCTAssertEqual(r.remoteUser, "AIDAEXAMPLEUSER")
        XCTAssertEqual(r.apiKeyId, "k9x8y7")
        XCTAssertEqual(r.method, "PUT")
        XCTAssertEqual(r.target, "/prod/pets/7?x=1")
        XCTAssertEqual(r.status, 403)
        XCTAssertEqual(r.bytes, 17)
        XCTAssertEqual(r.latencyMicros, 41_000)
        XCTAssertEqual(r.userAgent, "aws-sdk-go/1.44")
    }

    func testRouteKeyAloneGivesMethodAndPath() {
        let text = #"{"ip":"203.0.113.10","requestTimeEpoch":"1705314600000","routeKey":"DELETE /orders/{id}","status":"204"}"#
        let r = expectParsed(parseLine(parser, text))
        XCTAssertEqual(r?.method, "DELETE")
        XCTAssertEqual(r?.target, "/orders/{id}")
        let dflt = #"{"ip":"203.0.113.10","requestTimeEpoch":1705314600000,"httpMethod":"GET","routeKey":"$default","status":"404"}"#
        XCTAssertEqual(expectParsed(parseLine(parser, dflt))?.target, "$default")
        let callerOnly = #"{"ip":"1.2.3.4","requestTimeEpoch":1,"httpMethod":"GET","path":"/","status":"200","caller":"AROA:session","user":"-"}"#
        XCTAssertEqual(expectParsed(parseLine(parser, callerOnly))?.remoteUser, "AROA:session")
        let latency =
            #"{"ip":"1.2.3.4","requestTimeEpoch":1,"httpMethod":"GET","path":"/","status":"200","responseLatency":"-","integrationLatency":"12"}"#
        XCTAssertEqual(expectParsed(parseLine(parser, latency))?.latencyMicros, 12_000)
    }

    func testUserMappingOverridesOnlyTheFieldsItNames() throws {
        let mappingJSON = #"{"clientAddress": "src", "status": ["code", "status"], "requestTimeEpoch": ["ts"], "path": ["uri"]}"#
        let mapping = try JSONDecoder().decode(AWSFieldMapping.self, from: Data(mappingJSON.utf8))
        XCTAssertEqual(mapping.clientAddress, ["src"])
        XCTAssertEqual(mapping.status, ["code", "status"])
        XCTAssertEqual(mapping.httpMethod, AWSFieldMapping.standard.httpMethod)
        let custom = AWSAPIGatewayParser(mapping: mapping)
        let r = expectParsed(parseLine(custom, #"{"src":"192.0.2.1","ts":1705314600000,"httpMethod":"PATCH","uri":"/v1/x","code":204}"#))
        XCTAssertEqual(r?.clientAddress, "192.0.2.1")
        XCTAssertEqual(r?.status, 204)
        XCTAssertEqual(r?.target, "/v1/x")
        XCTAssertEqual(r?.timestampMs, 1_705_314_600_000)
        // The default keys no longer apply where the mapping replaced them.
        XCTAssertEqual(expectMalformed(parseLine(custom, Self.restLine)), "missing src")
    }

    func testMappingRoundTripsAndEmptyListsFailCleanly() throws {
        let encoded = try JSONEncoder().encode(AWSFieldMapping.standard)
        XCTAssertEqual(try JSONDecoder().decode(AWSFieldMapping.self, from: encoded), .standard)
        XCTAssertEqual(try JSONDecoder().decode(AWSFieldMapping.self, from: Data("{}".utf8)), .standard)
        XCTAssertThrowsError(try JSONDecoder().decode(AWSFieldMapping.self, from: Data(#"{"status": 5}"#.utf8)))
        let empty = try JSONDecoder().decode(AWSFieldMapping.self, from: Data(#"{"clientAddress": [], "status": []}"#.utf8))
        XCTAssertEqual(expectMalformed(parseLine(AWSAPIGatewayParser(mapping: empty), Self.restLine)), "missing field")
    }

    func testMissingAndWrongFieldsAreNamed() {
        func with(_ replace: String, _ by: String) -> String { Self.restLine.replacingOccurrences(of: replace, with: by) }
        let cases: [(String, String)] = [
            (with(#""requestTime":"15/Jan/2024:10:30:00 +0000","#, ""), "missing requestTime"),
            (with("15/Jan/2024:10:30:00 +0000", "15/Foo/2024:10:30:00 +0000"), "invalid requestTime"),
            (with("15/Jan/2024:10:30:00 +0000", "-"), "missing requestTime"),
            (with(#""httpMethod":"GET","#, ""), "missing httpMethod"),
            (with(#""resourcePath":"/pets/{petId}","#, ""), "missing resourcePath"),
            (with(#""status":"200""#, #""status":"-""#), "missing status"),
            (with(#""status":"200""#, #""status":"OK""#), "status is not an integer"),
            (with(#""status":"200""#, #""status":"2000""#), "status is out of range"),
            (with(#""status":"200""#, #""status":["200"]"#), "status is not an integer"),
            (with(#""responseLength":"48""#, #""responseLength":"lots""#), "responseLength is not an integer"),
            (with(#""responseLength":"48""#, #""responseLength":"1e999""#), "responseLength is out of range"),
            (with(#""ip":"198.51.100.23""#, #""ip":"-""#), "missing ip"),
            (with(#""ip":"198.51.100.23""#, #""ip":{"v4":"x"}"#), "ip is not a string"),
            (with(#""httpMethod":"GET""#, #""httpMethod":"GET","requestTimeEpoch":"soon""#), "requestTimeEpoch is not a valid timestamp"),
            ("[]", "not a JSON object"),
            ("", "invalid JSON at byte 0: unexpected end of line"),
        ]
        for (text, reason) in cases { XCTAssertEqual(expectMalformed(parseLine(parser, text)), reason, text) }
    }

    func testSurvivesTruncationAndCorruption() {
        assertSurvivesCorruption(parser, Self.restLine)
        assertSurvivesCorruption(parser, Self.richLine, seed: 5)
    }

    func testHostileCorpusRoundTripsThroughPathUserAgentAndUser() {
        guard let payloads = loadHostilePayloads() else { return }
        for p in payloads {
            let s = p.jsonStringContent
            var text = Array(#"{"ip":"203.0.113.7","requestTime":"15/Jan/2024:10:30:00 +0000","httpMethod":"GET","path":"/"#.utf8) + s
            text += Array(#"","userAgent":""#.utf8) + s + Array(#"","user":""#.utf8) + s
            text += Array(#"","status":"200","responseLength":"1"}"#.utf8)
            guard let r = expectParsed(parseLine(parser, bytes: text)) else { continue }
            XCTAssertEqual(r.target, "/" + p.expected, p.id)
            XCTAssertEqual(r.userAgent, p.expected, p.id)
            XCTAssertEqual(r.remoteUser, p.expected, p.id)
        }
    }
}
