import XCTest

@testable import TourniquetIngest
@testable import TourniquetSimulation

final class ECSParserTests: XCTestCase {
    private let parser = ECSParser()

    /// Filebeat's nginx module output: nested objects, as shipped to Elasticsearch.
    static let filebeatLine =
        #"{"@timestamp":"2024-01-02T03:04:05.123Z","agent":{"type":"filebeat","version":"8.12.0","name":"web-1","id":"5e1b2c3d"},"ecs":{"version":"8.0.0"},"event":{"dataset":"nginx.access","module":"nginx","category":["web"],"duration":1500000,"kind":"event","outcome":"success"},"source":{"ip":"203.0.113.7","address":"203.0.113.7"},"http":{"request":{"method":"GET","referrer":"-"},"response":{"status_code":200,"body":{"bytes":612}},"version":"1.1"},"url":{"original":"/index.html?x=1","path":"/index.html","query":"x=1"},"user":{"name":"alice"},"user_agent":{"original":"curl/8.4.0","name":"curl","version":"8.4.0","device":{"name":"Other"}},"host":{"name":"web-1"},"log":{"file":{"path":"/var/log/nginx/access.log"},"offset":12345}}"#

    /// A flattened export (dotted keys, as Kibana/Elasticsearch exports and some pipelines write).
    static let flatLine =
        #"{"@timestamp":"2024-01-02T03:04:05.123+02:00","source.ip":"198.51.100.9","http.request.method":"POST","url.original":"https://shop.example.com/api/login?next=%2F","http.response.status_code":"401","http.response.bytes":120,"user.id":"42","user_agent.original":"python-requests/2.31","event.duration":250000000}"#

    /// Half-flattened keys with request headers kept by an ingest pipeline.
    static let mixedLine =
        #"{"@timestamp":1704164645123,"http.request":{"method":"GET","headers":{"Authorization":"Bearer t0k","X-Forwarded-For":"198.51.100.1, 10.0.0.1","Cookie":["s=1","t=2"],"User-Agent":"from-header"}},"http":{"response":{"status_code":200}},"client":{"ip":"10.1.1.1"},"url":{"path":"/a"}}"#

