import XCTest

@testable import TourniquetIngest

final class EnvoyParserTests: XCTestCase {
    private let parser = EnvoyParser()

    /// The example from Envoy's access-log documentation (default format).
    static let documentedLine =
        #"[2016-04-15T20:17:00.310Z] "POST /api/v1/locations HTTP/2" 204 - 154 0 226 100 "10.0.35.28" "nsq2http" "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2" "locations" "tcp://10.0.2.1:80""#

    /// Istio's default proxy access-log format.
    static let istioLine =
        #"[2020-11-25T21:26:18.409Z] "GET /status/418 HTTP/1.1" 418 - via_upstream - "-" 0 135 4 4 "-" "curl/7.73.0-DEV" "84961386-6d84-929d-98bd-c5aee93b5c88" "httpbin:8000" "10.44.1.27:80" outbound|8000||httpbin.foo.svc.cluster.local 10.44.1.23:37652 10.0.45.184:8000 10.44.1.23:46520 - default"#

    /// A default-format line with the given request line and quoted fields.
    private func line(
        request: String = "GET /x HTTP/1.1", middle: String = "200 - 0 12 5 4",
        xff: String = "-", ua: String = "curl/8.4.0", tail: String = ""
    ) -> String {
        #"[2024-01-02T03:04:05.123Z] "\#(request)" \#(middle) "\#(xff)" "\#(ua)" "rid-1" "api.example.com" "10.0.0.5:8080"\#(tail)"#
    }

    func testDocumentedExample() throws {
        let r = try XCTUnwrap(expectParsed(parseLine(parser, Self.documentedLine)))
        XCTAssertEqual(parser.formatName, "envoy")
        XCTAssertEqual(r.timestampMs, 1_460_751_420_310)
        XCTAssertEqual(r.utcOffsetMinutes, 0)
        XCTAssertEqual(r.clientAddress, "10.0.35.28")
        XCTAssertEqual(r.forwardedFor, "10.0.35.28")
        XCTAssertEqual(r.method, "POST")
        XCTAssertEqual(r.target, "/api/v1/locations")
        XCTAssertEqual(r.status, 204)
        XCTAssertEqual(r.bytes, 0, "BYTES_SENT")
        XCTAssertEqual(r.latencyMicros, 226_000)
        XCTAssertEqual(r.userAgent, "nsq2http")
        XCTAssertNil(r.remoteUser)
        XCTAssertEqual(r.credentialHeaders, [])
    }

