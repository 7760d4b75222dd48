import XCTest

@testable import TourniquetIngest
@testable import TourniquetModel

final class IngestNormalizationTests: XCTestCase {
    func testHeuristicTemplating() {
        XCTAssertEqual(RouteTable.heuristicTemplate("/v1/users/42/orders/7"), "/v1/users/{id}/orders/{id}")
        XCTAssertEqual(RouteTable.heuristicTemplate("/v1/files/3f2504e0-4f89-11d3-9a0c-0305e82c3301"), "/v1/files/{id}")
        XCTAssertEqual(RouteTable.heuristicTemplate("/blobs/9f86d081884c7d659a2feaa0c55ad015"), "/blobs/{id}")
        XCTAssertEqual(RouteTable.heuristicTemplate("/v2/invoices/INV2024000123ABCDEFGH"), "/v2/invoices/{id}")
        XCTAssertEqual(RouteTable.heuristicTemplate("/v1/products"), "/v1/products")
        XCTAssertEqual(RouteTable.heuristicTemplate("/v2/search"), "/v2/search")
        XCTAssertEqual(RouteTable.heuristicTemplate("/image/200x200"), "/image/200x200")
    }

    func testSpecMatchingPrefersLiteralsAndStripsBasePaths() {
        let table = RouteTable(specTemplates: ["/users/{id}", "/users/me", "/users/{id}/orders/{orderId}"], basePaths: ["/api/v2"])
        XCTAssertEqual(table.match(path: "/api/v2/users/me"), .init(route: "/users/me", documented: true))
        XCTAssertEqual(table.match(path: "/api/v2/users/17"), .init(route: "/users/{id}", documented: true))
        XCTAssertEqual(table.match(path: "/users/17/orders/9"), .init(route: "/users/{id}/orders/{orderId}", documented: true))
        XCTAssertEqual(table.match(path: "/api/v2/admin/export/123"), .init(route: "/api/v2/admin/export/{id}", documented: false))
        XCTAssertFalse(table.match(path: "/api/v2/users/").documented)
    }

    func testServerURLBasePaths() {
        XCTAssertEqual(APISpec.basePath(ofServerURL: "https://api.example.com/v2/"), "/v2")
        XCTAssertEqual(APISpec.basePath(ofServerURL: "https://api.example.com"), "/")
        XCTAssertEqual(APISpec.basePath(ofServerURL: "/api"), "/api")
        XCTAssertEqual(APISpec.basePath(ofServerURL: "https://{env}.example.com/{base}", variables: ["env": "prod", "base": "v3"]), "/v3")
    }

    func testSecretsBecomeFingerprints() {
        let redactor = SecretRedactor(caseKey: Array(repeating: 1, count: 32))
        let result = redactor.redactQuery("page=2&api_key=sk_live_123&Token=abc&X-Amz-Signature=f00d&lang=en")
        XCTAssertFalse(result.query.contains("sk_live_123") || result.query.contains("abc") || result.query.contains("f00d"))
        XCTAssertTrue(result.query.hasPrefix("page=2&api_key=[fp:"))
        XCTAssertTrue(result.query.hasSuffix("&lang=en"))
        XCTAssertEqual(result.apiKey, redactor.fingerprint("sk_live_123"))
        XCTAssertTrue(result.redacted)
        // The same key fingerprints the same within a case, differently in another.
        XCTAssertEqual(redactor.fingerprint("sk_live_123"), SecretRedactor(caseKey: Array(repeating: 1, count: 32)).fingerprint("sk_live_123"))
        XCTAssertNotEqual(redactor.fingerprint("sk_live_123"), SecretRedactor(caseKey: Array(repeating: 2, count: 32)).fingerprint("sk_live_123"))
        // Percent-encoded names and values are recognised.
        let encoded = redactor.redactQuery("%61pi_key=sk%5Flive%5F123")
        XCTAssertEqual(encoded.apiKey, redactor.fingerprint("sk_live_123"))
        let extra = SecretRedactor(caseKey: [1], extraNames: ["otp"]).redactQuery("otp=123456")
        XCTAssertFalse(extra.query.contains("123456"))
        XCTAssertEqual(redactor.fingerprintHeader(CredentialHeader(name: "Authorization", value: "Bearer abc")), redactor.fingerprint("abc"))
    }

