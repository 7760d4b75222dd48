import Foundation
import TourniquetModel

/// The scope report as a versioned contract: what `tourniquet scope --json` prints, what the case
/// stores for each run, and what the console reads back. Like swift-argument-parser's `ToolInfo`,
/// readers check `version`; a change that removes or retypes a member raises it.
///
/// The text form is canonical (`JSONValue.canonicalJSON`): keys sorted, no white space, so the
/// same report is always the same bytes.
public struct ScopeReportDocument: Codable, Equatable, Sendable {
    /// Version 2 is the shape the README documents; it made `accounts.targeted` nullable.
    /// Version 1 reports (and those stored before `version` existed) read the same way.
    public static let currentVersion = 2

    public var version: Int
    public var window: Window
    public var requests: Int64
    public var findings: [FindingEntry]
    public var attackers: Attackers
    public var keys: Keys
    public var accounts: Accounts
    public var credentials: Credentials
    public var campaigns: [CampaignEntry]
    public var targetedEndpoints: [TargetedEndpoint]
    public var dataAccessed: [DataAccessed]
    public var shadowEndpoints: [ShadowEndpoint]
    public var skipped: [Skipped]

    enum CodingKeys: String, CodingKey {
        case version, window, requests, findings, attackers, keys, accounts, credentials, campaigns, skipped
        case targetedEndpoints = "targeted_endpoints"
        case dataAccessed = "data_accessed"
        case shadowEndpoints = "shadow_endpoints"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? 1
        guard version <= ScopeReportDocument.currentVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .version, in: c,
                debugDescription: "scope report version \(version) is newer than this Tourniquet reads (\(ScopeReportDocument.currentVersion))")
        }
        window = try c.decode(Window.self, forKey: .window)
        requests = try c.decode(Int64.self, forKey: .requests)
        findings = try c.decode([FindingEntry].self, forKey: .findings)
        attackers = try c.decode(Attackers.self, forKey: .attackers)
        keys = try c.decode(Keys.self, forKey: .keys)
        accounts = try c.decode(Accounts.self, forKey: .accounts)
        // Added within version 2: reports stored before it have none.
        credentials = try c.decodeIfPresent(Credentials.self, forKey: .credentials) ?? Credentials(compromised: [])
        campaigns = try c.decodeIfPresent([CampaignEntry].self, forKey: .campaigns) ?? []
        targetedEndpoints = try c.decode([TargetedEndpoint].self, forKey: .targetedEndpoints)
        dataAccessed = try c.decode([DataAccessed].self, forKey: .dataAccessed)
        shadowEndpoints = try c.decode([ShadowEndpoint].self, forKey: .shadowEndpoints)
        skipped = try c.decode([Skipped].self, forKey: .skipped)
    }

    public init(
        window: Window, requests: Int64, findings: [FindingEntry], attackers: Attackers, keys: Keys, accounts: Accounts,
        credentials: Credentials, campaigns: [CampaignEntry],
        targetedEndpoints: [TargetedEndpoint], dataAccessed: [DataAccessed], shadowEndpoints: [ShadowEndpoint], skipped: [Skipped]
    ) {
        version = ScopeReportDocument.currentVersion
        self.window = window
        self.requests = requests
        self.findings = findings
        self.attackers = attackers
        self.keys = keys
        self.accounts = accounts
        self.credentials = credentials
        self.campaigns = campaigns
        self.targetedEndpoints = targetedEndpoints
        self.dataAccessed = dataAccessed
        self.shadowEndpoints = shadowEndpoints
        self.skipped = skipped
    }

    /// The time span the run covered (RFC 3339 UTC), null when the case had no requests.
    public struct Window: Codable, Equatable, Sendable {
        public var from: String?
        public var to: String?

        public init(from: String?, to: String?) {
            self.from = from
            self.to = to
        }

        enum CodingKeys: String, CodingKey { case from, to }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            from = try c.decodeIfPresent(String.self, forKey: .from)
            to = try c.decodeIfPresent(String.self, forKey: .to)
        }

        /// Absent times are written as null: the contract always has both members.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
        }
    }

    public struct FindingEntry: Codable, Equatable, Sendable {
        public var id: String
        public var detector: DetectorID
        public var severity: Severity
        public var subject: Subject
        public var firstSeen: String
        public var lastSeen: String
        public var requests: Int64
        /// What the detector measured, as it measured it (counts, windows, samples).
        public var evidence: JSONValue
        public var state: FindingState
        /// `strong` or `weak`; only strong findings put names on the attacker and compromise lists.
        public var confidence: Confidence
        /// Why a finding is weak; empty for a strong one.
        public var confidenceReason: String

        public struct Subject: Codable, Equatable, Sendable {
            public var kind: FindingSubject.Kind
            public var value: String

            public init(kind: FindingSubject.Kind, value: String) {
                self.kind = kind
                self.value = value
            }
        }

        enum CodingKeys: String, CodingKey {
            case id, detector, severity, subject, requests, evidence, state, confidence
            case firstSeen = "first_seen"
            case lastSeen = "last_seen"
            case confidenceReason = "confidence_reason"
        }

        public init(
            id: String, detector: DetectorID, severity: Severity, subject: Subject, firstSeen: String, lastSeen: String, requests: Int64,
            evidence: JSONValue, state: FindingState, confidence: Confidence, confidenceReason: String
        ) {
            self.id = id
            self.detector = detector
            self.severity = severity
            self.subject = subject
            self.firstSeen = firstSeen
            self.lastSeen = lastSeen
            self.requests = requests
            self.evidence = evidence
            self.state = state
            self.confidence = confidence
            self.confidenceReason = confidenceReason
        }

        /// Reports stored before findings had a confidence read as strong, as they were taken.
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            detector = try c.decode(DetectorID.self, forKey: .detector)
            severity = try c.decode(Severity.self, forKey: .severity)
            subject = try c.decode(Subject.self, forKey: .subject)
            firstSeen = try c.decode(String.self, forKey: .firstSeen)
            lastSeen = try c.decode(String.self, forKey: .lastSeen)
            requests = try c.decode(Int64.self, forKey: .requests)
            evidence = try c.decode(JSONValue.self, forKey: .evidence)
            state = try c.decode(FindingState.self, forKey: .state)
            confidence = try c.decodeIfPresent(Confidence.self, forKey: .confidence) ?? .strong
            confidenceReason = try c.decodeIfPresent(String.self, forKey: .confidenceReason) ?? ""
        }
    }

    public struct Attackers: Codable, Equatable, Sendable {
        public var ips: [String]
        public var clients: [String]
    }

    public struct Keys: Codable, Equatable, Sendable {
        public var compromised: [String]
    }

    public struct Accounts: Codable, Equatable, Sendable {
        public var compromised: [String]
        /// Distinct accounts the attackers tried; null when the logins were logged without their
        /// accounts, so the number is unknown (version 2; version 1 wrote 0).
        public var targeted: Int64?

        public init(compromised: [String], targeted: Int64?) {
            self.compromised = compromised
            self.targeted = targeted
        }

        enum CodingKeys: String, CodingKey { case compromised, targeted }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(compromised, forKey: .compromised)
            try c.encode(targeted, forKey: .targeted)
        }
    }

    /// A credential-stuffing campaign: its own finding, the per-address findings grouped under it,
    /// and the member sources that logged into an account and used it.
    public struct CampaignEntry: Codable, Equatable, Sendable {
        public var finding: String
        public var route: String
        public var members: Int64
        public var memberFindings: [String]
        public var gotIn: [GotIn]

        public struct GotIn: Codable, Equatable, Sendable {
            public var source: String
            public var accounts: [String]
        }

        enum CodingKeys: String, CodingKey {
            case finding, route, members
            case memberFindings = "member_findings"
            case gotIn = "got_in"
        }
    }

    public struct Credentials: Codable, Equatable, Sendable {
        public var compromised: [Credential]
    }

    /// A credential to revoke, named by what the log has.
    public struct Credential: Codable, Equatable, Sendable {
        public enum Field: String, Codable, Sendable {
            /// An API key: the consumer name, key id or `fp:` fingerprint the log carried.
            case apiKey = "api_key"
            /// An identity whose credential others used: a combined log's remote user, a consumer.
            case identity
        }
        public var credential: String
        public var field: Field
        /// The identities logged with an API key (its consumer).
        public var consumers: [String]
    }

    public struct TargetedEndpoint: Codable, Equatable, Sendable {
        public var method: String
        public var route: String
        public var requests: Int64
        public var attackerRequests: Int64

        enum CodingKeys: String, CodingKey {
            case method, route, requests
            case attackerRequests = "attacker_requests"
        }
    }

    public struct DataAccessed: Codable, Equatable, Sendable {
        public var route: String
        public var objects: [String]
        public var bytes: Int64
    }

    public struct ShadowEndpoint: Codable, Equatable, Sendable {
        public var method: String
        public var path: String
        public var requests: Int64
        /// Requests by HTTP status code.
        public var statuses: [String: Int64]
    }

    public struct Skipped: Codable, Equatable, Sendable {
        public var detector: String
        public var reason: String
    }
}

extension ScopeReportDocument {
    /// The canonical text: the bytes `scope --json` prints and the case stores.
    public var canonicalJSON: String {
        do { return try JSONValueEncoder.encode(self).canonicalJSON } catch {
            preconditionFailure("a scope report always encodes: it holds only strings, integers and JSON values")
        }
    }

    /// Reads a stored or printed report; a problem names the member that is wrong.
    public static func decode(_ text: String) throws -> ScopeReportDocument {
        do {
            return try JSONValueDecoder.decode(ScopeReportDocument.self, fromText: text)
        } catch {
            throw ScopeReportUnreadable(problem: DecodingProblem.describe(error))
        }
    }
}

/// A stored scope report this version cannot read.
public struct ScopeReportUnreadable: Error, CustomStringConvertible, Sendable {
    public var problem: String
    public var description: String { "the stored scope report cannot be read: \(problem)" }
}

extension FindingSubject.Kind: Codable {}
extension FindingState: Codable {}
