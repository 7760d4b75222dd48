import Crypto

/// What a finding is about.
public struct FindingSubject: Equatable, Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable { case ip, client, key, route, account }
    public var kind: Kind
    public var value: String
    public init(kind: Kind, value: String) {
        self.kind = kind
        self.value = value
    }
}

/// Where a responder stands on a finding. Changed only by a recorded action.
public enum FindingState: String, Sendable, CaseIterable { case new, confirmed, dismissed }

/// One detector's conclusion about one subject.
public struct Finding: Equatable, Sendable {
    /// Stable across scope runs for the same detector, subject and route, so a responder's state survives re-runs.
    public var id: String
    public var detector: DetectorID
    public var severity: Severity
    public var subject: FindingSubject
    public var firstMs: Int64
    public var lastMs: Int64
    public var requests: Int64
    public var evidence: JSONValue
    public var state: FindingState

    /// `route` is given by detectors that can conclude about one subject on several routes (an
    /// object walk is per route), so that each conclusion is confirmed or dismissed on its own.
    public init(
        detector: DetectorID, severity: Severity, subject: FindingSubject, route: String? = nil, firstMs: Int64, lastMs: Int64,
        requests: Int64, evidence: JSONValue, state: FindingState = .new
    ) {
        id = Finding.stableID(detector: detector, subject: subject, route: route)
        self.detector = detector
        self.severity = severity
        self.subject = subject
        self.firstMs = firstMs
        self.lastMs = lastMs
        self.requests = requests
        self.evidence = evidence
        self.state = state
    }

    /// Without a route the hashed text is the one ids have always had, so findings of
    /// route-independent detectors keep their ids (and their states) in existing cases.
    public static func stableID(detector: DetectorID, subject: FindingSubject, route: String? = nil) -> String {
        var text = "\(detector.rawValue)|\(subject.kind.rawValue)|\(subject.value)"
        if let route { text += "|route|\(route)" }
        let digest = SHA256.hash(data: Array(text.utf8))
        return "F-" + Hex.encode(digest.prefix(5))
    }
}
