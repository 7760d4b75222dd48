import Foundation
import TourniquetTestSupport
import XCTest

@testable import TourniquetEngine

/// YAML from evidence is bounded before it is built: an alias bomb, deep nesting or an oversized
/// file is refused quickly with one line naming the file and the limit; a normal spec still loads.
final class YAMLBoundsTests: XCTestCase {
    /// The classic "billion laughs": 9 levels of 9 aliases, about 650 bytes, 10^9 strings once built.
    static let bomb = """
        openapi: 3.0.0
        info: {title: laughs}
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
        paths: {"/x": {get: {responses: {"200": {description: *i}}}}}

        """

    static let spec = """
        openapi: 3.0.3
        info: {title: Orders}
        servers: [{url: "https://api.example.com/v1"}]
        components:
          schemas:
            Order: &order {type: object}
        paths:
          /orders/{id}:
            get: {responses: {"200": {description: ok, content: {application/json: {schema: *order}}}}}
          /orders:
            post: {deprecated: true, responses: {"201": {description: made}}}

        """

    func testTheBombIsRefusedQuicklyNamingTheFileAndLimit() throws {
        XCTAssertLessThan(YAMLBoundsTests.bomb.utf8.count, 700)
        let started = Date()
        XCTAssertThrowsError(try BoundedYAML.load(YAMLBoundsTests.bomb, path: "bomb.yaml")) { error in
            let refused = error as? YAMLDocumentError
            XCTAssertEqual(refused?.path, "bomb.yaml")
            XCTAssertEqual(refused?.reason, "refused: its aliases and values expand to more than the limit of 2000000 nodes (an alias bomb?)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 2, "refused while reading events, before any tree is built")

        // Through the real binary: one line, the file, the limit, nothing imported.
        let fixture = try IngestFixture()
        let bomb = fixture.write("laughs.yaml", YAMLBoundsTests.bomb)
        let log = fixture.write("access.log", "203.0.113.5 - - [01/Apr/2026:10:00:00 +0000] \"GET /v1/orders/1 HTTP/1.1\" 200 10 \"-\" \"curl\"\n")
        let cliStarted = Date()
        let result = try fixture.ingest(log, "--openapi", bomb)
        XCTAssertLessThan(Date().timeIntervalSince(cliStarted), 10)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(
            result.stderr,
            "tourniquet: \(bomb): cannot use this OpenAPI spec: refused: its aliases and values expand to more than the limit of 2000000 nodes (an alias bomb?)\n"
        )
        XCTAssertEqual(try fixture.open().actions().filter { $0.kind == "evidence.ingested" }.count, 0)
    }

    func testDepthAliasCountAndSizeAreBounded() throws {
        // Flow nesting (which libyaml scans ahead) and block nesting (met event by event).
        let deep = "openapi: 3.0.0\npaths: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n"
        var block = ""
        for level in 0..<300 { block += String(repeating: " ", count: level) + "k:\n" }
        for document in [deep, block] {
            XCTAssertThrowsError(try BoundedYAML.load(document, path: "deep.yaml")) { error in
                XCTAssertEqual((error as? YAMLDocumentError)?.reason, "refused: it nests deeper than the limit of 256 levels")
            }
        }
        let manyAliases = "a: &a x\nb: [" + Array(repeating: "*a", count: 10_001).joined(separator: ",") + "]\n"
        XCTAssertThrowsError(try BoundedYAML.load(manyAliases, path: "aliases.yaml")) { error in
            XCTAssertEqual((error as? YAMLDocumentError)?.reason, "refused: it has more than the limit of 10000 aliases")
        }
        let small = BoundedYAML.Limits(maxBytes: 100, maxDepth: 256, maxAliases: 10, maxNodes: 1000)
        XCTAssertThrowsError(try BoundedYAML.load(String(repeating: "#", count: 101), path: "big.yaml", limits: small)) { error in
            XCTAssertEqual((error as? YAMLDocumentError)?.reason, "refused: 101 bytes is more than the limit of 100")
        }
        let dir = TemporaryDirectory()
        let file = dir.file("big.yaml")
        FileManager.default.createFile(atPath: file, contents: Data(repeating: 0x23, count: 101))
        XCTAssertThrowsError(try BoundedYAML.readText(path: file, limits: small)) { error in
            XCTAssertEqual((error as? YAMLDocumentError)?.reason, "refused: 101 bytes is more than the limit of 100")
        }
        // A document within the limits, aliases included, loads as before.
        XCTAssertEqual((try BoundedYAML.load("a: &a [1, 2]\nb: *a\n", path: "ok.yaml") as? [String: Any])?["b"] as? [Int], [1, 2])
    }

    func testANormalSpecStillLoads() throws {
        let spec = try OpenAPILoader.parse(YAMLBoundsTests.spec, path: "orders.yaml")
        XCTAssertEqual(spec.title, "Orders")
        XCTAssertEqual(spec.paths, ["/orders", "/orders/{id}"])
        XCTAssertEqual(spec.basePaths, ["/v1"])
        XCTAssertEqual(spec.operations.filter(\.deprecated).map(\.path), ["/orders"])

        let fixture = try IngestFixture()
        let specPath = fixture.write("orders.yaml", YAMLBoundsTests.spec)
        let log = fixture.write("access.log", "203.0.113.5 - - [01/Apr/2026:10:00:00 +0000] \"GET /v1/orders/7 HTTP/1.1\" 200 10 \"-\" \"curl\"\n")
        let result = try fixture.ingest(log, "--openapi", specPath)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try fixture.open().actions().filter { $0.kind == "evidence.ingested" }.count, 1)
    }

    func testSyntaxErrorsArePlainAndPlaced() throws {
        XCTAssertThrowsError(try BoundedYAML.load("openapi: 3.0.0\npaths: {\"/a\": [}\n", path: "broken.yaml")) { error in
            let reason = (error as? YAMLDocumentError)?.reason ?? ""
            XCTAssertTrue(reason.hasPrefix("not YAML or JSON: "), reason)
            XCTAssertTrue(reason.contains("at line 2, column "), reason)
        }
    }
}
