import Foundation
import TourniquetTestSupport
import XCTest

/// The hardening review from the command line, on real decK files and on gateways, specs and Kong
/// logs written to behave like people and gateways do: a hardened shop passes every automated
/// item, the same shop with its gaps and a breach fails each one, and answers are recorded.
final class ReviewTests: XCTestCase {
    private let dir = TemporaryDirectory("tourniquet-review")
    private var casePath: String { dir.file("case.tq") }
    private let base: Int64 = 1_795_946_400_000  // 2026-11-29T10:00:00Z

    @discardableResult
    private func run(_ arguments: String..., expect: Int32 = 0) throws -> ProcessResult {
        let result = try ProcessRunner.run(TestPaths.executable("tourniquet"), arguments + ["--actor", "reviewer"])
        XCTAssertEqual(result.status, expect, "\(arguments): \(result.stdout) \(result.stderr)")
        return result
    }

    private func fixture(_ name: String) -> String { TestPaths.fixtures.appendingPathComponent("review/" + name).path }

    // MARK: traffic

    private struct Line {
        var at: Int64
        var ip: String
        var consumer: String?
        var method: String
        var uri: String
        var status: Int
        /// Whether a 429 says when to retry; Kong's rate-limiting plugin sends Retry-After, a limiter in the app may not.
        var retryAfter = true
    }

    /// A morning of ordinary use: people reading their own orders, a shared household order, the
    /// public catalogue, sign-ins with typos, an admin at work, a curious colleague refused, a stale
    /// bookmark to v1, a support tool reading everyone's orders, and a burst that met the limit.
    private func quietTraffic() -> [Line] {
        var lines: [Line] = []
        var t = base
        func add(_ ip: String, _ who: String?, _ method: String, _ uri: String, _ status: Int) {
            t += 1_300
            lines.append(Line(at: t, ip: ip, consumer: who, method: method, uri: uri, status: status))
        }
        let alice = (1...6).map { "a1b2c3d4-0000-4000-8000-00000000a00\($0)" }
        let bob = (1...4).map { "b1b2c3d4-0000-4000-8000-00000000b00\($0)" }
        for round in 0..<5 {
            add("198.51.100.10", nil, "POST", "/v2/login", round == 0 ? 401 : 200)
            add("198.51.100.10", "alice", "GET", "/v2/orders", 200)
            for id in alice { add("198.51.100.10", "alice", "GET", "/v2/orders/\(id)", 200) }
            add("203.0.113.20", nil, "POST", "/v2/login", 200)
            for id in bob { add("203.0.113.20", "bob", "GET", "/v2/orders/\(id)", 200) }
            add("203.0.113.20", "bob", "GET", "/v2/orders/\(alice[0])", 200)  // a household's shared order
            for _ in 0..<4 { add("192.0.2.\(round + 30)", nil, "GET", "/v2/products?page=\(round)", 200) }
            add("10.1.2.3", "ops-ana", "GET", "/admin/users", 200)
            add("10.1.2.4", "carol", "GET", "/admin/users", 403)
            add("192.0.2.77", "dave", "GET", "/v1/orders", 410)
            add("203.0.113.20", "bob", "POST", "/v2/orders", 201)
        }
        for id in alice + bob { add("10.9.9.9", "svc-support", "GET", "/v2/orders/\(id)", 200) }
        for i in 0..<12 { add("10.9.9.9", "svc-support", "GET", "/v2/orders/c1b2c3d4-0000-4000-8000-0000000c\(String(format: "%04d", i))", 200) }
        for _ in 0..<3 { add("203.0.113.20", "bob", "GET", "/v2/orders", 429) }
        return lines
    }

