import TourniquetModel

/// Parses Amazon API Gateway access logs written in a JSON layout (REST, HTTP and WebSocket APIs).
///
/// API Gateway lets each deployment name its own keys (`"ip": "$context.identity.sourceIp"`), so
/// the keys come from an ``AWSFieldMapping``; ``AWSFieldMapping/standard`` covers the layouts in
/// AWS's documentation. Values are usually strings (`"status":"200"`, `"responseLength":"-"`);
/// both strings and numbers are read, and `-` means absent.
public struct AWSAPIGatewayParser: LogLineParser {
    public var formatName: String { "aws-apigw" }
    public let mapping: AWSFieldMapping
    private let selection: JSONSelection
    private let keys: CompiledKeys

    public init(mapping: AWSFieldMapping = .standard) {
        self.mapping = mapping
        selection = JSONSelection(paths: mapping.allPaths)
        keys = CompiledKeys(mapping)
    }

    public func parse(_ line: UnsafeBufferPointer<UInt8>) -> Result<ParsedRequest, MalformedLine> {
        // API Gateway writes "-" for values it does not have.
        JSONFields.parseObject(line, keeping: selection, dashIsAbsent: true, request(from:))
    }

    private func request(from f: JSONFields) throws(MalformedLine) -> ParsedRequest {
        let m = keys
        // $context.requestTime has only whole seconds; prefer the epoch, keep the written offset.
        var clf: Timestamps.Instant?
        if let text = try f.string(m.requestTime) {
            guard let t = Timestamps.parseCLF(text) else { throw MalformedLine("invalid \(JSONFields.label(m.requestTime))") }
            clf = t
        }
        let time: Timestamps.Instant
        if let epoch = try f.epoch(m.requestTimeEpoch, inSeconds: false) {
            time = (epoch.ms, clf?.offset ?? 0)
        } else if let clf {
            time = clf
        } else {
            throw MalformedLine("missing \(JSONFields.label(m.requestTime))")
        }

        // A route template ("GET /pets/{id}", "/pets/{petId}") stands in when no concrete path is logged.
        let routeParts = try f.string(m.resourcePath).map(Self.splitRouteKey)
        guard let method = try f.string(m.httpMethod) ?? routeParts?.method else {
            throw MalformedLine("missing \(JSONFields.label(m.httpMethod))")
        }
        guard let target = try f.string(m.path) ?? routeParts?.path else {
            throw MalformedLine("missing \(JSONFields.label(m.resourcePath))")
        }
        var remoteUser = try f.string(m.user)
        if remoteUser == nil { remoteUser = try f.string(m.caller) }
        return ParsedRequest(
            timestampMs: time.ms,
            utcOffsetMinutes: time.offset,
            clientAddress: try f.requiredString(m.clientAddress),
            forwardedFor: try f.string(m.forwardedFor),
            remoteUser: remoteUser,
            apiKeyId: try f.string(m.apiKeyId),
            method: method,
            target: target,
            status: try f.status(m.status),
            bytes: try f.byteCount(m.responseLength),
            latencyMicros: try f.micros(m.latency, perUnit: 1000),
            userAgent: try f.string(m.userAgent)
        )
    }

    /// The mapping's keys as pre-split paths, built once per parser.
    private struct CompiledKeys: Sendable {
        let clientAddress, caller, user, requestTime, requestTimeEpoch, httpMethod, path, resourcePath,
            status, responseLength, apiKeyId, latency, userAgent, forwardedFor: [JSONPath]
        init(_ m: AWSFieldMapping) {
            func p(_ keys: [String]) -> [JSONPath] { keys.map { JSONPath($0) } }
            clientAddress = p(m.clientAddress)
            caller = p(m.caller)
            user = p(m.user)
            requestTime = p(m.requestTime)
            requestTimeEpoch = p(m.requestTimeEpoch)
            httpMethod = p(m.httpMethod)
            path = p(m.path)
            resourcePath = p(m.resourcePath)
            status = p(m.status)
            responseLength = p(m.responseLength)
            apiKeyId = p(m.apiKeyId)
            latency = p(m.latency)
            userAgent = p(m.userAgent)
            forwardedFor = p(m.forwardedFor)
        }
    }

    /// Splits an HTTP API route key `GET /pets/{id}` into method and path; `$default` has no method.
    static func splitRouteKey(_ route: String) -> (method: String?, path: String) {
        guard let space = route.firstIndex(of: " ") else { return (nil, route) }
        let head = route[..<space]
        guard !head.isEmpty, head.utf8.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || $0 == 0x2D || $0 == 0x5F }) else {
            return (nil, route)
        }
        return (String(head), String(route[route.index(after: space)...]))
    }
}

