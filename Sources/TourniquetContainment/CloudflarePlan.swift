import TourniquetModel

/// The blocked addresses in force as Cloudflare configuration. Every entry carries the case's and
/// the measure's tags, so that later applies remove exactly what Tourniquet added:
///
/// - list mode: items of an IP list of the case's own (`tourniquet_1a2b3c4d`), each commented
///   `tourniquet tq-case-… tq-measure-N`, matched by one custom rule in the zone's
///   `http_request_firewall_custom` entry point, `ip.src in $tourniquet_1a2b3c4d`, whose `ref` is
///   the list's name;
/// - access-rules mode (legacy): one IP Access Rule, `mode: block`, per address, its notes
///   carrying the same tags.
///
/// Only addresses are blocked here: keys, tokens and endpoints are left out with the reason.
public struct CloudflarePlan: Sendable {
    public struct Entry: Equatable, Sendable {
        /// The measures the entry stands for: two measures can land on one IPv6 /64.
        public var measureIDs: [Int64]
        /// The address or range as Cloudflare holds it (`203.0.113.7`, `198.51.100.0/24`, `2001:db8::/64`).
        public var value: String
        /// The access rule's configuration target: ip, ip6 or ip_range.
        public var target: String
        /// The item's comment, or the access rule's notes.
        public var tag: String { (["tourniquet", caseTag] + measureIDs.map { "tq-measure-\($0)" }).joined(separator: " ") }
        var caseTag: String
    }

    public var mode: CloudflareTarget.Mode
    public var caseTag: String
    /// The list's name, which rule expressions use; also the custom rule's `ref`.
    public var listName: String
    public var entries: [Entry] = []
    /// Measures Cloudflare is not told, and why: they stay pending.
    public var skipped: [(id: Int64, why: String)] = []
    /// Blocks Cloudflare holds wider than the measure asked, said in the apply's record.
    public var widened: [String] = []

    public static let phase = "http_request_firewall_custom"
    public static let description = "Addresses blocked by Tourniquet during incident response"

    public init(caseID: String, entries inForce: [ContainmentEntry], mode: CloudflareTarget.Mode) {
        self.mode = mode
        let word = String(caseID.lowercased().unicodeScalars.filter { CharacterClass.alnum($0) }.prefix(8).map(Character.init))
        caseTag = "tq-case-" + word
        listName = "tourniquet_" + word
        var byValue: [String: Int] = [:]
        for entry in inForce.sorted(by: { $0.id < $1.id }) {
            guard case .blockAddress(let network, _) = entry.measure else {
                skipped.append((entry.id, "Cloudflare blocks addresses here; block keys and endpoints at the gateway behind it"))
                continue
            }
            let placed: (value: String, target: String)
            switch mode {
            case .list: placed = listValue(network, measure: entry.id)
            case .accessRules: placed = accessRuleValue(network, measure: entry.id)
            }
            guard !placed.value.isEmpty else { continue }
            if let index = byValue[placed.value] {
                entries[index].measureIDs.append(entry.id)
            } else {
                byValue[placed.value] = entries.count
                entries.append(Entry(measureIDs: [entry.id], value: placed.value, target: placed.target, caseTag: caseTag))
            }
        }
    }

    /// Lists hold IPv4 addresses and ranges from /8, and IPv6 ranges from /12 to /64: a narrower
    /// IPv6 block is held as its /64, and the apply says so.
    private mutating func listValue(_ network: CIDR, measure: Int64) -> (value: String, target: String) {
        let length = network.writtenPrefixLength
        if network.isV4 {
            guard length >= 8 else {
                skipped.append((measure, "Cloudflare lists hold IPv4 ranges of /8 or narrower, not \(network)"))
                return ("", "")
            }
            return (length == 32 ? "\(network.masked.network)" : network.description, length == 32 ? "ip" : "ip_range")
        }
        guard length >= 12 else {
            skipped.append((measure, "Cloudflare lists hold IPv6 ranges of /12 or narrower, not \(network)"))
            return ("", "")
        }
        guard length > 64 else { return (network.description, "ip_range") }
        var wide = network
        wide.prefixLength = 64
        widened.append("#\(measure): Cloudflare lists hold IPv6 as /64 at the narrowest, so \(network) is blocked as \(wide)")
        return (wide.description, "ip_range")
    }

    /// Access rules take single addresses, and ranges of IPv4 /16 or /24 and IPv6 /32, /48 or /64.
    private mutating func accessRuleValue(_ network: CIDR, measure: Int64) -> (value: String, target: String) {
        let length = network.writtenPrefixLength
        if network.isV4 && length == 32 { return ("\(network.masked.network)", "ip") }
        if !network.isV4 && length == 128 { return ("\(network.masked.network)", "ip6") }
        if (network.isV4 && [16, 24].contains(length)) || (!network.isV4 && [32, 48, 64].contains(length)) {
            return (network.description, "ip_range")
        }
        skipped.append(
            (measure, "IP Access Rules take IPv4 ranges of /16 or /24 and IPv6 ranges of /32, /48 or /64, not \(network): use --mode list"))
        return ("", "")
    }

    public var ruleExpression: String { "ip.src in $\(listName)" }

    /// The custom rule that blocks the list's addresses.
    public var rule: JSONValue {
        .fields([
            "action": "block", "expression": .string(ruleExpression), "description": .string("Tourniquet \(caseTag): \(CloudflarePlan.description)"),
            "enabled": true, "ref": .string(listName),
        ])
    }

    public var createList: JSONValue {
        .fields(["name": .string(listName), "kind": "ip", "description": .string("Tourniquet \(caseTag): \(CloudflarePlan.description)")])
    }

    public func items(_ entries: [Entry]) -> JSONValue {
        .array(entries.map { .fields(["ip": .string($0.value), "comment": .string($0.tag)]) })
    }

    public func accessRule(_ entry: Entry) -> JSONValue {
        .fields([
            "mode": "block", "configuration": .fields(["target": .string(entry.target), "value": .string(entry.value)]), "notes": .string(entry.tag),
        ])
    }

    /// The same value as this plan writes it, for comparing with what Cloudflare answers.
    public static func normalized(_ value: String) -> String {
        guard let network = CIDR(value) else { return value }
        let length = network.writtenPrefixLength
        return (network.isV4 && length == 32) || (!network.isV4 && length == 128) ? "\(network.masked.network)" : network.description
    }

    /// Whether an item's comment or a rule's notes say it is this case's.
    public func isOurs(_ tag: String?) -> Bool {
        guard let tag else { return false }
        return tag.split(separator: " ").contains { $0 == caseTag }
    }
}
