/// How bad the incident is; set at creation, changed only by a recorded action.
public enum Severity: String, CaseIterable, Codable, Sendable {
    case low, medium, high, critical

    /// A severity from a detector configuration, which `DetectorConfig.validate` has checked
    /// names one; anything else reads as medium rather than stopping a run.
    public static func configured(_ text: String) -> Severity { Severity(rawValue: text) ?? .medium }

    /// Most severe first: the one order in which findings and counts are listed.
    public static let mostSevereFirst: [Severity] = [.critical, .high, .medium, .low]

    /// 0 for critical to 3 for low, for sorting; text that names no severity sorts last.
    public static func rank(_ text: String) -> Int {
        Severity(rawValue: text).flatMap { mostSevereFirst.firstIndex(of: $0) } ?? mostSevereFirst.count
    }
}

/// Where the response stands.
public enum CaseStatus: String, CaseIterable, Sendable {
    case open, contained, closed
}

/// The case's header: what the incident is and when it was detected.
public struct CaseMetadata: Equatable, Sendable {
    public var id: String
    public var title: String
    public var severity: Severity
    public var status: CaseStatus
    /// When the incident was detected (deadlines such as GDPR's 72 h count from here).
    public var detectedAtMs: Int64
    public var createdAtMs: Int64
    /// A drill case holds a simulated incident and is scored, never reported.
    public var isDrill: Bool

    public init(id: String, title: String, severity: Severity, status: CaseStatus = .open, detectedAtMs: Int64, createdAtMs: Int64, isDrill: Bool) {
        self.id = id
        self.title = title
        self.severity = severity
        self.status = status
        self.detectedAtMs = detectedAtMs
        self.createdAtMs = createdAtMs
        self.isDrill = isDrill
    }

    /// The details recorded by the `case.created` action, so the chain covers the header.
    public var creationDetails: JSONValue {
        [
            "case_id": .string(id), "title": .string(title), "severity": .string(severity.rawValue),
            "detected_at": .string(UTCTime.format(ms: detectedAtMs)), "drill": .bool(isDrill),
        ]
    }
}

/// Who is acting: `--actor`, else `TOURNIQUET_ACTOR`, else the login name.
public enum ActorResolution {
    public static func resolve(flag: String?, environment: [String: String], loginName: String?) -> String {
        for candidate in [flag, environment["TOURNIQUET_ACTOR"], loginName, environment["USER"]] {
            if let value = candidate?.trimmingWhitespace(), !value.isEmpty { return value }
        }
        return "unknown"
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
