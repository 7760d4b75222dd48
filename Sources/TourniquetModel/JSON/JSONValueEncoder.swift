/// Encodes a `Codable` contract straight into a `JSONValue`, for its canonical text: no JSON text
/// in between, because a scope report of ten thousand findings is megabytes, and going through
/// `JSONEncoder` and back made `scope` a fifth slower.
public enum JSONValueEncoder {
    public static func encode(_ value: some Encodable) throws -> JSONValue {
        let root = Slot()
        try root.encode(value, codingPath: [])
        return root.value
    }
}

/// One place a value is written to: nothing yet, a finished value, or a container being filled.
/// Members and items are stored properties, so appending to a long array does not copy it.
private final class Slot {
    enum Kind { case empty, value, object, array }
    var kind = Kind.empty
    var scalar = JSONValue.null
    var members: [(key: String, slot: Slot)] = []
    var items: [Slot] = []

    var value: JSONValue {
        switch kind {
        case .empty: return .object([:])
        case .value: return scalar
        case .object: return .object(JSONObject(members.map { (key: $0.key, value: $0.slot.value) }))
        case .array: return .array(items.map(\.value))
        }
    }

    func set(_ value: JSONValue) {
        kind = .value
        scalar = value
    }

    func encode(_ value: some Encodable, codingPath: [CodingKey]) throws {
        if let json = value as? JSONValue {
            set(json)
        } else if let scalar = try Slot.scalar(value, codingPath: codingPath) {
            set(scalar)
        } else {
            try value.encode(to: SlotEncoder(slot: self, codingPath: codingPath))
        }
    }

    /// The JSON of a standard-library scalar, or nil for anything else.
    static func scalar(_ value: Any, codingPath: [CodingKey]) throws -> JSONValue? {
        switch value {
        case let v as String: return .string(v)
        case let v as Bool: return .bool(v)
        case let v as Int: return .int(Int64(v))
        case let v as Int64: return .int(v)
        case let v as Int32: return .int(Int64(v))
        case let v as Int16: return .int(Int64(v))
        case let v as Int8: return .int(Int64(v))
        case let v as UInt8: return .int(Int64(v))
        case let v as UInt16: return .int(Int64(v))
        case let v as UInt32: return .int(Int64(v))
        case let v as UInt: return .number(Double(v), raw: String(v))
        case let v as UInt64: return .number(Double(v), raw: String(v))
        case let v as Double: return try number(v, codingPath: codingPath)
        case let v as Float: return try number(Double(v), codingPath: codingPath)
        default: return nil
        }
    }

    static func number(_ value: Double, codingPath: [CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "JSON has no \(value)"))
        }
        return .number(value, raw: JSONValue.text(of: value))
    }

    func child(key: String) -> Slot {
        let slot = Slot()
        kind = .object
        members.append((key, slot))
        return slot
    }

    func appended() -> Slot {
        let slot = Slot()
        kind = .array
        items.append(slot)
        return slot
    }
}

private struct SlotEncoder: Encoder {
    let slot: Slot
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if slot.kind != .object { slot.kind = .object }
        return KeyedEncodingContainer(KeyedSlots<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        if slot.kind != .array { slot.kind = .array }
        return UnkeyedSlots(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { SingleSlot(slot: slot, codingPath: codingPath) }
}

private struct KeyedSlots<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    let codingPath: [CodingKey]

    mutating func encodeNil(forKey key: Key) throws { slot.child(key: key.stringValue).set(.null) }

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        try slot.child(key: key.stringValue).encode(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        SlotEncoder(slot: slot.child(key: key.stringValue), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        SlotEncoder(slot: slot.child(key: key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder { SlotEncoder(slot: slot.child(key: "super"), codingPath: codingPath) }

    mutating func superEncoder(forKey key: Key) -> Encoder {
        SlotEncoder(slot: slot.child(key: key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedSlots: UnkeyedEncodingContainer {
    let slot: Slot
    let codingPath: [CodingKey]
    var count: Int { slot.items.count }

    mutating func encodeNil() throws { slot.appended().set(.null) }

    mutating func encode(_ value: some Encodable) throws { try slot.appended().encode(value, codingPath: codingPath) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        SlotEncoder(slot: slot.appended(), codingPath: codingPath).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        SlotEncoder(slot: slot.appended(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> Encoder { SlotEncoder(slot: slot.appended(), codingPath: codingPath) }
}

private struct SingleSlot: SingleValueEncodingContainer {
    let slot: Slot
    let codingPath: [CodingKey]

    mutating func encodeNil() throws { slot.set(.null) }

    mutating func encode(_ value: some Encodable) throws { try slot.encode(value, codingPath: codingPath) }
}
