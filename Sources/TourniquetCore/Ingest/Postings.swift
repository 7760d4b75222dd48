/// Which requests belong to a subject (an IP, client, key or route), as ascending request ids.
///
/// Stored as LEB128 varints of the gaps between ids, so a heavy hitter's ids cost about a byte each.
public struct Posting: Sendable {
    public var kind: DictKind
    public var key: Int64
    public var count: Int64
    public var encoded: [UInt8]
}

/// Gathers postings for the subjects the console drills into.
///
/// Lists are reference boxes so appending never copies a list (a dictionary of arrays would
/// copy on every write and turn a heavy hitter's million requests quadratic).
public struct PostingsBuilder {
    final class List {
        var last: Int64 = 0
        var count: Int64 = 0
        var bytes: [UInt8] = []
    }

    static let kinds: [DictKind] = [.ip, .client, .apiKey, .route]
    private var lists: [[Int64: List]] = Array(repeating: [:], count: 4)
    /// Bytes held, so the caller can flush in chunks and keep memory bounded.
    public private(set) var heldBytes = 0

    mutating func add(_ row: RequestRow) {
        append(0, row.ip, row.id)
        if let client = row.client { append(1, client, row.id) }
        if let key = row.apiKey { append(2, key, row.id) }
        append(3, row.route, row.id)
    }

    private mutating func append(_ kindIndex: Int, _ key: Int64, _ id: Int64) {
        let list: List
        if let existing = lists[kindIndex][key] {
            list = existing
        } else {
            list = List()
            lists[kindIndex][key] = list
        }
        let before = list.bytes.count
        PostingCodec.appendVarint(UInt64(id - list.last), to: &list.bytes)
        list.last = id
        list.count += 1
        heldBytes += list.bytes.count - before
    }

    mutating func take() -> [Posting] {
        var out: [Posting] = []
        for (index, keys) in lists.enumerated() {
            for (key, list) in keys {
                out.append(Posting(kind: PostingsBuilder.kinds[index], key: key, count: list.count, encoded: list.bytes))
            }
        }
        lists = Array(repeating: [:], count: 4)
        heldBytes = 0
        return out
    }
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
    public var requests: Int64 = 0
    public var firstMs: Int64 = .max
    public var lastMs: Int64 = .min
    public var statusClasses: [Int64] = [0, 0, 0, 0, 0]  // 1xx … 5xx
    public var bytes: Int64 = 0

    public mutating func merge(_ other: SubjectStats) {
        requests += other.requests
        firstMs = min(firstMs, other.firstMs)
        lastMs = max(lastMs, other.lastMs)
        for i in 0..<5 { statusClasses[i] += other.statusClasses[i] }
        bytes += other.bytes
    }
}

/// Statistics per subject, in reference boxes for the same reason as postings.
public struct SubjectStatsBuilder {
    final class Box {
        var value = SubjectStats()
    }

    private var boxes: [[Int64: Box]] = Array(repeating: [:], count: 4)

    /// The statistics gathered so far, by subject kind and dict id.
    public var stats: [DictKind: [Int64: SubjectStats]] {
        var out: [DictKind: [Int64: SubjectStats]] = [:]
        for (index, keys) in boxes.enumerated() {
            out[PostingsBuilder.kinds[index]] = keys.mapValues(\.value)
        }
        return out
    }

    mutating func add(_ row: RequestRow) {
        bump(0, row.ip, row)
        if let client = row.client { bump(1, client, row) }
        if let key = row.apiKey { bump(2, key, row) }
        bump(3, row.route, row)
    }

    private mutating func bump(_ kindIndex: Int, _ key: Int64, _ row: RequestRow) {
        let box: Box
        if let existing = boxes[kindIndex][key] {
            box = existing
        } else {
            box = Box()
            boxes[kindIndex][key] = box
        }
        box.value.requests += 1
        box.value.firstMs = min(box.value.firstMs, row.timestampMs)
        box.value.lastMs = max(box.value.lastMs, row.timestampMs)
        let statusClass = Int(row.status / 100) - 1
        if (0..<5).contains(statusClass) { box.value.statusClasses[statusClass] += 1 }
        box.value.bytes &+= row.bytes
    }
}
