import Foundation
import TourniquetIngest

/// Reads an OpenAPI 3.0 or 3.1 document (YAML or JSON) into the parts ingest and scope use.
///
/// Only `openapi`, `info.title`, `servers` and `paths` (with each operation's `deprecated`) are
/// read; a full document model is not needed to template routes, and the spec is not validated
/// beyond what that needs.
public enum OpenAPILoader {
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    public static func parse(_ text: String, path: String) throws -> APISpec {
        let root: Any?
        do {
            root = try BoundedYAML.load(text, path: path)
        } catch let error as YAMLDocumentError {
            throw IngestError.badSpec(path: path, reason: error.reason)
        }
        guard let document = root as? [String: Any] else { throw IngestError.badSpec(path: path, reason: "the top level is not a mapping") }
        if document["swagger"] != nil {
            throw IngestError.badSpec(path: path, reason: "Swagger 2.0 is not supported; convert it to OpenAPI 3")
        }
        guard let version = scalar(document["openapi"]), version.hasPrefix("3.0") || version.hasPrefix("3.1") else {
            throw IngestError.badSpec(path: path, reason: "no 'openapi: 3.0.x' or '3.1.x' version field")
        }
        guard let paths = document["paths"] as? [String: Any] else {
            throw IngestError.badSpec(path: path, reason: "no 'paths' mapping")
        }
        let title = ((document["info"] as? [String: Any])?["title"]).flatMap(scalar) ?? ""
        var operations: [APISpec.Operation] = []
        for (template, item) in paths.sorted(by: { $0.key < $1.key }) {
            guard template.hasPrefix("/"), let item = item as? [String: Any] else { continue }
            for method in methods {
                guard let operation = item[method] as? [String: Any] else { continue }
                let deprecated = (operation["deprecated"] as? Bool) ?? false
                let security = operation["security"] ?? document["security"]
                operations.append(
                    APISpec.Operation(method: method.uppercased(), path: template, deprecated: deprecated, isPublic: isPublic(security)))
            }
        }
        return APISpec(
            version: version, title: title, paths: paths.keys.filter { $0.hasPrefix("/") }.sorted(),
            basePaths: basePaths(document["servers"]), operations: operations)
    }

    /// `security: []`, or a list with an empty requirement (`- {}`, authentication optional).
    private static func isPublic(_ security: Any?) -> Bool {
        guard let requirements = security as? [Any] else { return false }
        return requirements.isEmpty || requirements.contains { ($0 as? [String: Any])?.isEmpty == true }
    }

    private static func basePaths(_ servers: Any?) -> [String] {
        guard let servers = servers as? [[String: Any]] else { return [] }
        var out: [String] = []
        for server in servers {
            guard let url = scalar(server["url"]) else { continue }
            var defaults: [String: String] = [:]
            for (name, variable) in (server["variables"] as? [String: Any]) ?? [:] {
                if let value = (variable as? [String: Any]).flatMap({ scalar($0["default"]) }) { defaults[name] = value }
            }
            let base = APISpec.basePath(ofServerURL: url, variables: defaults)
            if base != "/" && !out.contains(base) { out.append(base) }
        }
        return out
    }

    private static func scalar(_ value: Any?) -> String? {
        switch value {
        case let s as String: return s
        case let d as Double: return String(d)
        case let i as Int: return String(i)
        default: return nil
        }
    }
}
