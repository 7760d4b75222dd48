import Foundation
import TourniquetTestSupport
import XCTest

/// Containment against a real nginx on 127.0.0.1, changed only through `tourniquet contain` and
/// `tourniquet apply`, and checked with real requests from other loopback addresses.
final class ContainmentNginxTests: XCTestCase {
    private var dir: TemporaryDirectory!
    private var nginx: TestNginx!
    private var casePath: String { dir.file("case.tq") }
    private let leakedKey = "k3y-Leaked.value+1/x="
    private let otherKey = "k3y-other"

    override func setUpWithError() throws {
        dir = TemporaryDirectory("tourniquet-contain")
        nginx = try TestNginx()
        try ok(ProcessRunner.tourniquet("new", casePath, "--title", "containment test", "--actor", "tester"))
        // A little evidence, so the what-if has something to replay.
        let log =
            (0..<20).map { i in
                "198.51.100.\(i % 4 + 1) - - [01/Dec/2026:09:00:\(String(format: "%02d", i)) +0000] \"GET /v1/orders/\(i) HTTP/1.1\" 200 10 \"-\" \"app/1.0\""
            }.joined(separator: "\n") + "\n"
        try log.write(toFile: dir.file("access.log"), atomically: true, encoding: .utf8)
        try ok(ProcessRunner.tourniquet("ingest", casePath, dir.file("access.log"), "--actor", "tester"))
        try "\(leakedKey)\n".write(toFile: dir.file("keys.txt"), atomically: true, encoding: .utf8)
    }

    override func tearDown() {
        nginx = nil
        dir = nil
    }

    func testBlocksAndDisablesOnARealNginxAndUndoRestoresEverything() throws {
        XCTAssertEqual(nginx.status(path: "/v1/orders/5", from: "127.0.0.2"), 200, "before the block")

        // Loopback is a reserved range: refused unless the responder says why.
        let refused = try ProcessRunner.tourniquet("contain", casePath, "block-ip", "127.0.0.2", "--reason", "attacker")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("loopback"), refused.stderr)
        let block = try contain("block-ip", "127.0.0.2", "--reason", "attacker", "--force", "the test's attacker is on loopback")
        let fingerprint = try fingerprintOf(leakedKey)
        let key = try contain("block-key", fingerprint, "--reason", "leaked in a paste")
        let endpoint = try contain("disable-endpoint", "GET /v1/orders/{id}", "--status", "410", "--reason", "BOLA", "--message", "gone")

        try ok(apply())
        XCTAssertEqual(nginx.waitFor(403, path: "/v1/products", from: "127.0.0.2"), 403, "the blocked address")
        XCTAssertEqual(nginx.status(path: "/v1/products", from: "127.0.0.3"), 200, "another address")
        XCTAssertEqual(nginx.status(path: "/v1/products", from: "127.0.0.3", headers: ["X-API-Key": leakedKey]), 403, "the blocked key")
        XCTAssertEqual(nginx.status(path: "/v1/products", from: "127.0.0.3", headers: ["X-API-Key": otherKey]), 200, "another key")
        XCTAssertEqual(
            nginx.status(path: "/v1/products", from: "127.0.0.3", headers: ["X-API-Key": leakedKey.uppercased()]), 200, "keys match exactly")
        XCTAssertEqual(nginx.status(path: "/v1/orders/77", from: "127.0.0.3"), 410, "the disabled endpoint")
        XCTAssertEqual(nginx.status(method: "POST", path: "/v1/orders/77", from: "127.0.0.3"), 200, "only its method")
        XCTAssertEqual(try states(), [block: "verified", key: "verified", endpoint: "verified"])

        // The key's value is in the managed file only, never in the case's timeline.
        let timeline = try ProcessRunner.tourniquet("timeline", casePath, "--json")
        XCTAssertFalse(timeline.stdout.contains(leakedKey))
        XCTAssertTrue(timeline.stdout.contains("containment.applying"))
        let httpFile = try String(contentsOfFile: nginx.confDir + "/tourniquet-http.conf", encoding: .utf8)
        XCTAssertTrue(httpFile.contains("# tq:\(key) key:\(fingerprint)"))

