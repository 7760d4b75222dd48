import Foundation
import TourniquetTestSupport
import XCTest

/// Containment on Cloudflare, which no test may reach: `tourniquet apply --gateway cloudflare`
/// against a stand-in that speaks the documented API (FakeCloudflare: asynchronous list
/// operations, the zone's custom-rules entry point, IP Access Rules, paging, 429s), and the
/// written script run with the real curl and jq against the same stand-in.
final class ContainmentCloudflareTests: XCTestCase {
    private let dir = TemporaryDirectory("tourniquet-cloudflare")
    private var casePath: String { dir.file("case.tq") }
    private var cloudflare: FakeCloudflare!

    override func setUpWithError() throws {
        cloudflare = try FakeCloudflare()
        try run("new", casePath, "--title", "cloudflare")
        try "\(cloudflare.token)\n".write(toFile: dir.file("token"), atomically: true, encoding: .utf8)
    }

    @discardableResult
    private func run(_ arguments: String...) throws -> ProcessResult {
        let result = try ProcessRunner.run(TestPaths.executable("tourniquet"), arguments + ["--actor", "tester"])
        XCTAssertEqual(result.status, 0, "\(arguments): \(result.stdout) \(result.stderr)")
        return result
    }

    private func apply(_ extra: String...) throws -> ProcessResult {
        try ProcessRunner.run(
            TestPaths.executable("tourniquet"),
            [
                "apply", casePath, "--gateway", "cloudflare", "--account", cloudflare.account, "--zone", cloudflare.zone, "--apply",
                "--api-token-file", dir.file("token"), "--api-url", cloudflare.baseURL, "--reason", "contain", "--actor", "tester",
            ] + extra)
    }

    private func entries() throws -> [[String: Any]] {
        let list = try ProcessRunner.tourniquet("contain", casePath, "list", "--json")
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
    }

    private func states() throws -> [String] { try entries().compactMap { $0["state"] as? String } }

    func testListModeBlocksThroughTheCasesListAndOneRuleAndUndoTakesTheItemOut() throws {
        try run("contain", casePath, "block-ip", "203.0.113.7", "--reason", "stuffing source")
        try run("contain", casePath, "block-ip", "198.51.100.0/24", "--reason", "scraper range")
        try run("contain", casePath, "block-ip", "2001:db8::1", "--reason", "IPv6 prober")
        try run("contain", casePath, "disable-endpoint", "GET /v1/orders/{id}", "--status", "410", "--reason", "BOLA")
        XCTAssertFalse(cloudflare.blocks("203.0.113.7"))

        let applied = try apply("--out", dir.path)
        XCTAssertEqual(applied.status, 0, applied.stderr)
        XCTAssertTrue(
            applied.stdout.contains("note: #4: Cloudflare lists hold IPv6 as /64 at the narrowest, so 2001:db8::1/128 is blocked as 2001:db8::/64"),
            applied.stdout)
        XCTAssertTrue(applied.stdout.contains("left out #5: Cloudflare blocks addresses here"), applied.stdout)
        XCTAssertEqual(try states(), ["verified", "verified", "verified", "pending"])
        XCTAssertTrue(cloudflare.blocks("203.0.113.7"))
        XCTAssertTrue(cloudflare.blocks("198.51.100.200"))
        XCTAssertTrue(cloudflare.blocks("2001:db8::ffff"))
        XCTAssertFalse(cloudflare.blocks("203.0.113.8"))
        XCTAssertEqual(cloudflare.customRules.count, 1)
        let expression = try XCTUnwrap(cloudflare.customRules.first?["expression"] as? String)
        XCTAssertTrue(expression.hasPrefix("ip.src in $tourniquet_"), expression)
        // Items are added in one call and followed to completion, never one call per address.
        XCTAssertEqual(cloudflare.log.filter { $0.hasPrefix("POST") && $0.hasSuffix("/items") }.count, 1)
        XCTAssertTrue(cloudflare.log.contains { $0.contains("/bulk_operations/") })
        XCTAssertFalse(cloudflare.log.contains { $0.contains(cloudflare.token) })

        let ids = try entries().compactMap { $0["id"] as? Int }
        try run("contain", casePath, "undo", "\(ids[0])", "--reason", "shared office address")
        XCTAssertEqual(try apply().status, 0)
        XCTAssertFalse(cloudflare.blocks("203.0.113.7"))
        XCTAssertTrue(cloudflare.blocks("198.51.100.1"))
        XCTAssertEqual(cloudflare.customRules.count, 1, "the rule is found by its ref, not added twice")
        XCTAssertEqual(try states(), ["undone", "verified", "verified", "pending"])

        let timeline = try ProcessRunner.tourniquet("timeline", casePath, "--json")
        XCTAssertTrue(timeline.stdout.contains("containment.verified"))
        XCTAssertTrue(timeline.stdout.contains("removed 1 items"), timeline.stdout)
    }

