import Foundation
import TourniquetEngine
import TourniquetSimulation
import TourniquetTestSupport
import XCTest

@testable import TourniquetStore

/// No raw credential survives an ingest on any path: stored requests, malformed samples, the
/// ingest report (text and JSON), the timeline, or an error message.
final class IngestSecretsTests: XCTestCase {
    static let secrets = ["eyJhbGciOi.TOKEN-ONE", "hunter2-pw", "sk_live_ARRAY9", "sk_live_MATRIX7", "sk_live_SEMI5"]

    func assertNoSecret(_ text: String, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        for secret in Self.secrets { XCTAssertFalse(text.contains(secret), "\(label) shows \(secret): \(text)", file: file, line: line) }
    }

    func testMalformedSamplesAreRedactedOnEveryPath() throws {
        let fixture = try IngestFixture()
        let good = #"203.0.113.9 - - [29/Nov/2026:10:00:00 +0000] "GET /ok HTTP/1.1" 200 5 "-" "curl""#
        let lines = [
            good,
            // A bad status makes these malformed; each still carries a secret.
            #"203.0.113.9 - - [29/Nov/2026:10:00:01 +0000] "GET /cb?access_token=eyJhbGciOi.TOKEN-ONE&x=1 HTTP/1.1" 2OO 5"#,
            #"{"path":"/login","password":"hunter2-pw","status":"nope"}"#,
            #"203.0.113.9 - - [29/Nov/2026:10:00:02 +0000] "GET /x?api_key[]=sk_live_ARRAY9 HTTP/1.1" 20x 5"#,
        ]
        let log = fixture.write("secrets.log", lines.joined(separator: "\n") + "\n")
        let text = try fixture.ingest(log, "--format", "combined")
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("4 lines: 1 parsed, 3 malformed"), text.stdout)
        XCTAssertTrue(text.stdout.contains("access_token=[fp:"), "the sample is still shown, redacted: \(text.stdout)")
        XCTAssertTrue(
            text.stdout.contains(#"\"password\":\"[redacted password]\""#) || text.stdout.contains(#""password":"[redacted password]""#), text.stdout)
        assertNoSecret(text.stdout + text.stderr, "ingest output")

        let record = try XCTUnwrap(try fixture.open().evidence().first)
        XCTAssertEqual(record.malformedSamples.map(\.line), [2, 3, 4])
        XCTAssertTrue(record.malformedSamples[2].text.contains("api_key[]=[fp:"), record.malformedSamples[2].text)
        assertNoSecret(record.malformedSamples.map(\.text).joined(separator: "\n"), "stored samples")
        assertNoSecret(try ProcessRunner.tourniquet("timeline", fixture.casePath).stdout, "timeline")

        // The same lines through --json, and through the unknown-format error (no case key yet).
        let again = fixture.write("secrets2.log", lines.joined(separator: "\n") + "\n\n")
        let json = try fixture.ingest(again, "--format", "combined", "--json")
        XCTAssertEqual(json.status, 0, json.stderr)
        assertNoSecret(json.stdout + json.stderr, "ingest --json")
        let unknown = try fixture.ingest(fixture.write("odd.log", "GET /cb?access_token=eyJhbGciOi.TOKEN-ONE now\nsecond line\n"))
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("access_token=[fp:"), unknown.stderr)
        assertNoSecret(unknown.stdout + unknown.stderr, "unknown-format error")
    }

