/// Sources and clients known to be benign; their findings are suppressed. Every change to the
/// allowlist is a recorded action.
public struct Allowlist: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public enum Kind: String, Sendable, CaseIterable { case ip, cidr, client }
        public var kind: Kind
        public var value: String
        public init(kind: Kind, value: String) {
            self.kind = kind
            self.value = value
        }

        /// Reads `203.0.113.7`, `10.0.0.0/8` or `client:svc-billing`.
        public static func parse(_ text: String) -> Entry? {
            if text.hasPrefix("client:") {
                let name = String(text.dropFirst("client:".count))
                return name.isEmpty ? nil : Entry(kind: .client, value: name)
            }
            if text.contains("/") { return CIDR(text) == nil ? nil : Entry(kind: .cidr, value: text) }
            return IPAddress(text) == nil ? nil : Entry(kind: .ip, value: text)
        }
    }

    public var entries: [Entry]
    private var networks: [CIDR]

    public init(_ entries: [Entry] = []) {
        self.entries = entries
        networks = entries.compactMap { entry in
            switch entry.kind {
            case .ip: return CIDR(entry.value)
            case .cidr: return CIDR(entry.value)
            case .client: return nil
            }
        }
    }

    public func allows(ip: String) -> Bool {
        guard !networks.isEmpty, let address = IPAddress(ip) else { return false }
        return networks.contains { $0.contains(address) }
    }

    public func allows(client: String) -> Bool {
        entries.contains { $0.kind == .client && $0.value == client }
    }
}
