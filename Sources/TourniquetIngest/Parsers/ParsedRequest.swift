/// One access-log line after parsing, before redaction, interning and storage.
///
/// Values are kept as the log wrote them; redaction of secrets and display sanitising
/// happen later, in one place each, so no parser can forget them.
public struct ParsedRequest: Equatable, Sendable {
    /// Request time as milliseconds since the Unix epoch, UTC.
    public var timestampMs: Int64
    /// The UTC offset the log wrote, in minutes (kept so the original local time can be shown).
    public var utcOffsetMinutes: Int16
    /// The peer address as logged (the first field of CLF, `client_ip`, `source.ip`, …).
    public var clientAddress: String
    /// The raw X-Forwarded-For value when the format carries one.
    public var forwardedFor: String?
    /// CLF `remote_user`, an ECS `user.name`, an AWS `user`/`caller`.
    public var remoteUser: String?
    /// A gateway consumer (Kong `consumer.username`), when known.
    public var consumer: String?
    /// An API key id (AWS `identity.apiKeyId`), when known.
    public var apiKeyId: String?
    public var method: String
    /// Path and raw query exactly as requested (`/v1/users/7?token=abc`).
    public var target: String
    public var status: Int
    public var bytes: Int64
    /// Latency in microseconds, or nil when the format has none.
    public var latencyMicros: Int64?
    public var userAgent: String?
    /// Headers that may carry credentials (Authorization, Cookie, X-Api-Key …), for fingerprinting only.
    public var credentialHeaders: [CredentialHeader]
    /// Whether the line logged the response's headers, and whether they held Retry-After; nil
    /// when the format logs none (the review can then not tell whether 429s said when to retry).
    public var retryAfter: Bool?

    public init(
        timestampMs: Int64, utcOffsetMinutes: Int16 = 0, clientAddress: String, forwardedFor: String? = nil,
        remoteUser: String? = nil, consumer: String? = nil, apiKeyId: String? = nil, method: String,
        target: String, status: Int, bytes: Int64, latencyMicros: Int64? = nil, userAgent: String? = nil,
        credentialHeaders: [CredentialHeader] = [], retryAfter: Bool? = nil
    ) {
        self.timestampMs = timestampMs
        self.utcOffsetMinutes = utcOffsetMinutes
        self.clientAddress = clientAddress
        self.forwardedFor = forwardedFor
        self.remoteUser = remoteUser
        self.consumer = consumer
        self.apiKeyId = apiKeyId
        self.method = method
        self.target = target
        self.status = status
        self.bytes = bytes
        self.latencyMicros = latencyMicros
        self.userAgent = userAgent
        self.credentialHeaders = credentialHeaders
        self.retryAfter = retryAfter
    }
}

/// A request header whose value may be a credential. It is fingerprinted, never stored.
public struct CredentialHeader: Equatable, Sendable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Why a line could not be parsed; shown to the responder next to the escaped line.
public struct MalformedLine: Error, Equatable, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}

/// A parser for one log format. Parsers work on the raw bytes of one line (without the newline)
/// and must survive any input: attackers write these lines.
public protocol LogLineParser: Sendable {
    /// The fixed identifier used by `--format` (`combined`, `kong`, `aws-apigw`, `ecs`, `envoy`, …).
    var formatName: String { get }
    func parse(_ line: UnsafeBufferPointer<UInt8>) -> Result<ParsedRequest, MalformedLine>
}
