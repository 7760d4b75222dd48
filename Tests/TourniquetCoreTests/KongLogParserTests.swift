import XCTest

@testable import TourniquetIngest

final class KongLogParserTests: XCTestCase {
    private let parser = KongLogParser()

    /// Kong 3.8's documented file-log sample (made valid JSON), with a consumer, a key-auth
    /// credential, an API key header and a forwarded client added.
    static let kong3Line =
        #"{"response":{"size":9982,"headers":{"access-control-allow-origin":"*","content-length":"9593","date":"Thu, 19 Sep 2024 22:10:39 GMT","content-type":"text/html; charset=utf-8","via":"1.1 kong/3.8.0.0-enterprise-edition","connection":"close","server":"gunicorn/19.9.0","access-control-allow-credentials":"true","x-kong-upstream-latency":"171","x-kong-proxy-latency":"1","x-kong-request-id":"2f6946328ffc4946b8c9120704a4a155"},"status":200},"route":{"updated_at":1726782477,"tags":[],"response_buffering":true,"path_handling":"v0","protocols":["http","https"],"service":{"id":"fb4eecf8-dec2-40ef-b779-16de7e2384c7"},"https_redirect_status_code":426,"regex_priority":0,"name":"example_route","id":"0f1a4101-3327-4274-b1e4-484a4ab0c030","strip_path":true,"preserve_host":false,"created_at":1726782477,"request_buffering":true,"ws_id":"f381e34e-5c25-4e65-b91b-3c0a86cfc393","paths":["/example-route"]},"workspace":"f381e34e-5c25-4e65-b91b-3c0a86cfc393","workspace_name":"default","tries":[{"balancer_start":1726783839539,"balancer_start_ns":1.7267838395395e+18,"ip":"34.237.204.224","balancer_latency":0,"port":80,"balancer_latency_ns":27904}],"client_ip":"192.168.65.1","request":{"id":"2f6946328ffc4946b8c9120704a4a155","headers":{"accept":"*/*","user-agent":"HTTPie/3.2.3","host":"localhost:8000","connection":"keep-alive","accept-encoding":"gzip, deflate","apikey":"my-key-123","x-forwarded-for":"203.0.113.9, 10.0.0.2"},"uri":"/example-route?page=2","size":139,"method":"GET","querystring":{"page":"2"},"url":"http://localhost:8000/example-route?page=2"},"started_at":1726783839538,"upstream_status":"200","latencies":{"kong":1,"proxy":171,"request":173,"receive":1},"consumer":{"username":"alice","id":"b4a3e1c7-0f27-4c4b-9a0c-6b9e0e3b1a11","created_at":1726782400},"authenticated_entity":{"id":"9c3e1d2a-5b8e-4f6a-8c1d-2e3f4a5b6c7d","consumer_id":"b4a3e1c7-0f27-4c4b-9a0c-6b9e0e3b1a11"},"service":{"host":"httpbin.konghq.com","created_at":1726782473,"connect_timeout":60000,"id":"fb4eecf8-dec2-40ef-b779-16de7e2384c7","protocol":"http","read_timeout":60000,"port":80,"path":"/anything","updated_at":1726782473,"write_timeout":60000,"retries":5,"ws_id":"f381e34e-5c25-4e65-b91b-3c0a86cfc393","enabled":true},"upstream_uri":"/anything?page=2","source":"upstream"}"#

    /// The long-standing file-log sample from Kong's older plugin docs: sizes as strings.
    static let classicLine =
        #"{"request":{"method":"GET","uri":"/get","url":"http://httpbin.org:8000/get","size":"75","querystring":{},"headers":{"accept":"*/*","host":"httpbin.org","user-agent":"curl/7.37.1"}},"upstream_uri":"/","response":{"status":200,"size":"434","headers":{"Content-Length":"197","via":"kong/0.3.0","Connection":"close","access-control-allow-credentials":"true","Content-Type":"application/json","server":"nginx","access-control-allow-origin":"*"}},"tries":[{"state":"next","code":502,"ip":"127.0.0.1","port":8000},{"ip":"127.0.0.1","port":8000}],"authenticated_entity":{"consumer_id":"80f74eef-31b8-45d5-c525-ae532297ea8e","id":"eaa330c0-4cff-47f5-c79e-b2e4f355207e"},"consumer":{"username":"demo","created_at":1491847011000,"id":"35b03bfc-7a5b-4a23-a594-aa350c585fa8"},"latencies":{"proxy":1430,"kong":9,"request":1921},"client_ip":"127.0.0.1","started_at":1433209822425}"#

