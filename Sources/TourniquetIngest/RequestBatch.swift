/// Kinds of repeated strings stored once in the case's `dict` table.
public enum DictKind: String, CaseIterable, Sendable {
    case ip, xff, client
    case apiKey = "api_key"
    case method, route
    case userAgent = "user_agent"
}

/// Bit flags on a stored request.
public struct RequestFlags: OptionSet, Sendable {
    public let rawValue: Int64
    @inlinable public init(rawValue: Int64) { self.rawValue = rawValue }
    // Computed rather than stored statics, so detectors in another module read a constant instead
    // of calling a lazy global's accessor per request.
    /// The path is not in the OpenAPI spec given at ingest.
    @inlinable public static var undocumented: RequestFlags { RequestFlags(rawValue: 1) }
    /// A credential was replaced by its fingerprint.
    @inlinable public static var credentialRedacted: RequestFlags { RequestFlags(rawValue: 2) }
    /// The log kept the response's headers (Kong's file-log does).
    @inlinable public static var responseHeadersLogged: RequestFlags { RequestFlags(rawValue: 4) }
    /// The response carried Retry-After.
    @inlinable public static var retryAfterSent: RequestFlags { RequestFlags(rawValue: 8) }
}

/// One request ready for storage: ids into `dict` and the few values too varied to intern.
public struct RequestRow: Sendable {
    public var id: Int64
    public var line: Int64
    public var timestampMs: Int64
    public var utcOffsetMinutes: Int64
    public var ip: Int64
    public var xff: Int64?
    public var client: Int64?
    public var apiKey: Int64?
    public var method: Int64
    /// Where the path's bytes are in the batch's `text` arena.
    public var path: TextSpan
    public var route: Int64
    /// The redacted query's bytes in `text`, or nil when the request had no query.
    public var query: TextSpan?
    public var status: Int64
    public var bytes: Int64
    public var latencyMicros: Int64?
    public var userAgent: Int64?
    public var flags: Int64
}

/// A run of bytes in a batch's text arena: path and query live there instead of in per-row Strings,
/// so a batch crosses threads as two allocations and SQLite reads the bytes in place.
public struct TextSpan: Equatable, Sendable {
    public var start: Int32
    public var count: Int32
}

/// A string first seen in this import, to be added to `dict` with the id it was given.
public struct NewDictEntry: Sendable {
    public var id: Int64
    public var kind: DictKind
    public var value: String
}

/// Rows handed from the parsing thread to the writing thread, with the strings they introduce.
public struct RequestBatch: Sendable {
    public var rows: [RequestRow] = []
    public var text: [UInt8] = []
    public var newStrings: [NewDictEntry] = []
    public init() {}

    /// The text of a span, for readers that want a String.
    public func string(_ span: TextSpan) -> String {
        String(decoding: text[Int(span.start)..<Int(span.start + span.count)], as: UTF8.self)
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) -> TextSpan {
        let span = TextSpan(start: Int32(text.count), count: Int32(bytes.count))
        text.append(contentsOf: bytes)
        return span
    }
}

/// Assigns ids to repeated strings, continuing from what the case already holds.
public final class StringDictionary {
    private var ids: [[String: Int64]] = Array(repeating: [:], count: DictKind.allCases.count)
    private var nextID: Int64
    private(set) var pending: [NewDictEntry] = []
    /// Recently used strings, direct-mapped by a cheap hash of their bytes: most lookups repeat a
    /// method, route or user agent seen moments before, and a hit costs one comparison instead of
    /// hashing the whole string. A miss (or a string an attacker shaped to collide here) falls
    /// through to the dictionary, whose seeded hash keeps lookups fast whatever the input.
    /// Addresses are too many and too varied to gain from it.
    private var recent: [(value: String, id: Int64)?]
    private static let slotsPerKind = 1024

    public init(existing: [(id: Int64, kind: DictKind, value: String)] = []) {
        var maxID: Int64 = 0
        for entry in existing {
            ids[entry.kind.index][entry.value] = entry.id
            maxID = max(maxID, entry.id)
        }
        nextID = maxID + 1
        recent = Array(repeating: nil, count: StringDictionary.slotsPerKind * DictKind.allCases.count)
    }

    public func id(_ kind: DictKind, _ value: String) -> Int64 {
        let k = kind.index
        guard kind != .ip else { return lookUp(k, kind, value) }
        let slot = k * StringDictionary.slotsPerKind + StringDictionary.slot(value)
        if let cached = recent[slot], cached.value == value { return cached.id }
        let id = lookUp(k, kind, value)
        recent[slot] = (value, id)
        return id
    }

    private func lookUp(_ k: Int, _ kind: DictKind, _ value: String) -> Int64 {
        if let known = ids[k][value] { return known }
        let id = nextID
        nextID += 1
        ids[k][value] = id
        pending.append(NewDictEntry(id: id, kind: kind, value: value))
        return id
    }

    /// The length and the first and last eight bytes, mixed.
    private static func slot(_ value: String) -> Int {
        var copy = value
        let h: UInt64 = copy.withUTF8 { bytes in
            let n = bytes.count
            guard n >= 8, let base = UnsafeRawPointer(bytes.baseAddress) else {
                var h = UInt64(n)
                for byte in bytes { h = h &* 0x100_0000_01B3 ^ UInt64(byte) }
                return h
            }
            let head = base.loadUnaligned(as: UInt64.self)
            let tail = base.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            return (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(n)
        }
        return Int(truncatingIfNeeded: h ^ (h >> 31)) & (slotsPerKind - 1)
    }

    func takePending() -> [NewDictEntry] {
        defer { pending.removeAll(keepingCapacity: true) }
        return pending
    }
}

extension DictKind {
    /// A dense index for array-backed tables.
    var index: Int {
        switch self {
        case .ip: return 0
        case .xff: return 1
        case .client: return 2
        case .apiKey: return 3
        case .method: return 4
        case .route: return 5
        case .userAgent: return 6
        }
    }
}
