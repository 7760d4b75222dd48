/// Where a templated route's last parameter sits, counted from the end of the path, so a path
/// with a base prefix (`/api/v2/accounts/7`) still finds its object id against `/accounts/{id}`.
public struct ObjectSegment: Sendable {
    let fromEnd: Int
    let segments: Int

    public init?(_ route: String) {
        let parts = route.split(separator: "/", omittingEmptySubsequences: true)
        guard let index = parts.lastIndex(where: { $0.hasPrefix("{") && $0.hasSuffix("}") }) else { return nil }
        fromEnd = parts.count - 1 - index
        segments = parts.count
    }

    public func value(in path: String) -> String? {
        var copy = path
        return copy.withUTF8 { bytes in range(in: bytes).map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) } }
    }

    /// Where the object id is in a path's bytes. Scans from the end: the wanted segment is
    /// `fromEnd` segments before the last, and the path must have at least the route's segments.
    public func range(in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        let slash = UInt8(ascii: "/")
        var end = bytes.count
        while end > 0 && bytes[end - 1] == slash { end -= 1 }
        var skipped = 0
        var found = 0
        while end > 0 {
            var start = end
            while start > 0 && bytes[start - 1] != slash { start -= 1 }
            found += 1
            if skipped == fromEnd {
                var rest = start
                while rest > 0 {
                    while rest > 0 && bytes[rest - 1] == slash { rest -= 1 }
                    if rest > 0 { found += 1 }
                    while rest > 0 && bytes[rest - 1] != slash { rest -= 1 }
                }
                return found >= segments ? start..<end : nil
            }
            skipped += 1
            end = start
            while end > 0 && bytes[end - 1] == slash { end -= 1 }
        }
        return nil
    }
}

/// An object id as requested: most APIs number their objects, so a canonical decimal id is kept
/// as an integer (cheap to compare and to test for a sequential walk); anything else as text.
public enum ObjectID: Hashable, Sendable, CustomStringConvertible {
    case number(Int64)
    case text(String)

    /// Digits only, no sign, no leading zero and at most 18 digits: exactly the ids that print
    /// back as the same text, so nothing is lost by keeping them as integers.
    public static func canonicalNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 18, bytes[0] != UInt8(ascii: "0") || bytes.count == 1 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }

    public init(_ text: String) {
        var copy = text
        if let n = copy.withUTF8({ ObjectID.canonicalNumber($0) }) { self = .number(n) } else { self = .text(text) }
    }

    public var description: String {
        switch self {
        case .number(let n): return String(n)
        case .text(let s): return s
        }
    }

    // Written out and inlinable: the BOLA detector, in another module, hashes one per request.
    @inlinable public static func == (a: ObjectID, b: ObjectID) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y
        case (.text(let x), .text(let y)): return x == y
        default: return false
        }
    }

    @inlinable public func hash(into hasher: inout Hasher) {
        switch self {
        case .number(let n):
            hasher.combine(0 as UInt8)
            hasher.combine(n)
        case .text(let s):
            hasher.combine(1 as UInt8)
            hasher.combine(s)
        }
    }
}
