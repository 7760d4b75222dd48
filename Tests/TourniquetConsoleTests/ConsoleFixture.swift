import TourniquetModel

@testable import TourniquetConsole

/// Fixed console data, hostile strings included, so snapshots are stable and show escaping.
enum ConsoleFixture {
    static let t0: Int64 = 1_795_946_400_000  // 2026-11-29T10:00:00Z

    static var data: ConsoleData {
        let metadata = CaseMetadata(
            id: "3f0c9d2e-8b1a-4c55-9e3a-6d2b7f1a0c11", title: "Partner API: stuffing, BOLA and a leaked key",
            severity: .high, detectedAtMs: t0, createdAtMs: t0 + 60_000, isDrill: true)
        let findings = [
            Finding(
                detector: .bolaEnumeration, severity: .critical, subject: .init(kind: .client, value: "mallory"), firstMs: t0, lastMs: t0 + 600_000,
                requests: 403, evidence: ["route": "/v1/orders/{orderId}"], state: .confirmed),
            Finding(
                detector: .scraping, severity: .high, subject: .init(kind: .key, value: "fp:d646d844f42286d4"), firstMs: t0, lastMs: t0 + 900_000,
                requests: 874,
                evidence: [
                    "busiest_window_requests": 301, "own_median_window": 290, "sources": 1, "window_seconds": 300,
                    "user_agent": "curl/8\u{1B}[31m red", "peer_p90_window": 8,
                ], confidence: .weak, confidenceReason: "used only from the one source it has always used"),
            Finding(
                detector: .credentialStuffing, severity: .high, subject: .init(kind: .route, value: "/v1/login"), firstMs: t0, lastMs: t0 + 300_000,
                requests: 826, evidence: [:]),
            Finding(
                detector: .pathProbing, severity: .medium, subject: .init(kind: .ip, value: "203.0.113.9\u{1B}]0;pwned\u{07}"), firstMs: t0,
                lastMs: t0,
                requests: 12, evidence: [:], state: .dismissed),
        ]
        let scope = ConsoleData.ScopeSummary(
            ranAtMs: t0 + 3_600_000, requests: 20_081, attackerIPs: ["103.112.35.152", "195.158.59.203", "90.102.222.188"],
            attackerClients: ["mallory"],
            compromisedAccounts: ["aaron.brown", "alba.smith"], accountsTargeted: 742, compromisedKeys: ["fp:d646d844f42286d4"],
            targetedEndpoints: [("POST", "/v1/login", 3034, 1203), ("GET", "/v1/orders/{orderId}", 2100, 406)],
            dataAccessed: [("/v1/orders/{orderId}", 326, 295_504)], shadowEndpoints: [("GET", "/v0/accounts/{id}", 7)])
        let timeline = [
            action(4, "alice", "note", "case", "blocked mallory at the edge \u{202E}evil\u{202C}"),
            action(3, "alice", "finding.confirmed", "F-4d3b115ced", "walked 400 order ids"),
            action(2, "bob", "evidence.ingested", "/var/log/nginx/access.log", ""),
            action(1, "bob", "case.created", "case", ""),
        ]
        var data = ConsoleData(
            metadata: metadata,
            evidence: [
                .init(
                    id: 1, path: "/var/log/nginx/access.log", format: "combined", sha256: String(repeating: "ab", count: 32),
                    lines: 20_081, parsed: 20_081, malformed: 0, firstMs: t0 - 7_200_000, lastMs: t0 + 14_400_000),
                .init(
                    id: 2, path: "/tmp/日本語-\u{1B}[2J.json.gz", format: "kong", sha256: String(repeating: "cd", count: 32),
                    lines: 10, parsed: 8, malformed: 2, firstMs: t0, lastMs: t0 + 60_000),
            ],
            requestCount: 20_089, findings: findings, scope: scope, timeline: timeline, actionCount: 4)
        data.containment = [
            entry(5, .blockAddress(network: CIDR("103.112.35.152")!, expiresAtMs: t0 + 86_400_000), .verified, onGateway: true),
            entry(
                6, .blockKey(fingerprint: "fp:d646d844f42286d4", consumer: "partner-sync"), .failed, onGateway: false,
                note: "nginx -t refused the configuration"),
            entry(7, .disableEndpoint(method: "GET", route: "/v0/accounts/{id}", status: 410, message: nil), .outcomeUnknown, onGateway: nil),
            entry(8, .blockAddress(network: CIDR("90.102.222.0/24")!, expiresAtMs: nil), .undone, onGateway: true),
        ]
        data.response = response
        data.review = review
        return data
    }

