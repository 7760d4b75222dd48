import Foundation
import XCTest

@testable import TourniquetIngest
@testable import TourniquetSimulation

/// The incident simulator: determinism, parseable lines in every format, and a ground truth that
/// matches the log it describes.
final class SimulatorTests: XCTestCase {
    // MARK: - Helpers

    /// FNV-1a over every line (and a separator), so equal hashes mean byte-identical logs.
    private func hashedRun(_ spec: SimulationSpec) -> (hash: UInt64, lines: Int, truth: GroundTruth) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        var count = 0
        let incident = IncidentSimulator.run(spec) { line in
            count += 1
            for byte in line.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            hash = (hash ^ 0x0A) &* 0x0000_0100_0000_01B3
        }
        return (hash, count, incident.truth)
    }

    private func requests(_ spec: SimulationSpec) -> ([SimulatedRequest], SimulatedIncident) {
        var out: [SimulatedRequest] = []
        let incident = IncidentSimulator.generate(spec) { out.append($0) }
        return (out, incident)
    }

    private func parse(_ line: String, _ format: String) -> ParsedRequest? {
        guard let parser = LogFormats.parser(named: format) else { return nil }
        var text = line
        switch text.withUTF8({ parser.parse($0) }) {
        case .success(let request): return request
        case .failure(let error):
            XCTFail("\(format): \(error.reason): \(line)")
            return nil
        }
    }

    /// Checks that `parsed` gives back what the simulator meant to log.
    private func assertRoundTrip(_ r: SimulatedRequest, _ p: ParsedRequest, _ format: String, line: String) {
        XCTAssertEqual(p.clientAddress, r.ip, line)
        XCTAssertEqual(p.method, r.method, line)
        XCTAssertEqual(p.status, r.status, line)
        XCTAssertEqual(p.bytes, Int64(r.bytes), line)
        XCTAssertEqual(p.userAgent, r.userAgent, line)
        XCTAssertEqual(p.forwardedFor, r.forwardedFor, line)
        switch format {
        case "combined":
            XCTAssertEqual(p.timestampMs, r.timestampMs / 1000 * 1000, line)
            XCTAssertEqual(p.target, SimulatedLogWriter.target(r, keyInQuery: true), line)
            XCTAssertEqual(p.remoteUser, r.identity, line)
        case "kong":
            XCTAssertEqual(p.timestampMs, r.timestampMs, line)
            XCTAssertEqual(p.target, SimulatedLogWriter.target(r, keyInQuery: false), line)
            XCTAssertEqual(p.consumer, r.identity ?? r.apiKeyID, line)
            XCTAssertEqual(p.credentialHeaders.first { $0.name == "apikey" }?.value, r.apiKeySecret, line)
            XCTAssertEqual(p.latencyMicros, Int64(r.latencyMs) * 1000, line)
        case "aws-apigw":
            XCTAssertEqual(p.timestampMs, r.timestampMs, line)
            XCTAssertEqual(p.target, r.path, line)
            XCTAssertEqual(p.remoteUser, r.identity, line)
            XCTAssertEqual(p.apiKeyId, r.apiKeyID, line)
            XCTAssertEqual(p.latencyMicros, Int64(r.latencyMs) * 1000, line)
        default:
            XCTAssertEqual(p.timestampMs, r.timestampMs, line)
            XCTAssertEqual(p.target, SimulatedLogWriter.target(r, keyInQuery: true), line)
            XCTAssertEqual(p.remoteUser, r.identity, line)
            XCTAssertEqual(p.latencyMicros, Int64(r.latencyMs) * 1000, line)
        }
    }

    // MARK: - Determinism

    func testSameSeedSameBytesOtherSeedDiffers() {
        let a = hashedRun(SimulationSpec(seed: 42, lines: 2_000))
        let b = hashedRun(SimulationSpec(seed: 42, lines: 2_000))
        let c = hashedRun(SimulationSpec(seed: 43, lines: 2_000))
        XCTAssertEqual(a.hash, b.hash)
        XCTAssertEqual(a.lines, b.lines)
        XCTAssertEqual(a.truth, b.truth)
        XCTAssertEqual(a.truth.jsonText(), b.truth.jsonText())
        XCTAssertNotEqual(a.hash, c.hash)
        XCTAssertNotEqual(a.truth.attackers, c.truth.attackers)
    }

    // MARK: - Lines

    func testEveryFormatParsesRoundTripsAndIsInTimeOrder() {
        for format in SimulationSpec.formats {
            let spec = SimulationSpec(seed: 5, format: format, lines: 2_000)
            let (reqs, incident) = requests(spec)
            var lines: [String] = []
            _ = IncidentSimulator.run(spec) { lines.append($0) }
            XCTAssertEqual(lines.count, reqs.count, format)
            XCTAssertEqual(incident.logFileName, format == "combined" ? "access.log" : "access.json")
            var previous = Int64.min
            for (line, r) in zip(lines, reqs) {
                XCTAssertEqual(line, SimulatedLogWriter.line(for: r, format: format))
                XCTAssertFalse(line.contains("\n"))
                guard let p = parse(line, format) else { return }
                assertRoundTrip(r, p, format, line: line)
                XCTAssertGreaterThanOrEqual(p.timestampMs, previous, "out of order: \(line)")
                previous = p.timestampMs
            }
            XCTAssertEqual(LogFormats.detect(lines.prefix(20).map { Array($0.utf8) })?.formatName, format)
        }
    }

    func testWriterEscapesHostileValues() {
        let r = SimulatedRequest(
            timestampMs: 1_795_939_200_123, ip: "203.0.113.7", forwardedFor: "198.51.100.1, 10.0.0.2",
            identity: "eve \"admin\"\\x", apiKeyID: "k-1", apiKeySecret: "s3cr3t/+=", method: "GET",
            path: "/v1/products/\"><script>", query: "q=%27%20OR%201=1--&x=\u{1}\u{7F}é", status: 400, bytes: 71,
            latencyMs: 3, userAgent: "Mozilla \"quoted\" \\ tab\there ünï", route: nil)
        for format in SimulationSpec.formats {
            let line = SimulatedLogWriter.line(for: r, format: format)
            XCTAssertFalse(line.utf8.contains { $0 < 0x20 }, "raw control byte in \(format)")
            if let p = parse(line, format) { assertRoundTrip(r, p, format, line: line) }
        }
        XCTAssertTrue(SimulatedLogWriter.line(for: r, format: "combined").contains("api_key=s3cr3t%2F%2B%3D"))
    }

    // MARK: - Ground truth

    /// By default logins are logged as most gateways log them: without the account.
    func testLoginsAreAnonymousUnlessAsked() {
        let (anonymous, _) = requests(SimulationSpec(seed: 9, lines: 5_000))
        let logins = anonymous.filter { $0.path == SimulatedAPI.login || $0.path == SimulatedAPI.passwordReset }
        XCTAssertGreaterThan(logins.count, 100)
        XCTAssertTrue(logins.allSatisfy { $0.identity == nil }, "a login line names its account")
        XCTAssertTrue(anonymous.contains { $0.identity != nil }, "the requests after the login do")
        let (identified, _) = requests(SimulationSpec(seed: 9, lines: 5_000, identifiedLogins: true))
        XCTAssertTrue(identified.filter { $0.path == SimulatedAPI.login }.allSatisfy { $0.identity != nil })
    }

    func testTruthMatchesTheLog() throws {
        // The truth is checked against the accounts on the login lines, so they are logged here.
        let (reqs, incident) = requests(SimulationSpec(seed: 9, lines: 20_000, identifiedLogins: true))
        let truth = incident.truth
        XCTAssertEqual(truth.scenarios, SimulatedScenario.allCases)
        let attackerIPs = Set(truth.attackers.ips)
        XCTAssertTrue(attackerIPs.isDisjoint(with: truth.decoys.ips))
        XCTAssertTrue(Set(truth.attackers.clients).isDisjoint(with: truth.decoys.clients))
        XCTAssertTrue(Set(truth.accounts.compromised).isDisjoint(with: truth.decoys.clients))
        XCTAssertTrue((2...4).contains(truth.accounts.compromised.count))
        XCTAssertLessThanOrEqual(truth.accounts.compromised.count, truth.accounts.targeted)
        XCTAssertGreaterThan(truth.accounts.targeted, 200)
        let stuffers = Set(reqs.filter { $0.path == SimulatedAPI.login && $0.status == 401 && attackerIPs.contains($0.ip) }.map(\.ip))
        XCTAssertTrue((21...61).contains(stuffers.count), "\(stuffers.count) stuffing addresses")  // 20–60 and the brute force

        let seenIPs = Set(reqs.map(\.ip))
        XCTAssertTrue(attackerIPs.isSubset(of: seenIPs))
        XCTAssertTrue(Set(truth.decoys.ips).isSubset(of: seenIPs))
        let seenClients = Set(reqs.compactMap(\.identity))
        XCTAssertTrue(Set(truth.attackers.clients).isSubset(of: seenClients))
        XCTAssertTrue(Set(truth.decoys.clients).isSubset(of: seenClients))

        // Each victim was logged into from an attacker address, then used from there.
        for victim in truth.accounts.compromised {
            let fromAttackers = reqs.filter { $0.identity == victim && attackerIPs.contains($0.ip) }
            XCTAssertEqual(fromAttackers.first?.path, SimulatedAPI.login)
            XCTAssertEqual(fromAttackers.first?.status, 200)
            XCTAssertGreaterThanOrEqual(fromAttackers.filter { $0.method == "GET" && $0.status == 200 }.count, 3)
        }
        // Logins from attacker addresses are almost all failures.
        let attackLogins = reqs.filter { attackerIPs.contains($0.ip) && $0.path == SimulatedAPI.login && $0.identity != "mallory" }
        XCTAssertGreaterThan(Double(attackLogins.filter { $0.status == 401 }.count) / Double(attackLogins.count), 0.97)

        // BOLA: every listed id answered 2xx to mallory, and mallory never owned it.
        let objects = try XCTUnwrap(truth.objects.first)
        XCTAssertEqual(objects.route, "/v1/orders/{orderId}")
        let bola = reqs.filter { $0.identity == "mallory" && $0.route == SimulatedAPI.order }
        let answered = Set(bola.filter { $0.status == 200 }.map { String($0.path.split(separator: "/").last!) })
        XCTAssertTrue(Set(objects.ids).isSubset(of: answered))
        XCTAssertGreaterThan(objects.ids.count, 200)
        XCTAssertGreaterThan(bola.filter { $0.status == 404 }.count, 10)

        // Shadow endpoints are undocumented or deprecated, and answered 2xx to an attacker.
        let routes = RouteTable(specTemplates: SimulatedAPI.documentedPaths, basePaths: [])
        for endpoint in truth.shadowEndpoints {
            let hit = reqs.contains { r in
                attackerIPs.contains(r.ip) && r.method == endpoint.method && (200..<300).contains(r.status)
                    && routes.match(path: r.path).route == endpoint.path
            }
            XCTAssertTrue(hit, "\(endpoint)")
            let documented = SimulatedAPI.operations.first { $0.path == endpoint.path && $0.method == endpoint.method }
            XCTAssertTrue(documented.map(\.deprecated) ?? !routes.match(path: endpoint.path).documented, "\(endpoint)")
        }
        XCTAssertGreaterThanOrEqual(truth.shadowEndpoints.count, 3)

        // Scraping: the partner key is used by attacker addresses, with 429s, and by the partner.
        XCTAssertEqual(
            truth.keys.compromised,
            [GroundTruth.CompromisedKey(id: "partner-acme", secret: reqs.first { $0.apiKeyID == "partner-acme" }?.apiKeySecret)])
        let keyed = reqs.filter { $0.apiKeyID == "partner-acme" }
        XCTAssertGreaterThanOrEqual(Set(keyed.map(\.ip).filter(attackerIPs.contains)).count, 5)
        XCTAssertGreaterThan(keyed.filter { $0.status == 429 }.count, 20)
        XCTAssertEqual(Set(keyed.map(\.ip).filter { !attackerIPs.contains($0) }).count, 2)

        // Attacks are a minority, and none starts before a benign baseline.
        let attackLines = reqs.filter { attackerIPs.contains($0.ip) }
        let share = Double(attackLines.count) / Double(reqs.count)
        XCTAssertTrue((0.05...0.20).contains(share), "attack share \(share)")
        let start = reqs[0].timestampMs
        XCTAssertGreaterThan(attackLines.map(\.timestampMs).min()! - start, 3_600_000)
        XCTAssertTrue((19_000...21_000).contains(reqs.count), "\(reqs.count) lines")
    }

    func testDecoysLookSuspiciousButStayBenign() {
        let (reqs, incident) = requests(SimulationSpec(seed: 3, scenarios: [.bola], lines: 20_000))
        let health = reqs.filter { $0.path == "/health" }
        XCTAssertTrue(incident.truth.decoys.ips.contains(health[0].ip))
        let gaps = zip(health.dropFirst(), health).map { $0.timestampMs - $1.timestampMs }
        XCTAssertTrue(gaps.allSatisfy { (9_990...10_010).contains($0) })
        let service = reqs.filter { $0.identity == "svc-billing" }
        XCTAssertEqual(Set(service.map(\.ip)).count, 2)
        XCTAssertTrue(service.allSatisfy { $0.status == 200 && $0.apiKeySecret != nil })
        // The NAT address: hundreds of users, whose mistyped passwords fall where they fall.
        let natIP = Dictionary(grouping: reqs.filter { $0.path != "/health" }, by: \.ip).max { $0.value.count < $1.value.count }!.key
        XCTAssertTrue(incident.truth.decoys.ips.contains(natIP))
        let nat = reqs.filter { $0.ip == natIP }
        XCTAssertEqual(Set(nat.compactMap(\.identity)).count, 200)
        let failures = nat.filter { $0.status == 401 }.map(\.timestampMs)
        XCTAssertGreaterThan(failures.count, 5)
        let forbidden = reqs.filter { $0.status == 403 }
        XCTAssertEqual(forbidden.count, 1)
        XCTAssertTrue(incident.truth.decoys.clients.contains(forbidden[0].identity ?? ""))
    }

    func testEachScenarioAloneHasOnlyItsTruth() {
        for scenario in SimulatedScenario.allCases {
            let truth = requests(SimulationSpec(seed: 11, scenarios: [scenario], lines: 2_000)).1.truth
            XCTAssertEqual(truth.scenarios, [scenario])
            XCTAssertFalse(truth.attackers.ips.isEmpty, "\(scenario)")
            XCTAssertEqual(!truth.accounts.compromised.isEmpty, scenario == .credentialStuffing, "\(scenario)")
            XCTAssertEqual(truth.accounts.targeted > 0, scenario == .credentialStuffing, "\(scenario)")
            XCTAssertEqual(!truth.objects.isEmpty, scenario == .bola, "\(scenario)")
            XCTAssertEqual(!truth.keys.compromised.isEmpty, scenario == .scraping, "\(scenario)")
            XCTAssertEqual(!truth.shadowEndpoints.isEmpty, scenario == .shadowEndpoints, "\(scenario)")
            XCTAssertEqual(!truth.attackers.clients.isEmpty, [.bola, .adminProbing, .shadowEndpoints].contains(scenario))
            XCTAssertFalse(truth.decoys.ips.isEmpty)
        }
    }

    func testKeyIdentityFollowsTheFormat() {
        for format in SimulationSpec.formats {
            let truth = requests(SimulationSpec(seed: 2, scenarios: [.scraping], format: format, lines: 2_000)).1.truth
            let key = truth.keys.compromised[0]
            if format == "aws-apigw" {
                XCTAssertNil(key.secret)
                XCTAssertEqual(key.id.count, 10)
            } else {
                XCTAssertEqual(key.id, "partner-acme")
                XCTAssertEqual(key.secret?.count, 32)
            }
        }
    }

    func testSmallAndLargeLogs() {
        let small = requests(SimulationSpec(seed: 1, lines: 2_000))
        XCTAssertTrue((1_700...2_300).contains(small.0.count), "\(small.0.count)")
        XCTAssertEqual(small.1.truth.objects.count, 1)
        var count = 0
        var last = Int64.min
        var ordered = true
        let large = IncidentSimulator.generate(SimulationSpec(seed: 1, scenarios: [.credentialStuffing, .scraping], lines: 200_000)) {
            count += 1
            ordered = ordered && $0.timestampMs >= last
            last = $0.timestampMs
        }
        XCTAssertTrue(ordered)
        XCTAssertTrue((190_000...210_000).contains(count), "\(count)")
        XCTAssertGreaterThan(large.truth.accounts.targeted, 5_000)
        XCTAssertLessThanOrEqual(last - 1_795_939_200_000, 21_600_000)
    }

    func testGroundTruthJSONShape() throws {
        let truth = requests(SimulationSpec(seed: 4, lines: 2_000)).1.truth
        let text = truth.jsonText()
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["attackers", "accounts", "keys", "objects", "shadow_endpoints", "decoys", "seed", "scenarios", "format"])
        XCTAssertEqual((object["scenarios"] as? [String])?.first, "credential-stuffing")
        XCTAssertTrue(text.contains("\"secret\" : "))
        XCTAssertEqual(try GroundTruth.decode(jsonText: text), truth)
        let awsTruth = GroundTruth(
            seed: 1, scenarios: [.scraping], format: "aws-apigw",
            keys: .init(compromised: [.init(id: "abc", secret: nil)]))
        XCTAssertTrue(awsTruth.jsonText().contains("\"secret\" : null"))
        XCTAssertEqual(try GroundTruth.decode(jsonText: awsTruth.jsonText()), awsTruth)
    }

    func testGatewayDocuments() {
        let incident = requests(SimulationSpec(seed: 6, format: "kong", lines: 2_000)).1
        let spec = incident.openAPIYAML
        XCTAssertTrue(spec.hasPrefix("openapi: 3.0.3\n"))
        XCTAssertTrue(spec.contains("  - url: https://api.example.com\n"))
        for path in SimulatedAPI.documentedPaths { XCTAssertTrue(spec.contains("\n  \(path):\n"), path) }
        XCTAssertTrue(spec.contains("deprecated: true"))
        XCTAssertFalse(spec.contains("/v0/"))
        XCTAssertFalse(spec.contains("/v1/internal"))
        let deck = incident.deckYAML
        XCTAssertTrue(deck.hasPrefix("_format_version: \"3.0\"\n"))
        XCTAssertTrue(deck.contains("- username: partner-acme\n"))
        XCTAssertTrue(deck.contains("- key: \(incident.truth.keys.compromised[0].secret!)\n"))
        XCTAssertTrue(deck.contains("- username: svc-billing\n"))
        XCTAssertFalse(deck.contains("\t"))
    }
}
