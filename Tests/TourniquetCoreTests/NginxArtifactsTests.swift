import XCTest

@testable import TourniquetContainment
@testable import TourniquetModel

/// The managed nginx files quote attacker-chosen text (routes, messages) and secrets (keys): each
/// is escaped or refused, and the timeline's copy never holds a key.
final class NginxArtifactsTests: XCTestCase {
    private func entry(_ id: Int64, _ measure: ContainmentMeasure) -> ContainmentEntry {
        ContainmentEntry(
            id: id, measure: measure, reason: "r", actor: "a", plannedAt: "", forced: nil, state: .pending, onGateway: false, lastApply: nil,
            note: "", undoneBy: nil)
    }

    func testEveryMeasureIsTaggedAndKeysStayOutOfTheTimeline() throws {
        let key = "AbC.123+/="
        let artifacts = try NginxArtifacts(
            caseID: "case-1",
            entries: [
                entry(3, .blockAddress(network: CIDR("203.0.113.0/24")!, expiresAtMs: 1_764_417_600_000)),
                entry(4, .blockKey(fingerprint: "fp:0011223344556677", consumer: "partner\nsync")),
                entry(5, .disableEndpoint(method: "GET", route: "/v1/orders/{id}.json", status: 410, message: "gone \"now\" $host\u{1b}[2J")),
            ], keyValues: ["fp:0011223344556677": key], keyHeader: "X-API-Key")
        XCTAssertTrue(artifacts.http.contains("    203.0.113.0/24 1; # tq:3 until 2025-11-29T12:00:00.000Z\n"))
        XCTAssertTrue(artifacts.http.contains("map $http_x_api_key $tourniquet_blocked_key {"))
        XCTAssertTrue(artifacts.http.contains(#""~^AbC\.123\+\/\=$" 1; # tq:4 key:fp:0011223344556677"#), artifacts.http)
        XCTAssertTrue(artifacts.http.contains(#""~^GET /v1/orders/[^/]+\.json$" 410; # tq:5"#), artifacts.http)
        XCTAssertTrue(artifacts.http.contains(#""gone \"now\" host[2J"; # tq:5"#), "no $ variable, no escape byte: \(artifacts.http)")
        XCTAssertFalse(artifacts.http.contains("partner\nsync"), "a consumer name cannot break the line")
        XCTAssertFalse(artifacts.httpForTimeline.contains("AbC"), "the timeline's copy has no key")
        XCTAssertTrue(artifacts.httpForTimeline.contains("<the key with fingerprint fp:0011223344556677>"))
        XCTAssertEqual(NginxArtifacts.keyValues(inHTTPFile: artifacts.http), ["fp:0011223344556677": key], "read back by the next apply")
        XCTAssertTrue(artifacts.server.contains("if ($tourniquet_disabled_status = 410) { return 410 $tourniquet_disabled_message; }"))
    }

    func testWhatNginxCannotBeToldIsRefusedBeforeAnythingIsWritten() {
        let block = entry(4, .blockKey(fingerprint: "fp:0011223344556677", consumer: nil))
        XCTAssertThrowsError(try NginxArtifacts(caseID: "c", entries: [block], keyValues: [:], keyHeader: "X-API-Key")) { error in
            XCTAssertTrue("\(error)".contains("--key-values"), "\(error)")
        }
        for hostile in ["a\"b", "a;b", "a b", "a\\b", "ключ", ""] {
            XCTAssertThrowsError(
                try NginxArtifacts(caseID: "c", entries: [block], keyValues: ["fp:0011223344556677": hostile], keyHeader: "X-API-Key"), hostile)
        }
        XCTAssertThrowsError(try NginxArtifacts(caseID: "c", entries: [], keyValues: [:], keyHeader: "X-API-Key;\n}"))
    }
}
