import Foundation
import TourniquetIngest
import TourniquetModel

/// Every detector's thresholds and the route and signature lists they use, loaded from JSON.
///
/// The defaults are `DetectorDefaults.json`; `tourniquet scope --print-config` writes them out so a
/// responder can copy and tune them, and `--config FILE` reads the tuned copy. Loading rejects
/// unknown detectors, unknown keys and out-of-range values, so a typo never silently disables a rule.
public struct DetectorConfig: Codable, Equatable, Sendable {
    public struct Common: Codable, Equatable, Sendable {
        public var enabled: Bool
        public var severity: String
    }

    public struct CredentialStuffing: Codable, Equatable, Sendable {
        public var enabled: Bool, severity: String
        public var windowSeconds: Int, minFailures: Int, minFailureRatio: Double
        public var distributedMinSources: Int, distributedMinFailures: Int
        /// After a successful login by an attacking source, the identities that source starts
        /// using within this many seconds are taken over (logins are often logged without the
        /// account, which shows only on the requests after them).
        public var takeoverWindowSeconds: Int
    }
    public struct BruteForce: Codable, Equatable, Sendable {
        public var enabled: Bool, severity: String
        public var windowSeconds: Int, minFailures: Int
        /// A source that tried more identities than this is spraying (credential stuffing, reported
        /// there); its failures do not count towards any one account's brute force.
        public var maxIdentitiesPerSource: Int
    }
    public struct AuthzProbing: Codable, Equatable, Sendable {
        public var enabled: Bool, severity: String
        public var windowSeconds: Int, minForbidden: Int, minPrivilegedForbidden: Int
    }
    public struct BOLAEnumeration: Codable, Equatable, Sendable {
        public var enabled: Bool, severity: String
        public var minDistinctObjects: Int, minSequentialFraction: Double, minSuccessFraction: Double
    }
    public struct PathProbing: Codable, Equatable, Sendable {
        public var enabled: Bool, severity: String
        public var windowSeconds: Int, minDistinctErrorPaths: Int, minErrorRatio: Double
    }
    public struct Scraping: Codable, Equatable, Sendable {
        public var enabled: Bool, severity: String
        public var windowSeconds: Int, minRequestsInWindow: Int, overOwnBaseline: Double, overPeers: Double
        public var storm429Window: Int, storm429Min: Int
        public var newSourcesMin: Int
    }
    public struct ShadowEndpoint: Codable, Equatable, Sendable {
        public var enabled: Bool, severity: String
        public var minRequests: Int
    }
    public struct PasswordResetAbuse: Codable, Equatable, Sendable {
        public var enabled: Bool, severity: String
        public var windowSeconds: Int, maxPerAccount: Int, maxPerSource: Int
    }
    public struct GeoAnomaly: Codable, Equatable, Sendable {
        public var enabled: Bool, severity: String
        public var minBaselineRequests: Int
    }

    /// A family of request signatures; ingest matches them, so the type lives there.
    public typealias SignatureSet = ProbeSignatureSet

    public struct Routes: Codable, Equatable, Sendable {
        /// Substrings of a route template that mark it as one of these kinds.
        public var authentication: [String]
        public var privileged: [String]
        public var passwordReset: [String]
        public var health: [String]
        /// Statuses that count as a failed login.
        public var loginFailureStatuses: [Int]
    }

    public var routes: Routes
    public var credentialStuffing: CredentialStuffing
    public var bruteForce: BruteForce
    public var authzProbing: AuthzProbing
    public var bolaEnumeration: BOLAEnumeration
    public var pathProbing: PathProbing
    public var scraping: Scraping
    public var shadowEndpoint: ShadowEndpoint
    public var passwordResetAbuse: PasswordResetAbuse
    public var geoAnomaly: GeoAnomaly
    public var signatures: [String: SignatureSet]

