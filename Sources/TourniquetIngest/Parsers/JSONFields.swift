import TourniquetModel

/// Typed reads of a parsed log line whose errors name the field, for the gateway parsers.
///
/// The rule: scalars are coerced (a numeric user id is its text, `"200"` is a status), `null` and
/// the log's absent marker count as missing, and an object or array where a scalar belongs makes
/// the line malformed rather than being guessed at.
struct JSONFields {
    let root: JSONValue
    /// Whether `"-"` and `""` mean "no value", as in API Gateway's `$context` variables.
    var dashIsAbsent = false

    /// How an error names a field: its first candidate key (user mappings may list none).
    static func label(_ paths: [JSONPath]) -> String { paths.first?.dotted ?? "field" }

    /// The first candidate path present with a non-null value, and that path.
    func first(_ paths: [JSONPath]) -> (path: JSONPath, value: JSONValue)? {
        for path in paths {
            if let v = root.lookup(path), v != .null {
                if dashIsAbsent, case .string(let s) = v, s == "-" || s.isEmpty { continue }
                return (path, v)
            }
        }
        return nil
    }

    func string(_ paths: [JSONPath]) throws(MalformedLine) -> String? {
        guard let (path, v) = first(paths) else { return nil }
        guard let text = v.scalarText else { throw MalformedLine("\(path) is not a string") }
        return text
    }

    /// A string that must be present and non-empty.
    func requiredString(_ paths: [JSONPath]) throws(MalformedLine) -> String {
        guard let s = try string(paths), !s.isEmpty else { throw MalformedLine("missing \(JSONFields.label(paths))") }
        return s
    }

    /// An epoch instant from a number or numeric string in milliseconds or seconds.
    func epoch(_ paths: [JSONPath], inSeconds: Bool) throws(MalformedLine) -> Timestamps.Instant? {
        guard let (path, v) = first(paths) else { return nil }
        // Parse the written digits rather than the Double so fractional seconds stay exact.
        guard let text = v.scalarText else { throw MalformedLine("\(path) is not a timestamp") }
        let exact = inSeconds ? Timestamps.parseEpochSeconds(text) : Timestamps.parseEpochMillis(text)
        if let exact { return exact }
        // Exponent forms (`1.7267838395380e+12`, as Lua cjson may write) go through the Double.
        if let d = v.doubleValue,
            let viaDouble = inSeconds ? Timestamps.epochMillis(fromSeconds: d) : Timestamps.epochMillis(fromMillis: d)
        {
            return viaDouble
        }
        throw MalformedLine("\(path) is not a valid timestamp")
    }

    func int(_ paths: [JSONPath]) throws(MalformedLine) -> Int64? {
        guard let (path, v) = first(paths) else { return nil }
        guard let n = v.int64Value else {
            // Whole but too large for Int64 (1e400, 99999999999999999999) is a range problem.
            if let d = v.doubleValue, !d.isFinite || d.rounded() == d { throw MalformedLine("\(path) is out of range") }
            throw MalformedLine("\(path) is not an integer")
        }
        return n
    }

    func requiredInt(_ paths: [JSONPath]) throws(MalformedLine) -> Int64 {
        guard let n = try int(paths) else { throw MalformedLine("missing \(JSONFields.label(paths))") }
        return n
    }

    /// An HTTP status: an integer from 0 (no response sent) to 999.
    func status(_ paths: [JSONPath]) throws(MalformedLine) -> Int {
        let n = try requiredInt(paths)
        guard (0...999).contains(n) else { throw MalformedLine("\(JSONFields.label(paths)) is out of range") }
        return Int(n)
    }

    /// A non-negative byte count; absent counts as 0, as CLF's `-` does.
    func byteCount(_ paths: [JSONPath]) throws(MalformedLine) -> Int64 {
        guard let n = try int(paths) else { return 0 }
        guard n >= 0 else { throw MalformedLine("\(JSONFields.label(paths)) is negative") }
        return n
    }

    /// A duration converted to microseconds; negative values (Kong's "unknown") read as absent.
    func micros(_ paths: [JSONPath], perUnit: Double) throws(MalformedLine) -> Int64? {
        guard let (path, v) = first(paths) else { return nil }
        guard let d = v.doubleValue else { throw MalformedLine("\(path) is not a number") }
        guard d >= 0 else { return nil }
        guard let micros = Int64(exactly: (d * perUnit).rounded()) else { throw MalformedLine("\(path) is out of range") }
        return micros
    }
}

/// Request headers from a JSON object whose keys may be in any case, as Kong and ECS log them.
struct JSONHeaders {
    /// Headers whose values are credentials: fingerprinted for attribution, never stored.
    static let credentialNames = ["authorization", "proxy-authorization", "cookie", "x-api-key", "apikey"]

    private var members: [(key: String, value: JSONValue)] = []

    init(_ value: JSONValue?) {
        guard case .object(let object)? = value else { return }
        members = object.members.map { ($0.key.lowercased(), $0.value) }
    }

    /// A header's value (repeated headers joined with ", "), or nil when absent or empty.
    func text(_ name: String) -> String? {
        for m in members where m.key == name {
            if let t = m.value.headerText, !t.isEmpty { return t }
        }
        return nil
    }

    /// One entry per credential header value, skipping Kong's own `REDACTED` placeholder, which
    /// is the same for every client and would merge them all into one fingerprint.
    var credentials: [CredentialHeader] {
        var out: [CredentialHeader] = []
        for name in JSONHeaders.credentialNames {
            for m in members where m.key == name {
                for v in m.value.headerValues where !v.isEmpty && v != "REDACTED" {
                    out.append(CredentialHeader(name: name, value: v))
                }
            }
        }
        return out
    }
}

extension JSONFields {
    /// Parses one JSON-object line and hands its fields to a format's reader; every JSON format's
    /// `parse` is this, so errors read the same whatever the format.
    static func parseObject(
        _ line: UnsafeBufferPointer<UInt8>, keeping selection: JSONSelection, dashIsAbsent: Bool = false,
        _ build: (JSONFields) throws(MalformedLine) -> ParsedRequest
    ) -> Result<ParsedRequest, MalformedLine> {
        let root: JSONValue
        switch JSONLineReader.parse(line, keeping: selection) {
        case .success(let value): root = value
        case .failure(let error): return .failure(MalformedLine(error.description))
        }
        guard case .object = root else { return .failure(MalformedLine("not a JSON object")) }
        do {
            return .success(try build(JSONFields(root: root, dashIsAbsent: dashIsAbsent)))
        } catch {
            return .failure(error)
        }
    }
}
