/// A JSON object: members in document order (duplicates kept; lookups return the first).
public struct JSONObject: Equatable, Sendable {
    public var members: [(key: String, value: JSONValue)]

    public init(_ members: [(key: String, value: JSONValue)]) { self.members = members }

    /// An object built in code: members in key order, so building it twice gives the same value.
    public init(_ fields: [String: JSONValue]) {
        members = fields.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { (key: $0.key, value: $0.value) }
    }

    public subscript(key: String) -> JSONValue? {
        for member in members where member.key == key { return member.value }
        return nil
    }

    /// Each key once, with its first value: what a lookup sees and what the canonical form writes.
    public var fields: [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for member in members where out[member.key] == nil { out[member.key] = member.value }
        return out
    }

    /// Two objects are equal when every key reads the same, whatever the order of members.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.fields == rhs.fields
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }
}
