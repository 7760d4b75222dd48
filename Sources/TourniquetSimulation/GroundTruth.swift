import Foundation
import TourniquetDetection

/// What really happened in a simulated incident: the answer key a drill is scored against.
///
/// Every list is sorted, so two runs of the same spec give byte-identical JSON.
public struct GroundTruth: Codable, Equatable, Sendable {
    /// Sources of attack traffic.
    public struct Attackers: Codable, Equatable, Sendable {
        /// Every client address that sent attack traffic.
        public var ips: [String]
        /// Identities the attackers themselves own and used (not their victims').
        public var clients: [String]
        public init(ips: [String] = [], clients: [String] = []) {
            self.ips = ips
            self.clients = clients
        }
    }

    /// Accounts touched by credential stuffing and brute force.
    public struct Accounts: Codable, Equatable, Sendable {
        /// Usernames the attackers logged into successfully and then used.
        public var compromised: [String]
        /// How many distinct usernames the stuffing and brute force tried.
        public var targeted: Int
        public init(compromised: [String] = [], targeted: Int = 0) {
            self.compromised = compromised
            self.targeted = targeted
        }
    }

    /// An API key that attackers used.
    public struct CompromisedKey: Codable, Equatable, Sendable {
        /// The key as the log names it: the Kong consumer or decK consumer name, or the AWS key id.
        public var id: String
        /// The raw key, when the log carries it as a query parameter or header (so it can be
        /// fingerprinted); nil when the log only has the id.
        public var secret: String?
        public init(id: String, secret: String? = nil) {
            self.id = id
            self.secret = secret
        }

        private enum CodingKeys: String, CodingKey { case id, secret }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            secret = try c.decodeIfPresent(String.self, forKey: .secret)
        }

        /// `secret` is written as `null` rather than left out, so the file's shape never varies.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(secret, forKey: .secret)
        }
    }

    /// API keys that leaked.
    public struct Keys: Codable, Equatable, Sendable {
        public var compromised: [CompromisedKey]
        public init(compromised: [CompromisedKey] = []) { self.compromised = compromised }
    }

    /// Objects an attacker read that were not theirs (BOLA), under their route template.
    public struct ObjectAccess: Codable, Equatable, Sendable {
        /// The OpenAPI template, e.g. `/v1/orders/{orderId}`.
        public var route: String
        /// Object ids that answered 2xx to the attacker, ascending.
        public var ids: [String]
        public init(route: String, ids: [String]) {
            self.route = route
            self.ids = ids
        }
    }

    /// An undocumented path, or a deprecated operation, that answered 2xx to an attacker.
    public struct ShadowEndpoint: Codable, Equatable, Sendable, Hashable {
        public var method: String
        /// The spec template for a deprecated operation; for an undocumented path, the path with
        /// id-like segments written `{id}` (what ingest's route table shows for it).
        public var path: String
        public init(method: String, path: String) {
            self.method = method
            self.path = path
        }
    }

    /// Benign sources built to look suspicious; a detector that flags them is wrong.
    public struct Decoys: Codable, Equatable, Sendable {
        public var ips: [String]
        public var clients: [String]
        public init(ips: [String] = [], clients: [String] = []) {
            self.ips = ips
            self.clients = clients
        }
    }

    public var seed: UInt64
    public var scenarios: [SimulatedScenario]
    public var format: String
    public var attackers: Attackers
    public var accounts: Accounts
    public var keys: Keys
    public var objects: [ObjectAccess]
    public var shadowEndpoints: [ShadowEndpoint]
    public var decoys: Decoys

    public init(
        seed: UInt64, scenarios: [SimulatedScenario], format: String, attackers: Attackers = Attackers(),
        accounts: Accounts = Accounts(), keys: Keys = Keys(), objects: [ObjectAccess] = [],
        shadowEndpoints: [ShadowEndpoint] = [], decoys: Decoys = Decoys()
    ) {
        self.seed = seed
        self.scenarios = scenarios
        self.format = format
        self.attackers = attackers
        self.accounts = accounts
        self.keys = keys
        self.objects = objects
        self.shadowEndpoints = shadowEndpoints
        self.decoys = decoys
    }

    private enum CodingKeys: String, CodingKey {
        case seed, scenarios, format, attackers, accounts, keys, objects, decoys
        case shadowEndpoints = "shadow_endpoints"
    }

    /// Pretty JSON with sorted keys and a trailing newline, as written next to a drill's log.
    public func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings and integers cannot fail.
        guard let data = try? encoder.encode(self) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Reads a ground-truth file written by ``jsonText()``.
    public static func decode(jsonText: String) throws -> GroundTruth {
        try JSONDecoder().decode(GroundTruth.self, from: Data(jsonText.utf8))
    }
}
