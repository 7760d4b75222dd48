/// A target as an apply's intent records it, so that the next apply can be made the same way
/// (the console's `A`). It holds paths to the responder's secret files, never a secret.
extension GatewayTarget {
    public var details: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        switch self {
        case .nginx(let t):
            return .fields([
                "gateway": "nginx", "conf_dir": .string(t.confDir), "reload": .bool(t.reload), "command": .array(t.command.map { .string($0) }),
                "key_header": .string(t.keyHeader), "key_values": text(t.keyValuesPath), "probe_url": text(t.probeURL),
                "throwaway": .bool(t.throwaway),
            ])
        case .kong(let t):
            return .fields(["gateway": "kong", "out": text(t.outDir), "admin_url": text(t.adminURL)])
        case .aws(let t):
            return .fields([
                "gateway": "aws", "out": .string(t.outDir), "scope": .string(t.scope), "region": text(t.region), "ip_set": text(t.ipv4Set),
                "ip_set_v6": text(t.ipv6Set),
            ])
        case .oauth(let t):
            return .fields([
                "gateway": "oauth", "endpoint": .string(t.endpoint), "client_id": .string(t.clientID),
                "client_secret_file": .string(t.clientSecretPath),
                "tokens": .string(t.tokensPath), "token_type_hint": .string(t.tokenTypeHint),
            ])
        case .cloudflare(let t):
            return .fields([
                "gateway": "cloudflare", "mode": .string(t.mode.rawValue), "account": text(t.accountID), "zone": .string(t.zoneID),
                "out": text(t.outDir),
                "apply": .bool(t.apply), "api_token_file": text(t.apiTokenPath), "api_url": .string(t.apiBase),
                "calls_per_five_minutes": .int(Int64(t.callsPerFiveMinutes)),
            ])
        }
    }

    /// The target an intent recorded, or nil for an older record or one this version cannot read.
    public init?(details: JSONValue) {
        func text(_ key: String) -> String? { details[key]?.stringValue }
        switch text("gateway") {
        case "nginx":
            guard let dir = text("conf_dir") else { return nil }
            let command = details["command"]?.arrayValue?.compactMap(\.stringValue) ?? ["nginx"]
            self = .nginx(
                NginxTarget(
                    confDir: dir, reload: details["reload"] == .bool(true), command: command.isEmpty ? ["nginx"] : command,
                    keyHeader: text("key_header") ?? "X-API-Key", keyValuesPath: text("key_values"), probeURL: text("probe_url"),
                    throwaway: details["throwaway"] == .bool(true)))
        case "kong":
            guard text("out") != nil || text("admin_url") != nil else { return nil }
            self = .kong(KongTarget(outDir: text("out"), adminURL: text("admin_url")))
        case "aws":
            guard let out = text("out") else { return nil }
            self = .aws(
                AWSTarget(
                    outDir: out, scope: text("scope") ?? "REGIONAL", region: text("region"), ipv4Set: text("ip_set"), ipv6Set: text("ip_set_v6")))
        case "oauth":
            guard let endpoint = text("endpoint"), let client = text("client_id"), let secret = text("client_secret_file"),
                let tokens = text("tokens")
            else { return nil }
            self = .oauth(
                OAuthTarget(
                    endpoint: endpoint, clientID: client, clientSecretPath: secret, tokensPath: tokens,
                    tokenTypeHint: text("token_type_hint") ?? "access_token"))
        case "cloudflare":
            guard let zone = text("zone"), let mode = text("mode").flatMap(CloudflareTarget.Mode.init) else { return nil }
            self = .cloudflare(
                CloudflareTarget(
                    mode: mode, accountID: text("account"), zoneID: zone, outDir: text("out"), apply: details["apply"] == .bool(true),
                    apiTokenPath: text("api_token_file"), apiBase: text("api_url") ?? CloudflareTarget.defaultAPIBase,
                    callsPerFiveMinutes: Int(details["calls_per_five_minutes"]?.int64Value ?? 1_000)))
        default:
            return nil
        }
    }
}