    /// The same morning with a breach in it.
    private func breachTraffic() -> [Line] {
        var lines = quietTraffic()
        var t = base + 3_600_000
        func add(_ ip: String, _ who: String?, _ method: String, _ uri: String, _ status: Int) {
            t += 400
            lines.append(Line(at: t, ip: ip, consumer: who, method: method, uri: uri, status: status))
        }
        for i in 0..<12 { add("185.220.101.9", "mallory", "GET", "/v2/orders/c1b2c3d4-0000-4000-8000-0000000c\(String(format: "%04d", i))", 200) }
        for id in (1...6).map({ "a1b2c3d4-0000-4000-8000-00000000a00\($0)" }) { add("185.220.101.9", nil, "GET", "/v2/orders/\(id)", 200) }
        add("185.220.101.9", "mallory", "GET", "/graphql?query=%7B__schema%7Btypes%7Bname%7D%7D%7D", 200)
        add("198.51.100.44", "partner-legacy", "GET", "/v1/orders", 200)
        add("10.1.2.4", "carol", "GET", "/admin/users", 200)
        add("185.220.101.9", "mallory", "GET", "/v2/orders?apikey=sk_live_4eC39HqLyjWDarjtT1zdp7dc", 200)
        add("185.220.101.9", "mallory", "GET", "/internal/export", 200)
        // The app's own limiter on search answers 429 without saying when to retry.
        for _ in 0..<2 {
            t += 400
            lines.append(Line(at: t, ip: "185.220.101.9", consumer: "mallory", method: "GET", uri: "/v2/orders", status: 429, retryAfter: false))
        }
        return lines
    }

    private func kongLog(_ lines: [Line]) -> String {
        lines.map { l in
            var object: [String: Any] = [
                "started_at": l.at, "client_ip": l.ip,
                "request": ["method": l.method, "uri": l.uri, "headers": ["user-agent": "shop-app/4.2"]],
                "response": [
                    "status": l.status, "size": 512,
                    "headers": l.status == 429 && l.retryAfter
                        ? ["content-type": "application/json", "retry-after": "30", "x-ratelimit-remaining-minute": "0"]
                        : ["content-type": "application/json", "content-length": "512"],
                ],
                "latencies": ["request": 21, "kong": 1, "proxy": 19],
            ]
            if let who = l.consumer { object["consumer"] = ["username": who, "id": "c-\(who)"] }
            return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }.joined(separator: "\n") + "\n"
    }

    private func buildCase(kong: String, spec: String, traffic: [Line]) throws {
        try run("new", casePath, "--title", "Review", "--detected-at", "2026-11-29T12:00:00Z")
        try run("gateway", "import", casePath, fixture(kong))
        try run("gateway", "import", casePath, fixture(spec))
        let log = dir.file("kong.log")
        try kongLog(traffic).write(toFile: log, atomically: true, encoding: .utf8)
        try run("ingest", casePath, log, "--openapi", fixture(spec))
        try run("scope", casePath)
    }

