import TourniquetIngest

/// Every request to an authentication route, by source and by identity: the evidence behind
/// credential stuffing, brute force and account-compromise inference.
struct LoginActivity {
    struct Attempt {
        var ts: Int64
        var failed: Bool
        var client: Int64
        var ip: Int64
        var route: Int64
    }

    var attemptsByIP: [Int64: [Attempt]] = [:]
    /// Non-authentication requests per (source, identity): the first and last time each pair was seen.
    var useBySourceAndClient: [Int64: (first: Int64, last: Int64)] = [:]
    /// Requests per source, and how many of them were to authentication routes.
    var requestsByIP = DenseTable<(all: Int, auth: Int)>()

    /// One integer key for a (source, identity) pair; dict ids stay far below 2^32.
    static func pair(_ ip: Int64, _ client: Int64) -> Int64 { ip << 32 | client }

    mutating func observe(_ row: ScanRow, traits: RouteTraits, failureStatuses: Set<Int>) {
        requestsByIP[row.ip, default: (0, 0)].all += 1
        if traits.contains(.authentication) {
            requestsByIP[row.ip, default: (0, 0)].auth += 1
            attemptsByIP[row.ip, default: []].append(
                Attempt(ts: row.timestampMs, failed: failureStatuses.contains(row.status), client: row.client, ip: row.ip, route: row.route))
        } else if row.client != 0 {
            let key = LoginActivity.pair(row.ip, row.client)
            if let seen = useBySourceAndClient[key] {
                useBySourceAndClient[key] = (min(seen.first, row.timestampMs), max(seen.last, row.timestampMs))
            } else {
                useBySourceAndClient[key] = (row.timestampMs, row.timestampMs)
            }
        }
    }

    /// Attempts sorted by time, per source.
    mutating func sortAll() {
        for key in attemptsByIP.keys { attemptsByIP[key]?.sort { $0.ts < $1.ts } }
    }

    /// Accounts the sources logged into successfully and then used from the same source, by source. A login
    /// logged with its account names it; an anonymous one (the account was in the body) is tied to
    /// the identities the source first used within `window` ms after it.
    func accountsTakenOver(by ips: Set<Int64>, window: Int64) -> [Int64: Set<Int64>] {
        var out: [Int64: Set<Int64>] = [:]
        var anonymousLogins: [Int64: [Int64]] = [:]
        for ip in ips {
            for attempt in attemptsByIP[ip] ?? [] where !attempt.failed {
                if attempt.client == 0 {
                    anonymousLogins[ip, default: []].append(attempt.ts)
                } else if let used = useBySourceAndClient[LoginActivity.pair(ip, attempt.client)], used.last > attempt.ts {
                    out[ip, default: []].insert(attempt.client)
                }
            }
        }
        guard !anonymousLogins.isEmpty else { return out }
        for (key, used) in useBySourceAndClient {
            // The latest login at or before the first use: the session that use began.
            guard let logins = anonymousLogins[key >> 32], let login = logins.last(where: { $0 <= used.first }),
                used.first - login <= window
            else { continue }
            out[key >> 32, default: []].insert(key & 0xFFFF_FFFF)
        }
        return out
    }

    /// Whether the sources' attempts carried identities at all: when none did, how many accounts
    /// they tried is unknown, not zero.
    func attemptsNameAccounts(from ips: Set<Int64>) -> Bool {
        ips.contains { ip in (attemptsByIP[ip] ?? []).contains { $0.client != 0 } }
    }

    /// Distinct identities a set of sources tried to log in as.
    func identitiesTried(by ips: Set<Int64>) -> Set<Int64> {
        var out = Set<Int64>()
        for ip in ips { for attempt in attemptsByIP[ip] ?? [] where attempt.client != 0 { out.insert(attempt.client) } }
        return out
    }
}
