import XCTest

@testable import TourniquetModel

/// An apply's intent records its target so that the console can repeat the apply: every kind of
/// target comes back the same from its record.
final class GatewayTargetDetailsTests: XCTestCase {
    func testEveryTargetComesBackFromItsRecord() {
        let targets: [GatewayTarget] = [
            .nginx(
                NginxTarget(
                    confDir: "/etc/nginx/tq", reload: true, command: ["nginx", "-p", "/srv/p", "-c", "nginx.conf"], keyHeader: "X-Key",
                    keyValuesPath: "/secure/keys.txt", probeURL: "http://127.0.0.1:8080")),
            .nginx(NginxTarget(confDir: "/etc/nginx/tq", reload: false)),
            .kong(KongTarget(outDir: "/tmp/deck", adminURL: "http://127.0.0.1:8001")),
            .kong(KongTarget(outDir: nil, adminURL: "http://127.0.0.1:8001")),
            .aws(AWSTarget(outDir: "/tmp/aws", scope: "CLOUDFRONT", region: "us-east-1", ipv4Set: "block:abc", ipv6Set: nil)),
            .oauth(
                OAuthTarget(
                    endpoint: "https://idp/revoke", clientID: "ops", clientSecretPath: "/secure/s", tokensPath: "/tmp/t",
                    tokenTypeHint: "refresh_token")),
            .cloudflare(
                CloudflareTarget(
                    mode: .accessRules, accountID: nil, zoneID: "z1", outDir: nil, apply: true, apiTokenPath: "/secure/cf",
                    apiBase: "http://127.0.0.1:9",
                    callsPerFiveMinutes: 600)),
        ]
        for target in targets {
            XCTAssertEqual(GatewayTarget(details: target.details), target, "\(target.details.canonicalJSON)")
            let reread = JSONLineReader.parse(target.details.canonicalJSON)
            XCTAssertEqual(try reread.get().canonicalJSON, target.details.canonicalJSON)
        }
        XCTAssertNil(GatewayTarget(details: .fields(["gateway": "nginx"])), "a record without its directory")
        XCTAssertNil(GatewayTarget(details: .fields(["gateway": "f5"])))
        XCTAssertFalse(targets[5].details.canonicalJSON.contains("secret\":\"s"), "paths only, never a secret")
    }
}
