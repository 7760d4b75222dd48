/// A strict JSON parser for one log line, written to survive hostile bytes.
///
/// It never reads outside the buffer, never trusts a length, refuses nesting deeper than
/// ``maxDepth`` instead of recursing further, rejects what RFC 8259 rejects (raw control
/// characters, bad escapes, leading zeros, trailing data) and repairs invalid UTF-8 and lone
/// surrogates to U+FFFD. Given a ``JSONSelection`` it only materialises the selected members and
/// validates the rest without allocating, which is what makes the gateway parsers fast.
public enum JSONLineReader {
    /// The deepest object/array nesting accepted; deeper input is an error, not a recursion.
    public static let maxDepth = 64
    /// Longer numbers are refused: no log field needs them and they only cost time.
    public static let maxNumberLength = 512

    /// Parses one JSON text, keeping only `selection` (everything when nil).
    public static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, keeping selection: JSONSelection? = nil
    ) -> Result<JSONValue, JSONParseError> {
        var parser = Parser(bytes)
        do throws(JSONParseError) {
            parser.skipBOM()
            parser.skipWhitespace()
            let value = try parser.value(depth: 0, selection: selection)
            parser.skipWhitespace()
            if parser.pos < bytes.count { throw parser.fail("unexpected data after the value") }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    /// String convenience for tests and small inputs.
    public static func parse(_ text: String, keeping selection: JSONSelection? = nil) -> Result<JSONValue, JSONParseError> {
        var text = text
        return text.withUTF8 { parse($0, keeping: selection) }
    }
}

/// Why a line is not acceptable JSON, with the byte offset where parsing stopped.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    public var description: String { "invalid JSON at byte \(offset): \(message)" }
}

/// The recursive-descent parser; every read is guarded by `pos < count`.
private struct Parser {
    let b: UnsafeBufferPointer<UInt8>
    var pos = 0
    init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    func fail(_ message: String) -> JSONParseError { JSONParseError(message: message, offset: pos) }

    mutating func skipBOM() {
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { pos = 3 }
    }

    @inline(__always) mutating func skipWhitespace() {
        while pos < b.count {
            let c = b[pos]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            pos += 1
        }
    }

    /// Parses a value; `selection` nil keeps everything below, a selection keeps its members only.
    mutating func value(depth: Int, selection: JSONSelection?) throws(JSONParseError) -> JSONValue {
        guard pos < b.count else { throw fail("unexpected end of line") }
        switch b[pos] {
        case 0x7B: return try object(depth: depth + 1, selection: selection)
        case 0x5B: return try array(depth: depth + 1, selection: selection)
        case 0x22:
            let s = try scanString()
            return .string(decode(s))
        case 0x74:
            try literal("true")
            return .bool(true)
        case 0x66:
            try literal("false")
            return .bool(false)
        case 0x6E:
            try literal("null")
            return .null
        default:
            let (start, end, isInteger) = try scanNumber()
            let raw = UnsafeBufferPointer(rebasing: b[start..<end])
            return .number(numberValue(raw, isInteger: isInteger), raw: String(decoding: raw, as: UTF8.self))
        }
    }

    /// Validates a value without building it: the path for unselected members.
    mutating func skip(depth: Int) throws(JSONParseError) {
        guard pos < b.count else { throw fail("unexpected end of line") }
        switch b[pos] {
        case 0x7B, 0x5B:
            let isObject = b[pos] == 0x7B
            guard depth < JSONLineReader.maxDepth else { throw fail("nesting deeper than \(JSONLineReader.maxDepth)") }
            pos += 1
            skipWhitespace()
            let close: UInt8 = isObject ? 0x7D : 0x5D
            if pos < b.count, b[pos] == close {
                pos += 1
                return
            }
            while true {
                if isObject { _ = try key() }
                try skip(depth: depth + 1)
                if try endOfMember(close: close) { return }
            }
        case 0x22: _ = try scanString()
        case 0x74: try literal("true")
        case 0x66: try literal("false")
        case 0x6E: try literal("null")
        default: _ = try scanNumber()
        }
    }

