/// One change a responder wants on the gateway. It is planned (recorded) first, then an apply puts
/// every measure in force on a gateway at once; the measure itself names no gateway.
public enum ContainmentMeasure: Equatable, Sendable {
    /// Refuse every request from an address or range, until `expiresAtMs` if set.
    case blockAddress(network: CIDR, expiresAtMs: Int64?)
    /// Refuse an API key, named by its fingerprint in the case; `consumer` is who it belongs to,
    /// when the logs or the gateway say so. The key itself is never in the case.
    case blockKey(fingerprint: String, consumer: String?)
    /// Answer an endpoint with 410 (gone for good) or 503 (down for now) instead of serving it.
    case disableEndpoint(method: String, route: String, status: Int, message: String?)
    /// Revoke tokens at the authorization server (RFC 7009) and deny them at the gateway until
    /// `untilMs`: a JWT access token stays valid until it expires unless the API introspects it.
    case revokeTokens(TokenSelector, untilMs: Int64)

    /// The statuses a disabled endpoint may answer with.
    public static let endpointStatuses = [410, 503]

    /// What the measure does, in a line for lists and prompts.
    public var summary: String {
        switch self {
        case .blockAddress(let network, let expires):
            return "block \(network)" + (expires.map { " until \(UTCTime.format(ms: $0))" } ?? "")
        case .blockKey(let fingerprint, let consumer):
            return "block key \(fingerprint)" + (consumer.map { " (\($0))" } ?? "")
        case .disableEndpoint(let method, let route, let status, _):
            return "disable \(method) \(route) with \(status)"
        case .revokeTokens(let selector, let until):
            return "revoke tokens of \(selector.summary), denied until \(UTCTime.format(ms: until))"
        }
    }

    /// The kind as the CLI names it.
    public var verb: String {
        switch self {
        case .blockAddress: return "block-ip"
        case .blockKey: return "block-key"
        case .disableEndpoint: return "disable-endpoint"
        case .revokeTokens: return "revoke-token"
        }
    }

    public var expiresAtMs: Int64? {
        switch self {
        case .blockAddress(_, let expires): return expires
        case .revokeTokens(_, let until): return until
        default: return nil
        }
    }

    /// The recorded form, in the `containment.planned` action's details.
    public var details: JSONValue {
        switch self {
        case .blockAddress(let network, let expires):
            return .fields([
                "measure": .string(verb), "network": .string(network.description),
                "expires_at": expires.map { .string(UTCTime.format(ms: $0)) } ?? .null,
            ])
        case .blockKey(let fingerprint, let consumer):
            return .fields(["measure": .string(verb), "fingerprint": .string(fingerprint), "consumer": consumer.map { .string($0) } ?? .null])
        case .disableEndpoint(let method, let route, let status, let message):
            return .fields([
                "measure": .string(verb), "method": .string(method), "route": .string(route), "status": .int(Int64(status)),
                "message": message.map { .string($0) } ?? .null,
            ])
        case .revokeTokens(let selector, let until):
            var fields = selector.fields
            fields["measure"] = .string(verb)
            fields["until"] = .string(UTCTime.format(ms: until))
            return .fields(fields)
        }
    }

    /// Reads the recorded form back; nil when the details name no measure this version knows.
    public init?(details: JSONValue) {
        guard case .object(let o) = details, case .string(let verb)? = o["measure"] else { return nil }
        func text(_ key: String) -> String? {
            if case .string(let s)? = o[key] { return s }
            return nil
        }
        switch verb {
        case "block-ip":
            guard let network = text("network").flatMap(CIDR.init) else { return nil }
            let expires = text("expires_at").flatMap { Timestamps.parseRFC3339($0)?.ms }
            self = .blockAddress(network: network, expiresAtMs: expires)
        case "block-key":
            guard let fingerprint = text("fingerprint") else { return nil }
            self = .blockKey(fingerprint: fingerprint, consumer: text("consumer"))
        case "disable-endpoint":
            guard let method = text("method"), let route = text("route"), let status = o["status"]?.int64Value else { return nil }
            self = .disableEndpoint(method: method, route: route, status: Int(status), message: text("message"))
        case "revoke-token":
            guard let selector = TokenSelector(fields: o.fields), let until = text("until").flatMap({ Timestamps.parseRFC3339($0)?.ms }) else {
                return nil
            }
            self = .revokeTokens(selector, untilMs: until)
        default:
            return nil
        }
    }
}

/// Which tokens a revocation is about.
public enum TokenSelector: Equatable, Sendable {
    /// One token, by its JWT id.
    case jti(String)
    /// Every token of a subject (a user), issued before a time when one is given.
    case subject(String, issuedBeforeMs: Int64?)
    /// Every token issued to an OAuth client (its `client_id`, or `azp`).
    case client(String)

    var summary: String {
        switch self {
        case .jti(let jti): return "jti \(jti)"
        case .subject(let sub, let before): return "subject \(sub)" + (before.map { " issued before \(UTCTime.format(ms: $0))" } ?? "")
        case .client(let client): return "client \(client)"
        }
    }

    var fields: [String: JSONValue] {
        switch self {
        case .jti(let jti): return ["jti": .string(jti)]
        case .subject(let sub, let before):
            return ["subject": .string(sub), "issued_before": before.map { .string(UTCTime.format(ms: $0)) } ?? .null]
        case .client(let client): return ["client": .string(client)]
        }
    }

    init?(fields: [String: JSONValue]) {
        if let jti = fields["jti"]?.stringValue {
            self = .jti(jti)
        } else if let sub = fields["subject"]?.stringValue {
            self = .subject(sub, issuedBeforeMs: fields["issued_before"]?.stringValue.flatMap { Timestamps.parseRFC3339($0)?.ms })
        } else if let client = fields["client"]?.stringValue {
            self = .client(client)
        } else {
            return nil
        }
    }

    /// Whether a token with these claims is one of the selected ones. `iat` is in seconds, as JWTs write it.
    public func matches(jti: String?, sub: String?, clientID: String?, issuedAtSeconds: Int64?) -> Bool {
        switch self {
        case .jti(let wanted): return jti == wanted
        case .subject(let wanted, let before):
            guard sub == wanted else { return false }
            guard let before else { return true }
            return issuedAtSeconds.map { $0 * 1000 < before } ?? true
        case .client(let wanted): return clientID == wanted
        }
    }
}
