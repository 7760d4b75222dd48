import TourniquetModel

/// An OpenAPI 3 document as the review reads it: its operations with the security each one
/// requires, its security schemes, and its schemas.
public struct OpenAPIDocument: Sendable {
    public var root: JSONValue
    public var path: String

    public init(root: JSONValue, path: String) {
        self.root = root
        self.path = path
    }

    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    struct Operation {
        var method: String
        var path: String
        var object: JSONValue
        /// The requirement alternatives: each a list of scheme names that together authenticate.
        /// Nil when neither the operation nor the document says; empty when it says `[]`.
        var security: [[String]]?
        var deprecated: Bool
    }

    var operations: [Operation] {
        guard case .object(let paths)? = root["paths"] else { return [] }
        let global = JSONValue.requirements(root["security"])
        var out: [Operation] = []
        for (path, item) in paths.members {
            for method in OpenAPIDocument.methods {
                guard let op = item[method], case .object = op else { continue }
                out.append(
                    Operation(
                        method: method.uppercased(), path: path, object: op, security: JSONValue.requirements(op["security"]) ?? global,
                        deprecated: op["deprecated"] == .bool(true)))
            }
        }
        return out
    }

    /// Scheme name → its `type` (`apiKey`, `http`, `oauth2`, `openIdConnect`, `mutualTLS`).
    var schemeTypes: [String: String] {
        guard case .object(let schemes)? = root.lookup("components.securitySchemes") else { return [:] }
        var out: [String: String] = [:]
        for (name, scheme) in schemes.members { out[name] = scheme["type"]?.stringValue ?? "" }
        return out
    }

    /// The schemas clients send: inline request bodies, and every named schema a request body
    /// refers to, directly or through other schemas. Response-only schemas are not input.
    var requestSchemas: [(name: String, schema: JSONValue)] {
        var out: [(String, JSONValue)] = []
        var pending: [String] = []
        for op in operations {
            guard case .object(let content)? = op.object.lookup("requestBody.content") else { continue }
            for (type, media) in content.members {
                guard let schema = media["schema"] else { continue }
                pending += OpenAPIDocument.references(in: schema)
                if schema["$ref"] == nil { out.append(("\(op.method) \(op.path) request body (\(type))", schema)) }
            }
        }
        var seen = Set<String>()
        while let name = pending.popLast() {
            guard seen.insert(name).inserted, let schema = root.lookup("components.schemas")?[name] else { continue }
            out.append(("components.schemas.\(name)", schema))
            pending += OpenAPIDocument.references(in: schema)
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// The component schema names a schema refers to (`#/components/schemas/NAME`), at any depth.
    static func references(in value: JSONValue) -> [String] {
        switch value {
        case .object(let object):
            return object.members.flatMap { member -> [String] in
                if member.key == "$ref", let ref = member.value.stringValue, ref.hasPrefix("#/components/schemas/") {
                    return [String(ref.dropFirst("#/components/schemas/".count))]
                }
                return references(in: member.value)
            }
        case .array(let items): return items.flatMap(references(in:))
        default: return []
        }
    }

    /// Header parameters the spec names, lower-cased.
    var headerParameters: Set<String> {
        var out = Set<String>()
        func collect(_ parameters: JSONValue?) {
            for p in parameters?.arrayValue ?? [] where p["in"]?.stringValue == "header" {
                if let name = p["name"]?.stringValue { out.insert(name.lowercased()) }
            }
        }
        if case .object(let paths)? = root["paths"] {
            for (_, item) in paths.members {
                collect(item["parameters"])
                for method in OpenAPIDocument.methods { collect(item[method]?["parameters"]) }
            }
        }
        if case .object(let named)? = root.lookup("components.parameters") {
            for (_, p) in named.members where p["in"]?.stringValue == "header" {
                if let name = p["name"]?.stringValue { out.insert(name.lowercased()) }
            }
        }
        return out
    }
}

extension JSONValue {
    /// `security: [{a: []}, {b: [], c: []}]` → `[["a"], ["b", "c"]]`; nil when absent.
    static func requirements(_ value: JSONValue?) -> [[String]]? {
        guard let list = value?.arrayValue else { return nil }
        return list.map { requirement in
            guard case .object(let o) = requirement else { return [] }
            return o.members.map(\.key)
        }
    }
}
