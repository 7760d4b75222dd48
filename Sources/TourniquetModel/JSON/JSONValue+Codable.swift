/// Lets typed contracts embed free-form JSON (a finding's evidence, an action's details).
extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        if let direct = decoder as? JSONValueDecoding {
            self = direct.value
            return
        }
        if var list = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !list.isAtEnd { items.append(try list.decode(JSONValue.self)) }
            self = .array(items)
            return
        }
        if let keyed = try? decoder.container(keyedBy: AnyKey.self) {
            self = .object(JSONObject(try keyed.allKeys.map { (key: $0.stringValue, value: try keyed.decode(JSONValue.self, forKey: $0)) }))
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let value = try? single.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? single.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? single.decode(Double.self) {
            self = .number(value, raw: JSONValue.text(of: value))
        } else {
            self = .string(try single.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .null:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        case .bool(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .number(let value, let raw):
            var single = encoder.singleValueContainer()
            if let exact = Int64(raw) { try single.encode(exact) } else { try single.encode(value) }
        case .string(let value):
            var single = encoder.singleValueContainer()
            try single.encode(value)
        case .array(let items):
            var list = encoder.unkeyedContainer()
            for item in items { try list.encode(item) }
        case .object(let object):
            var keyed = encoder.container(keyedBy: AnyKey.self)
            for (key, value) in object.fields { try keyed.encode(value, forKey: AnyKey(key)) }
        }
    }

    /// A Double's JSON text: integral values without a fraction, the rest as Swift writes them.
    static func text(of value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ key: String) { stringValue = key }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
