import TourniquetContainment
import TourniquetModel

/// Authentication on every route, API keys as the only authentication, and the JWT plugin's settings.
enum AuthenticationChecks {
    static let everyRoute = ReviewItem(
        id: "auth-every-route", title: "Every route requires authentication", reference: "API2:2023",
        fix: "Put an authentication plugin (jwt, openid-connect, oauth2, key-auth with another factor) on every route or service, "
            + "declare `security` on every OpenAPI operation, and justify in the spec any route left open.")

    static let apiKeyAlone = ReviewItem(
        id: "api-key-alone", title: "API keys are not the only authentication on data or write routes", reference: "API2:2023",
        fix: "Keep API keys for identifying applications; require a token that names a person or a signed grant (jwt, oauth2, "
            + "openid-connect) on routes that read or change data.")

    static let jwtSettings = ReviewItem(
        id: "jwt-claims", title: "JWTs are checked for expiry and not-before, and live at most an hour",
        reference: "API2:2023, NIST SP 800-63B",
        fix: "Set the jwt plugin's claims_to_verify to [exp, nbf] and maximum_expiration to 3600 s or less (15–60 minutes).")

    static func everyRoute(_ input: ReviewInput) -> ReviewResult {
        var failures: [String] = []
        var looked: [String] = []
        if let kong = input.kong.map(KongView.init) {
            looked.append("\(kong.routes.count) Kong routes")
            failures += listed(kong.routes.filter { kong.authentication(for: $0).isEmpty }) {
                "Kong \(KongView.describe($0)) has no authentication plugin"
            }
        }
        // `security: []` (or an empty alternative) is the spec saying "public on purpose": a documented exception.
        var declaredPublic = Set<String>()
        var notes: [String] = []
        if let spec = input.openAPI {
            let ops = spec.operations
            looked.append("\(ops.count) OpenAPI operations")
            failures += listed(ops.filter { $0.security == nil }) { "OpenAPI \($0.method) \($0.path) declares no security" }
            let open = ops.filter { op in op.security.map { $0.isEmpty || $0.contains { $0.isEmpty } } ?? false }
            declaredPublic = Set(open.map { "\($0.method) \($0.path)" })
            if !open.isEmpty {
                notes.append(
                    "declared public in the spec (security: []): " + open.prefix(8).map { "\($0.method) \($0.path)" }.joined(separator: ", ")
                        + (open.count > 8 ? " and \(open.count - 8) more" : ""))
            }
        }
        if input.logsCarryIdentity, let logs = input.logs {
            looked.append("\(logs.routes.count) routes in the logs")
            let anonymous = logs.routes.filter {
                $0.anonymousOK > 0 && !EndpointType.of(path: $0.route, methods: [$0.method]).isAnonymousByDesign
                    && !declaredPublic.contains("\($0.method) \($0.route)")
            }
            .sorted { ($0.anonymousOK, $1.route) > ($1.anonymousOK, $0.route) }
            failures += listed(anonymous) { "\($0.method) \($0.route) answered 2xx \($0.anonymousOK) times to requests with no identity" }
        } else if input.logs != nil {
            notes.append("the logs carry no client identity, so they cannot show anonymous access")
        }
        if looked.isEmpty {
            return everyRoute.result(.unknown, ["no Kong state, OpenAPI document, or logs with client identity, to check"] + notes)
        }
        return everyRoute.result(
            failures.isEmpty ? .pass : .fail, (failures.isEmpty ? ["checked " + looked.joined(separator: ", ")] : failures) + notes)
    }

    static func apiKeyAlone(_ input: ReviewInput) -> ReviewResult {
        var failures: [String] = []
        var looked = false
        if let kong = input.kong.map(KongView.init) {
            looked = true
            let keyOnly = kong.routes.filter { route in
                let plugins = Set(kong.authentication(for: route).map(\.plugin))
                return plugins.contains { $0.hasPrefix("key-auth") } && plugins.isDisjoint(with: KongView.strongPlugins)
                    && !EndpointType.of(path: route.paths.joined(separator: " "), methods: route.methods).isAnonymousByDesign
            }
            failures += listed(keyOnly) { "Kong \(KongView.describe($0)): key-auth with no jwt, oauth2 or openid-connect" }
        }
        if let spec = input.openAPI {
            looked = true
            let types = spec.schemeTypes
            let keyOnly = spec.operations.filter { op in
                guard let security = op.security, !security.isEmpty, !security.contains(where: \.isEmpty) else { return false }
                return security.allSatisfy { alternative in alternative.allSatisfy { types[$0] == "apiKey" } }
                    && !EndpointType.of(path: op.path, methods: [op.method]).isAnonymousByDesign
            }
            failures += listed(keyOnly) { "OpenAPI \($0.method) \($0.path) accepts an API key alone" }
        }
        guard looked else { return apiKeyAlone.result(.unknown, ["no Kong state or OpenAPI document to check"]) }
        return apiKeyAlone.result(failures.isEmpty ? .pass : .fail, failures.isEmpty ? ["no data or write route takes an API key alone"] : failures)
    }

    static func jwtSettings(_ input: ReviewInput) -> ReviewResult {
        guard let kong = input.kong else { return jwtSettings.result(.unknown, ["no Kong state to check"]) }
        let plugins = kong.policies.filter { $0.plugin == "jwt" && $0.enabled }
        guard !plugins.isEmpty else { return jwtSettings.result(.unknown, ["no jwt plugin in the Kong state"]) }
        var failures: [String] = []
        for plugin in plugins {
            let claims = Set((plugin.settings["claims_to_verify"]?.arrayValue ?? []).compactMap(\.stringValue))
            let missing = ["exp", "nbf"].filter { !claims.contains($0) }
            if !missing.isEmpty { failures.append("jwt at \(plugin.scope): claims_to_verify lacks \(missing.joined(separator: " and "))") }
            let maximum = plugin.settings["maximum_expiration"]?.doubleValue ?? 0
            if maximum <= 0 {
                failures.append("jwt at \(plugin.scope): maximum_expiration is unset, so tokens may live for ever")
            } else if maximum > 3600 {
                failures.append("jwt at \(plugin.scope): maximum_expiration is \(Int(maximum)) s, over 3600")
            }
        }
        return jwtSettings.result(
            failures.isEmpty ? .pass : .fail,
            failures.isEmpty
                ? plugins.map {
                    "jwt at \($0.scope): verifies exp and nbf, tokens live at most \($0.settings["maximum_expiration"]?.scalarText ?? "?") s"
                } : failures)
    }
}
