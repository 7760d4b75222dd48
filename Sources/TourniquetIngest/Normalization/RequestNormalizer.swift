/// Turns parsed lines into storable rows: the real client address, redacted secrets, templated
/// routes and interned strings. (Postings and statistics are built from the rows by the writer,
/// which has time to spare while this runs.)
public final class RequestNormalizer {
    public struct Settings: Sendable {
        public var routes: RouteTable
        public var redactor: SecretRedactor
        public var proxies: TrustedProxies
        public init(routes: RouteTable, redactor: SecretRedactor, proxies: TrustedProxies) {
            self.routes = routes
            self.redactor = redactor
            self.proxies = proxies
        }
    }

    public let settings: Settings
    public let dictionary: StringDictionary
    private var batch = RequestBatch()
    private var nextRequestID: Int64

    public init(settings: Settings, dictionary: StringDictionary, firstRequestID: Int64) {
        self.settings = settings
        self.dictionary = dictionary
        nextRequestID = firstRequestID
    }

    public var batchCount: Int { batch.rows.count }

    public func add(_ parsed: ParsedRequest, line: Int64) {
        let id = nextRequestID
        nextRequestID += 1
        var flags: RequestFlags = []
        let client = settings.proxies.clientAddress(peer: parsed.clientAddress, forwardedFor: parsed.forwardedFor)
        var apiKey = parsed.apiKeyId.map { dictionary.id(.apiKey, $0) }
        var target = parsed.target
        let (path, pathSpan, query) = target.withUTF8 { bytes -> (String, TextSpan, TextSpan?) in
            let mark = bytes.firstIndex(of: UInt8(ascii: "?"))
            let pathBytes = UnsafeBufferPointer(rebasing: bytes[0..<(mark ?? bytes.count)])
            // Matrix parameters (`/users;api_key=…`) are redacted before the path is stored or templated.
            let pathStart = batch.text.count
            let pathRedaction = settings.redactor.redactPath(pathBytes, into: &batch.text)
            let pathSpan = TextSpan(start: Int32(pathStart), count: Int32(batch.text.count - pathStart))
            let path: String
            if pathRedaction.redacted {
                flags.insert(.credentialRedacted)
                path = String(decoding: batch.text[pathStart...], as: UTF8.self)
                if apiKey == nil, let print = pathRedaction.apiKey { apiKey = dictionary.id(.apiKey, print) }
            } else {
                path = mark == nil ? parsed.target : String(decoding: pathBytes, as: UTF8.self)
            }
            guard let mark else { return (path, pathSpan, nil) }
            let start = Int32(batch.text.count)
            let redaction = settings.redactor.redactQuery(UnsafeBufferPointer(rebasing: bytes[(mark + 1)...]), into: &batch.text)
            if redaction.redacted { flags.insert(.credentialRedacted) }
            if apiKey == nil, let print = redaction.apiKey { apiKey = dictionary.id(.apiKey, print) }
            return (path, pathSpan, TextSpan(start: start, count: Int32(batch.text.count) - start))
        }
        for header in parsed.credentialHeaders {
            flags.insert(.credentialRedacted)
            if apiKey == nil, let print = settings.redactor.fingerprintHeader(header) { apiKey = dictionary.id(.apiKey, print) }
        }
        let match = settings.routes.match(path: path)
        if !match.documented { flags.insert(.undocumented) }
        if let retryAfter = parsed.retryAfter {
            flags.insert(.responseHeadersLogged)
            if retryAfter { flags.insert(.retryAfterSent) }
        }
        let identity = parsed.remoteUser ?? parsed.consumer
        let row = RequestRow(
            id: id, line: line, timestampMs: parsed.timestampMs, utcOffsetMinutes: Int64(parsed.utcOffsetMinutes),
            ip: dictionary.id(.ip, client), xff: parsed.forwardedFor.map { dictionary.id(.xff, $0) },
            client: identity.map { dictionary.id(.client, $0) }, apiKey: apiKey, method: dictionary.id(.method, parsed.method),
            path: pathSpan, route: dictionary.id(.route, match.route), query: query, status: Int64(parsed.status), bytes: parsed.bytes,
            latencyMicros: parsed.latencyMicros, userAgent: parsed.userAgent.map { dictionary.id(.userAgent, $0) },
            flags: flags.rawValue)
        batch.rows.append(row)
    }

    /// The rows gathered since the last call, with the strings they introduced.
    public func takeBatch() -> RequestBatch {
        var out = batch
        out.newStrings = dictionary.takePending()
        batch = RequestBatch()
        batch.rows.reserveCapacity(out.rows.count)
        batch.text.reserveCapacity(out.text.count)
        return out
    }

}
