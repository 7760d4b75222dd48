import Foundation

/// A small stand-in for Cloudflare's API on 127.0.0.1, for the containment tests: Tourniquet must
/// not reach the real one from a test. It answers with the envelopes Cloudflare documents
/// (`success`, `errors`, `result`, `result_info`) and behaves as the documentation says:
///
/// - lists of kind `ip`, whose item changes are asynchronous bulk operations (`pending`, then
///   `completed` when polled), one pending operation per account at a time;
/// - list items hold IPv4 addresses and ranges /8–/32, and IPv6 ranges /12–/64;
/// - the zone's `http_request_firewall_custom` entry point, 404 until created;
/// - IP Access Rules: ip, ip6, and ip_range only as IPv4 /16 or /24 or IPv6 /32, /48, /64, one per value;
/// - pages of a few entries, so that callers must follow cursors and pages;
/// - a bearer token on every call, and 429 with `Retry-After` when told to throttle.
public final class FakeCloudflare: @unchecked Sendable {
    public var baseURL: String { server?.baseURL ?? "" }
    public let token: String
    public let account = "acc0123456789"
    public let zone = "zone0123456789"

    private let lock = NSLock()
    private var lists: [[String: Any]] = []
    private var items: [String: [[String: Any]]] = [:]  // list id → items
    private var operations: [String: (polls: Int, apply: () -> Void, error: String?)] = [:]
    private var ruleset: [String: Any]?
    private var accessRules: [[String: Any]] = []
    private var requests: [String] = []
    private var throttle = 0
    private var server: TinyHTTPServer?
    private let pageSize = 2

    public init(token: String = "cf-test-token") throws {
        self.token = token
        server = try TinyHTTPServer(responder: { [weak self] raw in
            guard let self else { return (503, [:], Data()) }
            let body = raw.body.isEmpty ? nil : try? JSONSerialization.jsonObject(with: raw.body)
            let (status, headers, answer) = self.lock.withLock {
                self.requests.append("\(raw.method) \(raw.target)")
                if self.throttle > 0 {
                    self.throttle -= 1
                    return (429, ["Retry-After": "1"], FakeCloudflare.failure(971, "Please wait and consider throttling your request speed"))
                }
                guard raw.headers["authorization"] == "Bearer \(self.token)" else {
                    return (403, [:], FakeCloudflare.failure(10000, "Authentication error"))
                }
                let (status, answer) = self.handle(raw.method, raw.target, body)
                return (status, [:], answer)
            }
            return (status, headers, (try? JSONSerialization.data(withJSONObject: answer)) ?? Data())
        })
    }

    public var log: [String] { lock.withLock { requests } }
    public var listItems: [String] { lock.withLock { items.values.flatMap { $0 }.compactMap { $0["ip"] as? String }.sorted() } }
    public var customRules: [[String: Any]] { lock.withLock { ruleset?["rules"] as? [[String: Any]] ?? [] } }
    public var blockingAccessRules: [String] {
        lock.withLock { accessRules.compactMap { ($0["configuration"] as? [String: Any])?["value"] as? String }.sorted() }
    }

    /// The next `count` calls answer 429.
    public func throttleNext(_ count: Int) { lock.withLock { throttle = count } }

    /// An access rule someone else made by hand: it must survive Tourniquet's applies.
    public func addForeignAccessRule(value: String, notes: String) {
        lock.withLock {
            accessRules.append([
                "id": UUID().uuidString, "mode": "block", "configuration": ["target": "ip", "value": value], "notes": notes,
            ])
        }
    }

    /// Whether Cloudflare would block a request from `address`: a list item matched by an enabled
    /// `ip.src in $name` rule, or a blocking access rule.
    public func blocks(_ address: String) -> Bool {
        lock.withLock {
            for rule in ruleset?["rules"] as? [[String: Any]] ?? [] where rule["enabled"] as? Bool != false && rule["action"] as? String == "block" {
                guard let expression = rule["expression"] as? String, expression.hasPrefix("ip.src in $") else { continue }
                let name = String(expression.dropFirst("ip.src in $".count))
                guard let list = lists.first(where: { $0["name"] as? String == name }), let id = list["id"] as? String else { continue }
                if (items[id] ?? []).contains(where: { FakeCloudflare.contains($0["ip"] as? String ?? "", address) }) { return true }
            }
            return accessRules.contains { rule in
                rule["mode"] as? String == "block"
                    && FakeCloudflare.contains((rule["configuration"] as? [String: Any])?["value"] as? String ?? "", address)
            }
        }
    }

