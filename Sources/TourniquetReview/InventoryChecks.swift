import TourniquetDetection
import TourniquetModel

/// What runs and who calls it: old versions, decommissioned ones, GraphQL introspection, and
/// endpoints the spec does not know.
enum InventoryChecks {
    static let oldVersions = ReviewItem(
        id: "old-versions", title: "Old API versions no longer serve data", reference: "API9:2023",
        fix: "Publish a deprecation timeline, tell the clients still calling old versions (listed here), then retire them.")

    static let retired = ReviewItem(
        id: "retired-versions-410", title: "Retired versions answer 410 Gone", reference: "API9:2023",
        fix: "Answer every request to a retired version with 410 Gone and a link to the current version (a request-termination "
            + "plugin with status_code 410), instead of serving or half-serving it.")

    static let graphql = ReviewItem(
        id: "graphql-introspection", title: "GraphQL introspection is off in production", reference: "API8:2023",
        fix: "Disable introspection (and field suggestions) on production GraphQL endpoints.")

    static let shadow = ReviewItem(
        id: "shadow-endpoints", title: "Every served path is in the spec", reference: "API9:2023",
        fix: "Document each served path in the OpenAPI document or switch it off; nobody knowing an endpoint is not a control.")

    static func oldVersions(_ input: ReviewInput) -> ReviewResult {
        guard let logs = input.logs else { return oldVersions.result(.unknown, ["no logs"]) }
        var byVersion: [Int: [LogFacts.ClientUse]] = [:]
        for use in logs.versioned { if let v = LogFacts.version(of: use.route) { byVersion[v, default: []].append(use) } }
        guard let newest = byVersion.keys.max() else { return oldVersions.result(.pass, ["no versioned routes answered 2xx"]) }
        let old = byVersion.filter { $0.key < newest }.sorted { $0.key < $1.key }
        guard !old.isEmpty else { return oldVersions.result(.pass, ["only v\(newest) answered 2xx"]) }
        var evidence: [String] = []
        for (version, uses) in old {
            var clients: [String: Int64] = [:]
            for use in uses { clients[use.client ?? "(anonymous)", default: 0] += use.ok }
            let total = uses.reduce(Int64(0)) { $0 + $1.ok }
            let top = clients.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5).map { "\($0.key) \($0.value)" }
            evidence.append("v\(version) answered 2xx \(total) times (newest is v\(newest)); callers: \(top.joined(separator: ", "))")
        }
        return oldVersions.result(.fail, evidence)
    }

    static func retired(_ input: ReviewInput) -> ReviewResult {
        guard let spec = input.openAPI else { return retired.result(.unknown, ["no OpenAPI document to say which versions are current"]) }
        guard let logs = input.logs else { return retired.result(.unknown, ["no logs"]) }
        let ops = spec.operations
        let documented = Set(ops.compactMap { LogFacts.version(of: $0.path) })
        let live = Set(ops.filter { !$0.deprecated }.compactMap { LogFacts.version(of: $0.path) })
        // A version the spec no longer has, or has only as deprecated, is retired.
        var retiredRoutes: [Int: [LogFacts.RouteUse]] = [:]
        for route in logs.routes {
            guard let v = LogFacts.version(of: route.route), !live.contains(v) else { continue }
            retiredRoutes[v, default: []].append(route)
        }
        guard !retiredRoutes.isEmpty else { return retired.result(.pass, ["no request reached a version the spec retired"]) }
        var failures: [String] = []
        var passes: [String] = []
        for (version, routes) in retiredRoutes.sorted(by: { $0.key < $1.key }) {
            let requests = routes.reduce(Int64(0)) { $0 + $1.requests }
            let gone = routes.reduce(Int64(0)) { $0 + $1.gone }
            let ok = routes.reduce(Int64(0)) { $0 + $1.ok }
            let why = documented.contains(version) ? "deprecated in the spec" : "not in the spec"
            if gone == requests {
                passes.append("v\(version) (\(why)) answered 410 to all \(requests) requests")
            } else {
                failures.append(
                    "v\(version) (\(why)) answered \(requests - gone) of \(requests) requests with something other than 410, \(ok) of them 2xx")
            }
        }
        return retired.result(failures.isEmpty ? .pass : .fail, failures.isEmpty ? passes : failures)
    }

    static func graphql(_ input: ReviewInput) -> ReviewResult {
        let specHas = input.openAPI?.operations.contains { $0.path.lowercased().contains("graphql") } ?? false
        guard let logs = input.logs else {
            return graphql.result(.unknown, specHas ? ["the spec has a GraphQL route, but there are no logs"] : ["no logs"])
        }
        if logs.graphqlIntrospection > 0 {
            return graphql.result(.fail, ["\(logs.graphqlIntrospection) GraphQL requests asking for __schema were answered 200"])
        }
        if logs.graphqlRequests == 0 && !specHas { return graphql.result(.pass, ["no GraphQL route in the logs or the spec"]) }
        return graphql.result(
            .unknown,
            ["\(logs.graphqlRequests) GraphQL requests, none asking for __schema in the URL; queries sent in POST bodies are not in access logs"])
    }

    static func shadow(_ input: ReviewInput) -> ReviewResult {
        guard input.openAPI != nil else { return shadow.result(.unknown, ["no OpenAPI document to compare with"]) }
        guard let scope = input.scope else { return shadow.result(.unknown, ["scope has not run"]) }
        let served = scope.shadowEndpoints.filter { endpoint in endpoint.statuses.contains { $0.key.hasPrefix("2") && $0.value > 0 } }
        guard !served.isEmpty else { return shadow.result(.pass, ["every path that answered 2xx is in the spec"]) }
        return shadow.result(
            .fail,
            listed(served.sorted { $0.requests > $1.requests }) { e in
                let ok = e.statuses.filter { $0.key.hasPrefix("2") }.values.reduce(0, +)
                return "\(e.method) \(e.path) answered 2xx \(ok) times, and is not in the spec"
            })
    }
}
