import TourniquetModel

/// Input validation as the OpenAPI document declares it: closed objects, bounded strings, closed
/// enumerations, and bodies within what the spec allows.
enum SchemaChecks {
    static let closedObjects = ReviewItem(
        id: "schema-closed-objects", title: "Objects refuse unexpected fields", reference: "API3:2023, API6:2023",
        fix: "Set additionalProperties: false on every object schema a client sends, so an added \"role\": \"admin\" is refused, "
            + "and validate requests against the spec at the gateway.")

    static let boundedStrings = ReviewItem(
        id: "schema-bounded-strings", title: "Strings have a maximum length, and bodies a size the logs can hold to",
        reference: "API4:2023, API3:2023",
        fix: "Give every string a maxLength (or an enum or a fixed format), arrays a maxItems, and limit request body sizes at the gateway.")

    static let closedEnums = ReviewItem(
        id: "schema-closed-enums", title: "Fields with a fixed set of values declare it", reference: "API3:2023",
        fix: "Declare an enum for status, type, role and similar fields, so any other value is refused.")

    /// Property names that almost always take one of a few values.
    static let enumLikeNames: Set<String> = ["status", "state", "type", "kind", "role", "level", "scope", "category", "mode", "tier", "plan"]
    /// String formats that bound a value's length on their own.
    static let boundedFormats: Set<String> = ["uuid", "date", "date-time", "time", "ipv4", "ipv6", "byte", "int32", "int64"]

    static func closedObjects(_ input: ReviewInput) -> ReviewResult {
        guard let spec = input.openAPI else { return closedObjects.result(.unknown, ["no OpenAPI document to check"]) }
        var open: [String] = []
        walk(spec) { location, schema in
            // A part of an allOf is closed by the whole, not on its own (closing a part refuses its siblings' fields).
            guard schema["type"]?.stringValue == "object" || schema["properties"] != nil, !location.contains(".allOf[") else { return }
            if schema["additionalProperties"] != .bool(false) && schema["unevaluatedProperties"] != .bool(false) { open.append(location) }
        }
        return closedObjects.result(
            open.isEmpty ? .pass : .fail,
            open.isEmpty
                ? ["every object a request sends sets additionalProperties: false"] : listed(open) { "\($0) accepts fields it does not name" })
    }

    static func boundedStrings(_ input: ReviewInput) -> ReviewResult {
        guard let spec = input.openAPI else { return boundedStrings.result(.unknown, ["no OpenAPI document to check"]) }
        var unbounded: [String] = []
        walk(spec) { location, schema in
            guard schema["type"]?.stringValue == "string", schema["maxLength"] == nil, schema["enum"] == nil, schema["const"] == nil,
                schema["format"]?.stringValue.map(boundedFormats.contains) != true
            else { return }
            unbounded.append(location)
        }
        var evidence = unbounded.isEmpty ? ["every string is bounded"] : listed(unbounded) { "\($0) has no maxLength" }
        evidence.append("request body sizes are not kept at ingest, so bodies over the spec's limits cannot be counted")
        return boundedStrings.result(unbounded.isEmpty ? .pass : .fail, evidence)
    }

    static func closedEnums(_ input: ReviewInput) -> ReviewResult {
        guard let spec = input.openAPI else { return closedEnums.result(.unknown, ["no OpenAPI document to check"]) }
        var open: [String] = []
        walk(spec) { location, schema in
            guard schema["type"]?.stringValue == "string", schema["enum"] == nil, schema["const"] == nil,
                let name = location.split(separator: ".").last, enumLikeNames.contains(name.lowercased())
            else { return }
            open.append(location)
        }
        return closedEnums.result(
            open.isEmpty ? .pass : .fail,
            open.isEmpty ? ["no status, type or role field is an open string"] : listed(open) { "\($0) takes any string" })
    }

    /// Calls `visit` for every schema a request sends, properties and items included, with a
    /// dotted location (`components.schemas.User.role`). `$ref`s are visited where they are defined.
    static func walk(_ spec: OpenAPIDocument, _ visit: (String, JSONValue) -> Void) {
        func descend(_ location: String, _ schema: JSONValue, depth: Int) {
            guard depth < 32, case .object = schema, schema["$ref"] == nil else { return }
            visit(location, schema)
            if case .object(let properties)? = schema["properties"] {
                for (name, property) in properties.members { descend("\(location).\(name)", property, depth: depth + 1) }
            }
            if let items = schema["items"] { descend("\(location)[]", items, depth: depth + 1) }
            for combinator in ["allOf", "oneOf", "anyOf"] {
                for (i, part) in (schema[combinator]?.arrayValue ?? []).enumerated() {
                    descend("\(location).\(combinator)[\(i)]", part, depth: depth + 1)
                }
            }
            if case .object? = schema["additionalProperties"], let extra = schema["additionalProperties"] {
                descend("\(location).additionalProperties", extra, depth: depth + 1)
            }
        }
        for (name, schema) in spec.requestSchemas { descend(name, schema, depth: 0) }
    }
}
