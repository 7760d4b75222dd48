import XCTest

@testable import TourniquetIngest

/// Secrets never survive redaction in any shape a client can write them, and guessable ones get
/// no fingerprint that a dictionary could be matched against.
final class SecretRedactionTests: XCTestCase {
    let redactor = SecretRedactor(caseKey: Array(repeating: 3, count: 32))

    func testArrayIndexedNestedAndSemicolonParametersAreRedacted() {
        for query in [
            "api_key[]=sk_live_AAAA1111", "API_KEY[0]=sk_live_AAAA1111", "a=1;api_key=sk_live_AAAA1111", "x=1;Api_Key[]=sk_live_AAAA1111&y=2",
            "auth[api_key]=sk_live_AAAA1111", "%61pi_key%5B%5D=sk_live_AAAA1111",
        ] {
            let result = redactor.redactQuery(Substring(query))
            XCTAssertFalse(result.query.contains("sk_live_AAAA1111"), "\(query) → \(result.query)")
            XCTAssertEqual(result.apiKey, redactor.fingerprint("sk_live_AAAA1111"), query)
            XCTAssertTrue(result.redacted, query)
        }
        let mixed = redactor.redactQuery("a=1;token=t0k3n-value-123&b=2;c=3")
        XCTAssertEqual(mixed.query, "a=1;token=[\(redactor.fingerprint("t0k3n-value-123"))]&b=2;c=3", "separators and other values are kept")
        XCTAssertEqual(redactor.kind(ofName: "user[password]"), .password)
        XCTAssertEqual(redactor.kind(ofName: "X-Auth-Token"), .token)
        XCTAssertNil(redactor.kind(ofName: "page"))
    }

    func testMatrixParametersInThePathAreRedacted() {
        var out: [UInt8] = []
        let path = "/v1/users;api_key=sk_live_BBBB2222;lang=en/orders;PASSWORD=hunter2"
        let result = Array(path.utf8).withUnsafeBufferPointer { redactor.redactPath($0, into: &out) }
        let text = String(decoding: out, as: UTF8.self)
        XCTAssertEqual(text, "/v1/users;api_key=[\(redactor.fingerprint("sk_live_BBBB2222"))];lang=en/orders;PASSWORD=[redacted password]")
        XCTAssertEqual(result.apiKey, redactor.fingerprint("sk_live_BBBB2222"))
        var plain: [UInt8] = []
        let untouched = Array("/v1/a=b/c".utf8).withUnsafeBufferPointer { redactor.redactPath($0, into: &plain) }
        XCTAssertFalse(untouched.redacted)
        XCTAssertEqual(String(decoding: plain, as: UTF8.self), "/v1/a=b/c", "a path without `;` has no parameters")
    }

    func testPasswordsGetAMarkerNotAFingerprint() {
        for name in ["password", "passwd", "pwd", "pass", "Password", "new_password", "user[password]", "secret", "pin", "otp", "passcode"] {
            let result = redactor.redactQuery(Substring("user=alice&\(name)=hunter2&x=1"))
            XCTAssertEqual(result.query, "user=alice&\(name)=[redacted password]&x=1", name)
            XCTAssertFalse(result.query.contains(redactor.fingerprint("hunter2")), "no keyed fingerprint of a guessable value: \(name)")
            XCTAssertNil(result.apiKey)
        }
        // Tokens and keys keep their fingerprint for correlation.
        XCTAssertTrue(redactor.redactQuery("client_secret=abcdefabcdef").query.hasPrefix("client_secret=[fp:"))
        XCTAssertTrue(redactor.redactQuery("access_token=abcdefabcdef").query.hasPrefix("access_token=[fp:"))
        // Basic credentials carry a password; a bearer token is a fingerprint.
        XCTAssertNil(redactor.fingerprintHeader(CredentialHeader(name: "Authorization", value: "Basic YWxpY2U6aHVudGVyMg==")))
        XCTAssertEqual(redactor.fingerprintHeader(CredentialHeader(name: "Authorization", value: "Bearer abc")), redactor.fingerprint("abc"))
    }

    func testFreeTextRedaction() {
        let line = #"203.0.113.9 - - [29/Nov/2026:10:00:00 +0000] "GET /cb?access_token=eyJraWQiOi.SECRET1&state=ok HTTP/1.1" 2OO"#
        let out = redactor.redactText(line)
        XCTAssertFalse(out.contains("eyJraWQiOi.SECRET1"), out)
        XCTAssertTrue(out.contains("access_token=[\(redactor.fingerprint("eyJraWQiOi.SECRET1"))]&state=ok HTTP/1.1\" 2OO"), out)
        let json = #"{"user":"bob","password":"hunter2","headers":{"Authorization":"Bearer tok-SECRET2","x-api-key": "SECRET3"}}"#
        let redactedJSON = redactor.redactText(json)
        for secret in ["hunter2", "tok-SECRET2", "SECRET3"] { XCTAssertFalse(redactedJSON.contains(secret), redactedJSON) }
        XCTAssertTrue(redactedJSON.contains(#""password":"[redacted password]""#), redactedJSON)
        XCTAssertTrue(redactedJSON.contains(#""user":"bob""#), redactedJSON)
        let header = redactor.redactText("Authorization: Bearer tok-SECRET4 next")
        XCTAssertEqual(header, "Authorization: [\(redactor.fingerprint("Bearer tok-SECRET4"))] next")
        XCTAssertEqual(redactor.redactText("nothing=here, at all"), "nothing=here, at all")
    }
}
