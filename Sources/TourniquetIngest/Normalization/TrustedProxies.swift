import Foundation
import TourniquetModel

/// Finds the real client address behind trusted proxies.
///
/// X-Forwarded-For is written by the client first, so only entries added by proxies we trust can be
/// believed: walk the chain from the right (the peer address, then XFF right to left) and stop at
/// the first hop that is not a trusted proxy. With no trusted proxies, the peer is the client.
///
/// A hop that is not an address (`unknown`, `garbage`) is untrusted like any other, so it ends the
/// walk and becomes the client as written: attacker text can never make a trusted proxy the client.
/// Ports are dropped (`1.2.3.4:5678`, `[2001:db8::1]:443`), so one client is one subject.
public struct TrustedProxies: Sendable {
    private let networks: [CIDR]

    public init(networks: [CIDR] = []) { self.networks = networks }

    public var isEmpty: Bool { networks.isEmpty }

    public func clientAddress(peer: String, forwardedFor: String?) -> String {
        guard !networks.isEmpty, contains(peer), let chain = forwardedFor else { return peer }
        for entry in chain.split(separator: ",").reversed() {
            let hop = String(entry.trimmingCharacters(in: " ").trimmingCharacters(in: "\t"))
            if hop.isEmpty { continue }
            if !contains(hop) { return TrustedProxies.withoutPort(hop) }
        }
        return peer
    }

    /// The address without brackets or port when it is one (`[::1]:80` → `::1`), else the text as written.
    public static func withoutPort(_ hop: String) -> String {
        var s = Substring(hop)
        if s.first == "[", let close = s.firstIndex(of: "]") {
            s = s[s.index(after: s.startIndex)..<close]
        } else if s.filter({ $0 == ":" }).count == 1, let colon = s.firstIndex(of: ":") {
            s = s[..<colon]
        }
        return IPAddress(String(s)) == nil ? hop : String(s)
    }

    func contains(_ address: String) -> Bool {
        guard let parsed = IPAddress(address) else { return false }
        return networks.contains { $0.contains(parsed) }
    }
}

extension Substring {
    func trimmingCharacters(in character: Character) -> Substring {
        var s = self
        while s.first == character { s.removeFirst() }
        while s.last == character { s.removeLast() }
        return s
    }
}