/// Which JSON keys hold each field of an API Gateway access log; each field lists candidate keys
/// (dotted paths allowed) tried in order.
///
/// Load a user's mapping with `JSONDecoder`: fields left out keep their ``standard`` keys, and a
/// field may be given as one string or a list, e.g. `{"clientAddress": "src", "status": ["code"]}`.
public struct AWSFieldMapping: Codable, Sendable, Equatable {
    /// `$context.identity.sourceIp`.
    public var clientAddress: [String]
    /// `$context.identity.caller`, used as the remote user when `user` is absent.
    public var caller: [String]
    /// `$context.identity.user`.
    public var user: [String]
    /// `$context.requestTime`, CLF form `02/Jan/2024:03:04:05 +0000`.
    public var requestTime: [String]
    /// `$context.requestTimeEpoch`, milliseconds.
    public var requestTimeEpoch: [String]
    /// `$context.httpMethod`.
    public var httpMethod: [String]
    /// A concrete request path (`$context.path`), preferred when logged.
    public var path: [String]
    /// `$context.resourcePath` or `$context.routeKey`, the fallback target.
    public var resourcePath: [String]
    /// `$context.status`.
    public var status: [String]
    /// `$context.responseLength`.
    public var responseLength: [String]
    /// `$context.identity.apiKeyId`.
    public var apiKeyId: [String]
    /// `$context.responseLatency`, else `$context.integrationLatency`, milliseconds.
    public var latency: [String]
    /// `$context.identity.userAgent`.
    public var userAgent: [String]
    /// A logged X-Forwarded-For header, if the deployment adds one.
    public var forwardedFor: [String]

    /// The keys used by the JSON examples in AWS's API Gateway logging documentation.
    public static let standard = AWSFieldMapping(
        clientAddress: ["ip", "sourceIp", "identity.sourceIp"],
        caller: ["caller", "identity.caller"],
        user: ["user", "identity.user"],
        requestTime: ["requestTime"],
        requestTimeEpoch: ["requestTimeEpoch"],
        httpMethod: ["httpMethod"],
        path: ["path"],
        resourcePath: ["resourcePath", "routeKey"],
        status: ["status"],
        responseLength: ["responseLength"],
        apiKeyId: ["identity.apiKeyId", "apiKeyId"],
        latency: ["responseLatency", "integrationLatency"],
        userAgent: ["userAgent", "identity.userAgent"],
        forwardedFor: ["xForwardedFor"]
    )

    public init(
        clientAddress: [String], caller: [String], user: [String], requestTime: [String],
        requestTimeEpoch: [String], httpMethod: [String], path: [String], resourcePath: [String],
        status: [String], responseLength: [String], apiKeyId: [String], latency: [String],
        userAgent: [String], forwardedFor: [String]
    ) {
        self.clientAddress = clientAddress
        self.caller = caller
        self.user = user
        self.requestTime = requestTime
        self.requestTimeEpoch = requestTimeEpoch
        self.httpMethod = httpMethod
        self.path = path
        self.resourcePath = resourcePath
        self.status = status
        self.responseLength = responseLength
        self.apiKeyId = apiKeyId
        self.latency = latency
        self.userAgent = userAgent
        self.forwardedFor = forwardedFor
    }

    private enum CodingKeys: String, CodingKey {
        case clientAddress, caller, user, requestTime, requestTimeEpoch, httpMethod, path, resourcePath
        case status, responseLength, apiKeyId, latency, userAgent, forwardedFor
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let s = AWSFieldMapping.standard
        func keys(_ key: CodingKeys, _ fallback: [String]) throws -> [String] {
            if let one = try? c.decode(String.self, forKey: key) { return [one] }
            return try c.decodeIfPresent([String].self, forKey: key) ?? fallback
        }
        clientAddress = try keys(.clientAddress, s.clientAddress)
        caller = try keys(.caller, s.caller)
        user = try keys(.user, s.user)
        requestTime = try keys(.requestTime, s.requestTime)
        requestTimeEpoch = try keys(.requestTimeEpoch, s.requestTimeEpoch)
        httpMethod = try keys(.httpMethod, s.httpMethod)
        path = try keys(.path, s.path)
        resourcePath = try keys(.resourcePath, s.resourcePath)
        status = try keys(.status, s.status)
        responseLength = try keys(.responseLength, s.responseLength)
        apiKeyId = try keys(.apiKeyId, s.apiKeyId)
        latency = try keys(.latency, s.latency)
        userAgent = try keys(.userAgent, s.userAgent)
        forwardedFor = try keys(.forwardedFor, s.forwardedFor)
    }

    /// Every key this mapping reads, for the parser's member selection.
    var allPaths: [String] {
        clientAddress + caller + user + requestTime + requestTimeEpoch + httpMethod + path + resourcePath
            + status + responseLength + apiKeyId + latency + userAgent + forwardedFor
    }
}
