/// A gateway an apply changes, and how to reach it.
public enum GatewayTarget: Equatable, Sendable {
    case nginx(NginxTarget)
    case kong(KongTarget)
    case aws(AWSTarget)
    case oauth(OAuthTarget)
    case cloudflare(CloudflareTarget)

    public var name: String {
        switch self {
        case .nginx: return "nginx"
        case .kong: return "kong"
        case .aws: return "aws"
        case .oauth: return "oauth"
        case .cloudflare: return "cloudflare"
        }
    }
}

/// An OAuth 2.0 authorization server's revocation endpoint (RFC 7009), and the tokens to revoke:
/// the case holds no token, so the responder gives them in a file, and each is sent only if a
/// revoke-token measure in force selects it.
public struct OAuthTarget: Equatable, Sendable {
    public var endpoint: String
    public var clientID: String
    /// A file whose first line is the client secret; it is read, never recorded.
    public var clientSecretPath: String
    public var tokensPath: String
    /// `access_token` or `refresh_token`.
    public var tokenTypeHint: String

    public init(endpoint: String, clientID: String, clientSecretPath: String, tokensPath: String, tokenTypeHint: String) {
        self.endpoint = endpoint
        self.clientID = clientID
        self.clientSecretPath = clientSecretPath
        self.tokensPath = tokensPath
        self.tokenTypeHint = tokenTypeHint
    }
}

/// AWS: files the responder runs with the aws CLI (WAFv2 IP sets, API Gateway keys).
public struct AWSTarget: Equatable, Sendable {
    public var outDir: String
    /// `REGIONAL` or `CLOUDFRONT` (whose sets live in us-east-1).
    public var scope: String
    public var region: String?
    /// The WAF IP sets as NAME:ID, one per address family.
    public var ipv4Set: String?
    public var ipv6Set: String?

    public init(outDir: String, scope: String, region: String?, ipv4Set: String?, ipv6Set: String?) {
        self.outDir = outDir
        self.scope = scope
        self.region = region
        self.ipv4Set = ipv4Set
        self.ipv6Set = ipv6Set
    }
}

/// Kong: a partial decK file written to a directory, and/or the same change made through the
/// Admin API.
public struct KongTarget: Equatable, Sendable {
    public var outDir: String?
    public var adminURL: String?

    public init(outDir: String?, adminURL: String?) {
        self.outDir = outDir
        self.adminURL = adminURL
    }
}

/// An nginx whose configuration includes Tourniquet's two managed files.
public struct NginxTarget: Equatable, Sendable {
    /// The directory the two files are written to.
    public var confDir: String
    /// Test the configuration and reload nginx after writing; without it the files are written
    /// and the responder reloads.
    public var reload: Bool
    /// How to run nginx, as words (`nginx -p PREFIX -c CONF`); `-t`, `-s reload` and `-T` are added.
    public var command: [String]
    /// The request header that carries API keys.
    public var keyHeader: String
    /// A file of key values, one a line, for the keys being blocked: nginx compares the literal
    /// value, which the case never holds. Each is matched to a measure by its fingerprint.
    public var keyValuesPath: String?
    /// A base URL of the protected server to probe after a reload (`http://127.0.0.1:8080`).
    public var probeURL: String?
    /// A drill's throw-away nginx, started for the apply and stopped after it.
    public var throwaway: Bool

    public init(
        confDir: String, reload: Bool, command: [String] = ["nginx"], keyHeader: String = "X-API-Key", keyValuesPath: String? = nil,
        probeURL: String? = nil, throwaway: Bool = false
    ) {
        self.throwaway = throwaway
        self.confDir = confDir
        self.reload = reload
        self.command = command
        self.keyHeader = keyHeader
        self.keyValuesPath = keyValuesPath
        self.probeURL = probeURL
    }
}

/// Cloudflare: blocked addresses as items of an IP list of the case's own, matched by one WAF custom
/// rule (`ip.src in $list`), or as IP Access Rules (the legacy path). The API calls are written as
/// files (`outDir`) and/or made over HTTP (`apply`).
public struct CloudflareTarget: Equatable, Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        case list
        case accessRules = "access-rules"
    }

    public var mode: Mode
    /// The account that owns lists (list mode).
    public var accountID: String?
    /// The zone whose custom rule or access rules block.
    public var zoneID: String
    public var outDir: String?
    /// Make the calls now, with the token in `apiTokenPath`.
    public var apply: Bool
    /// A file whose first line is the API token; read, never recorded.
    public var apiTokenPath: String?
    /// The API's base URL: Cloudflare's own unless a test or a proxy says otherwise.
    public var apiBase: String
    /// Calls allowed per five minutes. Cloudflare allows 1,200 and blocks every call for five
    /// minutes past that, so the default leaves room for the responder's other tools.
    public var callsPerFiveMinutes: Int

    public static let defaultAPIBase = "https://api.cloudflare.com/client/v4"

    public init(
        mode: Mode, accountID: String?, zoneID: String, outDir: String?, apply: Bool, apiTokenPath: String?,
        apiBase: String = CloudflareTarget.defaultAPIBase, callsPerFiveMinutes: Int = 1_000
    ) {
        self.mode = mode
        self.accountID = accountID
        self.zoneID = zoneID
        self.outDir = outDir
        self.apply = apply
        self.apiTokenPath = apiTokenPath
        self.apiBase = apiBase
        self.callsPerFiveMinutes = callsPerFiveMinutes
    }
}
