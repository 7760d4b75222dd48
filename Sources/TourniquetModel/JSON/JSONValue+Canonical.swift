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
            let fields = object.fields
            // UTF-8 byte order (String's < would compare by canonical equivalence instead).
            let keys = fields.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out += "," }
                JSONValue.writeString(key, to: &out)
                out += ":"
                fields[key]!.write(to: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
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