        for id in [block, key, endpoint] { try ok(ProcessRunner.tourniquet("contain", casePath, "undo", "\(id)", "--reason", "incident over")) }
        // The key's value comes from the managed file now: no --key-values needed to remove it.
        try ok(apply(keyValues: false))
        XCTAssertEqual(nginx.waitFor(200, path: "/v1/products", from: "127.0.0.2"), 200)
        XCTAssertEqual(nginx.status(path: "/v1/products", from: "127.0.0.3", headers: ["X-API-Key": leakedKey]), 200)
        XCTAssertEqual(nginx.status(path: "/v1/orders/77", from: "127.0.0.3"), 200)
        XCTAssertEqual(try states(), [block: "undone", key: "undone", endpoint: "undone"])
        let list = try ProcessRunner.tourniquet("contain", casePath, "list", "--json")
        XCTAssertFalse(list.stdout.contains("\"on_gateway\":true"), list.stdout)
    }

    func testABrokenIncludeIsCaughtAndThePreviousConfigurationKeepsServing() throws {
        let first = try contain("block-ip", "127.0.0.2", "--reason", "attacker", "--force", "loopback test")
        try ok(apply())
        XCTAssertEqual(nginx.waitFor(403, path: "/", from: "127.0.0.2"), 403)
        let before = try String(contentsOfFile: nginx.confDir + "/tourniquet-http.conf", encoding: .utf8)

        try "this is not nginx configuration\n".write(toFile: nginx.extraInclude, atomically: true, encoding: .utf8)
        let second = try contain("block-ip", "127.0.0.3", "--reason", "attacker", "--force", "loopback test")
        let failed = try apply()
        XCTAssertNotEqual(failed.status, 0)
        XCTAssertTrue(failed.stderr.contains("nginx -t refused"), failed.stderr)
        XCTAssertEqual(try String(contentsOfFile: nginx.confDir + "/tourniquet-http.conf", encoding: .utf8), before, "the previous file is back")
        XCTAssertEqual(nginx.status(path: "/", from: "127.0.0.3"), 200, "the running configuration did not change")
        XCTAssertEqual(nginx.status(path: "/", from: "127.0.0.2"), 403)
        XCTAssertEqual(try states()[second], "failed")
        XCTAssertEqual(try states()[first], "verified", "the failed apply included it too, and it still holds from before")

        try "".write(toFile: nginx.extraInclude, atomically: true, encoding: .utf8)
        try ok(apply())
        XCTAssertEqual(nginx.waitFor(403, path: "/", from: "127.0.0.3"), 403)
        XCTAssertEqual(try states(), [first: "verified", second: "verified"])
    }

    /// The apply is recorded before nginx is touched: killed in between, the measure shows its
    /// outcome as unknown, and the next apply settles it.
    func testAKillBetweenIntentAndOutcomeLeavesTheOutcomeUnknown() throws {
        let block = try contain("block-ip", "127.0.0.2", "--reason", "attacker", "--force", "loopback test")
        let pidFile = dir.file("slow.pid")
        let slow = dir.file("slow-nginx")
        try "#!/bin/sh\necho $$ > \(pidFile)\nsleep 30\nexec \(nginx.command) \"$@\"\n".write(toFile: slow, atomically: true, encoding: .utf8)
        chmod(slow, 0o755)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.executable("tourniquet"))
        process.arguments = ["apply", casePath, "--gateway", "nginx", "--conf-dir", nginx.confDir, "--reload", "--nginx", slow, "--actor", "tester"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for the intent to be committed, then kill the apply the hard way.
        var intentSeen = false
        for _ in 0..<100 where !intentSeen {
            Thread.sleep(forTimeInterval: 0.1)
            intentSeen = (try? ProcessRunner.tourniquet("timeline", casePath, "--json"))?.stdout.contains("containment.applying") ?? false
        }
        XCTAssertTrue(intentSeen)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        for _ in 0..<50 where !FileManager.default.fileExists(atPath: pidFile) { Thread.sleep(forTimeInterval: 0.1) }
        if let pid = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap({ Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
            kill(pid, SIGKILL)
        }

        XCTAssertEqual(try states(), [block: "outcome-unknown"])
        let list = try ProcessRunner.tourniquet("contain", casePath, "list")
        XCTAssertTrue(list.stdout.contains("outcome-unknown"), list.stdout)
        try ok(apply())
        XCTAssertEqual(try states(), [block: "verified"])
        XCTAssertEqual(nginx.waitFor(403, path: "/", from: "127.0.0.2"), 403)
    }

    /// A block with a time to live: listed as expired when its time is up, still on the gateway
    /// until the next apply removes it and records the removal.
    func testAnExpiredBlockIsRemovedByTheNextApply() throws {
        let block = try contain("block-ip", "127.0.0.2", "--reason", "attacker", "--force", "loopback test", "--ttl", "2s")
        try ok(apply())
        XCTAssertEqual(nginx.waitFor(403, path: "/", from: "127.0.0.2"), 403)
        Thread.sleep(forTimeInterval: 2.5)
        XCTAssertEqual(try states(), [block: "expired"])
        let list = try ProcessRunner.tourniquet("contain", casePath, "list")
        XCTAssertTrue(list.stdout.contains("still on the gateway: the next apply removes them"), list.stdout)
        XCTAssertEqual(nginx.status(path: "/", from: "127.0.0.2"), 403, "nothing changes on the gateway by itself")
        try ok(apply())
        XCTAssertEqual(nginx.waitFor(200, path: "/", from: "127.0.0.2"), 200)
        let timeline = try ProcessRunner.tourniquet("timeline", casePath, "--json")
        XCTAssertTrue(timeline.stdout.contains("\"removes\":[\(block)]"), "the removal is recorded")
        XCTAssertFalse(try ProcessRunner.tourniquet("contain", casePath, "list").stdout.contains("still on the gateway"))
    }

    // MARK: - Helpers

    private func contain(_ arguments: String...) throws -> Int64 {
        let result = try ProcessRunner.run(
            TestPaths.executable("tourniquet"), ["contain", casePath] + arguments + ["--actor", "tester"])
        try ok(result)
        guard let id = result.stdout.split(separator: "#").dropFirst().first?.prefix(while: \.isNumber), let value = Int64(id) else {
            XCTFail("no measure id in: \(result.stdout)")
            throw MissingRequirement(what: "a measure id")
        }
        return value
    }

    private func apply(keyValues: Bool = true) throws -> ProcessResult {
        var arguments = [
            "apply", casePath, "--gateway", "nginx", "--conf-dir", nginx.confDir, "--reload", "--nginx", nginx.command, "--probe-url",
            nginx.baseURL, "--actor", "tester",
        ]
        if keyValues { arguments += ["--key-values", dir.file("keys.txt")] }
        return try ProcessRunner.run(TestPaths.executable("tourniquet"), arguments)
    }

    private func fingerprintOf(_ secret: String) throws -> String {
        let result = try ProcessRunner.tourniquet("fingerprint", casePath, stdin: Data((secret + "\n").utf8))
        try ok(result)
        return result.stdout.split(separator: ":").prefix(2).joined(separator: ":")
    }

    /// Each measure's state, by id, from `contain list --json`.
    private func states() throws -> [Int64: String] {
        let result = try ProcessRunner.tourniquet("contain", casePath, "list", "--json")
        try ok(result)
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        var out: [Int64: String] = [:]
        for entry in entries {
            if let id = (entry["id"] as? NSNumber)?.int64Value, let state = entry["state"] as? String { out[id] = state }
        }
        return out
    }

    private func ok(_ result: ProcessResult, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(result.status, 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)", file: file, line: line)
        if result.status != 0 { throw MissingRequirement(what: "a command that succeeds") }
    }
}
