import Foundation
import TourniquetTestSupport
import XCTest

/// revoke-token: RFC 7009 requests to a stand-in revocation endpoint for the tokens the measures
/// select (and only those), with Basic client authentication; the gateway side on Kong and nginx.
final class TokenRevocationTests: XCTestCase {
    private let dir = TemporaryDirectory("tourniquet-oauth")
    private var casePath: String { dir.file("case.tq") }

    private final class Received: @unchecked Sendable {
        let lock = NSLock()
        var requests: [TinyHTTPServer.Request] = []
    }

    /// An unsigned JWT with these claims (the signature is never checked: the tokens are the responder's own).
    private func jwt(_ claims: [String: Any]) throws -> String {
        func encode(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        return encode(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "." + encode(try JSONSerialization.data(withJSONObject: claims)) + ".c2ln"
    }

    func testSelectedTokensAreRevokedWithClientAuthenticationAndNeverRecorded() throws {
        let received = Received()
        let server = try TinyHTTPServer { request in
            received.lock.withLock { received.requests.append(request) }
            return (200, Data())
        }
        XCTAssertEqual(try ProcessRunner.tourniquet("new", casePath, "--title", "tokens").status, 0)
        let stolen = try jwt(["jti": "a-1", "sub": "alice", "iat": 1_764_500_000])
        let aliceOld = try jwt(["jti": "a-2", "sub": "alice", "iat": 1_764_400_000])
        let aliceNew = try jwt(["jti": "a-3", "sub": "alice", "iat": 1_764_600_000])
        let bob = try jwt(["jti": "b-1", "sub": "bob", "iat": 1_764_400_000])
        try [stolen, aliceOld, aliceNew, bob, "opaque-token-value"].joined(separator: "\n").write(
            toFile: dir.file("tokens.txt"), atomically: true, encoding: .utf8)
        try "s3cret:with&symbols\n".write(toFile: dir.file("secret.txt"), atomically: true, encoding: .utf8)

        for arguments in [
            ["--jti", "a-1"], ["--subject", "alice", "--issued-before", "2025-11-30T00:00:00Z"],
        ] {
            let planned = try ProcessRunner.run(
                TestPaths.executable("tourniquet"),
                ["contain", casePath, "revoke-token"] + arguments + ["--reason", "stolen session", "--for", "1h"])
            XCTAssertEqual(planned.status, 0, planned.stderr)
        }
        let both = try ProcessRunner.tourniquet("contain", casePath, "revoke-token", "--jti", "x", "--subject", "y", "--reason", "r")
        XCTAssertNotEqual(both.status, 0, "one selector at a time")

        let applied = try ProcessRunner.tourniquet(
            "apply", casePath, "--gateway", "oauth", "--revocation-endpoint", server.baseURL + "/oauth2/revoke", "--client-id", "console app",
            "--client-secret-file", dir.file("secret.txt"), "--tokens", dir.file("tokens.txt"))
        XCTAssertEqual(applied.status, 0, applied.stderr)
        let requests = received.lock.withLock { received.requests }
        let bodies = requests.map { String(decoding: $0.body, as: UTF8.self) }
        XCTAssertEqual(requests.count, 2, "the stolen token and alice's older one; not her newer one, bob's or the opaque one")
        XCTAssertTrue(bodies.contains("token=\(stolen.replacingOccurrences(of: "=", with: "%3D"))&token_type_hint=access_token"), "\(bodies)")
        for request in requests {
            XCTAssertEqual(request.method, "POST")
            XCTAssertEqual(request.target, "/oauth2/revoke")
            XCTAssertEqual(request.headers["content-type"], "application/x-www-form-urlencoded")
            let expected = "Basic " + Data("console%20app:s3cret%3Awith%26symbols".utf8).base64EncodedString()
            XCTAssertEqual(request.headers["authorization"], expected)
        }
        let timeline = try ProcessRunner.tourniquet("timeline", casePath, "--json").stdout
        for secret in [stolen, aliceOld, "s3cret"] { XCTAssertFalse(timeline.contains(secret), "a secret in the timeline") }
        let list = try ProcessRunner.tourniquet("contain", casePath, "list", "--json")
        let states = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]).compactMap {
            $0["state"] as? String
        }
        XCTAssertEqual(states, ["applied", "applied"], "RFC 7009 answers 200 for unknown tokens too: applied, never verified")
    }

    func testTheGatewaysSayWhatTheyCannotDeny() throws {
        XCTAssertEqual(try ProcessRunner.tourniquet("new", casePath, "--title", "tokens").status, 0)
        XCTAssertEqual(
            try ProcessRunner.tourniquet("contain", casePath, "revoke-token", "--subject", "alice", "--reason", "stolen session").status, 0)
        let conf = dir.file("conf")
        try FileManager.default.createDirectory(atPath: conf, withIntermediateDirectories: true)
        let nginx = try ProcessRunner.tourniquet("apply", casePath, "--gateway", "nginx", "--conf-dir", conf)
        XCTAssertEqual(nginx.status, 0, nginx.stderr)
        XCTAssertTrue(nginx.stdout.contains("left out #2: nginx cannot read a token's claims"), nginx.stdout)
        let list = try ProcessRunner.tourniquet("contain", casePath, "list")
        XCTAssertTrue(list.stdout.contains("#2\tpending"), "still to be done elsewhere: \(list.stdout)")
    }
}