    /// A review run: a failing item whose evidence quotes an attacker's path, a pass, an unknown,
    /// a manual item answered and one still waiting.
    static var review: ReviewLedger {
        let results = [
            ReviewResult(
                id: "auth-every-route", title: "Every route requires authentication", reference: "API2:2023", state: .fail,
                evidence: [
                    "GET /v1/orders/{id} answered 2xx 12 times to requests with no identity", "GET /h/\u{1B}]0;pwned\u{07} answered 2xx 3 times",
                ],
                fix: "Put an authentication plugin on every route or service, and declare security on every OpenAPI operation."),
            ReviewResult(
                id: "jwt-claims", title: "JWTs are checked for expiry and not-before, and live at most an hour",
                reference: "API2:2023, NIST SP 800-63B",
                state: .pass, evidence: ["jwt at service:shop-api: verifies exp and nbf, tokens live at most 1800 s"], fix: "Set claims_to_verify."),
            ReviewResult(
                id: "retry-after", title: "429 answers carry Retry-After", reference: "API4:2023", state: .unknown,
                evidence: ["40 429 answers on 2 routes, but the logs record no response headers"], fix: "Answer 429 with Retry-After."),
            ReviewResult(
                id: "pkce", title: "Public clients use OAuth 2.0 with PKCE", reference: "API2:2023", state: .manual, evidence: [],
                fix: "Require PKCE for every public client.", guidance: "Check the authorization server's client list."),
            ReviewResult(
                id: "error-details", title: "Errors reveal no internals", reference: "API8:2023", state: .manual, evidence: [],
                fix: "Return a generic message and a correlation id.", guidance: "Send a malformed request and read the 4xx and 5xx bodies."),
        ]
        let items = (try? JSONValueEncoder.encode(results)) ?? .null
        var run = action(30, "alice", "review.run", "review", "")
        run.details = JSONValue.fields(["items": items]).canonicalJSON
        var answer = action(31, "bob", "review.answered", "review:pkce", "PKCE is required for the SPA and both apps")
        answer.details = #"{"item":"pkce","state":"pass"}"#
        return ReviewLedger(actions: [run, answer])
    }

