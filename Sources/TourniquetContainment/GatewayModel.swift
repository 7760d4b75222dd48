import TourniquetModel

/// A gateway's state in neutral terms, read from its own configuration (a Kong decK file, an
/// OpenAPI document): what is routed where, who may call it with which credential, and which
/// policies stand. Secrets are kept only as the case's fingerprints; passwords not at all.
public struct GatewayModel: Codable, Equatable, Sendable {
    public struct Service: Codable, Equatable, Sendable {
        public var name: String
        public var id: String?
        public var url: String?
        public var tags: [String]
        public init(name: String, id: String?, url: String?, tags: [String]) {
            (self.name, self.id, self.url, self.tags) = (name, id, url, tags)
        }
    }

    public struct Route: Codable, Equatable, Sendable {
        public var name: String
        public var id: String?
        public var service: String?
        public var paths: [String]
        public var methods: [String]
        public var tags: [String]
        /// The hosts it answers on; empty or nil means any. Nil in models read before hosts were kept.
        public var hosts: [String]?
        public init(name: String, id: String?, service: String?, paths: [String], methods: [String], tags: [String], hosts: [String]? = nil) {
            (self.name, self.id, self.service, self.paths, self.methods, self.tags, self.hosts) = (name, id, service, paths, methods, tags, hosts)
        }
    }

    public struct Consumer: Codable, Equatable, Sendable {
        public var username: String
        public var id: String?
        public var customID: String?
        public var tags: [String]
        /// `contact:…` tags: whom the notification checklists tell.
        public var contacts: [String]
        public var groups: [String]

        public init(username: String, id: String?, customID: String?, tags: [String], contacts: [String], groups: [String]) {
            (self.username, self.id, self.customID, self.tags, self.contacts, self.groups) = (username, id, customID, tags, contacts, groups)
        }

        enum CodingKeys: String, CodingKey {
            case username, id, tags, contacts, groups
            case customID = "custom_id"
        }
    }

    public struct Credential: Codable, Equatable, Sendable {
        /// `key-auth`, `jwt`, `basic-auth`, `hmac-auth`, `oauth2`, `mtls-auth`.
        public var kind: String
        public var consumer: String
        public var id: String?
        /// The fingerprint of the key (key-auth), the secret (jwt, hmac-auth) or the client secret
        /// (oauth2); nil when the file holds no secret (basic-auth passwords are not kept at all).
        public var fingerprint: String?
        /// What names it without being secret: a jwt's `key` (its issuer), a username, a client id.
        public var label: String?
        public var tags: [String]
        public init(kind: String, consumer: String, id: String?, fingerprint: String?, label: String?, tags: [String]) {
            (self.kind, self.consumer, self.id, self.fingerprint, self.label, self.tags) = (kind, consumer, id, fingerprint, label, tags)
        }
    }

    public struct Policy: Codable, Equatable, Sendable {
        /// The plugin as the gateway names it (`ip-restriction`, `rate-limiting-advanced`, …).
        public var plugin: String
        /// `ip-restriction`, `rate-limiting`, `cors`, `request-termination`, `authentication`, or `other`.
        public var kind: String
        /// `global`, `service:NAME`, `route:NAME` or `consumer:NAME`.
        public var scope: String
        public var id: String?
        public var enabled: Bool
        /// The settings that matter to a responder (allow and deny lists, limits, status), never
        /// the plugin's whole configuration, which may hold secrets of its own.
        public var settings: JSONValue
        public var tags: [String]
        public init(plugin: String, kind: String, scope: String, id: String?, enabled: Bool, settings: JSONValue, tags: [String]) {
            (self.plugin, self.kind, self.scope, self.id, self.enabled, self.settings, self.tags) = (plugin, kind, scope, id, enabled, settings, tags)
        }
    }

    public var source: String
    public var formatVersion: String?
    public var services: [Service] = []
    public var routes: [Route] = []
    public var consumers: [Consumer] = []
    public var credentials: [Credential] = []
    public var policies: [Policy] = []

    enum CodingKeys: String, CodingKey {
        case source, services, routes, consumers, credentials, policies
        case formatVersion = "format_version"
    }

    public init(source: String, formatVersion: String?) {
        self.source = source
        self.formatVersion = formatVersion
    }

    /// The kinds of policy a responder reads; everything else is `other`.
    public static func policyKind(ofPlugin plugin: String) -> String {
        if plugin.hasPrefix("ip-restriction") { return "ip-restriction" }
        if plugin.hasPrefix("rate-limiting") { return "rate-limiting" }
        if plugin == "cors" { return "cors" }
        if plugin == "request-termination" { return "request-termination" }
        if authenticationPlugins.contains(plugin) { return "authentication" }
        return "other"
    }

    /// Plugins that authenticate callers.
    public static let authenticationPlugins: Set<String> = [
        "key-auth", "key-auth-enc", "jwt", "openid-connect", "basic-auth", "oauth2", "oauth2-introspection", "hmac-auth", "mtls-auth",
        "ldap-auth", "ldap-auth-advanced", "session", "saml",
    ]

    /// The settings kept for each kind of policy.
    public static let keptSettings: [String: Set<String>] = [
        "ip-restriction": ["allow", "deny", "status", "message"],
        "rate-limiting": ["second", "minute", "hour", "day", "month", "year", "limit", "window_size", "identifier", "policy", "limit_by"],
        // How tokens are checked, never a secret: the review reads these.
        "authentication": [
            "claims_to_verify", "maximum_expiration", "key_names", "hide_credentials", "anonymous", "scopes", "mandatory_scope",
            "enable_authorization_code", "enable_implicit_grant", "enable_password_grant", "enable_client_credentials", "pkce",
        ],
        "cors": ["origins", "methods", "headers", "credentials", "max_age"],
        "request-termination": ["status_code", "message", "content_type"],
    ]

    /// A consumer's credentials.
    public func credentials(of consumer: String) -> [Credential] { credentials.filter { $0.consumer == consumer } }
}
