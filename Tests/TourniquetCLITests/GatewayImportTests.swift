import Foundation
import TourniquetTestSupport
import XCTest

/// `tourniquet gateway import` on real decK files (from decK's own test data, in Tests/Fixtures):
/// the neutral model holds consumers, credentials and policies, and no secret in the clear.
final class GatewayImportTests: XCTestCase {
    private let dir = TemporaryDirectory("tourniquet-gateway")
    private var casePath: String { dir.file("case.tq") }
    private func fixture(_ name: String) -> String { TestPaths.fixtures.appendingPathComponent("gateway/\(name)").path }

    override func setUpWithError() throws {
        XCTAssertEqual(try ProcessRunner.tourniquet("new", casePath, "--title", "gateway").status, 0)
    }

    func testADeckFileBecomesTheModelWithFingerprintsOnly() throws {
        let imported = try ProcessRunner.tourniquet("gateway", "import", casePath, fixture("deck-sync_046-consumer-credentials_creds-initial.yaml"))
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("1 consumers, 4 credentials"), imported.stdout)
        let shown = try ProcessRunner.tourniquet("gateway", "show", casePath, "--json")
        let model = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let credentials = try XCTUnwrap(model["credentials"] as? [[String: Any]])
        XCTAssertEqual(Set(credentials.compactMap { $0["kind"] as? String }), ["key-auth", "jwt", "basic-auth", "hmac-auth"])
        for secret in [
            "iwb6Djkk4HhUlOCmLilDIKh6nZrn90ts", "6gkrxTKAraykMSpmnLNEGiEE3Yz8XL6U", "1aa4ed9059d4d97bf4575aad4ea2058d6e5e8f35",
            "yeNZBeqCuk0D3H85VX77Umacf91MwqRo",
        ] {
            XCTAssertFalse(shown.stdout.contains(secret), "a secret in the clear")
            let timeline = try ProcessRunner.tourniquet("timeline", casePath, "--json")
            XCTAssertFalse(timeline.stdout.contains(secret))
        }
        // The key's fingerprint is the one `tourniquet fingerprint` gives for the value a responder holds.
        let fingerprint = try ProcessRunner.tourniquet("fingerprint", casePath, stdin: Data("iwb6Djkk4HhUlOCmLilDIKh6nZrn90ts\n".utf8))
        let fp = fingerprint.stdout.split(separator: ":").prefix(2).joined(separator: ":")
        let keyAuth = try XCTUnwrap(credentials.first { $0["kind"] as? String == "key-auth" })
        XCTAssertEqual(keyAuth["fingerprint"] as? String, fp)
        XCTAssertEqual(keyAuth["consumer"] as? String, "c1")

        // Blocking the consumer blocks its key, found through the gateway state.
        let block = try ProcessRunner.tourniquet("contain", casePath, "block-key", "c1", "--reason", "leaked")
        XCTAssertEqual(block.status, 0, block.stderr)
        XCTAssertTrue(block.stdout.contains("block key \(fp) (c1)"), block.stdout)
    }

    func testPoliciesKeepWhatMattersAndNotThePluginsSecrets() throws {
        XCTAssertEqual(try ProcessRunner.tourniquet("gateway", "import", casePath, fixture("deck-kong2kic_input.yaml"), "--kind", "kong").status, 1)
        let restriction = try ProcessRunner.tourniquet(
            "gateway", "import", casePath, fixture("deck-diff_004-no-diff-plugin_initial-ip-restriction.yaml"))
        XCTAssertEqual(restriction.status, 0, restriction.stderr)
        let shown = try ProcessRunner.tourniquet("gateway", "show", casePath)
        XCTAssertTrue(shown.stdout.contains("policy ip-restriction on service:mockbin {\"allow\":[\"192.168.0.1/24\"]}"), shown.stdout)
    }

    func testBadFilesAreRefusedWithWhereAndWhy() throws {
        let version = dir.file("version.yaml")
        try "services: []\n_format_version: \"9.9\"\n".write(toFile: version, atomically: true, encoding: .utf8)
        let refused = try ProcessRunner.tourniquet("gateway", "import", casePath, version)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("version.yaml:2: _format_version '9.9'"), refused.stderr)

        let broken = dir.file("broken.yaml")
        try "_format_version: \"3.0\"\nservices: [\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let syntax = try ProcessRunner.tourniquet("gateway", "import", casePath, broken)
        XCTAssertNotEqual(syntax.status, 0)
        XCTAssertTrue(syntax.stderr.contains("line 3"), syntax.stderr)

        let laughs = dir.file("laughs.yaml")
        var bomb = "_format_version: \"3.0\"\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n"
        for level in 1...9 {
            bomb += "l\(level): &l\(level) [" + Array(repeating: level == 1 ? "*a" : "*l\(level - 1)", count: 10).joined(separator: ",") + "]\n"
        }
        try bomb.write(toFile: laughs, atomically: true, encoding: .utf8)
        let bombed = try ProcessRunner.tourniquet("gateway", "import", casePath, laughs)
        XCTAssertNotEqual(bombed.status, 0)
        XCTAssertTrue(bombed.stderr.contains("refused"), bombed.stderr)
    }
}