    func testRandomQueriesKeepEveryNonSecretByteAndLeakNoSecret() {
        let redactor = SecretRedactor(caseKey: [9])
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ab=&%?key_tokn12=&&==".utf8)
        for _ in 0..<3000 {
            let query = String(decoding: (0..<Int.random(in: 0...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }, as: UTF8.self)
            let result = redactor.redactQuery(Substring(query))
            if !result.redacted {
                XCTAssertEqual(result.query, query)
                continue
            }
            let pairs = result.query.split(separator: "&", omittingEmptySubsequences: false)
            XCTAssertEqual(pairs.count, query.split(separator: "&", omittingEmptySubsequences: false).count, query)
            for (out, original) in zip(pairs, query.split(separator: "&", omittingEmptySubsequences: false)) {
                let name = original.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
                if redactor.isSecret(PercentDecoding.decode(name)) && original.contains("=") {
                    XCTAssertTrue(out.hasPrefix(name + "=[fp:"), "\(query) → \(result.query)")
                } else {
                    XCTAssertEqual(out, original)
                }
            }
        }
    }

    func testTrustedProxiesFindTheClient() throws {
        let proxies = TrustedProxies(networks: [try XCTUnwrap(CIDR("10.0.0.0/8")), try XCTUnwrap(CIDR("2001:db8::/32"))])
        XCTAssertEqual(proxies.clientAddress(peer: "10.2.1.185", forwardedFor: "198.51.100.7, 10.1.1.1"), "198.51.100.7")
        XCTAssertEqual(
            proxies.clientAddress(peer: "10.2.1.185", forwardedFor: "6.6.6.6, 198.51.100.7"), "198.51.100.7", "only the hop our proxy saw is believed"
        )
        XCTAssertEqual(proxies.clientAddress(peer: "203.0.113.1", forwardedFor: "198.51.100.7"), "203.0.113.1", "an untrusted peer's XFF is ignored")
        XCTAssertEqual(proxies.clientAddress(peer: "2001:db8::1", forwardedFor: "2a03::8000"), "2a03::8000")
        XCTAssertEqual(TrustedProxies().clientAddress(peer: "10.0.0.1", forwardedFor: "1.2.3.4"), "10.0.0.1")
        XCTAssertNil(CIDR("10.0.0.0/33"))
        XCTAssertNil(CIDR("not-an-ip"))
        XCTAssertTrue(try XCTUnwrap(CIDR("::ffff:0:0/96")).contains(try XCTUnwrap(IPAddress("192.0.2.1"))))
    }

    func testPostingsRoundTrip() {
        var builder = PostingsBuilder()
        let ids: [Int64] = [1, 2, 3, 130, 20_000, 5_000_000_000]
        for id in ids {
            builder.add(
                RequestRow(
                    id: id, line: id, timestampMs: 0, utcOffsetMinutes: 0, ip: 7, xff: nil, client: nil, apiKey: nil,
                    method: 1, path: TextSpan(start: 0, count: 0), route: 2, query: nil, status: 200, bytes: 1, latencyMicros: nil, userAgent: nil,
                    flags: 0))
        }
        let postings = builder.take()
        let ip = postings.first { $0.kind == .ip && $0.key == 7 }
        XCTAssertEqual(ip.map { PostingCodec.decode($0.encoded) }, ids)
        XCTAssertEqual(ip?.count, 6)
        XCTAssertEqual(PostingCodec.decode([0xFF, 0xFF]), [], "a truncated varint is not trusted")
    }

    func testLineSplitterAcrossChunksCRLFAndOversize() {
        var splitter = LineSplitter(maxLineBytes: 8)
        var lines: [(String, Bool)] = []
        let collect: (UnsafeBufferPointer<UInt8>, Bool) -> Void = { lines.append((String(decoding: $0, as: UTF8.self), $1)) }
        splitter.feed(Array("ab\r\ncd".utf8), collect)
        splitter.feed(Array("ef\n0123456789abc\nok\n".utf8), collect)
        splitter.feed(Array("tail".utf8), collect)
        splitter.finish(collect)
        XCTAssertEqual(lines.map(\.0), ["ab", "cdef", "01234567", "ok", "tail"])
        XCTAssertEqual(lines.map(\.1), [false, false, true, false, false])
    }
}