    func testFilebeatNestedDocument() throws {
        let r = try XCTUnwrap(expectParsed(parseLine(parser, Self.filebeatLine)))
        XCTAssertEqual(parser.formatName, "ecs")
        XCTAssertEqual(r.timestampMs, 1_704_164_645_123)
        XCTAssertEqual(r.utcOffsetMinutes, 0)
        XCTAssertEqual(r.clientAddress, "203.0.113.7")
        XCTAssertEqual(r.remoteUser, "alice")
        XCTAssertEqual(r.method, "GET")
        XCTAssertEqual(r.target, "/index.html?x=1")
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.bytes, 612)
        XCTAssertEqual(r.latencyMicros, 1500, "event.duration is in nanoseconds")
        XCTAssertEqual(r.userAgent, "curl/8.4.0")
        XCTAssertNil(r.forwardedFor)
        XCTAssertEqual(r.credentialHeaders, [])
    }

    func testFlatDottedKeysAndFullURLFallback() throws {
        let r = try XCTUnwrap(expectParsed(parseLine(parser, Self.flatLine)))
        XCTAssertEqual(r.timestampMs, 1_704_157_445_123)
        XCTAssertEqual(r.utcOffsetMinutes, 120)
        XCTAssertEqual(r.clientAddress, "198.51.100.9")
        XCTAssertEqual(r.method, "POST")
        XCTAssertEqual(r.target, "/api/login?next=%2F")
        XCTAssertEqual(r.status, 401)
        XCTAssertEqual(r.bytes, 120)
        XCTAssertEqual(r.remoteUser, "42")
        XCTAssertEqual(r.latencyMicros, 250_000)
        XCTAssertEqual(r.userAgent, "python-requests/2.31")
    }

    func testHalfFlattenedKeysHeadersAndEpochTimestamp() throws {
        let r = try XCTUnwrap(expectParsed(parseLine(parser, Self.mixedLine)))
        XCTAssertEqual(r.timestampMs, 1_704_164_645_123)
        XCTAssertEqual(r.clientAddress, "10.1.1.1")
        XCTAssertEqual(r.method, "GET")
        XCTAssertEqual(r.target, "/a")
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.bytes, 0)
        XCTAssertEqual(r.forwardedFor, "198.51.100.1, 10.0.0.1")
        XCTAssertEqual(r.userAgent, "from-header")
        XCTAssertEqual(
            r.credentialHeaders,
            [
                CredentialHeader(name: "authorization", value: "Bearer t0k"),
                CredentialHeader(name: "cookie", value: "s=1"),
                CredentialHeader(name: "cookie", value: "t=2"),
            ])
    }

    func testSourceAddressFallbackAndEmptyQuery() {
        let text =
            #"{"@timestamp":"2024-01-02T03:04:05Z","source":{"address":"edge.example.net"},"http":{"request":{"method":"HEAD"},"response":{"status_code":204}},"url":{"path":"/health","query":""}}"#
        let r = expectParsed(parseLine(parser, text))
        XCTAssertEqual(r?.clientAddress, "edge.example.net")
        XCTAssertEqual(r?.target, "/health")
    }

    func testMissingAndWrongFieldsAreNamed() {
        let base =
            #"{"@timestamp":"2024-01-02T03:04:05Z","source":{"ip":"1.2.3.4"},"http":{"request":{"method":"GET"},"response":{"status_code":200}},"url":{"path":"/"}}"#
        func with(_ replace: String, _ by: String) -> String { base.replacingOccurrences(of: replace, with: by) }
        let cases: [(String, String)] = [
            (with(#""@timestamp":"2024-01-02T03:04:05Z","#, ""), "missing @timestamp"),
            (with("2024-01-02T03:04:05Z", "yesterday"), "invalid @timestamp"),
            (with("2024-01-02T03:04:05Z", "2024-01-02T03:04:05"), "invalid @timestamp"),
            (with(#""2024-01-02T03:04:05Z""#, "{}"), "@timestamp is not a timestamp"),
            (with(#""2024-01-02T03:04:05Z""#, "1e300"), "@timestamp is not a valid timestamp"),
            (with(#""source":{"ip":"1.2.3.4"},"#, ""), "missing source.ip"),
            (with(#""method":"GET""#, #""verb":"GET""#), "missing http.request.method"),
            (with(#""url":{"path":"/"}"#, #""url":{"domain":"x"}"#), "missing url.path"),
            (with(#""url":{"path":"/"}"#, #""url":{"path":{"a":1}}"#), "url.path is not a string"),
            (with(#""status_code":200"#, #""status_code":true"#), "http.response.status_code is not an integer"),
            (with(#""status_code":200"#, #""code":200"#), "missing http.response.status_code"),
            (with(#""status_code":200"#, #""status_code":200,"body":{"bytes":"many"}"#), "http.response.body.bytes is not an integer"),
            (with(#""@timestamp""#, #""event":{"duration":"long"},"@timestamp""#), "event.duration is not a number"),
            ("null", "not a JSON object"),
            (#"{"@timestamp":"#, "invalid JSON at byte 14: unexpected end of line"),
        ]
        for (text, reason) in cases { XCTAssertEqual(expectMalformed(parseLine(parser, text)), reason, text) }
    }

    func testSurvivesTruncationAndCorruption() {
        assertSurvivesCorruption(parser, Self.filebeatLine)
        assertSurvivesCorruption(parser, Self.flatLine, seed: 17)
        assertSurvivesCorruption(parser, Self.mixedLine, seed: 23)
    }

    func testHostileCorpusRoundTripsThroughPathUserAgentAndUser() {
        guard let payloads = loadHostilePayloads() else { return }
        for p in payloads {
            let s = p.jsonStringContent
            var text = Array(#"{"@timestamp":"2024-01-02T03:04:05.123Z","source":{"ip":"203.0.113.7"},"url":{"path":"/"#.utf8) + s
            text += Array(#""},"user_agent":{"original":""#.utf8) + s + Array(#""},"user.name":""#.utf8) + s
            text += Array(#"","http":{"request":{"method":"GET"},"response":{"status_code":200}}}"#.utf8)
            guard let r = expectParsed(parseLine(parser, bytes: text)) else { continue }
            XCTAssertEqual(r.target, "/" + p.expected, p.id)
            XCTAssertEqual(r.userAgent, p.expected, p.id)
            XCTAssertEqual(r.remoteUser, p.expected, p.id)
        }
    }
}