    // MARK: - The API

    private func handle(_ method: String, _ target: String, _ body: Any?) -> (Int, Any) {
        let (path, query) = TinyHTTPServer.split(target)
        let s = path.split(separator: "/").map(String.init)
        let listsPrefix = ["accounts", account, "rules", "lists"]
        if s.count >= 4 && Array(s[0..<4]) == listsPrefix { return handleLists(method, Array(s.dropFirst(4)), query, body) }
        if s.count >= 2 && s[0] == "accounts" && s[1] != account { return (403, FakeCloudflare.failure(10000, "Authentication error")) }
        if s.count >= 2 && s[0] == "zones" && s[1] != zone { return (404, FakeCloudflare.failure(7003, "Could not route to \(path)")) }
        switch (method, Array(s.dropFirst(2))) {
        case ("GET", ["rulesets", "phases", "http_request_firewall_custom", "entrypoint"]):
            guard let ruleset else {
                return (404, FakeCloudflare.failure(10003, "could not find entrypoint ruleset in the http_request_firewall_custom phase"))
            }
            return FakeCloudflare.success(ruleset)
        case ("PUT", ["rulesets", "phases", "http_request_firewall_custom", "entrypoint"]):
            guard let rules = (body as? [String: Any])?["rules"] as? [[String: Any]] else { return bad("rules: expected an array") }
            if let problem = rules.compactMap(FakeCloudflare.ruleProblem).first { return bad(problem) }
            ruleset = ["id": UUID().uuidString, "phase": "http_request_firewall_custom", "kind": "zone", "rules": rules.map(FakeCloudflare.withID)]
            return FakeCloudflare.success(ruleset!)
        case ("POST", let rest) where rest.count == 3 && rest[0] == "rulesets" && rest[2] == "rules":
            guard var current = ruleset, current["id"] as? String == rest[1] else { return (404, FakeCloudflare.failure(10003, "ruleset not found")) }
            guard let rule = body as? [String: Any] else { return bad("expected a rule") }
            if let problem = FakeCloudflare.ruleProblem(rule) { return bad(problem) }
            current["rules"] = (current["rules"] as? [[String: Any]] ?? []) + [FakeCloudflare.withID(rule)]
            ruleset = current
            return FakeCloudflare.success(current)
        case ("PATCH", let rest) where rest.count == 4 && rest[0] == "rulesets" && rest[2] == "rules":
            guard var current = ruleset, current["id"] as? String == rest[1], var rules = current["rules"] as? [[String: Any]],
                let i = rules.firstIndex(where: { $0["id"] as? String == rest[3] }), let patch = body as? [String: Any]
            else { return (404, FakeCloudflare.failure(10003, "rule not found")) }
            for (k, v) in patch { rules[i][k] = v }
            current["rules"] = rules
            ruleset = current
            return FakeCloudflare.success(current)
        case ("GET", ["firewall", "access_rules", "rules"]):
            let notes = query["notes"]
            let matching = accessRules.filter { notes == nil || ($0["notes"] as? String ?? "").contains(notes!) }
            return page(matching, query)
        case ("POST", ["firewall", "access_rules", "rules"]):
            guard let rule = body as? [String: Any], rule["mode"] as? String == "block",
                let configuration = rule["configuration"] as? [String: Any], let target = configuration["target"] as? String,
                let value = configuration["value"] as? String
            else { return bad("mode, configuration.target and configuration.value are required") }
            if let problem = FakeCloudflare.accessRuleProblem(target, value) { return bad(problem) }
            if accessRules.contains(where: { ($0["configuration"] as? [String: Any])?["value"] as? String == value }) {
                return bad("firewallaccessrules.api.duplicate_of_existing")
            }
            var created = rule
            created["id"] = UUID().uuidString.replacingOccurrences(of: "-", with: "")
            accessRules.append(created)
            return FakeCloudflare.success(created)
        case ("DELETE", let rest) where rest.count == 4 && Array(rest[0..<3]) == ["firewall", "access_rules", "rules"]:
            guard let i = accessRules.firstIndex(where: { $0["id"] as? String == rest[3] }) else {
                return (404, FakeCloudflare.failure(10001, "access rule not found"))
            }
            accessRules.remove(at: i)
            return FakeCloudflare.success(["id": rest[3]])
        default:
            return (404, FakeCloudflare.failure(7003, "Could not route to \(path)"))
        }
    }