    private func review() throws -> [String: [String: Any]] {
        let result = try run("review", casePath, "--json")
        try validate(result.stdout)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(document["document"] as? String, "tourniquet.review")
        let items = try XCTUnwrap(document["items"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: items.map { ($0["id"] as? String ?? "?", $0) })
    }

    /// `review --json` against the documented schema, with a real JSON Schema validator.
    private func validate(_ json: String) throws {
        guard let python = TestPaths.which("python3"), (try? ProcessRunner.run(python, ["-c", "import jsonschema"]).status) == 0 else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("python3 with jsonschema is needed to check the review's JSON") }
            return
        }
        let file = dir.file("review.json")
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        let schema = TestPaths.repoRoot.appendingPathComponent("docs/schemas/export.schema.json").path
        let script =
            "import json,sys,jsonschema; jsonschema.Draft202012Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))"
        let checked = try ProcessRunner.run(python, ["-c", script, schema, file])
        XCTAssertEqual(checked.status, 0, "review --json does not follow the schema: \(checked.stderr.suffix(600))")
    }

    private static let automated = [
        "auth-every-route", "api-key-alone", "jwt-claims", "object-authorization", "function-authorization", "rate-limit-present",
        "rate-limit-sign-in", "rate-limit-table", "schema-closed-objects", "schema-bounded-strings", "schema-closed-enums", "cors",
        "old-versions", "retired-versions-410", "graphql-introspection", "shadow-endpoints", "log-fields", "log-secrets",
    ]

    // MARK: tests

    func testAHardenedShopPassesEveryAutomatedItem() throws {
        try buildCase(kong: "kong-hardened.yaml", spec: "openapi-strict.yaml", traffic: quietTraffic())
        try run("allowlist", "add", casePath, "client:svc-support", "--reason", "the support desk's tool reads customers' orders by design")
        let items = try review()
        for id in Self.automated {
            XCTAssertEqual(items[id]?["state"] as? String, "pass", "\(id): \(items[id]?["evidence"] ?? "missing")")
        }
        XCTAssertEqual(items["retry-after"]?["state"] as? String, "pass", "Kong's file-log keeps response headers")
        XCTAssertEqual(items["pkce"]?["state"] as? String, "manual")
    }

    func testTheShopWithItsGapsAndABreachFailsEachItem() throws {
        try buildCase(kong: "kong-weak.yaml", spec: "openapi-loose.yaml", traffic: breachTraffic())
        let items = try review()
        let failing = Self.automated.filter { $0 != "log-fields" } + ["retry-after"]
        for id in failing {
            XCTAssertEqual(items[id]?["state"] as? String, "fail", "\(id): \(items[id]?["evidence"] ?? "missing")")
        }
        func evidence(_ id: String) -> String { (items[id]?["evidence"] as? [String] ?? []).joined(separator: "\n") }
        XCTAssertTrue(evidence("object-authorization").contains("mallory got 2xx on 12 objects"), evidence("object-authorization"))
        XCTAssertTrue(evidence("graphql-introspection").contains("__schema"))
        XCTAssertTrue(evidence("old-versions").contains("partner-legacy"))
        XCTAssertTrue(evidence("function-authorization").contains("carol"))
        XCTAssertTrue(evidence("log-secrets").contains("1 distinct credentials by fingerprint"), evidence("log-secrets"))
        XCTAssertFalse(evidence("log-secrets").contains("sk_live"), "no raw secret in the review")
        XCTAssertTrue(evidence("shadow-endpoints").contains("/internal/export"))
        XCTAssertTrue(evidence("jwt-claims").contains("lacks nbf"))
        XCTAssertTrue(evidence("cors").contains("together with credentials"))
        // Kong logs carry identity and latency: the logging item passes even in a breach.
        XCTAssertEqual(items["log-fields"]?["state"] as? String, "pass")
    }

    func testRealDeckFiles() throws {
        try run("new", casePath, "--title", "Real decK")
        try run("gateway", "import", casePath, TestPaths.fixtures.appendingPathComponent("gateway/deck-dump_001-entities-with-tags_kong.yaml").path)
        var items = try review()
        XCTAssertEqual(items["auth-every-route"]?["state"] as? String, "fail", "routes r1, r2 and r3 have no authentication plugin")
        XCTAssertEqual(items["rate-limit-present"]?["state"] as? String, "fail")
        XCTAssertEqual(items["jwt-claims"]?["state"] as? String, "unknown")

        // kong2kic's input is a real decK state without the _format_version line `deck sync` needs; it is added.
        let real = try String(contentsOf: TestPaths.fixtures.appendingPathComponent("gateway/deck-kong2kic_input.yaml"), encoding: .utf8)
        let versioned = dir.file("kong2kic.yaml")
        try ("_format_version: \"3.0\"\n" + real).write(toFile: versioned, atomically: true, encoding: .utf8)
        try run("gateway", "import", casePath, versioned)
        items = try review()
        XCTAssertEqual(items["jwt-claims"]?["state"] as? String, "pass", "\(items["jwt-claims"] ?? [:])")
        XCTAssertEqual(items["rate-limit-present"]?["state"] as? String, "pass")
        XCTAssertEqual(items["api-key-alone"]?["state"] as? String, "pass", "key-auth beside jwt on the same route")
        // Its cors plugin names one origin, methods, a header and max_age: without a spec, it passes.
        XCTAssertEqual(items["cors"]?["state"] as? String, "pass", "\(items["cors"] ?? [:])")
    }

    /// Plugins apply where Kong applies them: a limit for one consumer on the sign-in route does
    /// not limit sign-in; a plugin under an unnamed route protects that route; a plugin nested in a
    /// service but naming a route covers only that route.
    func testPluginScopesAsKongAppliesThem() throws {
        let deck = dir.file("scopes.yaml")
        try """
        _format_version: "3.0"
        services:
          - name: api
            url: http://api.internal
            plugins:
              - name: jwt
                route: reports
                config: {claims_to_verify: [exp, nbf], maximum_expiration: 900}
            routes:
              - id: 5f0c2b7e-0000-4000-8000-000000000001
                paths: [/v2/orders]
                methods: [GET]
                plugins:
                  - name: openid-connect
                    config: {scopes: [openid]}
              - name: reports
                paths: [/v2/reports]
                methods: [GET]
              - name: login
                paths: [/v2/login]
                methods: [POST]
              - name: catalogue
                paths: [/v2/catalogue]
                methods: [GET]
        plugins:
          - name: rate-limiting
            route: login
            consumer: partner
            config: {minute: 5, limit_by: ip}
        """.write(toFile: deck, atomically: true, encoding: .utf8)
        try run("new", casePath, "--title", "Scopes")
        try run("gateway", "import", casePath, deck)
        let items = try review()
        let auth = (items["auth-every-route"]?["evidence"] as? [String] ?? []).joined(separator: "\n")
        XCTAssertFalse(auth.contains("/v2/orders"), "the unnamed route's own plugin protects it: \(auth)")
        XCTAssertFalse(auth.contains("/v2/reports"), "the service's jwt names this route")
        XCTAssertTrue(auth.contains("/v2/catalogue"), "the jwt naming another route does not cover the catalogue: \(auth)")
        XCTAssertEqual(items["rate-limit-sign-in"]?["state"] as? String, "fail", "a limit for one consumer leaves every other caller unlimited")
        XCTAssertEqual(items["rate-limit-present"]?["state"] as? String, "fail")
    }

    func testAnswersAreRecordedAndReachTheReport() throws {
        try run("new", casePath, "--title", "Answers")
        try run("gateway", "import", casePath, TestPaths.fixtures.appendingPathComponent("gateway/deck-dump_001-entities-with-tags_kong.yaml").path)
        try run("review", casePath)
        try run("review", "answer", casePath, "pkce", "pass", "--reason", "the IdP requires PKCE for the SPA and both apps")
        let decided = try run("review", "answer", casePath, "auth-every-route", "pass", "--reason", "looks fine", expect: 1)
        XCTAssertTrue(decided.stderr.contains("was decided by the evidence (fail)"), decided.stderr)
        // With no logs, whether 429s carry Retry-After is unknown: a person may answer it.
        try run("review", "answer", casePath, "retry-after", "fail", "--reason", "curl shows the app's own limiter sends 429 without Retry-After")
        let unknownItem = try run("review", "answer", casePath, "no-such-item", "pass", "--reason", "x", expect: 1)
        XCTAssertTrue(unknownItem.stderr.contains("is not a review item"), unknownItem.stderr)
        let noReason = try run("review", "answer", casePath, "mfa-aal2", "pass", "--reason", " ", expect: 1)
        XCTAssertTrue(noReason.stderr.contains("reason"), noReason.stderr)

        let items = try review()  // a new run keeps the answers
        XCTAssertEqual(items["pkce"]?["state"] as? String, "pass")
        XCTAssertEqual(items["pkce"]?["decided_by"] as? String, "manual")
        XCTAssertEqual((items["pkce"]?["answer"] as? [String: Any])?["actor"] as? String, "reviewer")
        XCTAssertEqual(items["retry-after"]?["state"] as? String, "fail")
        XCTAssertEqual(items["retry-after"]?["decided_by"] as? String, "unknown")

        let report = try run("export", casePath, "--format", "md").stdout
        XCTAssertTrue(report.contains("## Review"), report)
        XCTAssertTrue(report.contains("the IdP requires PKCE for the SPA and both apps"))
        XCTAssertTrue(report.contains("review item(s) fail"), "failing items are open items")
        let json = try run("export", casePath, "--format", "json").stdout
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertNotNil((document["review"] as? [String: Any])?["items"])
        let timeline = try ProcessRunner.tourniquet("timeline", casePath).stdout
        XCTAssertEqual(timeline.components(separatedBy: "review.answered").count - 1, 2)
    }
}
