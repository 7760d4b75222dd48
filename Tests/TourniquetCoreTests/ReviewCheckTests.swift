import TourniquetContainment
import TourniquetDetection
import TourniquetModel
import XCTest

@testable import TourniquetReview

/// Each automated review item in its passing and its failing form, on gateway states, specs and
/// log counts shaped like real ones. The end-to-end tests (ReviewTests) read real decK files.
final class ReviewCheckTests: XCTestCase {
    // MARK: builders

    private func route(_ name: String, _ paths: [String], _ methods: [String] = [], service: String = "api", hosts: [String]? = nil)
        -> GatewayModel.Route
    {
        .init(name: name, id: nil, service: service, paths: paths, methods: methods, tags: [], hosts: hosts)
    }

    private func plugin(_ name: String, _ scope: String = "global", _ settings: JSONValue = .fields([:])) -> GatewayModel.Policy {
        .init(plugin: name, kind: GatewayModel.policyKind(ofPlugin: name), scope: scope, id: nil, enabled: true, settings: settings, tags: [])
    }

    private func kong(_ routes: [GatewayModel.Route], _ policies: [GatewayModel.Policy], consumers: [GatewayModel.Consumer] = []) -> GatewayModel {
        var model = GatewayModel(source: "kong-deck", formatVersion: "3.0")
        model.services = [.init(name: "api", id: nil, url: "http://api:8080", tags: [])]
        model.routes = routes
        model.policies = policies
        model.consumers = consumers
        return model
    }

    private func spec(_ json: String) throws -> OpenAPIDocument {
        OpenAPIDocument(root: try XCTUnwrap(JSONValue(parsing: json)), path: "openapi.yaml")
    }

    private func logs(identified: Int64 = 1000, requests: Int64 = 1000, _ build: (inout LogFacts) -> Void = { _ in }) -> LogFacts {
        var facts = LogFacts()
        facts.requests = requests
        facts.identified = identified
        facts.withLatency = requests
        build(&facts)
        return facts
    }

    private func run(
        kong: GatewayModel? = nil, spec: OpenAPIDocument? = nil, logs: LogFacts? = nil, scope: ScopeReportDocument? = nil, findings: [Finding] = [],
        benign: Set<String> = []
    ) -> [String: ReviewResult] {
        let results = Review.run(ReviewInput(kong: kong, openAPI: spec, logs: logs, scope: scope, findings: findings, benignClients: benign))
        return Dictionary(uniqueKeysWithValues: results.map { ($0.id, $0) })
    }

    private func state(_ id: String, _ results: [String: ReviewResult], _ expected: ReviewState, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(results[id]?.state, expected, "\(id): \(results[id]?.evidence ?? [])", file: file, line: line)
    }

    private let jwtStrict: JSONValue = .fields(["claims_to_verify": .array(["exp", "nbf"]), "maximum_expiration": .int(3600)])

    // MARK: authentication

