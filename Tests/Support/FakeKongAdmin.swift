import Foundation

/// A small stand-in for Kong's Admin API on 127.0.0.1, for the containment tests: no Kong can run
/// here. It answers the calls Tourniquet makes with the request and response shapes Kong documents
/// (plugins, consumer- and route-scoped plugins, routes with tags, `data`/`next` listings, 404 with
/// a `message`), refuses what Kong would refuse (an unknown consumer or service, a deny list that
/// is not a list of strings), and deletes a route's plugins with the route, as Kong does.
public final class FakeKongAdmin: @unchecked Sendable {
    public struct Request {
        public var method: String
        public var path: String
        public var contentType: String?
        public var body: [String: Any]?
    }

    public private(set) var port: Int = 0
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    private let lock = NSLock()
    private var plugins: [[String: Any]] = []
    private var routes: [[String: Any]] = []
    private var consumers: [String: String]  // username → id
    private var services: [String: String]  // name → id
    private var requests: [Request] = []
    private var listener: Int32 = -1

    public init(consumers: [String], services: [String]) throws {
        self.consumers = Dictionary(uniqueKeysWithValues: consumers.map { ($0, UUID().uuidString.lowercased()) })
        self.services = Dictionary(uniqueKeysWithValues: services.map { ($0, UUID().uuidString.lowercased()) })
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        guard ok, listen(listener, 16) == 0 else { throw MissingRequirement(what: "a listening socket on 127.0.0.1") }
        port = Int(UInt16(bigEndian: address.sin_port))
        let fd = listener
        Thread.detachNewThread { [weak self] in
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                self?.serve(client)
                close(client)
            }
        }
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    public var log: [Request] { lock.withLock { requests } }
    public var allPlugins: [[String: Any]] { lock.withLock { plugins } }
    public var allRoutes: [[String: Any]] { lock.withLock { routes } }

    /// Removes a plugin behind Tourniquet's back, as another operator might.
    public func deletePlugins(where match: ([String: Any]) -> Bool) { lock.withLock { plugins.removeAll(where: match) } }

    // MARK: - HTTP