    /// A minimal valid line with `extra` spliced into the top-level object.
    private func line(
        _ extra: String = "", request: String = #""method":"GET","uri":"/x""#,
        response: String = #""status":200,"size":10"#
    ) -> String {
        #"{"client_ip":"198.51.100.4","started_at":1700000000000,"request":{\#(request)},"response":{\#(response)}\#(extra)}"#
    }

    func testKong3DocumentedSample() throws {
        let r = try XCTUnwrap(expectParsed(parseLine(parser, Self.kong3Line)))
        XCTAssertEqual(parser.formatName, "kong")
        XCTAssertEqual(r.timestampMs, 1_726_783_839_538)
        XCTAssertEqual(r.utcOffsetMinutes, 0)
        XCTAssertEqual(r.clientAddress, "192.168.65.1")
        XCTAssertEqual(r.forwardedFor, "203.0.113.9, 10.0.0.2")
        XCTAssertNil(r.remoteUser)
        XCTAssertEqual(r.consumer, "alice")
        XCTAssertEqual(r.apiKeyId, "9c3e1d2a-5b8e-4f6a-8c1d-2e3f4a5b6c7d")
        XCTAssertEqual(r.method, "GET")
        XCTAssertEqual(r.target, "/example-route?page=2")
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.bytes, 9982)
        XCTAssertEqual(r.latencyMicros, 173_000)
        XCTAssertEqual(r.userAgent, "HTTPie/3.2.3")
        XCTAssertEqual(r.credentialHeaders, [CredentialHeader(name: "apikey", value: "my-key-123")])
    }

    func testClassicSampleWithStringSizes() throws {
        let r = try XCTUnwrap(expectParsed(parseLine(parser, Self.classicLine)))
        XCTAssertEqual(r.timestampMs, 1_433_209_822_425)
        XCTAssertEqual(r.clientAddress, "127.0.0.1")
        XCTAssertEqual(r.consumer, "demo")
        XCTAssertEqual(r.apiKeyId, "eaa330c0-4cff-47f5-c79e-b2e4f355207e")
        XCTAssertEqual(r.target, "/get")
        XCTAssertEqual(r.bytes, 434)
        XCTAssertEqual(r.latencyMicros, 1_921_000)
        XCTAssertEqual(r.userAgent, "curl/7.37.1")
        XCTAssertNil(r.forwardedFor)
        XCTAssertEqual(r.credentialHeaders, [])
    }

    func testHeaderArraysCredentialsAndKongRedaction() throws {
        let headers =
            #""headers":{"authorization":["REDACTED"],"proxy-authorization":"Basic cHJveHk6cHc=","cookie":["a=1","b=2"],"x-api-key":"k-1","user-agent":["ua-one","ua-two"],"x-forwarded-for":["203.0.113.1","10.0.0.1"]}"#
        let r = try XCTUnwrap(expectParsed(parseLine(parser, line(request: #""method":"POST","uri":"/login",\#(headers)"#))))
        XCTAssertEqual(r.userAgent, "ua-one, ua-two")
        XCTAssertEqual(r.forwardedFor, "203.0.113.1, 10.0.0.1")
        XCTAssertEqual(
            r.credentialHeaders,
            [
                CredentialHeader(name: "proxy-authorization", value: "Basic cHJveHk6cHc="),
                CredentialHeader(name: "cookie", value: "a=1"),
                CredentialHeader(name: "cookie", value: "b=2"),
                CredentialHeader(name: "x-api-key", value: "k-1"),
            ])
        let bearer = #""headers":{"authorization":"Bearer eyJhbGciOi.x.y"}"#
        let r2 = try XCTUnwrap(expectParsed(parseLine(parser, line(request: #""method":"GET","uri":"/",\#(bearer)"#))))
        XCTAssertEqual(r2.credentialHeaders, [CredentialHeader(name: "authorization", value: "Bearer eyJhbGciOi.x.y")])
    }

    func testURLFallbackTakesPathAndQuery() {
        let cases = [
            ("https://api.example.com:8443/v1/users/7?token=abc", "/v1/users/7?token=abc"),
            ("http://host", "/"),
            ("http://host?x=1", "/?x=1"),
            ("/already/a/path?q", "/already/a/path?q"),
        ]
        for (url, expected) in cases {
            let r = expectParsed(parseLine(parser, line(request: #""method":"GET","url":"\#(url)""#)))
            XCTAssertEqual(r?.target, expected, url)
        }
    }

    func testConsumerFallbacksAndLatencyEdgeCases() {
        XCTAssertEqual(expectParsed(parseLine(parser, line(#","consumer":{"id":"c-id"}"#)))?.consumer, "c-id")
        XCTAssertEqual(expectParsed(parseLine(parser, line(#","authenticated_entity":{"consumer_id":"c-2"}"#)))?.consumer, "c-2")
        let plain = expectParsed(parseLine(parser, line()))
        XCTAssertNil(plain?.consumer)
        XCTAssertNil(plain?.apiKeyId)
        XCTAssertNil(plain?.latencyMicros)
        XCTAssertNil(expectParsed(parseLine(parser, line(#","latencies":{"request":-1}"#)))?.latencyMicros)
        XCTAssertEqual(expectParsed(parseLine(parser, line(#","latencies":{"request":2.5}"#)))?.latencyMicros, 2500)
        XCTAssertEqual(expectParsed(parseLine(parser, line(response: #""status":"404""#)))?.bytes, 0)
    }

    func testStartedAtInExponentFormAsLuaCjsonMayWrite() {
        let text = #"{"client_ip":"198.51.100.4","started_at":1.433209822425e12,"request":{"method":"GET","uri":"/"},"response":{"status":200}}"#
        XCTAssertEqual(expectParsed(parseLine(parser, text))?.timestampMs, 1_433_209_822_425)
    }

    func testMissingFieldsAreNamed() {
        let cases: [(String, String)] = [
            (#"{"client_ip":"1.2.3.4","request":{"method":"GET","uri":"/"},"response":{"status":200}}"#, "missing started_at"),
            (#"{"started_at":1,"request":{"method":"GET","uri":"/"},"response":{"status":200}}"#, "missing client_ip"),
            (line(request: #""uri":"/""#), "missing request.method"),
            (line(request: #""method":"GET""#), "missing request.uri"),
            (line(request: #""method":"GET","uri":"","url":"""#), "missing request.uri"),
            (line(response: #""size":1"#), "missing response.status"),
            (line(request: #""method":null,"uri":"/""#), "missing request.method"),
            (line(request: #""method":"","uri":"/""#), "missing request.method"),
        ]
        for (text, reason) in cases { XCTAssertEqual(expectMalformed(parseLine(parser, text)), reason, text) }
    }

    func testWrongTypesAndHugeNumbersAreMalformed() {
        let cases: [(String, String)] = [
            (line(response: #""status":"abc""#), "response.status is not an integer"),
            (line(response: #""status":1e400"#), "response.status is out of range"),
            (line(response: #""status":1000"#), "response.status is out of range"),
            (line(response: #""status":200.5"#), "response.status is not an integer"),
            (line(response: #""status":{}"#), "response.status is not an integer"),
            (line(response: #""status":200,"size":-5"#), "response.size is negative"),
            (line(response: #""status":200,"size":99999999999999999999999"#), "response.size is out of range"),
            (line(request: #""method":["GET"],"uri":"/""#), "request.method is not a string"),
            (line(request: #""method":"GET","uri":{"p":1}"#), "request.uri is not a string"),
            (line(#","latencies":{"request":"slow"}"#), "latencies.request is not a number"),
            (line(#","latencies":{"request":1e300}"#), "latencies.request is out of range"),
            (
                #"{"client_ip":"1.2.3.4","started_at":"abc","request":{"method":"GET","uri":"/"},"response":{"status":200}}"#,
                "started_at is not a valid timestamp"
            ),
            (
                #"{"client_ip":"1.2.3.4","started_at":1e30,"request":{"method":"GET","uri":"/"},"response":{"status":200}}"#,
                "started_at is not a valid timestamp"
            ),
            (
                #"{"client_ip":"1.2.3.4","started_at":{},"request":{"method":"GET","uri":"/"},"response":{"status":200}}"#,
                "started_at is not a timestamp"
            ),
            (#"{"client_ip":7,"started_at":1,"request":{"method":"GET","uri":"/"},"response":{"status":200}}"#, ""),
        ]
        for (text, reason) in cases {
            if reason.isEmpty {
                XCTAssertEqual(expectParsed(parseLine(parser, text))?.clientAddress, "7", "scalars are coerced to text")
            } else {
                XCTAssertEqual(expectMalformed(parseLine(parser, text)), reason, text)
            }
        }
    }

    func testBrokenJSONIsMalformedWithOffset() {
        XCTAssertEqual(expectMalformed(parseLine(parser, "[1,2]")), "not a JSON object")
        XCTAssertEqual(expectMalformed(parseLine(parser, "")), "invalid JSON at byte 0: unexpected end of line")
        XCTAssertEqual(expectMalformed(parseLine(parser, #"{"client_ip":"1.2.3.4""#)), "invalid JSON at byte 22: unexpected end of line")
        let deep = String(repeating: "[", count: 10_000)
        let reason = expectMalformed(parseLine(parser, line(#","route":\#(deep)"#)))
        XCTAssertEqual(reason?.hasPrefix("invalid JSON at byte "), true)
        XCTAssertEqual(reason?.hasSuffix(": nesting deeper than 64"), true)
    }

    func testInvalidUTF8InValuesIsRepaired() {
        var text = Array(#"{"client_ip":"1.2.3.4","started_at":1,"request":{"method":"GET","uri":"/a"#.utf8)
        text += [0xFF, 0xC0, 0xAF]
        text += Array(#"","headers":{"user-agent":"x"#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}},"response":{"status":200}}"#.utf8)
        let r = expectParsed(parseLine(parser, bytes: text))
        XCTAssertEqual(r?.target, String(decoding: [0x2F, 0x61, 0xFF, 0xC0, 0xAF], as: UTF8.self))
        XCTAssertEqual(r?.userAgent, String(decoding: [0x78, 0xED, 0xA0, 0x80], as: UTF8.self))
    }

    func testSurvivesTruncationAndCorruption() {
        assertSurvivesCorruption(parser, Self.kong3Line)
        assertSurvivesCorruption(parser, Self.classicLine, seed: 99)
    }

    func testHostileCorpusRoundTripsThroughUserAgentPathAndConsumer() {
        guard let payloads = loadHostilePayloads() else { return }
        for p in payloads {
            let s = p.jsonStringContent
            var text = Array(#"{"client_ip":"203.0.113.7","started_at":1700000000000,"request":{"method":"GET","uri":"/"#.utf8) + s
            text += Array(#"","headers":{"user-agent":""#.utf8) + s
            text += Array(#""}},"consumer":{"username":""#.utf8) + s
            text += Array(#""},"response":{"status":200,"size":1}}"#.utf8)
            guard let r = expectParsed(parseLine(parser, bytes: text)) else { continue }
            XCTAssertEqual(r.target, "/" + p.expected, p.id)
            XCTAssertEqual(r.userAgent, p.expected, p.id)
            XCTAssertEqual(r.consumer, p.expected, p.id)
        }
    }
}
