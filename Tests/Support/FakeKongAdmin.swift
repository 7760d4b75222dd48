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

    public var baseURL: String { server?.baseURL ?? "" }
    private let lock = NSLock()
    private var plugins: [[String: Any]] = []
    private var routes: [[String: Any]] = []
    private var consumers: [String: String]  // username → id
    private var services: [String: String]  // name → id
    private var requests: [Request] = []
    private var server: TinyHTTPServer?

    public init(consumers: [String], services: [String]) throws {
        self.consumers = Dictionary(uniqueKeysWithValues: consumers.map { ($0, UUID().uuidString.lowercased()) })
        self.services = Dictionary(uniqueKeysWithValues: services.map { ($0, UUID().uuidString.lowercased()) })
        server = try TinyHTTPServer { [weak self] raw in
            guard let self else { return (503, Data()) }
            let json = raw.body.isEmpty ? nil : (try? JSONSerialization.jsonObject(with: raw.body)) as? [String: Any]
            let request = Request(method: raw.method, path: raw.target, contentType: raw.headers["content-type"], body: json)
            let (status, answer) = self.lock.withLock {
                self.requests.append(request)
                return self.handle(request)
            }
            return (status, answer.flatMap { try? JSONSerialization.data(withJSONObject: $0) } ?? Data())
        }
    }

    public var log: [Request] { lock.withLock { requests } }
    public var allPlugins: [[String: Any]] { lock.withLock { plugins } }
    public var allRoutes: [[String: Any]] { lock.withLock { routes } }

    /// Removes a plugin behind Tourniquet's back, as another operator might.
    public func deletePlugins(where match: ([String: Any]) -> Bool) { lock.withLock { plugins.removeAll(where: match) } }

    // MARK: - Kong's entities

    private func handle(_ r: Request) -> (Int, Any?) {
        let (path, query) = TinyHTTPServer.split(r.path)
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
}
