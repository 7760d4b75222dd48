/// Which requests belong to a subject (an IP, client, key or route), as ascending request ids.
///
/// Stored as LEB128 varints of the gaps between ids, so a heavy hitter's ids cost about a byte each.
public struct Posting: Sendable {
    public var kind: DictKind
    public var key: Int64
    public var count: Int64
    public var encoded: [UInt8]
}

/// Gathers postings and statistics for the subjects the console drills into.
///
/// Dict ids are dense (one id space for every kind), so subjects live in one array of plain
/// structs indexed by id: each row updates its three or four subjects in place, with no hashing,
/// no reference counting and no copies.
public struct PostingsBuilder {
    public init() {}

    struct Subject {
        /// 1 + the index of its kind in `kinds`; 0 for an id no row has used yet.
        var kind: UInt8 = 0
        var last: Int64 = 0
        var count: Int64 = 0
        var bytes: [UInt8] = []
        var stats = SubjectStats()
    }

    static let kinds: [DictKind] = [.ip, .client, .apiKey, .route]
    private var subjects: [Subject] = []

    /// The earliest and latest request times seen.
    public private(set) var firstMs: Int64?
    public private(set) var lastMs: Int64?
    public private(set) var rowsSinceTake: Int64 = 0

    public mutating func add(_ row: RequestRow) {
        firstMs = min(firstMs ?? row.timestampMs, row.timestampMs)
        lastMs = max(lastMs ?? row.timestampMs, row.timestampMs)
        rowsSinceTake += 1
        let highest = max(row.ip, row.client ?? 0, row.apiKey ?? 0, row.route)
        if Int(highest) >= subjects.count {
            subjects.append(contentsOf: repeatElement(Subject(), count: max(Int(highest) + 1 - subjects.count, subjects.count / 2)))
        }
        subjects.withUnsafeMutableBufferPointer { subjects in
            PostingsBuilder.append(&subjects[Int(row.ip)], kind: 1, row)
            if let client = row.client { PostingsBuilder.append(&subjects[Int(client)], kind: 2, row) }
            if let key = row.apiKey { PostingsBuilder.append(&subjects[Int(key)], kind: 3, row) }
            PostingsBuilder.append(&subjects[Int(row.route)], kind: 4, row)
        }
    }

    private static func append(_ subject: inout Subject, kind: UInt8, _ row: RequestRow) {
        subject.kind = kind
        PostingCodec.appendVarint(UInt64(row.id - subject.last), to: &subject.bytes)
        subject.last = row.id
        subject.count += 1
        subject.stats.add(timestampMs: row.timestampMs, status: row.status, bytes: row.bytes)
    }

    /// The postings gathered since the last call, sorted by (kind, key) so they insert in key
    /// order; statistics keep accumulating.
    public mutating func take() -> [Posting] {
        rowsSinceTake = 0
        var out: [Posting] = []
        for (k, kind) in PostingsBuilder.kinds.enumerated() {
            for key in subjects.indices where subjects[key].kind == UInt8(k + 1) && subjects[key].count > 0 {
                out.append(Posting(kind: kind, key: Int64(key), count: subjects[key].count, encoded: subjects[key].bytes))
                subjects[key].bytes = []
                subjects[key].count = 0
                subjects[key].last = 0
            }
        }
        return out
    }

    /// Statistics for the whole file, one entry per subject, sorted by (kind, key).
    public var stats: [SubjectStatsEntry] {
        var out: [SubjectStatsEntry] = []
        for (k, kind) in PostingsBuilder.kinds.enumerated() {
            for key in subjects.indices where subjects[key].kind == UInt8(k + 1) {
                out.append(SubjectStatsEntry(kind: kind, key: Int64(key), stats: subjects[key].stats))
            }
        }
        return out
    }
}

/// One subject's statistics, as written to `subject_stats`.
public struct SubjectStatsEntry: Sendable {
    public var kind: DictKind
    public var key: Int64
    public var stats: SubjectStats
}

public enum PostingCodec {
    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Decodes a posting back to request ids; stops at a truncated varint rather than trusting it.
    public static func decode(_ bytes: [UInt8]) -> [Int64] {
        var ids: [Int64] = []
        var current: Int64 = 0
        var value: UInt64 = 0
        var shift: UInt64 = 0
        for byte in bytes {
            guard shift < 64 else { return ids }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                current += Int64(truncatingIfNeeded: value)
                ids.append(current)
                value = 0
                shift = 0
            } else {
                shift += 7
            }
        }
        return ids
    }
}

/// Requests, time span, status classes and bytes per subject: what overview and scope screens show.
public struct SubjectStats: Equatable, Sendable {
    public init() {}
    public var requests: Int64 = 0
    public var firstMs: Int64 = .max
    public var lastMs: Int64 = .min
    public var status1xx: Int64 = 0
    public var status2xx: Int64 = 0
    public var status3xx: Int64 = 0
    public var status4xx: Int64 = 0
    public var status5xx: Int64 = 0

    /// Requests by status class, 1xx to 5xx.
    public var statusClasses: [Int64] { [status1xx, status2xx, status3xx, status4xx, status5xx] }
    public var bytes: Int64 = 0

    mutating func add(timestampMs: Int64, status: Int64, bytes responseBytes: Int64) {
        requests += 1
        firstMs = min(firstMs, timestampMs)
        lastMs = max(lastMs, timestampMs)
        switch status / 100 {
        case 1: status1xx += 1
        case 2: status2xx += 1
        case 3: status3xx += 1
        case 4: status4xx += 1
        case 5: status5xx += 1
        default: break
        }
        bytes &+= responseBytes
    }

    public mutating func merge(_ other: SubjectStats) {
        requests += other.requests
        firstMs = min(firstMs, other.firstMs)
        lastMs = max(lastMs, other.lastMs)
        status1xx += other.status1xx
        status2xx += other.status2xx
        status3xx += other.status3xx
        status4xx += other.status4xx
        status5xx += other.status5xx
        bytes += other.bytes
    }
}