    mutating func object(depth: Int, selection: JSONSelection?) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONLineReader.maxDepth else { throw fail("nesting deeper than \(JSONLineReader.maxDepth)") }
        pos += 1
        skipWhitespace()
        var members: [(key: String, value: JSONValue)] = []
        if pos < b.count, b[pos] == 0x7D {
            pos += 1
            return .object(JSONObject(members))
        }
        // One allocation up front instead of regrowing: selections say how many members can be kept.
        members.reserveCapacity(selection.map { min($0.childCount, 16) } ?? 8)
        while true {
            let k = try key()
            if let selection {
                let rawKey = UnsafeBufferPointer(rebasing: b[k.start..<k.end])
                let child =
                    k.escaped
                    ? Array(decodeBytes(k)).withUnsafeBufferPointer { selection.child($0) }
                    : selection.child(rawKey)
                if let child {
                    members.append((decode(k), try value(depth: depth, selection: child.keepsAll ? nil : child)))
                } else {
                    try skip(depth: depth)
                }
            } else {
                members.append((decode(k), try value(depth: depth, selection: nil)))
            }
            if try endOfMember(close: 0x7D) { return .object(JSONObject(members)) }
        }
    }

    mutating func array(depth: Int, selection: JSONSelection?) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONLineReader.maxDepth else { throw fail("nesting deeper than \(JSONLineReader.maxDepth)") }
        pos += 1
        skipWhitespace()
        var elements: [JSONValue] = []
        if pos < b.count, b[pos] == 0x5D {
            pos += 1
            return .array(elements)
        }
        while true {
            elements.append(try value(depth: depth, selection: selection))
            if try endOfMember(close: 0x5D) { return .array(elements) }
        }
    }

    /// Reads `"key" :` and returns the key's raw span.
    mutating func key() throws(JSONParseError) -> StringSpan {
        skipWhitespace()
        guard pos < b.count, b[pos] == 0x22 else { throw fail("expected a string key") }
        let k = try scanString()
        skipWhitespace()
        guard pos < b.count, b[pos] == 0x3A else { throw fail("expected ':'") }
        pos += 1
        skipWhitespace()
        return k
    }

    /// After a member: `,` (more follow, false) or the closing bracket (true).
    mutating func endOfMember(close: UInt8) throws(JSONParseError) -> Bool {
        skipWhitespace()
        guard pos < b.count else { throw fail("unexpected end of line") }
        if b[pos] == close {
            pos += 1
            return true
        }
        guard b[pos] == 0x2C else { throw fail(close == 0x7D ? "expected ',' or '}'" : "expected ',' or ']'") }
        pos += 1
        skipWhitespace()
        return false
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        guard pos + n <= b.count else { throw fail("unexpected end of line") }
        let w = word.utf8Start
        for i in 0..<n where b[pos + i] != w[i] { throw fail("invalid literal") }
        pos += n
    }

    struct StringSpan {
        var start: Int
        var end: Int
        var escaped: Bool
    }

    /// Finds the end of a string starting at `"`, validating escapes and control characters.
    mutating func scanString() throws(JSONParseError) -> StringSpan {
        pos += 1
        let start = pos
        var escaped = false
        while pos < b.count {
            skipPlainBytes()
            guard pos < b.count else { break }
            let c = b[pos]
            if c == 0x22 {
                pos += 1
                return StringSpan(start: start, end: pos - 1, escaped: escaped)
            }
            if c == 0x5C {
                escaped = true
                guard pos + 1 < b.count else { break }
                switch b[pos + 1] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: pos += 2
                case 0x75:
                    guard pos + 6 <= b.count, hex4(pos + 2) != nil else { throw fail("invalid \\u escape") }
                    pos += 6
                default: throw fail("invalid escape")
                }
                continue
            }
            if c < 0x20 { throw fail("control character in string") }
            pos += 1
        }
        throw fail("unterminated string")
    }

    /// Skips 8 bytes at a time while none is a quote, a backslash or a control character: most
    /// of a log line is string content, so this is where the parser spends its time.
    @inline(__always) mutating func skipPlainBytes() {
        guard let base = b.baseAddress else { return }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while pos + 8 <= b.count {
            let w = UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self)
            let quote = w ^ (ones &* 0x22)
            let backslash = w ^ (ones &* 0x5C)
            // A byte is zero (or below 0x20) exactly when its lane borrows: the classic SWAR test.
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((w &- ones &* 0x20) & ~w)
            if special & highs != 0 { return }
            pos += 8
        }
    }

    func hex4(_ at: Int) -> UInt32? {
        guard at >= 0, at + 4 <= b.count else { return nil }
        var v: UInt32 = 0
        for i in at..<(at + 4) {
            let c = b[i]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    func decode(_ s: StringSpan) -> String {
        // Unescaped strings are the common case: one validating copy, invalid UTF-8 becomes U+FFFD.
        if !s.escaped { return String(decoding: UnsafeBufferPointer(rebasing: b[s.start..<s.end]), as: UTF8.self) }
        return String(decoding: decodeBytes(s), as: UTF8.self)
    }

    /// Resolves escapes to UTF-8 bytes; raw bytes are copied and repaired later by `String(decoding:)`.
    func decodeBytes(_ s: StringSpan) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.end - s.start)
        var i = s.start
        while i < s.end {
            let c = b[i]
            guard c == 0x5C, i + 1 < s.end else {
                out.append(c)
                i += 1
                continue
            }
            let e = b[i + 1]
            i += 2
            switch e {
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                guard i + 4 <= s.end, var scalar = hex4(i) else {
                    out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    continue
                }
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    // A high surrogate only counts when a low surrogate escape follows at once.
                    if i + 6 <= s.end, b[i] == 0x5C, b[i + 1] == 0x75, let low = hex4(i + 2), (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                appendUTF8(&out, scalar)
            default: out.append(e)  // \" \\ \/
            }
        }
        return out
    }

    func appendUTF8(_ out: inout [UInt8], _ v: UInt32) {
        switch v {
        case 0..<0x80: out.append(UInt8(v))
        case 0x80..<0x800: out.append(contentsOf: [UInt8(0xC0 | v >> 6), UInt8(0x80 | v & 0x3F)])
        case 0x800..<0x10000:
            out.append(contentsOf: [UInt8(0xE0 | v >> 12), UInt8(0x80 | v >> 6 & 0x3F), UInt8(0x80 | v & 0x3F)])
        default:
            out.append(contentsOf: [
                UInt8(0xF0 | v >> 18), UInt8(0x80 | v >> 12 & 0x3F),
                UInt8(0x80 | v >> 6 & 0x3F), UInt8(0x80 | v & 0x3F),
            ])
        }
    }

    /// Validates RFC 8259 number syntax; returns its span and whether it is a plain integer.
    mutating func scanNumber() throws(JSONParseError) -> (Int, Int, Bool) {
        let start = pos
        if pos < b.count, b[pos] == 0x2D { pos += 1 }
        guard pos < b.count, Timestamps.isDigit(b[pos]) else { throw fail("unexpected character") }
        if b[pos] == 0x30 { pos += 1 } else { digitRun() }
        var isInteger = true
        if pos < b.count, b[pos] == 0x2E {
            pos += 1
            guard pos < b.count, Timestamps.isDigit(b[pos]) else { throw fail("expected digits after '.'") }
            digitRun()
            isInteger = false
        }
        if pos < b.count, b[pos] | 0x20 == 0x65 {
            pos += 1
            if pos < b.count, b[pos] == 0x2B || b[pos] == 0x2D { pos += 1 }
            guard pos < b.count, Timestamps.isDigit(b[pos]) else { throw fail("expected exponent digits") }
            digitRun()
            isInteger = false
        }
        guard pos - start <= JSONLineReader.maxNumberLength else { throw fail("number too long") }
        return (start, pos, isInteger)
    }

    @inline(__always) mutating func digitRun() {
        while pos < b.count, Timestamps.isDigit(b[pos]) { pos += 1 }
    }

    func numberValue(_ raw: UnsafeBufferPointer<UInt8>, isInteger: Bool) -> Double {
        // Integers of up to 15 digits are exact in a Double and need no string round-trip.
        if isInteger, raw.count <= 16 {
            var v: Int64 = 0
            var negative = false
            for c in raw { if c == 0x2D { negative = true } else { v = v * 10 + Int64(c - 0x30) } }
            if raw.count - (negative ? 1 : 0) <= 15 { return Double(negative ? -v : v) }
        }
        return Double(String(decoding: raw, as: UTF8.self)) ?? .nan
    }
}
