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
    /// Non-authentication requests per (source, identity): the last time each pair was seen.
    var lastUseBySourceAndClient: [Int64: Int64] = [:]
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
            if row.timestampMs > lastUseBySourceAndClient[key] ?? .min { lastUseBySourceAndClient[key] = row.timestampMs }
        }
    }

    /// Attempts sorted by time, per source.
    mutating func sortAll() {
        for key in attemptsByIP.keys { attemptsByIP[key]?.sort { $0.ts < $1.ts } }
    }

    /// Accounts a source logged into successfully and then used from the same source.
    func accountsTakenOver(by ip: Int64) -> [Int64] {
        var out: [Int64] = []
        for attempt in attemptsByIP[ip] ?? [] where !attempt.failed && attempt.client != 0 {
            if let used = lastUseBySourceAndClient[LoginActivity.pair(ip, attempt.client)], used > attempt.ts, !out.contains(attempt.client) {
                out.append(attempt.client)
            }
        }
        return out
    }

    /// Distinct identities a set of sources tried to log in as.
    func identitiesTried(by ips: Set<Int64>) -> Set<Int64> {
        var out = Set<Int64>()
        for ip in ips { for attempt in attemptsByIP[ip] ?? [] where attempt.client != 0 { out.insert(attempt.client) } }
        return out
    }
}
