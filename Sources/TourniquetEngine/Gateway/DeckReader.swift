import Foundation
import TourniquetContainment
import TourniquetModel
import Yams

/// Reads a Kong decK declarative file into the neutral gateway model: services and their routes
/// and plugins, consumers with their credentials, ACL groups and plugins, and global plugins.
/// Every secret goes through `fingerprint` on the way in; passwords are dropped.
struct DeckReader {
    let path: String
    let fingerprint: (String) -> String
    /// decK's file formats this reader knows.
    static let formatVersions: Set<String> = ["1.1", "3.0"]

    func read(_ document: String) throws -> GatewayModel {
        guard let root = try BoundedYAML.compose(document, path: path), case .mapping = root else {
            throw YAMLDocumentError(path: path, reason: "not a decK file: the document is not a mapping")
        }
        guard let version = root["_format_version"] else {
            throw YAMLDocumentError(path: path, reason: "not a decK file: no _format_version (a decK file starts with _format_version: \"3.0\")")
        }
        guard let versionText = version.string, DeckReader.formatVersions.contains(versionText) else {
            throw YAMLDocumentError(
                path: "\(path):\(line(version))",
                reason:
                    "_format_version '\(version.string ?? "?")' is not one this version reads (\(DeckReader.formatVersions.sorted().joined(separator: ", ")))"
            )
        }
        var model = GatewayModel(source: "kong-deck", formatVersion: versionText)
        for service in items(root["services"]) {
            let name = try text(service, "name") ?? service["id"]?.string ?? "service-\(line(service))"
            model.services.append(
                .init(name: name, id: service["id"]?.string, url: serviceURL(service), tags: strings(service["tags"])))
            for route in items(service["routes"]) { model.routes.append(try self.route(route, service: name)) }
            for plugin in items(service["plugins"]) {
                model.policies.append(try policy(plugin, scope: scope(of: plugin, default: "service:\(name)")))
            }
        }
        for route in items(root["routes"]) {
            model.routes.append(try self.route(route, service: route["service"]?["name"]?.string ?? route["service"]?.string))
        }
        for route in items(root["services"]).flatMap({ items($0["routes"]) }) + items(root["routes"]) {
            let name = try routeName(route)
            for plugin in items(route["plugins"]) { model.policies.append(try policy(plugin, scope: scope(of: plugin, default: "route:\(name)"))) }
        }
        for plugin in items(root["plugins"]) {
            model.policies.append(try policy(plugin, scope: scope(of: plugin, default: "global")))
        }
        for consumer in items(root["consumers"]) { try read(consumer: consumer, into: &model) }
        return model
    }

    private func read(consumer node: Node, into model: inout GatewayModel) throws {
        guard let username = try text(node, "username") ?? text(node, "custom_id") ?? node["id"]?.string else {
            throw YAMLDocumentError(path: "\(path):\(line(node))", reason: "a consumer has neither username, custom_id nor id")
        }
        let tags = strings(node["tags"])
        model.consumers.append(
            .init(
                username: username, id: node["id"]?.string, customID: node["custom_id"]?.string, tags: tags,
                contacts: tags.filter { $0.hasPrefix("contact:") }.map { String($0.dropFirst("contact:".count)) },
                groups: items(node["acls"]).compactMap { $0["group"]?.string } + items(node["groups"]).compactMap { $0["name"]?.string }))
        // Each kind of credential: where its secret is, and what names it in the clear.
        let kinds: [(field: String, kind: String, secret: String?, label: String?)] = [
            ("keyauth_credentials", "key-auth", "key", nil), ("jwt_secrets", "jwt", "secret", "key"),
            ("basicauth_credentials", "basic-auth", nil, "username"), ("hmacauth_credentials", "hmac-auth", "secret", "username"),
            ("oauth2_credentials", "oauth2", "client_secret", "client_id"), ("mtls_auth_credentials", "mtls-auth", nil, "subject_name"),
        ]
        for kind in kinds {
            for credential in items(node[kind.field]) {
                model.credentials.append(
                    .init(
                        kind: kind.kind, consumer: username, id: credential["id"]?.string,
                        fingerprint: kind.secret.flatMap { credential[$0]?.string }.map(fingerprint),
                        label: kind.label.flatMap { credential[$0]?.string }, tags: strings(credential["tags"])))
            }
        }
        for plugin in items(node["plugins"]) { model.policies.append(try policy(plugin, scope: "consumer:\(username)")) }
    }

    /// A plugin applies where its `route`, `service` and `consumer` members say, else where it is
    /// nested (`default`). Several members narrow it further: `route:login+consumer:partner`
    /// applies to one consumer on one route, and protects neither the route nor the consumer.
    private func scope(of plugin: Node, default nested: String) -> String {
        let parts = ["route", "service", "consumer"].compactMap { kind in
            (plugin[kind]?.string ?? plugin[kind]?["name"]?.string ?? plugin[kind]?["id"]?.string).map { "\(kind):\($0)" }
        }
        guard !parts.isEmpty else { return nested }
        // A consumer member inside a route or service narrows that scope rather than replacing it.
        if parts.count == 1, parts[0].hasPrefix("consumer:"), nested != "global" { return nested + "+" + parts[0] }
        return parts.joined(separator: "+")
    }

    /// A route's name as the model keeps it, so the plugins nested under it find it.
    private func routeName(_ node: Node) throws -> String {
        try text(node, "name") ?? node["id"]?.string ?? "route-\(line(node))"
    }

    private func route(_ node: Node, service: String?) throws -> GatewayModel.Route {
        .init(
            name: try routeName(node), id: node["id"]?.string, service: service,
            paths: strings(node["paths"]), methods: strings(node["methods"]), tags: strings(node["tags"]), hosts: strings(node["hosts"]))
    }

    private func policy(_ node: Node, scope: String) throws -> GatewayModel.Policy {
        guard let plugin = try text(node, "name") else {
            throw YAMLDocumentError(path: "\(path):\(line(node))", reason: "a plugin has no name")
        }
        let kind = GatewayModel.policyKind(ofPlugin: plugin)
        var settings: [String: JSONValue] = [:]
        if let config = node["config"]?.mapping, let kept = GatewayModel.keptSettings[kind] {
            for (key, value) in config {
                guard let name = key.string, kept.contains(name) else { continue }
                settings[name] = json(value)
            }
        }
        return .init(
            plugin: plugin, kind: kind, scope: scope, id: node["id"]?.string, enabled: node["enabled"]?.bool ?? true,
            settings: .fields(settings), tags: strings(node["tags"]))
    }

    private func serviceURL(_ node: Node) -> String? {
        if let url = node["url"]?.string { return url }
        guard let host = node["host"]?.string else { return nil }
        let scheme = node["protocol"]?.string ?? "http"
        return "\(scheme)://\(host)" + (node["port"]?.string.map { ":\($0)" } ?? "") + (node["path"]?.string ?? "")
    }

    /// A member that must be text when present.
    private func text(_ node: Node, _ key: String) throws -> String? {
        guard let value = node[key] else { return nil }
        guard let s = value.string else { throw YAMLDocumentError(path: "\(path):\(line(value))", reason: "\(key) must be text") }
        return s
    }

    private func items(_ node: Node?) -> [Node] {
        guard let sequence = node?.sequence else { return [] }
        return sequence.map { $0 }
    }
    private func strings(_ node: Node?) -> [String] { items(node).compactMap(\.string) }
    private func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    private func json(_ node: Node) -> JSONValue { BoundedYAML.json(node) }
}
