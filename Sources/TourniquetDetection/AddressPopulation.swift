import TourniquetIngest
import TourniquetModel

/// Who is behind each address: its distinct logged identities and user agents over the evidence.
///
/// Hundreds of users behind one office NAT add up to a lot of small oddities (a refused admin
/// link, a stale bookmark) that no single user would be named for. At a shared address the
/// evidence is therefore weighed per identity: one identity has to make the case on its own.
public struct AddressPopulation {
    /// Up to `userAgentCap` distinct user agents per address, in a small array: the share test
    /// needs only a few, and a hash set per address cost scope a tenth of its time.
    struct Agents {
        var seen: [Int64] = []
        var last: Int64 = -1
    }
    static let userAgentCap = 16
    private var agents = DenseTable<Agents>()
    /// Distinct logged identities per address, counted once at the end from the login activity's
    /// (source, identity) pairs, which scope keeps anyway.
    private var identityCounts: [Int64: Int] = [:]
    /// An address is shared when this many identities, with at least `sharedMinUserAgents` user
    /// agents, were seen at it. Both, because one attacker rotating user agents is not a crowd, and
    /// one service account on many hosts is not either.
    public static let sharedMinIdentities = 10
    static let sharedMinUserAgents = 3

    mutating func observe(_ row: ScanRow) {
        guard row.userAgent != 0 else { return }
        AddressPopulation.update(&agents[row.ip, default: Agents()], row.userAgent)
    }

    private static func update(_ a: inout Agents, _ userAgent: Int64) {
        guard a.last != userAgent else { return }
        a.last = userAgent
        if a.seen.count < userAgentCap && !a.seen.contains(userAgent) { a.seen.append(userAgent) }
    }

    /// Counts each address's identities from (source, identity) pair keys (`LoginActivity.pair`).
    mutating func countIdentities<Pairs: Sequence>(pairs: Pairs) where Pairs.Element == Int64 {
        identityCounts = [:]
        for key in pairs { identityCounts[key >> 32, default: 0] += 1 }
    }

    func identities(at ip: Int64) -> Int { identityCounts[ip] ?? 0 }
    /// Counted up to `userAgentCap`.
    func userAgents(at ip: Int64) -> Int { agents[ip]?.seen.count ?? 0 }

    func isShared(_ ip: Int64) -> Bool {
        identities(at: ip) >= AddressPopulation.sharedMinIdentities && userAgents(at: ip) >= AddressPopulation.sharedMinUserAgents
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