    func testArrayAndMatrixParametersAreRedactedInStoredRequests() throws {
        let fixture = try IngestFixture()
        let log = fixture.write(
            "params.log",
            [
                #"203.0.113.9 - - [29/Nov/2026:10:00:00 +0000] "GET /v1/items?api_key[]=sk_live_ARRAY9 HTTP/1.1" 200 5 "-" "curl""#,
                #"203.0.113.9 - - [29/Nov/2026:10:00:01 +0000] "GET /v1/items;api_key=sk_live_MATRIX7/7 HTTP/1.1" 200 5 "-" "curl""#,
                #"203.0.113.9 - - [29/Nov/2026:10:00:02 +0000] "GET /v1/items?a=1;API_KEY=sk_live_SEMI5 HTTP/1.1" 200 5 "-" "curl""#,
                #"203.0.113.9 - - [29/Nov/2026:10:00:03 +0000] "GET /login?user=bob&password=hunter2-pw HTTP/1.1" 200 5 "-" "curl""#,
            ].joined(separator: "\n"))
        let result = try fixture.ingest(log, "--format", "combined")
        XCTAssertEqual(result.status, 0, result.stderr)
        let rows = try fixture.open().requests()
        XCTAssertEqual(rows.count, 4)
        for row in rows {
            assertNoSecret([row.path, row.route, row.query ?? "", row.apiKey ?? ""].joined(separator: " "), "request \(row.line)")
            XCTAssertTrue(row.flags.contains(.credentialRedacted), "line \(row.line)")
        }
        XCTAssertEqual(rows[0].query?.hasPrefix("api_key[]=[fp:"), true, rows[0].query ?? "")
        XCTAssertTrue(rows[1].path.hasPrefix("/v1/items;api_key=[fp:"), rows[1].path)
        XCTAssertEqual(rows[2].query?.hasPrefix("a=1;API_KEY=[fp:"), true, rows[2].query ?? "")
        XCTAssertEqual(rows[3].query, "user=bob&password=[redacted password]", "a password gets a marker, not a fingerprint")
        XCTAssertEqual(Set(rows.prefix(3).compactMap(\.apiKey)).count, 3, "each key's fingerprint is the request's key")
        XCTAssertNil(rows[3].apiKey)
    }
    func testOpenAPICredentialsAreRedactedBeforeStoring() throws {
        let fixture = try IngestFixture()
        let spec = fixture.write(
            "openapi.yaml",
            """
            openapi: 3.0.3
            info: {title: Accounts, version: "1"}
            servers:
              - url: https://deploy:S3rv3rPassw0rd@api.example.com/api/v2?api_key=sk_live_SERVERKEY1
              - url: https://{env}.example.com/api/v2
                variables:
                  env: {default: prod}
                  password: {default: VarPassw0rd}
            paths:
              /accounts/{accountId}:
                get:
                  parameters:
                    - {name: Authorization, in: header, schema: {type: string}, example: "Bearer eyJhbGciOiJIUzI1NiJ9.HEADERTOKEN"}
                    - name: api_key
                      in: query
                      schema: {type: string}
                      examples:
                        live: {summary: a live key, value: sk_live_EXAMPLEKEY2}
                  responses: {"200": {description: ok}}
              /login:
                post:
                  requestBody:
                    content:
                      application/json:
                        schema:
                          type: object
                          properties:
                            username: {type: string, example: alice}
                            password: {type: string, format: password, example: BodyPassw0rd}
                        example: {username: alice, password: BodyPassw0rd, client_secret: cs_EXAMPLESECRET3}
                  responses: {"200": {description: ok}}
            """)
        let log = fixture.write("api.log", #"203.0.113.9 - - [29/Nov/2026:10:00:00 +0000] "GET /api/v2/accounts/77 HTTP/1.1" 200 5 "-" "x""#)
        let result = try fixture.ingest(log, "--openapi", spec)
        XCTAssertEqual(result.status, 0, result.stderr)
        let stored = try XCTUnwrap(try fixture.open().gatewayState(kind: "openapi").first)
        for secret in [
            "S3rv3rPassw0rd", "sk_live_SERVERKEY1", "VarPassw0rd", "HEADERTOKEN", "sk_live_EXAMPLEKEY2", "BodyPassw0rd", "cs_EXAMPLESECRET3",
        ] {
            XCTAssertFalse(stored.content.contains(secret), "\(secret) stored: \(stored.content)")
        }
        XCTAssertTrue(stored.content.contains("https://deploy:[redacted password]@api.example.com/api/v2?api_key=[fp:"), stored.content)
        XCTAssertTrue(stored.content.contains("alice"), "non-secret examples are kept")
        XCTAssertTrue(
            stored.content.contains("\"format\" : \"password\"") || stored.content.contains("\"format\":\"password\""), "schema words are not secrets"
        )
        // Scope reads the stored copy: it still gives the same routes and base paths.
        let reread = try OpenAPILoader.parse(stored.content, path: stored.path)
        XCTAssertEqual(reread.paths, ["/accounts/{accountId}", "/login"])
        XCTAssertEqual(reread.basePaths, ["/api/v2"])
        XCTAssertEqual(try fixture.open().requests().map(\.route), ["/accounts/{accountId}"])
    }
}