    /// The legacy path: one access rule per address, tagged in its notes; a rule someone made by
    /// hand for the same zone is never touched, and a range access rules cannot hold is left out.
    func testAccessRulesAreTaggedAndOnlyTheCasesAreRemoved() throws {
        cloudflare.addForeignAccessRule(value: "192.0.2.1", notes: "blocked by hand last week")
        for address in ["203.0.113.7", "203.0.113.9", "198.51.100.0/24", "198.51.100.0/23", "2001:db8::7"] {
            try run("contain", casePath, "block-ip", address, "--reason", "campaign source")
        }
        let applied = try apply("--mode", "access-rules")
        XCTAssertEqual(applied.status, 0, applied.stderr)
        XCTAssertTrue(applied.stdout.contains("left out #5: IP Access Rules take IPv4 ranges of /16 or /24"), applied.stdout)
        XCTAssertEqual(cloudflare.blockingAccessRules, ["192.0.2.1", "198.51.100.0/24", "2001:db8::7", "203.0.113.7", "203.0.113.9"])
        XCTAssertEqual(try states(), ["verified", "verified", "verified", "pending", "verified"])

        let ids = try entries().compactMap { $0["id"] as? Int }
        try run("contain", casePath, "undo", "\(ids[1])", "--reason", "a customer's address")
        XCTAssertEqual(try apply("--mode", "access-rules").status, 0)
        XCTAssertEqual(cloudflare.blockingAccessRules, ["192.0.2.1", "198.51.100.0/24", "2001:db8::7", "203.0.113.7"])
        XCTAssertTrue(cloudflare.blocks("192.0.2.1"), "the hand-made rule stays")
    }

    func testA429IsWaitedOutAndABadTokenIsRecordedAsAFailure() throws {
        try run("contain", casePath, "block-ip", "203.0.113.7", "--reason", "stuffing source")
        cloudflare.throttleNext(1)
        let applied = try apply()
        XCTAssertEqual(applied.status, 0, applied.stderr)
        XCTAssertTrue(cloudflare.blocks("203.0.113.7"))

        try "not-the-token\n".write(toFile: dir.file("token"), atomically: true, encoding: .utf8)
        try run("contain", casePath, "block-ip", "203.0.113.9", "--reason", "second source")
        let failed = try apply()
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("10000 Authentication error"), failed.stderr)
        XCTAssertEqual(try states(), ["verified", "failed"])
        XCTAssertFalse(cloudflare.blocks("203.0.113.9"))
    }

    /// The script the responder runs when Tourniquet cannot reach Cloudflare makes the same change.
    func testTheWrittenScriptsMakeTheSameChangeWithCurlAndJq() throws {
        for tool in ["curl", "jq"] { try TestPaths.require(TestPaths.which(tool) != nil, tool) }
        try run("contain", casePath, "block-ip", "203.0.113.7", "--reason", "stuffing source")
        try run("contain", casePath, "block-ip", "198.51.100.0/24", "--reason", "scraper range")
        let environment = ProcessInfo.processInfo.environment.merging(
            ["CLOUDFLARE_API_TOKEN": cloudflare.token, "CLOUDFLARE_API": cloudflare.baseURL]) { $1 }
        for mode in ["list", "access-rules"] {
            let out = dir.file(mode)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try run(
                "apply", casePath, "--gateway", "cloudflare", "--mode", mode, "--account", cloudflare.account, "--zone", cloudflare.zone, "--out",
                out, "--reason", "script")
            let script = try ProcessRunner.run("/bin/bash", [out + "/tourniquet-cloudflare.sh"], environment: environment)
            XCTAssertEqual(script.status, 0, "\(mode): \(script.stdout) \(script.stderr)")
        }
        XCTAssertEqual(cloudflare.listItems, ["198.51.100.0/24", "203.0.113.7"])
        XCTAssertEqual(cloudflare.blockingAccessRules, ["198.51.100.0/24", "203.0.113.7"])
        XCTAssertTrue(cloudflare.blocks("198.51.100.3"))

        // Run again after an undo: the list script replaces the items, the rules script deletes by tag.
        let ids = try entries().compactMap { $0["id"] as? Int }
        try run("contain", casePath, "undo", "\(ids[0])", "--reason", "wrong address")
        for mode in ["list", "access-rules"] {
            let out = dir.file(mode)
            try run(
                "apply", casePath, "--gateway", "cloudflare", "--mode", mode, "--account", cloudflare.account, "--zone", cloudflare.zone, "--out",
                out, "--reason", "script")
            let script = try ProcessRunner.run("/bin/bash", [out + "/tourniquet-cloudflare.sh"], environment: environment)
            XCTAssertEqual(script.status, 0, "\(mode): \(script.stdout) \(script.stderr)")
        }
        XCTAssertEqual(cloudflare.listItems, ["198.51.100.0/24"])
        XCTAssertEqual(cloudflare.blockingAccessRules, ["198.51.100.0/24"])
        XCTAssertEqual(cloudflare.customRules.count, 1)
    }
}