    private func handleLists(_ method: String, _ rest: [String], _ query: [String: String], _ body: Any?) -> (Int, Any) {
        switch (method, rest) {
        case ("GET", []):
            return FakeCloudflare.success(lists)
        case ("POST", []):
            guard let spec = body as? [String: Any], let name = spec["name"] as? String, spec["kind"] as? String == "ip" else {
                return bad("name and kind are required")
            }
            guard !name.isEmpty, name.count <= 50, name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
                return bad("list name must contain only lowercase letters, digits and underscores")
            }
            guard !lists.contains(where: { $0["name"] as? String == name }) else { return bad("a list with this name already exists") }
            let list: [String: Any] = ["id": UUID().uuidString.replacingOccurrences(of: "-", with: ""), "name": name, "kind": "ip", "num_items": 0]
            lists.append(list)
            items[list["id"] as! String] = []
            return FakeCloudflare.success(list)
        case ("GET", let rest) where rest.count == 2 && rest[0] == "bulk_operations":
            let id = rest[1]
            guard var operation = operations[id] else { return (404, FakeCloudflare.failure(10001, "operation not found")) }
            operation.polls += 1
            operations[id] = operation
            if operation.polls < 2 { return FakeCloudflare.success(["id": id, "status": "pending"]) }
            if let error = operation.error { return FakeCloudflare.success(["id": id, "status": "failed", "error": error]) }
            if operation.polls == 2 { operation.apply() }
            return FakeCloudflare.success(["id": id, "status": "completed", "completed": "2026-12-01T00:00:00Z"])
        case (let verb, let rest) where rest.count == 2 && rest[1] == "items":
            let listID = rest[0]
            guard items[listID] != nil else { return (404, FakeCloudflare.failure(10000, "list not found")) }
            if verb == "GET" {
                let all = items[listID]!
                let start = Int(query["cursor"] ?? "") ?? 0
                let slice = Array(all[min(start, all.count)..<min(start + pageSize, all.count)])
                var info: [String: Any] = [:]
                if start + pageSize < all.count { info["cursors"] = ["after": "\(start + pageSize)"] }
                return (200, ["success": true, "errors": [], "messages": [], "result": slice, "result_info": info])
            }
            if operations.values.contains(where: { $0.polls < 2 }) {
                return bad("a bulk operation is already pending for this account")
            }
            let change: () -> Void
            switch verb {
            case "POST", "PUT":
                guard let added = body as? [[String: Any]] else { return bad("expected an array of items") }
                if let problem = added.compactMap({ FakeCloudflare.itemProblem($0["ip"] as? String ?? "") }).first { return bad(problem) }
                let made = added.map { item -> [String: Any] in
                    ["id": UUID().uuidString.replacingOccurrences(of: "-", with: ""), "ip": item["ip"]!, "comment": item["comment"] ?? ""]
                }
                change = { [weak self] in
                    if verb == "PUT" { self?.items[listID] = made } else { self?.items[listID]! += made }
                }
            case "DELETE":
                guard let ids = ((body as? [String: Any])?["items"] as? [[String: Any]])?.compactMap({ $0["id"] as? String }) else {
                    return bad("expected items: [{id}]")
                }
                change = { [weak self] in self?.items[listID]!.removeAll { ids.contains($0["id"] as? String ?? "") } }
            default:
                return (405, FakeCloudflare.failure(10000, "method not allowed"))
            }
            let id = UUID().uuidString.replacingOccurrences(of: "-", with: "")
            operations[id] = (0, change, nil)
            return FakeCloudflare.success(["operation_id": id])
        default:
            return (404, FakeCloudflare.failure(7003, "Could not route"))
        }
    }

    private func page(_ all: [[String: Any]], _ query: [String: String]) -> (Int, Any) {
        let page = max(1, Int(query["page"] ?? "") ?? 1)
        let start = (page - 1) * pageSize
        let slice = Array(all[min(start, all.count)..<min(start + pageSize, all.count)])
        let info: [String: Any] = [
            "page": page, "per_page": pageSize, "count": slice.count, "total_count": all.count,
            "total_pages": max(1, (all.count + pageSize - 1) / pageSize),
        ]
        return (200, ["success": true, "errors": [], "messages": [], "result": slice, "result_info": info])
    }

    private func bad(_ message: String) -> (Int, Any) { (400, FakeCloudflare.failure(10026, message)) }

    // MARK: - Cloudflare's rules on values

    static func itemProblem(_ value: String) -> String? {
        guard let (bits, length, v4) = parse(value) else { return "invalid IP \(value)" }
        _ = bits
        if v4 { return length >= 8 ? nil : "IPv4 CIDR prefix must be /8 or longer" }
        return (12...64).contains(length) ? nil : "IPv6 CIDR prefix must be between /12 and /64"
    }

    static func accessRuleProblem(_ target: String, _ value: String) -> String? {
        guard let (_, length, v4) = parse(value) else { return "invalid value \(value)" }
        switch target {
        case "ip": return v4 && length == 32 && !value.contains("/") ? nil : "ip needs a single IPv4 address"
        case "ip6": return !v4 && length == 128 && !value.contains("/") ? nil : "ip6 needs a single IPv6 address"
        case "ip_range":
            return (v4 ? [16, 24] : [32, 48, 64]).contains(length) ? nil : "ip_range only supports /16 and /24 (IPv4), /32, /48 and /64 (IPv6)"
        default: return "unsupported target \(target)"
        }
    }

    static func ruleProblem(_ rule: [String: Any]) -> String? {
        guard rule["expression"] is String, rule["action"] is String else { return "a rule needs an expression and an action" }
        return nil
    }

    static func withID(_ rule: [String: Any]) -> [String: Any] {
        var out = rule
        if out["id"] == nil { out["id"] = UUID().uuidString.replacingOccurrences(of: "-", with: "") }
        if out["enabled"] == nil { out["enabled"] = true }
        return out
    }

    /// The address bits (16 bytes, IPv4 mapped), the prefix length and the family.
    static func parse(_ text: String) -> ([UInt8], Int, Bool)? {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let first = parts.first else { return nil }
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, first, &v4) == 1 {
            let bytes = withUnsafeBytes(of: &v4) { Array($0) }
            let length = parts.count == 2 ? Int(parts[1]) ?? -1 : 32
            guard (0...32).contains(length) else { return nil }
            return ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + bytes, length, true)
        }
        guard inet_pton(AF_INET6, first, &v6) == 1 else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) ?? -1 : 128
        guard (0...128).contains(length) else { return nil }
        return (withUnsafeBytes(of: &v6) { Array($0) }, length, false)
    }

    static func contains(_ network: String, _ address: String) -> Bool {
        guard let (net, length, v4) = parse(network), let (host, _, hostV4) = parse(address), v4 == hostV4 else { return false }
        var remaining = v4 ? length + 96 : length
        for i in 0..<16 where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if net[i] & mask != host[i] & mask { return false }
            remaining -= bits
        }
        return true
    }

    static func success(_ result: Any) -> (Int, Any) { (200, ["success": true, "errors": [], "messages": [], "result": result]) }

    static func failure(_ code: Int, _ message: String) -> Any {
        ["success": false, "errors": [["code": code, "message": message]], "messages": [], "result": NSNull()]
    }
}
