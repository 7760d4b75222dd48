/// The one JSON value type: what the log parsers read, what action details and finding evidence
/// hold, and what typed contracts embed. It has one canonical text form (`canonicalJSON`).
///
/// Numbers keep their raw text next to the `Double` so integers and epoch values stay exact.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double, raw: String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The member named `key` when this is an object (the first one if the key repeats).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The element at `index` when this is an array and the index exists.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// Looks up a dotted path, trying the literal dotted key first and then nested objects.
    ///
    /// ECS exports mix `"http.request.method": …` and `"http": {"request": {"method": …}}`, and
    /// even half-flattened forms like `"http.request": {"method": …}`; every split is tried.
    public func lookup(_ path: String) -> JSONValue? {
        lookup(JSONPath(path))
    }

    /// Looks up a pre-split path; parsers keep these in constants so a lookup builds no strings.
    public func lookup(_ path: JSONPath) -> JSONValue? {
        lookup(path, from: 0)
    }

    private func lookup(_ path: JSONPath, from first: Int) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        let last = path.segments.count - 1
        guard first <= last else { return nil }
        let joins = path.joins[first]
        // joins[k] is segments[first...first+k] joined with dots; the last one is the whole rest.
        for member in object.members where member.key == joins[last - first] { return member.value }
        guard first < last else { return nil }
        for member in object.members {
            for k in 0..<(last - first) where member.key == joins[k] {
                if let found = member.value.lookup(path, from: first + k + 1) { return found }
            }
        }
        return nil
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// A scalar as text: strings as they are, numbers as written, booleans as `true`/`false`.
    public var scalarText: String? {
        switch self {
        case .string(let s): return s
        case .number(_, let raw): return raw
        case .bool(let v): return v ? "true" : "false"
        default: return nil
        }
    }

    /// The number, or a string holding a JSON-style number (`"200"`), as a Double.
    public var doubleValue: Double? {
        switch self {
        case .number(let v, _): return v
        case .string(let s): return JSONValue.numericText(s) ? Double(s) : nil
        default: return nil
        }
    }

    /// An exact integer from a number or numeric string; nil when fractional or out of range.
    public var int64Value: Int64? {
        switch self {
        case .number(let v, let raw): return Int64(raw) ?? Int64(exactly: v)
        case .string(let s): return JSONValue.numericText(s) ? (Int64(s) ?? Double(s).flatMap { Int64(exactly: $0) }) : nil
        default: return nil
        }
    }

    /// A header value: a string, or the strings of an array joined with `", "` as HTTP folds them.
    public var headerText: String? {
        switch self {
        case .string(let s): return s
        case .array(let elements):
            let parts = elements.compactMap(\.scalarText)
            return parts.isEmpty ? nil : parts.joined(separator: ", ")
        default: return scalarText
        }
    }

    /// Each value of a header that may repeat (an array) or appear once (a string).
    public var headerValues: [String] {
        if case .array(let elements) = self { return elements.compactMap(\.scalarText) }
        return scalarText.map { [$0] } ?? []
    }

    /// RFC 8259 number syntax, so `Double("nan")`, `"0x1A"` or `" 1"` are never taken as numbers.
    static func numericText(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { b in
            guard !b.isEmpty, b.count <= JSONLineReader.maxNumberLength else { return false }
            var i = b[0] == 0x2D ? 1 : 0
            var digits = 0
            var sawDot = false
            var sawExponent = false
            var lastWasDigit = false
            while i < b.count {
                let c = b[i]
                if Timestamps.isDigit(c) {
                    digits += 1
                    lastWasDigit = true
                } else if c == 0x2E, !sawDot, !sawExponent, lastWasDigit {
                    sawDot = true
                    lastWasDigit = false
                } else if c | 0x20 == 0x65, digits > 0, !sawExponent, lastWasDigit {
                    sawExponent = true
                    lastWasDigit = false
                    if i + 1 < b.count, b[i + 1] == 0x2B || b[i + 1] == 0x2D { i += 1 }
                } else {
                    return false
                }
                i += 1
            }
            return lastWasDigit
        }
    }
}