    func testIstioFormatUsesDownstreamPeerWhenNoForwardedFor() throws {
        let r = try XCTUnwrap(expectParsed(parseLine(parser, Self.istioLine)))
        XCTAssertEqual(r.timestampMs, 1_606_339_578_409)
        XCTAssertEqual(r.clientAddress, "10.44.1.23")
        XCTAssertNil(r.forwardedFor)
        XCTAssertEqual(r.method, "GET")
        XCTAssertEqual(r.target, "/status/418")
        XCTAssertEqual(r.status, 418)
        XCTAssertEqual(r.bytes, 135)
        XCTAssertEqual(r.latencyMicros, 4000)
        XCTAssertEqual(r.userAgent, "curl/7.73.0-DEV")
        let failure = Self.istioLine.replacingOccurrences(of: #"- "-" 0 135"#, with: #"UF "delayed connect error: 111" 0 135"#)
            .replacingOccurrences(of: "10.44.1.23:46520", with: "[2001:db8::7]:46520")
        XCTAssertEqual(expectParsed(parseLine(parser, failure))?.clientAddress, "2001:db8::7")
    }

    func testLeftmostForwardedForEntryIsTheClient() {
        let r = expectParsed(parseLine(parser, line(xff: " 203.0.113.1 , 10.0.0.1,10.0.0.2")))
        XCTAssertEqual(r?.clientAddress, "203.0.113.1")
        XCTAssertEqual(r?.forwardedFor, " 203.0.113.1 , 10.0.0.1,10.0.0.2")
        let absent = expectParsed(parseLine(parser, line(xff: "-", ua: "-")))
        XCTAssertEqual(absent?.clientAddress, "-")
        XCTAssertNil(absent?.forwardedFor)
        XCTAssertNil(absent?.userAgent)
        XCTAssertEqual(expectParsed(parseLine(parser, line(xff: ", 10.0.0.1")))?.clientAddress, "-")
    }

    func testFlagsDashesStatusZeroAndOffsets() {
        let r = expectParsed(parseLine(parser, line(middle: "0 UH,UF 0 0 - -")))
        XCTAssertEqual(r?.status, 0)
        XCTAssertNil(r?.latencyMicros)
        let offset = #"[2024-01-02T03:04:05.123+02:00] "GET / HTTP/1.1" 200 - 0 1 2 - "-" "-" "-" "-" "-""#
        XCTAssertEqual(expectParsed(parseLine(parser, offset))?.timestampMs, 1_704_157_445_123)
        XCTAssertEqual(expectParsed(parseLine(parser, offset))?.utcOffsetMinutes, 120)
    }

    func testTrailingUnquotedFieldsAreAccepted() {
        let r = expectParsed(parseLine(parser, line(tail: " 10.0.0.9:443 extra-field")))
        XCTAssertEqual(r?.target, "/x")
        XCTAssertEqual(r?.clientAddress, "-", "only Istio's layout names the downstream peer")
    }

    func testPathsWithSpacesAndQuotesAndUserAgentsWithQuotes() {
        let spaced = expectParsed(parseLine(parser, line(request: #"GET /a b/"c" d?q=" 1 HTTP/1.1"#)))
        XCTAssertEqual(spaced?.method, "GET")
        XCTAssertEqual(spaced?.target, #"/a b/"c" d?q=" 1"#)
        let forged = #"Mozilla" 200 0 "-" "forged"#
        let r = expectParsed(parseLine(parser, line(xff: "198.51.100.2", ua: forged)))
        XCTAssertEqual(r?.userAgent, forged)
        XCTAssertEqual(r?.clientAddress, "198.51.100.2")
        XCTAssertEqual(r?.status, 200)
        let noProtocol = expectParsed(parseLine(parser, line(request: "GET /only-path")))
        XCTAssertEqual(noProtocol?.target, "/only-path")
    }

    func testMalformedShapesNameTheProblem() {
        let cases: [(String, String)] = [
            ("", "missing [START_TIME]"),
            ("2016-04-15T20:17:00.310Z GET /", "missing [START_TIME]"),
            ("[" + String(repeating: "9", count: 5000), "missing ] after START_TIME"),
            (#"[yesterday] "GET / HTTP/1.1" 200 - 0 0 1 - "-" "-" "-" "-" "-""#, "invalid START_TIME"),
            (#"[2016-04-15T20:17:00.310Z]"#, "missing quoted request line"),
            (#"[2016-04-15T20:17:00.310Z] GET / HTTP/1.1"#, "missing quoted request line"),
            (#"[2016-04-15T20:17:00.310Z] "GET / HTTP/1.1""#, "missing response fields after the request line"),
            (line(middle: "2000 - 0 12 5 4"), "missing response fields after the request line"),
            (line(middle: "200 - x 12 5 4"), "missing response fields after the request line"),
            (line(middle: "200 - 0 12 five 4"), "missing response fields after the request line"),
            (line(middle: "200 - 0 99999999999999999999 5 4"), "missing response fields after the request line"),
            (line(request: "- - -"), "missing method"),
            (line(request: "GET"), "missing method"),
            (line(request: "GET - HTTP/1.1"), "missing path"),
            (#"[2016-04-15T20:17:00.310Z] "GET / HTTP/1.1" 200 - 0 0 1 - "-" "-" "-""#, "expected 5 quoted fields, found 3"),
            (line(tail: "x"), "unexpected data after UPSTREAM_HOST"),
        ]
        for (text, reason) in cases { XCTAssertEqual(expectMalformed(parseLine(parser, text)), reason, text) }
    }

    func testSurvivesTruncationAndCorruption() {
        assertSurvivesCorruption(parser, Self.documentedLine)
        assertSurvivesCorruption(parser, Self.istioLine, seed: 31)
    }

    func testHostileCorpusRoundTripsThroughPathAndUserAgent() {
        guard let payloads = loadHostilePayloads() else { return }
        for p in payloads {
            // Envoy writes bytes unescaped, so payloads go in raw.
            var text = Array(#"[2024-01-02T03:04:05.123Z] "GET /"#.utf8) + p.bytes
            text += Array(#" HTTP/1.1" 200 - 0 12 5 4 "203.0.113.7" ""#.utf8) + p.bytes
            text += Array(#"" "rid-1" "api.example.com" "10.0.0.5:8080""#.utf8)
            guard let r = expectParsed(parseLine(parser, bytes: text)) else {
                XCTFail(p.id)
                continue
            }
            XCTAssertEqual(r.target, "/" + p.expected, p.id)
            XCTAssertEqual(r.userAgent, p.expected, p.id)
            XCTAssertEqual(r.clientAddress, "203.0.113.7", p.id)
        }
    }
}
