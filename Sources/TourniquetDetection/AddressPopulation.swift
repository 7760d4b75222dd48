import TourniquetIngest
import TourniquetModel

/// Who is behind each address: its distinct logged identities and user agents over the evidence.
///
/// Hundreds of users behind one office NAT add up to a lot of small oddities (a refused admin
/// link, a stale bookmark) that no single user would be named for. At a shared address the
/// evidence is therefore weighed per identity: one identity has to make the case on its own.
public struct AddressPopulation {
    struct Seen {
        var identities = Set<Int64>()
        var userAgents = Set<Int64>()
        /// The last pair added, so a session's run of requests costs no hashing.
        var last: (client: Int64, userAgent: Int64) = (-1, -1)
    }
    private var seen = DenseTable<Seen>()
    /// An address is shared when this many identities, with at least `sharedMinUserAgents` user
    /// agents, were seen at it. Both, because one attacker rotating user agents is not a crowd, and
    /// one service account on many hosts is not either.
    public static let sharedMinIdentities = 10
    static let sharedMinUserAgents = 3

    mutating func observe(_ row: ScanRow) {
        AddressPopulation.update(&seen[row.ip, default: Seen()], client: row.client, userAgent: row.userAgent)
    }

    private static func update(_ s: inout Seen, client: Int64, userAgent: Int64) {
        guard s.last.client != client || s.last.userAgent != userAgent else { return }
        s.last = (client, userAgent)
        if client != 0 { s.identities.insert(client) }
        if userAgent != 0 { s.userAgents.insert(userAgent) }
    }

    func identities(at ip: Int64) -> Int { seen[ip]?.identities.count ?? 0 }
    func userAgents(at ip: Int64) -> Int { seen[ip]?.userAgents.count ?? 0 }

    func isShared(_ ip: Int64) -> Bool {
        guard let s = seen[ip] else { return false }
        return s.identities.count >= AddressPopulation.sharedMinIdentities && s.userAgents.count >= AddressPopulation.sharedMinUserAgents
    }

    /// The evidence at an address, in the groups to test a detector's thresholds on one at a time:
    /// the whole address, or at a shared one each identity, which is the logged client, else the
    /// user agent (anonymous users of one office differ by browser).
    func weigh<Event>(_ events: [Event], at ip: Int64, client: (Event) -> Int64, userAgent: (Event) -> Int64) -> [[Event]] {
        guard isShared(ip) else { return [events] }
        var groups: [Int64: [Event]] = [:]
        for event in events {
            let c = client(event)
            groups[c != 0 ? c : -1 - userAgent(event), default: []].append(event)
        }
        return Array(groups.values)
    }

    /// What a finding on an address says about who is behind it.
    func evidence(at ip: Int64) -> JSONValue {
        .fields([
            "identities": .int(Int64(identities(at: ip))), "user_agents": .int(Int64(userAgents(at: ip))),
            "shared": .bool(isShared(ip)),
        ])
    }
}
