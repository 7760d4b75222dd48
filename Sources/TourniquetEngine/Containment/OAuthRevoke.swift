import Foundation
import TourniquetModel
import TourniquetStore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Token revocation at the authorization server (RFC 7009): for each token in the responder's
/// file that a revoke-token measure in force selects (by the JWT's `jti`, `sub` and `iat`, or its
/// `client_id`/`azp`), a form-encoded POST of `token` and `token_type_hint` with HTTP Basic client
/// authentication. Tokens and the client secret are never recorded: the timeline has fingerprints.
///
/// The server answers 200 even for a token it does not know, so the outcome cannot be verified
/// from the answer; the measures stay `applied`, not `verified`.
struct OAuthRevoke {
    let engine: CaseEngine
    let target: OAuthTarget
    let reason: String

    private var caseFile: CaseWriter { engine.caseFile }

    func run() throws -> ApplyReport {
        guard let url = URL(string: target.endpoint), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw RefusedRequest("--revocation-endpoint: '\(target.endpoint)' is not an http(s) URL")
        }
        guard ["access_token", "refresh_token"].contains(target.tokenTypeHint) else {
            throw RefusedRequest("--token-type-hint is access_token or refresh_token")
        }
        let secret = try SecretFile.firstLine(of: target.clientSecretPath, what: "the client secret")
        let tokens = try String(contentsOfFile: target.tokensPath, encoding: .utf8).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let ledger = try CaseEngine.ledger(of: caseFile, nowMs: engine.context.clock.nowMs())
        var selected: [(token: String, measure: Int64)] = []
        var matched = Set<Int64>()
        for token in tokens {
            let claims = JWTClaims(token)
            for entry in ledger.inForce {
                guard case .revokeTokens(let selector, _) = entry.measure,
                    selector.matches(jti: claims?.jti, sub: claims?.sub, clientID: claims?.clientID, issuedAtSeconds: claims?.iat)
                else { continue }
                selected.append((token, entry.id))
                matched.insert(entry.id)
                break
            }
        }
        let revokes = ledger.inForce.filter { if case .revokeTokens = $0.measure { return true } else { return false } }
        let puts = revokes.filter { matched.contains($0.id) }
        let skipped = ledger.inForce.filter { !matched.contains($0.id) }.map {
            (
                $0.id,
                { if case .revokeTokens = $0.measure { return "no token in --tokens is one it selects" } else { return "not a token revocation" } }(
                    $0)
            )
        }
        let redactor = try caseFile.secretRedactor()
        let intent = try record(
            .containmentApplying,
            [
                "target": GatewayTarget.oauth(target).details,
                "gateway": "oauth", "endpoint": .string(target.endpoint), "client_id": .string(target.clientID),
                "puts": .array(puts.map { .int($0.id) }), "removes": [],
                "requests": .array(
                    selected.map {
                        .string(
                            "POST \(target.endpoint) (Basic \(target.clientID):…) token=\(redactor.fingerprint($0.token))&token_type_hint=\(target.tokenTypeHint)"
                        )
                    }),
                "tokens_given": .int(Int64(tokens.count)),
            ])
        var report = ApplyReport(
            gateway: "oauth", intent: intent, outcome: intent, verification: nil, puts: puts, removes: [], files: [], problem: nil, checks: [],
            skipped: skipped)
        var results: [JSONValue] = []
        var failures: [String] = []
        for (token, measure) in selected {
            let status = post(token, to: url, secret: secret)
            let fingerprint = redactor.fingerprint(token)
            results.append(.fields(["token": .string(fingerprint), "measure": .int(measure), "status": status.map { .int(Int64($0)) } ?? .null]))
            if status != 200 { failures.append("\(fingerprint): \(status.map { "answered \($0)" } ?? "no answer")") }
        }
        if !failures.isEmpty {
            report.problem = "the revocation endpoint refused: " + failures.joined(separator: "; ")
            report.outcome = try record(
                .containmentFailed, ["apply": .int(intent.id), "phase": "apply", "error": .string(report.problem!), "results": .array(results)])
            return report
        }
        report.outcome = try record(
            .containmentApplied,
            [
                "apply": .int(intent.id), "results": .array(results),
                "verification": "not possible: RFC 7009 answers 200 for unknown tokens too; introspect a token to check",
            ])
        report.checks = ["\(selected.count) tokens revoked (200)"]
        return report
    }

    private func post(_ token: String, to url: URL, secret: String) -> Int? {
        // RFC 6749 2.3.1: the client id and secret are form-encoded before they are joined.
        let credentials = OAuthRevoke.formEncoded(target.clientID) + ":" + OAuthRevoke.formEncoded(secret)
        let answer = HTTPExchange.send(
            "POST", url,
            headers: [
                "Content-Type": "application/x-www-form-urlencoded", "Authorization": "Basic " + Data(credentials.utf8).base64EncodedString(),
            ],
            body: Data("token=\(OAuthRevoke.formEncoded(token))&token_type_hint=\(target.tokenTypeHint)".utf8))
        return try? answer.get().status
    }

    static func formEncoded(_ text: String) -> String { URLText.percentEncoded(text) }

    private func record(_ kind: ActionKind, _ details: [String: JSONValue]) throws -> Action {
        try engine.recordApplyStep(kind, gateway: "oauth", details, reason: reason)
    }
}

/// The claims of a JWT that select it for revocation, read without checking its signature (the
/// responder's own file; nothing is trusted from it but what to send back to its issuer).
struct JWTClaims {
    var jti: String?
    var sub: String?
    var clientID: String?
    var iat: Int64?

    init?(_ token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].count <= 16_384 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), case .success(let claims) = JSONLineReader.parse(String(decoding: data, as: UTF8.self))
        else { return nil }
        jti = claims["jti"]?.stringValue
        sub = claims["sub"]?.stringValue
        clientID = claims["client_id"]?.stringValue ?? claims["azp"]?.stringValue
        iat = claims["iat"]?.int64Value
    }
}