    private func serve(_ fd: Int32) {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        while headerEnd == nil {
            let n = read(fd, &chunk, chunk.count)
            if n <= 0 { return }
            buffer += chunk[0..<n]
            headerEnd = FakeKongAdmin.find([13, 10, 13, 10], in: buffer)
        }
        let head = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2 else { return }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            if let colon = line.firstIndex(of: ":") {
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        var body = Array(buffer[(headerEnd! + 4)...])
        while body.count < length {
            let n = read(fd, &chunk, chunk.count)
            if n <= 0 { break }
            body += chunk[0..<n]
        }
        let json = body.isEmpty ? nil : (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        let request = Request(method: String(parts[0]), path: String(parts[1]), contentType: headers["content-type"], body: json)
        let (status, answer) = lock.withLock {
            requests.append(request)
            return handle(request)
        }
        let payload = answer.flatMap { try? JSONSerialization.data(withJSONObject: $0) } ?? Data()
        let reason = [200: "OK", 201: "Created", 204: "No Content", 400: "Bad Request", 404: "Not Found"][status] ?? "Status"
        let response =
            "HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/json\r\nContent-Length: \(payload.count)\r\nConnection: close\r\n\r\n"
        _ = (Array(response.utf8) + Array(payload)).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where Array(haystack[i..<i + needle.count]) == needle { return i }
        return nil
    }

    // MARK: - Kong's entities

    private func handle(_ r: Request) -> (Int, Any?) {
        let (path, query) = split(r.path)
        let segments = path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        func notFound() -> (Int, Any?) { (404, ["message": "Not found"]) }
        func bad(_ message: String) -> (Int, Any?) { (400, ["message": message, "name": "schema violation"]) }
        switch (r.method, segments.count) {
        case ("GET", 1) where segments[0] == "plugins":
            return (200, ["data": plugins.filter { tagged($0, query["tags"]) }, "next": NSNull()])
        case ("GET", 1) where segments[0] == "routes":
            return (200, ["data": routes.filter { tagged($0, query["tags"]) }, "next": NSNull()])
        case ("POST", 1) where segments[0] == "plugins":
            return create(plugin: r.body, scope: [:], bad: bad)
        case ("POST", 3) where segments[0] == "consumers" && segments[2] == "plugins":
            guard let id = consumers[segments[1]] ?? consumers.values.first(where: { $0 == segments[1] }) else { return notFound() }
            return create(plugin: r.body, scope: ["consumer": ["id": id]], bad: bad)
        case ("POST", 3) where segments[0] == "routes" && segments[2] == "plugins":
            guard let route = routes.first(where: { $0["name"] as? String == segments[1] || $0["id"] as? String == segments[1] }) else {
                return notFound()
            }
            return create(plugin: r.body, scope: ["route": ["id": route["id"]!]], bad: bad)
        case ("PATCH", 2) where segments[0] == "plugins":
            guard let i = plugins.firstIndex(where: { $0["id"] as? String == segments[1] }) else { return notFound() }
            guard let body = r.body else { return bad("no body") }
            if let config = body["config"] as? [String: Any] {
                if let error = validate(name: plugins[i]["name"] as? String ?? "", config: config) { return bad(error) }
                var merged = plugins[i]["config"] as? [String: Any] ?? [:]
                for (k, v) in config { merged[k] = v }  // arrays are replaced whole, as Kong does
                plugins[i]["config"] = merged
            }
            return (200, plugins[i])
        case ("DELETE", 2) where segments[0] == "plugins":
            guard let i = plugins.firstIndex(where: { $0["id"] as? String == segments[1] }) else { return notFound() }
            plugins.remove(at: i)
            return (204, nil)
        case ("PUT", 2) where segments[0] == "routes":
            guard let body = r.body, let service = (body["service"] as? [String: Any])?["name"] as? String else { return bad("service required") }
            guard let serviceID = services[service] else { return bad("the service '\(service)' does not exist") }
            guard let paths = body["paths"] as? [String], paths.allSatisfy({ $0.hasPrefix("/") || $0.hasPrefix("~/") }),
                let methods = body["methods"] as? [String]
            else { return bad("paths and methods must be arrays; a path starts with / or ~/") }
            var route = routes.first { $0["name"] as? String == segments[1] } ?? ["id": UUID().uuidString.lowercased()]
            route["name"] = segments[1]
            route["service"] = ["id": serviceID]
            route["paths"] = paths
            route["methods"] = methods
            route["tags"] = body["tags"] ?? []
            routes.removeAll { $0["name"] as? String == segments[1] }
            routes.append(route)
            return (200, route)
        case ("DELETE", 2) where segments[0] == "routes":
            guard let i = routes.firstIndex(where: { $0["id"] as? String == segments[1] || $0["name"] as? String == segments[1] }) else {
                return notFound()
            }
            let id = routes[i]["id"] as? String
            routes.remove(at: i)
            plugins.removeAll { ($0["route"] as? [String: Any])?["id"] as? String == id }
            return (204, nil)
        default:
            return notFound()
        }
    }

    private func create(plugin body: [String: Any]?, scope: [String: Any], bad: (String) -> (Int, Any?)) -> (Int, Any?) {
        guard let body, let name = body["name"] as? String else { return bad("name required") }
        let config = body["config"] as? [String: Any] ?? [:]
        if let error = validate(name: name, config: config) { return bad(error) }
        var plugin: [String: Any] = [
            "id": UUID().uuidString.lowercased(), "name": name, "config": config, "tags": body["tags"] ?? [], "enabled": true,
            "consumer": NSNull(), "route": NSNull(), "service": NSNull(),
        ]
        for (k, v) in scope { plugin[k] = v }
        plugins.append(plugin)
        return (201, plugin)
    }

    private func validate(name: String, config: [String: Any]) -> String? {
        switch name {
        case "ip-restriction":
            if let deny = config["deny"], !(deny is [String]) { return "config.deny: expected an array of strings" }
        case "request-termination":
            if let code = config["status_code"], !(code is Int) { return "config.status_code: expected an integer" }
        default:
            break
        }
        return nil
    }

    private func tagged(_ entity: [String: Any], _ tags: String?) -> Bool {
        guard let tags else { return true }
        let have = Set(entity["tags"] as? [String] ?? [])
        return tags.split(separator: ",").allSatisfy { have.contains(String($0)) }
    }

    private func split(_ target: String) -> (String, [String: String]) {
        guard let q = target.firstIndex(of: "?") else { return (target, [:]) }
        var query: [String: String] = [:]
        for pair in target[target.index(after: q)...].split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            if kv.count == 2 { query[kv[0]] = kv[1] }
        }
        return (String(target[..<q]), query)
    }
}
