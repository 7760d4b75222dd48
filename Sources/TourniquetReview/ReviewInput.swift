import TourniquetContainment
import TourniquetDetection
import TourniquetModel

/// What the review is decided on, read from the case by the engine: the latest Kong state, the
/// latest OpenAPI document, counts from the access logs, and scope's findings.
public struct ReviewInput: Sendable {
    /// The latest decK file imported, nil when none was.
    public var kong: GatewayModel?
    /// The latest OpenAPI document (as the case keeps it, secrets redacted), nil when none.
    public var openAPI: OpenAPIDocument?
    /// Nil when the case has no requests.
    public var logs: LogFacts?
    public var scope: ScopeReportDocument?
    public var findings: [Finding]
    /// Clients the responders allowlisted as benign (a service account that reads everyone's
    /// records by design): their reads of others' objects are not counted against the API.
    public var benignClients: Set<String>

    public init(
        kong: GatewayModel?, openAPI: OpenAPIDocument?, logs: LogFacts?, scope: ScopeReportDocument?, findings: [Finding],
        benignClients: Set<String> = []
    ) {
        self.kong = kong
        self.openAPI = openAPI
        self.logs = logs
        self.scope = scope
        self.findings = findings
        self.benignClients = benignClients
    }

    /// Whether the logs carry identities at all: below 1% of requests, a route's anonymous answers
    /// say more about the log format than about the API.
    var logsCarryIdentity: Bool {
        guard let logs, logs.requests > 0 else { return false }
        return logs.identified * 100 >= logs.requests
    }
}

/// Evidence lists stop at this many lines, with the rest counted.
let evidenceLimit = 12

func listed<T>(_ items: [T], _ line: (T) -> String) -> [String] {
    var lines = items.prefix(evidenceLimit).map(line)
    if items.count > evidenceLimit { lines.append("… and \(items.count - evidenceLimit) more") }
    return lines
}
