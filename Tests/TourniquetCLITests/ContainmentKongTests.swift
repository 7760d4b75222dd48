import Foundation
import TourniquetTestSupport
import XCTest

/// Containment on Kong, which cannot run here: `tourniquet apply --gateway kong` against a stand-in
/// for the Admin API that speaks its documented request shapes (FakeKongAdmin), and the partial
/// decK file checked as text.
final class ContainmentKongTests: XCTestCase {
    private let dir = TemporaryDirectory("tourniquet-kong")
    private var casePath: String { dir.file("case.tq") }
    private var kong: FakeKongAdmin!

    private let deck = """
        _format_version: "3.0"
        services:
        - name: shop-api
          url: http://shop-backend.internal:8080
          routes:
          - name: shop-api-v1
            paths:
            - /v1
        consumers:
        - username: partner-sync
          custom_id: partner-42
          tags:
          - contact:security@partner.example
          keyauth_credentials:
          - id: 5f0c1a6e-0000-4000-8000-000000000001
            key: partner-key-123

        """

    override func setUpWithError() throws {
        kong = try FakeKongAdmin(consumers: ["partner-sync"], services: ["shop-api"])
        try run("new", casePath, "--title", "kong")
        try deck.write(toFile: dir.file("kong.yaml"), atomically: true, encoding: .utf8)
        try run("gateway", "import", casePath, dir.file("kong.yaml"))
    }

    @discardableResult
    private func run(_ arguments: String...) throws -> ProcessResult {
        let result = try ProcessRunner.run(TestPaths.executable("tourniquet"), arguments + ["--actor", "tester"])
        XCTAssertEqual(result.status, 0, "\(arguments): \(result.stdout) \(result.stderr)")
        return result
    }

    private func apply() throws -> ProcessResult {
        try ProcessRunner.tourniquet(
            "apply", casePath, "--gateway", "kong", "--out", dir.path, "--admin-url", kong.baseURL, "--reason", "contain", "--actor", "tester")
    }

    private func states() throws -> [String] {
        let list = try ProcessRunner.tourniquet("contain", casePath, "list", "--json")
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        return entries.compactMap { $0["state"] as? String }
    }

    func testMeasuresBecomeTaggedKongEntitiesAndUndoRemovesThem() throws {
        try run("contain", casePath, "block-ip", "203.0.113.7", "--reason", "stuffing source")
        try run("contain", casePath, "block-key", "partner-sync", "--reason", "leaked key")
        try run("contain", casePath, "disable-endpoint", "GET /v1/orders/{id}", "--status", "410", "--reason", "BOLA")
        let applied = try apply()
        XCTAssertEqual(applied.status, 0, applied.stderr)
        XCTAssertEqual(try states(), ["verified", "verified", "verified"])

        let restriction = try XCTUnwrap(kong.allPlugins.first { $0["name"] as? String == "ip-restriction" })
        XCTAssertEqual((restriction["config"] as? [String: Any])?["deny"] as? [String], ["203.0.113.7/32"])
        XCTAssertTrue((restriction["tags"] as? [String] ?? []).contains("tourniquet"))
        let consumerBlock = try XCTUnwrap(kong.allPlugins.first { $0["consumer"] is [String: Any] })
        XCTAssertEqual((consumerBlock["config"] as? [String: Any])?["status_code"] as? Int, 403)
        let route = try XCTUnwrap(kong.allRoutes.first)
        XCTAssertEqual(route["paths"] as? [String], ["~/v1/orders/[^/]+$"])
        XCTAssertEqual(route["methods"] as? [String], ["GET"])
        let termination = try XCTUnwrap(kong.allPlugins.first { $0["route"] is [String: Any] })
        XCTAssertEqual((termination["config"] as? [String: Any])?["status_code"] as? Int, 410)
        for request in kong.log where request.body != nil { XCTAssertEqual(request.contentType, "application/json") }

        let deckFile = try String(contentsOfFile: dir.file("tourniquet-kong.yaml"), encoding: .utf8)
        XCTAssertTrue(deckFile.contains("select_tags:\n  - tourniquet\n  - tq-case-"), deckFile)
        XCTAssertTrue(deckFile.contains("    deny:\n    - \"203.0.113.7/32\""), deckFile)
        XCTAssertTrue(deckFile.contains("  consumer: \"partner-sync\""), deckFile)
        XCTAssertFalse(deckFile.contains("partner-key-123"))
        let rotation = try String(contentsOfFile: dir.file("tourniquet-kong-rotation.txt"), encoding: .utf8)
        XCTAssertEqual(rotation, "DELETE /consumers/partner-sync/key-auth/5f0c1a6e-0000-4000-8000-000000000001\n")

        // Undo the address and the endpoint: their entities go, found by tag; the key block stays.
        let list = try ProcessRunner.tourniquet("contain", casePath, "list", "--json")
        let ids = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]).compactMap { $0["id"] as? Int }
        try run("contain", casePath, "undo", "\(ids[0])", "--reason", "wrong address")
        try run("contain", casePath, "undo", "\(ids[2])", "--reason", "fixed")
        XCTAssertEqual(try apply().status, 0)
        XCTAssertNil(kong.allPlugins.first { $0["name"] as? String == "ip-restriction" })
        XCTAssertEqual(kong.allRoutes.count, 0)
        XCTAssertNil(kong.allPlugins.first { $0["route"] is [String: Any] }, "the route's plugin went with it")
        XCTAssertEqual(kong.allPlugins.count, 1)
        XCTAssertEqual(try states(), ["undone", "verified", "undone"])

        // Another operator deletes the key block: the next apply puts it back.
        kong.deletePlugins { $0["consumer"] is [String: Any] }
        XCTAssertEqual(try apply().status, 0)
        XCTAssertNotNil(kong.allPlugins.first { $0["consumer"] is [String: Any] })
    }

    /// revoke-token on Kong: a client's tokens are denied through its consumer (401); a subject's
    /// cannot be (Kong's jwt plugin keeps no deny list), and the apply says so and leaves it pending.
    func testRevokedTokensAreDeniedThroughTheConsumer() throws {
        try run("contain", casePath, "revoke-token", "--consumer", "partner-sync", "--reason", "client secret leaked")
        try run("contain", casePath, "revoke-token", "--subject", "alice", "--reason", "session stolen")
        let applied = try apply()
        XCTAssertEqual(applied.status, 0, applied.stderr)
        XCTAssertTrue(applied.stdout.contains("left out #4: Kong's jwt plugin keeps no deny list"), applied.stdout)
        let block = try XCTUnwrap(kong.allPlugins.first { $0["consumer"] is [String: Any] })
        XCTAssertEqual((block["config"] as? [String: Any])?["status_code"] as? Int, 401)
        XCTAssertEqual(try states(), ["verified", "pending"])
    }

    func testKongsRefusalIsRecordedAsAFailure() throws {
        kong = try FakeKongAdmin(consumers: [], services: ["shop-api"])
        try run("contain", casePath, "block-key", "partner-sync", "--reason", "leaked key")
        let failed = try apply()
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("404"), failed.stderr)
        XCTAssertEqual(try states(), ["failed"])
        let timeline = try ProcessRunner.tourniquet("timeline", casePath, "--json")
        XCTAssertTrue(timeline.stdout.contains("containment.failed"))
    }
}
