import Foundation
import TourniquetModel

/// Writes a realistic nginx combined API log for benchmarks: a large client population, templated
/// API routes with object ids, query strings (some carrying tokens), mixed agents and statuses,
/// and `$request_time` appended, at about 180 bytes a line.
public enum SyntheticAccessLog {
    static let routes = [
        "/v1/accounts/%d", "/v1/accounts/%d/orders", "/v1/orders/%d", "/v1/products/%d", "/v1/products",
        "/v1/users/%d/profile", "/v1/login", "/v1/search", "/v2/invoices/%d", "/v1/carts/%d/items", "/health", "/v1/admin/users",
    ]
    static let agents = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "okhttp/4.12.0", "python-requests/2.31.0", "PartnerSync/3.2 (+https://partner.example/bot)", "curl/8.4.0",
    ]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Writes `lines` lines to `file` and closes it; returns the bytes written.
    public static func write(lines: Int, to file: any SimulationFile) throws -> Int64 {
        var rng = SimulationRandom(seed: 20_261_129)
        var buffer = ""
        buffer.reserveCapacity(4 << 20)
        var written: Int64 = 0
        var second = 1_764_403_200  // 2025-11-29T08:00:00Z
        // 30,000 clients, skewed so that a few are heavy hitters, as on a real API.
        let pool = (0..<30_000).map { _ in "\(11 + rng.next() % 200).\(rng.next() % 256).\(rng.next() % 256).\(1 + rng.next() % 254)" }
        for i in 0..<lines {
            if i % 40 == 0 { second += 1 }
            let ip = pool[Int(min(rng.next() % UInt64(pool.count), rng.next() % UInt64(pool.count)))]
            let route = routes[Int(rng.next() % UInt64(routes.count))]
            var path = route.contains("%d") ? route.replacingOccurrences(of: "%d", with: String(1000 + rng.next() % 900_000)) : route
            switch rng.next() % 10 {
            case 0: path += "?page=\(rng.next() % 40)&limit=50"
            case 1: path += "?token=tok_\(String(rng.next() % 5000 &* 2_654_435_761, radix: 36))&lang=en"
            case 2: path += "?q=\(String(rng.next() % 100_000, radix: 36))"
            default: break
            }
            let method = route == "/v1/login" ? "POST" : (rng.next() % 7 == 0 ? "PUT" : "GET")
            let statuses = [200, 200, 200, 200, 200, 201, 204, 304, 400, 401, 403, 404, 429, 500]
            let status = statuses[Int(rng.next() % UInt64(statuses.count))]
            let agent = agents[Int(rng.next() % UInt64(agents.count))]
            buffer +=
                "\(ip) - - [\(clf(second))] \"\(method) \(path) HTTP/1.1\" \(status) \(rng.next() % 20_000) \"-\" \"\(agent)\" 0.\(String(format: "%03d", rng.next() % 1000))\n"
            if buffer.utf8.count > 4 << 20 {
                try file.write(Array(buffer.utf8))
                written += Int64(buffer.utf8.count)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try file.write(Array(buffer.utf8))
        try file.close()
        written += Int64(buffer.utf8.count)
        return written
    }

    static func clf(_ epoch: Int) -> String {
        let days = epoch / 86_400
        let secs = epoch % 86_400
        let (y, m, d) = Timestamps.civilFromDays(Int64(days))
        return String(format: "%02d/%@/%04d:%02d:%02d:%02d +0000", d, months[m - 1], Int(y), secs / 3600, secs / 60 % 60, secs % 60)
    }
}
