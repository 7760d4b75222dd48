/// One request as the detectors see it: integers only, plus the few strings some rules read.
///
/// Scope decodes these from the packed chunks built at ingest (`ScanChunk`); strings are kept only
/// where a rule needs them (opaque object ids, path and query on errors and queries).
public struct ScanRow: Sendable {
    public var id: Int64
    public var timestampMs: Int64
    public var ip: Int64
    /// Dict id of the client identity, or 0.
    public var client: Int64
    /// Dict id of the API key or credential fingerprint, or 0.
    public var apiKey: Int64
    public var method: Int64
    public var route: Int64
    public var status: Int
    public var bytes: Int64
    public var flags: RequestFlags
    /// Dict id of the user agent, or 0 (also in chunks packed before it was kept).
    public var userAgent: Int64
    /// The value of the route's last `{parameter}` segment, on templated routes.
    public var objectID: ObjectID?
    /// The probe signature set this request matched at ingest, as 1 + its index in
    /// `ProbeSignatures.names`; 0 for none (see `ScanChunk`).
    public var probe: Int = 0
    /// Path and query text, only when scope matches other signature sets than ingest did.
    public var pathAndQuery: String?

    @inlinable
    public init(
        id: Int64, timestampMs: Int64, ip: Int64, client: Int64, apiKey: Int64, method: Int64, route: Int64, status: Int,
        bytes: Int64, flags: RequestFlags, userAgent: Int64 = 0, objectID: ObjectID? = nil, pathAndQuery: String? = nil
    ) {
        self.id = id
        self.timestampMs = timestampMs
        self.ip = ip
        self.client = client
        self.apiKey = apiKey
        self.method = method
        self.route = route
        self.status = status
        self.bytes = bytes
        self.flags = flags
        self.userAgent = userAgent
        self.objectID = objectID
        self.pathAndQuery = pathAndQuery
    }

    /// Inlinable, like the flags below: detectors in another module read these once per request.
    @inlinable public var isSuccess: Bool { status >= 200 && status < 300 }
}
