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

/// How sure a finding is. Only strong findings put sources, clients and keys on the attacker and
/// compromise lists; weak ones are shown for a responder to judge.
public enum Confidence: String, CaseIterable, Codable, Sendable {
    case strong, weak
}

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
    public var confidence: Confidence
    /// Why the finding is weak (or, for a strong one, empty).
    public var confidenceReason: String

    /// `route` is given by detectors that can conclude about one subject on several routes (an
    /// object walk is per route), so that each conclusion is confirmed or dismissed on its own.
    public init(
        detector: DetectorID, severity: Severity, subject: FindingSubject, route: String? = nil, firstMs: Int64, lastMs: Int64,
        requests: Int64, evidence: JSONValue, state: FindingState = .new, confidence: Confidence = .strong,
        confidenceReason: String = ""
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
        self.confidence = confidence
        self.confidenceReason = confidenceReason
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

extension Finding {
    /// Most severe first, then the earliest, then by id: the one order reports list findings in.
    public static func mostSevereFirst(_ a: Finding, _ b: Finding) -> Bool {
        (Severity.rank(a.severity.rawValue), a.firstMs, a.id) < (Severity.rank(b.severity.rawValue), b.firstMs, b.id)
    }
}