    /// Two playbooks, one walked to a decision; three obligations: one due in under 12 hours, one
    /// overdue, one sent.
    static var response: ResponseData {
        let breach = Playbook(
            id: "api-breach", title: "API breach", version: "1.0", description: "The five steps \u{1B}[2J of an API breach",
            detectors: [.credentialStuffing, .bolaEnumeration],
            steps: [
                .init(id: "sources", title: "Which sources attacked?", kind: .question(answer: .attackerSources, next: "block")),
                .init(id: "block", title: "Block them", kind: .contain(.init(action: .blockIP, from: .attackerSources), next: "personal-data")),
                .init(
                    id: "personal-data", title: "Was personal data exposed?",
                    kind: .decision(options: [.init(label: "yes", next: "notify"), .init(label: "no", next: "end")])),
                .init(id: "notify", title: "Tell the authority", kind: .notify(obligation: "gdpr-art33", next: "end")),
            ])
        let stuffing = Playbook(
            id: "credential-stuffing", title: "Credential stuffing", version: "1.0", description: "", detectors: [.credentialStuffing],
            steps: [.init(id: "reset", title: "Reset passwords", kind: .checklist(next: "end"))])
        let actions = [
            action(10, "alice", "playbook.started", "playbook:api-breach", "breach"),
            action(11, "alice", "playbook.step", "playbook:api-breach", "read it"),
            action(12, "alice", "playbook.step", "playbook:api-breach", "campaign sources"),
        ].enumerated().map { index, action -> Action in
            var copy = action
            copy.details =
                [
                    #"{"playbook":"api-breach"}"#, #"{"next":"block","outcome":"done","playbook":"api-breach","step":"sources"}"#,
                    #"{"next":"personal-data","outcome":"done","playbook":"api-breach","step":"block"}"#,
                ][index]
            return copy
        }
        var response = ResponseData()
        response.playbooks = [
            .init(playbook: breach, digest: "d1", fits: 3, progress: PlaybookProgress(playbook: breach, actions: actions)),
            .init(playbook: stuffing, digest: "d2", fits: 1, progress: PlaybookProgress(playbook: stuffing, actions: [])),
        ]
        response.answers = [.attackerSources: ["103.112.35.152", "195.158.59.203", "90.102.222.188"]]
        response.clocks = ["awareness": t0 - 70 * 3_600_000 + 42 * 60_000 + 3 * 3_600_000]
        response.obligations = [
            .init(
                regime: "gdpr-art33", title: "GDPR Art. 33 — notify the supervisory authority", state: .drafted, reason: "EU customers",
                inForce: true,
                deadlines: [
                    .init(
                        name: "notification", atMs: t0 + 5 * 3_600_000, shown: "Sun 2026-11-29 15:00Z", rule: "72 h after awareness", waitingFor: [])
                ]),
            .init(
                regime: "nis2", title: "NIS2 Art. 23 — significant incident reporting", state: .todo, reason: "essential entity", inForce: true,
                deadlines: [
                    .init(name: "early warning", atMs: t0 - 3_600_000, shown: "Sun 2026-11-29 09:00Z", rule: "24 h after awareness", waitingFor: [])
                ]),
            .init(
                regime: "key-holders", title: "Holders of blocked API keys", state: .sent, reason: "mailed partner-sync", inForce: true,
                deadlines: [.init(name: "notice", atMs: nil, shown: "", rule: "before or as the block is applied", waitingFor: [])]),
        ]
        return response
    }

    static func entry(
        _ id: Int64, _ measure: ContainmentMeasure, _ state: ContainmentState, onGateway: Bool?, note: String = ""
    ) -> ContainmentEntry {
        ContainmentEntry(
            id: id, measure: measure, reason: "named by scope \u{1B}[2J", actor: "alice", plannedAt: UTCTime.format(ms: t0 + id * 60_000),
            forced: nil, state: state, onGateway: onGateway, lastApply: nil, note: note, undoneBy: state == .undone ? 9 : nil)
    }

    static func action(_ id: Int64, _ actor: String, _ kind: String, _ target: String, _ rationale: String) -> Action {
        Action(
            id: id, at: UTCTime.format(ms: t0 + id * 60_000), actor: actor, kind: kind, target: target, details: "{}", rationale: rationale,
            corrects: nil, prevHash: "", hash: "")
    }

    static var drillLines: [RequestLine] {
        var lines: [RequestLine] = []
        for i in 0..<30 {
            let status: Int64 = i % 5 == 3 ? 404 : 200
            let agent = i == 4 ? "curl\u{1B}[31m" : "python-requests/2.31"
            let ts: Int64 = t0 + Int64(i) * 1000
            lines.append(
                RequestLine(
                    timestampMs: ts, ip: "90.102.222.188", client: "mallory", method: "GET",
                    target: "/v1/orders/\(1_000_180 + i)", status: status, bytes: 900 + Int64(i), userAgent: agent))
        }
        return lines
    }
}
