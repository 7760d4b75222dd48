extension JSONValue {
    /// An integer; its text is exact whatever its size.
    public static func int(_ value: Int64) -> JSONValue { .number(Double(value), raw: String(value)) }

    /// An object from fields built in code.
    public static func fields(_ fields: [String: JSONValue]) -> JSONValue { .object(JSONObject(fields)) }

    /// The canonical JSON text of this value: keys sorted by UTF-8 bytes (each once, its first
    /// value), no insignificant white space, minimal escapes, numbers as written. The action log
    /// stores and hashes this form, so the same details always hash the same.
    public var canonicalJSON: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .number(_, let raw): out += raw
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let object):
            out += "{"
            var first = true
            for member in JSONValue.canonicalOrder(object.members) {
                if !first { out += "," }
                first = false
                JSONValue.writeString(member.key, to: &out)
                out += ":"
                member.value.write(to: &out)
            }
            out += "}"
        }
    }

    /// Members by key in UTF-8 byte order (String's < would compare by canonical equivalence),
    /// each key once with its first value. Objects built in code are usually in order already.
    private static func canonicalOrder(_ members: [(key: String, value: JSONValue)]) -> [(key: String, value: JSONValue)] {
        func before(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
        if zip(members, members.dropFirst()).allSatisfy({ before($0.key, $1.key) }) { return members }
        let order = members.indices.sorted { i, j in
            members[i].key == members[j].key ? i < j : before(members[i].key, members[j].key)
        }
        var out: [(key: String, value: JSONValue)] = []
        out.reserveCapacity(members.count)
        for i in order where out.last?.key != members[i].key { out.append(members[i]) }
        return out
    }

    /// A JSON string. Canonical text escapes only what JSON requires (hashed: never change it);
    /// `inert` text also writes as `\u` escapes DEL, C1, bidi and invisible characters (as
    /// `DisplayText` lists them) and `<`, `>` and `&`, for exports that land in terminals and
    /// HTML. A parser reads the same value back from either.
    public static func writeString(_ s: String, to out: inout String, inert: Bool = false) {
        func escape(_ value: UInt32) {
            let hex = String(value, radix: 16)
            out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let active =
                    inert && (scalar == "<" || scalar == ">" || scalar == "&" || scalar.value == 0x7F || DisplayText.escapeForm(scalar) != nil)
                if scalar.value < 0x20 {
                    escape(scalar.value)
                } else if active && scalar.value > 0xFFFF {
                    let v = scalar.value - 0x10000
                    escape(0xD800 + (v >> 10))
                    escape(0xDC00 + (v & 0x3FF))
                } else if active {
                    escape(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// Parses JSON text (canonical or not) back into a value; nil when it is not JSON.
    public init?(parsing text: String) {
        guard case .success(let value) = JSONLineReader.parse(text) else { return nil }
        self = value
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
    }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue {
    /// An object with more members (replacing any of the same name); other values are returned as they are.
    public func adding(_ fields: [(String, JSONValue)]) -> JSONValue {
        guard case .object(var object) = self else { return self }
        let names = Set(fields.map(\.0))
        object.members.removeAll { names.contains($0.key) }
        object.members += fields.map { (key: $0.0, value: $0.1) }
        return .object(object)
    }
}
