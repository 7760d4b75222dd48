/// Decodes a `Codable` contract from a `JSONValue` read by the strict parser: the mirror of
/// `JSONValueEncoder`. The console reads a stored scope report of megabytes on its first screen;
/// `JSONDecoder` took twice as long, most of it probing the type of each evidence value.
public enum JSONValueDecoder {
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try ValueDecoder(value: value, codingPath: []).decodeValue(type)
    }

    /// Parses `text` (refusing what is not JSON) and decodes it.
    public static func decode<T: Decodable>(_ type: T.Type, fromText text: String) throws -> T {
        switch JSONLineReader.parse(text) {
        case .success(let value): return try decode(type, from: value)
        case .failure(let error):
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: error.description, underlyingError: error))
        }
    }
}

/// Lets `JSONValue.init(from:)` take the value whole instead of probing its type.
protocol JSONValueDecoding {
    var value: JSONValue { get }
}

private struct ValueDecoder: Decoder, JSONValueDecoding {
    let value: JSONValue
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else { throw mismatch([String: JSONValue].self) }
        return KeyedDecodingContainer(KeyedValues<Key>(fields: object.fields, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw mismatch([JSONValue].self) }
        return UnkeyedValues(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { SingleValue(decoder: self) }

    func mismatch(_ type: Any.Type) -> DecodingError {
        DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "found \(value.kindName)"))
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if type == JSONValue.self { return value as! T }
        if let scalar = try scalar(type) { return scalar }
        return try T(from: self)
    }

    /// A standard-library scalar read from the value, or nil when `T` is not one.
    private func scalar<T>(_ type: T.Type) throws -> T? {
        switch type {
        case is String.Type:
            guard case .string(let s) = value else { throw mismatch(type) }
            return s as? T
        case is Bool.Type:
            guard case .bool(let b) = value else { throw mismatch(type) }
            return b as? T
        case is Int64.Type: return try integer(type, Int64.init(exactly:))
        case is Int.Type: return try integer(type, Int.init(exactly:))
        case is Int32.Type: return try integer(type, Int32.init(exactly:))
        case is UInt64.Type: return try integer(type, UInt64.init(exactly:))
        case is UInt.Type: return try integer(type, UInt.init(exactly:))
        case is Double.Type:
            guard case .number(let d, _) = value else { throw mismatch(type) }
            return d as? T
        case is Float.Type:
            guard case .number(let d, _) = value else { throw mismatch(type) }
            return Float(d) as? T
        default: return nil
        }
    }

    private func integer<T, N: BinaryInteger>(_ type: T.Type, _ exact: (Double) -> N?) throws -> T? {
        guard case .number(let d, let raw) = value else { throw mismatch(type) }
        // The text first: a Double cannot hold every 64-bit integer.
        if let parsed = Int64(raw).flatMap({ N(exactly: $0) }) ?? UInt64(raw).flatMap({ N(exactly: $0) }) ?? exact(d) { return parsed as? T }
        throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "\(raw) is not a whole number in range"))
    }
}

private struct KeyedValues<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let fields: [String: JSONValue]
    let codingPath: [CodingKey]

    var allKeys: [Key] { fields.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { fields[key.stringValue] != nil }

    private func field(_ key: Key) throws -> JSONValue {
        guard let value = fields[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no member \(key.stringValue)"))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool { try field(key) == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try ValueDecoder(value: field(key), codingPath: codingPath + [key]).decodeValue(type)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = fields[key.stringValue], value != .null else { return nil }
        return try ValueDecoder(value: value, codingPath: codingPath + [key]).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(value: field(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try ValueDecoder(value: field(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder { ValueDecoder(value: fields["super"] ?? .null, codingPath: codingPath) }

    func superDecoder(forKey key: Key) throws -> Decoder { ValueDecoder(value: try field(key), codingPath: codingPath + [key]) }
}

private struct UnkeyedValues: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [CodingKey]
    var currentIndex = 0
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    init(items: [JSONValue], codingPath: [CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    private mutating func next() throws -> JSONValue {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(JSONValue.self, .init(codingPath: codingPath, debugDescription: "the array has ended"))
        }
        defer { currentIndex += 1 }
        return items[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try ValueDecoder(value: next(), codingPath: codingPath).decodeValue(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(value: next(), codingPath: codingPath).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        try ValueDecoder(value: next(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superDecoder() throws -> Decoder { ValueDecoder(value: try next(), codingPath: codingPath) }
}

private struct SingleValue: SingleValueDecodingContainer {
    let decoder: ValueDecoder
    var codingPath: [CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.value == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(type) }
}

extension JSONValue {
    /// What kind of value this is, for decoding errors.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