    func testAuthenticationOnEveryRoute() throws {
        let login = route("login", ["/v1/login"], ["POST"])
        let orders = route("orders", ["/v1/orders"], ["GET"])
        var results = run(kong: kong([login, orders], [plugin("jwt", "service:api", jwtStrict)]))
        state("auth-every-route", results, .pass)
        results = run(kong: kong([login, orders], [plugin("jwt", "route:login", jwtStrict)]))
        state("auth-every-route", results, .fail)
        XCTAssertTrue(results["auth-every-route"]!.evidence.contains { $0.contains("route orders") })

        // The spec: no security at all fails; `security: []` is a documented exception.
        let open = try spec(#"{"paths":{"/v1/orders":{"get":{}},"/v1/products":{"get":{"security":[]}}}}"#)
        results = run(spec: open)
        state("auth-every-route", results, .fail)
        XCTAssertEqual(results["auth-every-route"]!.evidence.filter { $0.contains("declares no security") }.count, 1)
        let closed = try spec(#"{"security":[{"bearer":[]}],"paths":{"/v1/orders":{"get":{}},"/v1/products":{"get":{"security":[]}}}}"#)
        results = run(spec: closed)
        state("auth-every-route", results, .pass)
        XCTAssertTrue(results["auth-every-route"]!.evidence.contains { $0.contains("declared public") && $0.contains("/v1/products") })

        // Logs: anonymous 2xx on a data route fails; on the spec's public routes and sign-in it does not.
        let anonymous = logs {
            $0.routes = [
                .init(method: "GET", route: "/v1/orders/{id}", requests: 50, ok: 40, anonymousOK: 12, tooMany: 0, gone: 0),
                .init(method: "GET", route: "/v1/products", requests: 50, ok: 50, anonymousOK: 50, tooMany: 0, gone: 0),
                .init(method: "POST", route: "/v1/login", requests: 90, ok: 30, anonymousOK: 30, tooMany: 0, gone: 0),
            ]
        }
        results = run(spec: closed, logs: anonymous)
        XCTAssertEqual(
            results["auth-every-route"]!.evidence.filter { $0.contains("no identity") },
            ["GET /v1/orders/{id} answered 2xx 12 times to requests with no identity"])
        // Logs that carry no identity at all say nothing about it.
        results = run(logs: logs(identified: 0) { $0.routes = anonymous.routes })
        state("auth-every-route", results, .unknown)
        state("auth-every-route", run(), .unknown)
    }

    func testAnAuthenticationPluginThatLetsAnonymousCallersThroughRequiresNothing() {
        let orders = route("orders", ["/v1/orders"], ["GET"])
        let optional = plugin("key-auth", "service:api", .fields(["anonymous": "guest"]))
        state("auth-every-route", run(kong: kong([orders], [optional])), .fail)
        state("auth-every-route", run(kong: kong([orders], [optional, plugin("jwt", "route:orders", jwtStrict)])), .pass)
    }

    func testEndpointKindsAreReadFromWholeSegments() {
        XCTAssertEqual(EndpointType.of(path: "/v1/login", methods: ["POST"]), .authentication)
        XCTAssertEqual(EndpointType.of(path: "/oauth/token", methods: ["POST"]), .authentication)
        XCTAssertEqual(EndpointType.of(path: "/v1/authors/{id}", methods: ["GET"]), .data)
        XCTAssertEqual(EndpointType.of(path: "/v1/login-history", methods: ["GET"]), .data)
        XCTAssertEqual(EndpointType.of(path: "/v1/password/reset", methods: ["POST"]), .passwordReset)
        XCTAssertEqual(EndpointType.of(path: "/v1/forgot-password", methods: ["POST"]), .passwordReset)
        XCTAssertEqual(EndpointType.of(path: "/v1/orders/search", methods: ["GET"]), .search)
        XCTAssertEqual(EndpointType.of(path: "/v1/orders", methods: ["POST"]), .write)
        XCTAssertEqual(EndpointType.of(path: "/v1/orders", methods: []), .write, "any method includes writes")
    }

    func testAPIKeysAlone() throws {
        let orders = route("orders", ["/v1/orders"], ["GET"])
        state("api-key-alone", run(kong: kong([orders], [plugin("key-auth", "route:orders"), plugin("jwt", "service:api", jwtStrict)])), .pass)
        state("api-key-alone", run(kong: kong([orders], [plugin("key-auth", "route:orders")])), .fail)
        let keyOnly = try spec(
            #"{"components":{"securitySchemes":{"key":{"type":"apiKey"},"bearer":{"type":"http"}}},"paths":{"/v1/orders":{"get":{"security":[{"key":[]}]}},"/v1/me":{"get":{"security":[{"key":[],"bearer":[]}]}}}}"#
        )
        let results = run(spec: keyOnly)
        state("api-key-alone", results, .fail)
        XCTAssertEqual(results["api-key-alone"]!.evidence, ["OpenAPI GET /v1/orders accepts an API key alone"])
    }

    func testJWTSettings() {
        let orders = route("orders", ["/v1/orders"], ["GET"])
        state("jwt-claims", run(kong: kong([orders], [plugin("jwt", "service:api", jwtStrict)])), .pass)
        let loose = plugin("jwt", "service:api", .fields(["claims_to_verify": .array(["exp"]), "maximum_expiration": .int(86_400)]))
        let results = run(kong: kong([orders], [loose]))
        state("jwt-claims", results, .fail)
        XCTAssertEqual(results["jwt-claims"]!.evidence.count, 2, "nbf missing, and a day-long maximum")
        state("jwt-claims", run(kong: kong([orders], [plugin("jwt", "service:api", .fields(["claims_to_verify": .array(["exp", "nbf"])]))])), .fail)
        state("jwt-claims", run(kong: kong([orders], [])), .unknown)
    }

    // MARK: rate limits

    func testRateLimits() {
        let login = route("login", ["/v1/login"], ["POST"])
        let orders = route("orders", ["/v1/orders"], ["GET"])
        let create = route("create", ["/v1/orders"], ["POST"])
        let search = route("search", ["/v1/search"], ["GET"])
        let reset = route("reset", ["/v1/password-reset"], ["POST"])
        let hardened = kong(
            [login, orders, create, search, reset],
            [
                plugin("rate-limiting", "global", .fields(["minute": .int(600), "limit_by": "consumer"])),
                plugin("rate-limiting", "route:login", .fields(["minute": .int(5), "limit_by": "ip"])),
                plugin("rate-limiting", "route:create", .fields(["minute": .int(30)])),
                plugin("rate-limiting-advanced", "route:search", .fields(["limit": .array([.int(40)]), "window_size": .array([.int(60)])])),
                plugin("rate-limiting", "route:reset", .fields(["hour": .int(3), "limit_by": "ip"])),
            ])
        var results = run(kong: hardened)
        state("rate-limit-present", results, .pass)
        state("rate-limit-sign-in", results, .pass)
        state("rate-limit-table", results, .pass)

        let weak = kong(
            [login, orders, create],
            [
                plugin("rate-limiting", "global", .fields(["minute": .int(5000)])),
                plugin("rate-limiting", "route:login", .fields(["second": .int(5), "limit_by": "ip"])),
            ])
        results = run(kong: weak)
        state("rate-limit-present", results, .pass)
        state("rate-limit-sign-in", results, .fail)
        XCTAssertTrue(results["rate-limit-sign-in"]!.evidence[0].contains("300 a minute"), "5 a second is 300 a minute")
        state("rate-limit-table", results, .fail)
        XCTAssertEqual(results["rate-limit-table"]!.evidence.count, 3)

        // Both plugins apply: the stricter one decides. A limit counted by header does not hold a source back.
        let both = kong(
            [login],
            [
                plugin("rate-limiting", "route:login", .fields(["minute": .int(8), "limit_by": "ip"])),
                plugin("rate-limiting-advanced", "global", .fields(["limit": .array([.int(100)]), "window_size": .array([.int(60)])])),
            ])
        state("rate-limit-sign-in", run(kong: both), .pass)
        let byHeader = kong(
            [login],
            [
                plugin(
                    "rate-limiting-advanced", "route:login",
                    .fields(["limit": .array([.int(5)]), "window_size": .array([.int(60)]), "identifier": "header"]))
            ])
        state("rate-limit-sign-in", run(kong: byHeader), .fail)
        results = run(kong: kong([login, orders], []))
        state("rate-limit-present", results, .fail)
        state(
            "rate-limit-present", run(kong: kong([login, orders], [plugin("rate-limiting", "consumer:partner", .fields(["minute": .int(60)]))])),
            .fail)
        state("rate-limit-sign-in", results, .fail)
        state("rate-limit-present", run(), .unknown)
    }

    func testRetryAfterWhereTheLogsKeepResponseHeaders() {
        let throttled = logs { $0.routes = [.init(method: "GET", route: "/v1/orders", requests: 100, ok: 60, anonymousOK: 0, tooMany: 40, gone: 0)] }
        let results = run(logs: throttled)
        state("retry-after", results, .unknown)
        XCTAssertTrue(results["retry-after"]!.evidence[0].hasPrefix("40 429 answers"))
        let told = logs {
            $0.routes = [
                .init(
                    method: "GET", route: "/v1/orders", requests: 100, ok: 60, anonymousOK: 0, tooMany: 40, gone: 0, tooManyWithHeaders: 40,
                    tooManyWithRetryAfter: 40)
            ]
        }
        state("retry-after", run(logs: told), .pass)
        let silent = logs {
            $0.routes = [
                .init(
                    method: "GET", route: "/v1/search", requests: 100, ok: 60, anonymousOK: 0, tooMany: 40, gone: 0, tooManyWithHeaders: 40,
                    tooManyWithRetryAfter: 25)
            ]
        }
        state("retry-after", run(logs: silent), .fail)
        XCTAssertEqual(run(logs: silent)["retry-after"]!.evidence, ["GET /v1/search: 15 of 40 429s without Retry-After"])
    }

    // MARK: authorization

    func testObjectAuthorization() {
        let walked = logs { $0.foreignObjects = [.init(route: "/v1/orders/{id}", client: "mallory", objects: 240)] }
        var results = run(logs: walked)
        state("object-authorization", results, .fail)
        XCTAssertTrue(results["object-authorization"]!.evidence[0].contains("mallory got 2xx on 240 objects"))
        // A support tool that reads everyone's orders by design, once allowlisted, is not counted.
        let support = logs { $0.foreignObjects = [.init(route: "/v1/orders/{id}", client: "svc-support", objects: 900)] }
        state("object-authorization", run(logs: support), .fail)
        state("object-authorization", run(logs: support, benign: ["svc-support"]), .pass)
        // A few shared objects (a household's orders) are not walking.
        state("object-authorization", run(logs: logs { $0.foreignObjects = [.init(route: "/v1/orders/{id}", client: "bob", objects: 3)] }), .pass)
        let finding = Finding(
            detector: .bolaEnumeration, severity: .high, subject: .init(kind: .client, value: "mallory"), firstMs: 0, lastMs: 1,
            requests: 400, evidence: .fields([:]), state: .new, confidence: .strong, confidenceReason: "")
        state("object-authorization", run(findings: [finding]), .fail)
        state("object-authorization", run(logs: logs(identified: 0)), .unknown)
    }

    func testFunctionAuthorization() {
        let admins = [GatewayModel.Consumer(username: "ops-ana", id: nil, customID: nil, tags: [], contacts: [], groups: ["admins"])]
        let adminRoute = route("admin", ["/admin"], ["GET"], hosts: ["admin.internal.example"])
        let publicRoute = route("orders", ["/v1/orders"], ["GET"], hosts: ["api.example.com"])
        let onlyAdmins = logs { $0.privileged = [.init(route: "/admin/users", client: "ops-ana", ok: 12)] }
        var results = run(kong: kong([adminRoute, publicRoute], [], consumers: admins), logs: onlyAdmins)
        state("function-authorization", results, .pass)

        let leaky = logs {
            $0.privileged = [.init(route: "/admin/users", client: "carol", ok: 3), .init(route: "/internal/export", client: nil, ok: 8)]
        }
        results = run(kong: kong([adminRoute, publicRoute], [], consumers: admins), logs: leaky)
        state("function-authorization", results, .fail)
        XCTAssertEqual(results["function-authorization"]!.evidence.count, 2)

        let sharedHost = route("admin", ["/admin"], ["GET"], hosts: ["api.example.com"])
        results = run(kong: kong([sharedHost, publicRoute], [], consumers: admins))
        state("function-authorization", results, .fail)
        XCTAssertTrue(results["function-authorization"]!.evidence[0].contains("shares api.example.com"))
        state("function-authorization", run(kong: kong([route("admin", ["/admin"], ["GET"]), publicRoute], [])), .fail)
    }

    // MARK: schemas

    func testSchemas() throws {
        // A response-only schema (Error) is not input, and is not held to these rules.
        let strict = try spec(
            ##"{"components":{"schemas":{"UserUpdate":{"type":"object","additionalProperties":false,"properties":{"name":{"type":"string","maxLength":100},"id":{"type":"string","format":"uuid"},"role":{"type":"string","enum":["user","admin"]},"address":{"$ref":"#/components/schemas/Address"}}},"Address":{"type":"object","unevaluatedProperties":false,"properties":{"city":{"type":"string","maxLength":80}}},"Error":{"type":"object","properties":{"message":{"type":"string"}}}}},"paths":{"/v1/users/{id}":{"put":{"requestBody":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/UserUpdate"}}}}}}}}"##
        )
        var results = run(spec: strict)
        state("schema-closed-objects", results, .pass)
        state("schema-bounded-strings", results, .pass)
        state("schema-closed-enums", results, .pass)
        let loose = try spec(
            ##"{"components":{"schemas":{"UserUpdate":{"type":"object","properties":{"name":{"type":"string"},"status":{"type":"string","maxLength":20},"tags":{"type":"array","items":{"type":"string"}}}}}},"paths":{"/v1/users/{id}":{"put":{"requestBody":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/UserUpdate"}}}}}},"/v1/users":{"post":{"requestBody":{"content":{"application/json":{"schema":{"type":"object","properties":{"note":{"type":"string","maxLength":10}}}}}}}}}}"##
        )
        results = run(spec: loose)
        state("schema-closed-objects", results, .fail)
        XCTAssertEqual(results["schema-closed-objects"]!.evidence.count, 2, "the named schema and the inline body")
        state("schema-bounded-strings", results, .fail)
        XCTAssertTrue(results["schema-bounded-strings"]!.evidence.contains("components.schemas.UserUpdate.tags[] has no maxLength"))
        state("schema-closed-enums", results, .fail)
        XCTAssertEqual(results["schema-closed-enums"]!.evidence, ["components.schemas.UserUpdate.status takes any string"])
        state("schema-closed-objects", run(), .unknown)
    }

    // MARK: CORS

    func testCORS() throws {
        let api = try spec(#"{"paths":{"/v1/orders":{"get":{"parameters":[{"in":"header","name":"X-Tenant"}]},"post":{}}}}"#)
        let orders = route("orders", ["/v1/orders"])
        let good = plugin(
            "cors", "service:api",
            .fields([
                "origins": .array(["https://app.example.com"]), "methods": .array(["GET", "POST", "OPTIONS"]),
                "headers": .array(["Authorization", "Content-Type", "X-Tenant"]), "credentials": .bool(true), "max_age": .int(3600),
            ]))
        state("cors", run(kong: kong([orders], [good]), spec: api), .pass)
        let bad = plugin(
            "cors", "service:api",
            .fields([
                "origins": .array(["*", "https://.*\\.example\\.com"]), "credentials": .bool(true), "methods": .array(["GET", "POST", "DELETE"]),
            ]))
        let results = run(kong: kong([orders], [bad]), spec: api)
        state("cors", results, .fail)
        let evidence = results["cors"]!.evidence.joined(separator: "\n")
        for expected in ["any origin (*) together with credentials", "regex origins", "allows DELETE", "headers unset", "max_age unset"] {
            XCTAssertTrue(evidence.contains(expected), "missing \(expected) in \(evidence)")
        }
        state("cors", run(kong: kong([orders], [])), .pass)
        state("cors", run(), .unknown)
    }

    // MARK: inventory

    func testVersions() throws {
        let current = logs {
            $0.versioned = [.init(route: "/v2/orders", client: "alice", ok: 90)]
            $0.routes = [.init(method: "GET", route: "/v1/orders", requests: 12, ok: 0, anonymousOK: 0, tooMany: 0, gone: 12)]
        }
        let v2 = try spec(#"{"paths":{"/v2/orders":{"get":{}},"/v1/orders":{"get":{"deprecated":true}}}}"#)
        var results = run(spec: v2, logs: current)
        state("old-versions", results, .pass)
        state("retired-versions-410", results, .pass)

        let lingering = logs {
            $0.versioned = [
                .init(route: "/v2/orders", client: "alice", ok: 90), .init(route: "/v1/orders", client: "partner-legacy", ok: 40),
                .init(route: "/v1/orders", client: "bob", ok: 2),
            ]
            $0.routes = [.init(method: "GET", route: "/v1/orders", requests: 45, ok: 42, anonymousOK: 0, tooMany: 0, gone: 0)]
        }
        results = run(spec: v2, logs: lingering)
        state("old-versions", results, .fail)
        XCTAssertEqual(results["old-versions"]!.evidence, ["v1 answered 2xx 42 times (newest is v2); callers: partner-legacy 40, bob 2"])
        state("retired-versions-410", results, .fail)
        state("retired-versions-410", run(logs: lingering), .unknown)
    }

    func testGraphQLAndShadowEndpoints() throws {
        state(
            "graphql-introspection",
            run(
                logs: logs {
                    $0.graphqlRequests = 30
                    $0.graphqlIntrospection = 2
                }), .fail)
        state("graphql-introspection", run(logs: logs()), .pass)
        state("graphql-introspection", run(logs: logs { $0.graphqlRequests = 30 }), .unknown)

        let api = try spec(#"{"paths":{"/v1/orders":{"get":{}}}}"#)
        let shadow = try ScopeReportDocument.decode(
            #"{"version":2,"window":{"from":null,"to":null},"requests":10,"findings":[],"attackers":{"ips":[],"clients":[]},"keys":{"compromised":[]},"accounts":{"compromised":[],"targeted":null},"targeted_endpoints":[],"data_accessed":[],"shadow_endpoints":[{"method":"GET","path":"/v1/internal/export","requests":8,"statuses":{"200":8}},{"method":"GET","path":"/.env","requests":3,"statuses":{"404":3}}],"skipped":[]}"#
        )
        let results = run(spec: api, scope: shadow)
        state("shadow-endpoints", results, .fail)
        XCTAssertEqual(
            results["shadow-endpoints"]!.evidence, ["GET /v1/internal/export answered 2xx 8 times, and is not in the spec"],
            "a probe answered 404 is not served")
        var clean = shadow
        clean.shadowEndpoints.removeFirst()
        state("shadow-endpoints", run(spec: api, scope: clean), .pass)
        state("shadow-endpoints", run(scope: shadow), .unknown)
    }

    // MARK: logging

    func testLoggingQuality() {
        state("log-fields", run(logs: logs()), .pass)
        let combined = logs(identified: 0) { $0.withLatency = 0 }
        let results = run(logs: combined)
        state("log-fields", results, .fail)
        XCTAssertEqual(results["log-fields"]!.evidence[0], "client identity or key id on 0% of 1000 requests")
        state("log-secrets", run(logs: logs()), .pass)
        let leaky = logs {
            $0.credentialsInURL = 25
            $0.credentialFingerprints = 3
        }
        state("log-secrets", run(logs: leaky), .fail)
        XCTAssertEqual(run(logs: leaky)["log-secrets"]!.evidence[1], "3 distinct credentials by fingerprint")
    }

    func testManualItemsWaitForAPerson() {
        let results = Review.unreviewed
        let manual = results.filter { $0.state == .manual }
        XCTAssertGreaterThanOrEqual(manual.count, 10)
        XCTAssertTrue(manual.allSatisfy { !$0.guidance.isEmpty && !$0.fix.isEmpty })
        XCTAssertTrue(manual.contains { $0.id == "pkce" } && manual.contains { $0.id == "error-details" })
        XCTAssertTrue(results.allSatisfy { $0.reference.contains("API") || $0.reference.contains("NIST SP 800-63B") })
        XCTAssertEqual(Set(results.map(\.id)).count, results.count, "ids are unique")
    }
}