    /// The defaults shipped with Tourniquet.
    public static let defaults: DetectorConfig = {
        do {
            return try load(json: Data(DetectorDefaults.json.utf8))
        } catch {
            preconditionFailure("the built-in detector defaults do not load: \(error)")
        }
    }()

    /// Decodes and validates a configuration; every problem is one plain line naming the key.
    public static func load(json: Data) throws -> DetectorConfig {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let config: DetectorConfig
        do {
            try rejectUnknownKeys(json)
            config = try decoder.decode(DetectorConfig.self, from: try withKeysAddedLater(json))
        } catch let error as DetectorConfigError {
            throw error
        } catch {
            throw DetectorConfigError(DecodingProblem.describe(error))
        }
        try config.validate()
        return config
    }

    /// Keys added after the first release, by section: a configuration copied before them still
    /// loads, with the built-in values. Every other key is required, so a deleted line is refused.
    static let keysAddedLater: [String: [String]] = [
        "brute_force": ["max_identities_per_source"], "credential_stuffing": ["takeover_window_seconds"],
    ]

    /// The configuration with any of `keysAddedLater` it lacks filled in from the defaults.
    static func withKeysAddedLater(_ json: Data) throws -> Data {
        guard var object = try JSONSerialization.jsonObject(with: json) as? [String: Any],
            let reference = try JSONSerialization.jsonObject(with: Data(DetectorDefaults.json.utf8)) as? [String: Any]
        else { return json }
        var changed = false
        for (section, keys) in keysAddedLater {
            guard var given = object[section] as? [String: Any], let builtIn = reference[section] as? [String: Any] else { continue }
            for key in keys where given[key] == nil {
                given[key] = builtIn[key]
                changed = true
            }
            object[section] = given
        }
        return changed ? try JSONSerialization.data(withJSONObject: object) : json
    }

    /// A typo in a key would otherwise fall back silently; refuse keys the format does not have.
    static func rejectUnknownKeys(_ json: Data) throws {
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: json) } catch { throw DetectorConfigError(DecodingProblem.describe(error)) }
        guard let object = parsed as? [String: Any] else {
            throw DetectorConfigError("the configuration must be a JSON object")
        }
        guard let reference = try JSONSerialization.jsonObject(with: Data(DetectorDefaults.json.utf8)) as? [String: Any] else { return }
        for (key, value) in object {
            if key == "signatures" { continue }
            guard let known = reference[key] else { throw DetectorConfigError("unknown section '\(DisplayText.sanitize(key).text)'") }
            if let section = value as? [String: Any], let knownSection = known as? [String: Any] {
                for inner in section.keys where knownSection[inner] == nil {
                    throw DetectorConfigError("unknown key '\(DisplayText.sanitize(key + "." + inner).text)'")
                }
            }
        }
    }

    /// The kinds of a route, from the configured substrings (compared lower-cased).
    public func traits(ofRoute route: String) -> RouteTraits {
        let lower = route.lowercased()
        var traits: RouteTraits = []
        if routes.authentication.contains(where: lower.contains) { traits.insert(.authentication) }
        if routes.privileged.contains(where: lower.contains) { traits.insert(.privileged) }
        if routes.passwordReset.contains(where: lower.contains) { traits.insert(.passwordReset) }
        if routes.health.contains(where: { lower == $0 || lower.hasSuffix($0) }) { traits.insert(.health) }
        if route.contains("{") { traits.insert(.templated) }
        return traits
    }
}

/// A detector configuration that cannot be used: one line naming the key and what it takes.
public struct DetectorConfigError: ResponderFacingError, Equatable {
    /// What is wrong, already escaped for display.
    public var problem: String
    /// The file it came from, once known.
    public var path: String?
    /// 2, like a usage error: nothing ran, and the responder's file needs fixing.
    public var exitCode: Int32 { 2 }
    public init(_ problem: String, path: String? = nil) {
        self.problem = problem
        self.path = path
    }
    public var description: String {
        (path.map { DisplayText.sanitize($0).text + ": " } ?? "") + "detector configuration: " + problem
    }
}
