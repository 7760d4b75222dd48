/// Requests packed for scope: every field the detectors read, as varints, one chunk per ingest
/// batch. Built at ingest beside `requests`, which stays the record. Scope decodes these chunks
/// instead of stepping SQLite through every row, which cost more than all the detectors together.
public struct ScanChunk: Sendable {
    public var firstID: Int64
    public var rows: Int
    /// The earliest and latest timestamps in the chunk (logs are not always in time order).
    public var firstMs: Int64
    public var lastMs: Int64
    /// The digest of the probe signature sets its matches were made with (`ProbeSignatures`).
    public var signatures: String
    public var data: [UInt8]
    /// Path and query of the requests rules read, by request id in order: supplied by the reader
    /// when scope runs other signature sets than the chunk was matched with. The packed matches
    /// are then ignored and these texts matched instead.
    public var texts: [(id: Int64, text: String)]?

    public init(firstID: Int64, rows: Int, firstMs: Int64, lastMs: Int64, signatures: String, data: [UInt8]) {
        self.firstID = firstID
        self.rows = rows
        self.firstMs = firstMs
        self.lastMs = lastMs
        self.signatures = signatures
        self.data = data
    }

    /// Each row inside the window, in request order.
    public func forEachRow(fromMs: Int64?, toMs: Int64?, _ body: (ScanRow) -> Void) throws {
        let from = fromMs ?? .min, to = toMs ?? .max
        try data.withUnsafeBufferPointer { bytes in
            if from <= firstMs && lastMs <= to {
                try ScanChunkDecoder.forEach(bytes, chunk: self, body)
            } else {
                try ScanChunkDecoder.forEach(bytes, chunk: self) { row in
                    if row.timestampMs >= from && row.timestampMs <= to { body(row) }
                }
            }
        }
    }
}

/// The layout, after a version byte, per request: a shape byte (object id kind in bits 0–1, a
/// probe match in bit 2), then LEB128 varints: zigzag time gap, ip, client, key, method, route,
/// status, zigzag bytes, flags; then the object id (a varint, or length and bytes) and the probe
/// match when the shape says so. Request ids run on from the chunk's first id.
enum ScanChunkLayout {
    static let version: UInt8 = 1
    static let objectNumber: UInt8 = 1
    static let objectText: UInt8 = 2
    static let probe: UInt8 = 4
}

public struct ScanChunkEncoder {
    public let signatures: ProbeSignatures
    private var buffers = ProbeSignatures.Buffers()
    private var data: [UInt8] = [ScanChunkLayout.version]
    private var rows = 0
    private var firstID: Int64 = 0
    private var previousMs: Int64 = 0
    private var minMs = Int64.max
    private var maxMs = Int64.min

    public init(signatures: ProbeSignatures = .defaults) {
        self.signatures = signatures
    }

    public var isEmpty: Bool { rows == 0 }

    /// Adds the next request; ids must follow on from the previous one. The path and query are
    /// read for the object id and for probe signatures, and not kept.
    public mutating func append(_ row: borrowing ScanRow, objectSegment: ObjectSegment?, path: UnsafeBufferPointer<UInt8>,
                                query: UnsafeBufferPointer<UInt8>?) {
        if rows == 0 { firstID = row.id }
        precondition(row.id == firstID + Int64(rows), "a chunk holds consecutive request ids")
        var shape: UInt8 = 0
        var object: (number: Int64?, range: Range<Int>)?
        if let objectSegment, let range = objectSegment.range(in: path) {
            let number = ObjectID.canonicalNumber(UnsafeBufferPointer(rebasing: path[range]))
            object = (number, range)
            shape |= number != nil ? ScanChunkLayout.objectNumber : ScanChunkLayout.objectText
        }
        let probe = ProbeSignatures.applies(status: row.status, hasQuery: query != nil)
            ? signatures.match(path: path, query: query, status: row.status, buffers: &buffers) : 0
        if probe > 0 { shape |= ScanChunkLayout.probe }
        // The fixed fields go through a small stack buffer: one append per request, not one per byte.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 96) { buffer in
            var n = 0
            func put(_ value: UInt64) {
                var v = value
                while v >= 0x80 {
                    buffer[n] = UInt8(truncatingIfNeeded: v) | 0x80
                    n += 1
                    v >>= 7
                }
                buffer[n] = UInt8(v)
                n += 1
            }
            buffer[0] = shape
            n = 1
            put(zigzag(row.timestampMs - previousMs))
            put(UInt64(bitPattern: row.ip))
            put(UInt64(bitPattern: row.client))
            put(UInt64(bitPattern: row.apiKey))
            put(UInt64(bitPattern: row.method))
            put(UInt64(bitPattern: row.route))
            put(UInt64(bitPattern: Int64(row.status)))
            put(zigzag(row.bytes))
            put(UInt64(bitPattern: row.flags.rawValue))
            data.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<n]))
        }
        if let object {
            if let number = object.number {
                appendVarint(UInt64(number))
            } else {
                let text = UnsafeBufferPointer(rebasing: path[object.range])
                appendVarint(UInt64(text.count))
                data.append(contentsOf: text)
            }
        }
        if probe > 0 { appendVarint(UInt64(probe)) }
        previousMs = row.timestampMs
        minMs = min(minMs, row.timestampMs)
        maxMs = max(maxMs, row.timestampMs)
        rows += 1
    }

    /// The chunk so far, and a fresh start; nil when nothing was added.
    public mutating func take() -> ScanChunk? {
        guard rows > 0 else { return nil }
        defer { self = ScanChunkEncoder(signatures: signatures) }
        return ScanChunk(firstID: firstID, rows: rows, firstMs: minMs, lastMs: maxMs, signatures: signatures.digest, data: data)
    }

    private func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }

    private mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            data.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        data.append(UInt8(v))
    }
}

/// Packs each ingest batch into one chunk, knowing which routes carry an object id.
public struct ScanChunkPacker {
    private var encoder = ScanChunkEncoder()
    /// Each route's object-id position, by route dict id (nil inside: the route has none).
    private var segments = DenseTable<ObjectSegment?>()

    /// `routes` are the route strings the case already holds; a batch brings any new ones.
    public init(routes: [(id: Int64, template: String)]) {
        for route in routes { segments[route.id, default: nil] = ObjectSegment(route.template) }
    }

    public mutating func pack(_ batch: RequestBatch) -> ScanChunk? {
        for entry in batch.newStrings where entry.kind == .route { segments[entry.id, default: nil] = ObjectSegment(entry.value) }
        batch.text.withUnsafeBufferPointer { text in
            func bytes(_ span: TextSpan) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: text[Int(span.start)..<Int(span.start + span.count)])
            }
            for row in batch.rows {
                let scanRow = ScanRow(id: row.id, timestampMs: row.timestampMs, ip: row.ip, client: row.client ?? 0, apiKey: row.apiKey ?? 0,
                                      method: row.method, route: row.route, status: Int(row.status), bytes: row.bytes,
                                      flags: RequestFlags(rawValue: row.flags))
                encoder.append(scanRow, objectSegment: segments[row.route] ?? nil, path: bytes(row.path), query: row.query.map(bytes))
            }
        }
        return encoder.take()
    }
}

/// A chunk that does not decode: the case file was damaged or edited.
public struct ScanChunkCorrupt: ResponderFacingError {
    public var firstID: Int64
    public var description: String { "the case's packed requests from request \(firstID) on are damaged; run `tourniquet verify`" }
    public var exitCode: Int32 { 2 }
}

enum ScanChunkDecoder {
    /// Calls `body` with each row of a chunk, in order. Every length is checked against the
    /// bytes left, so a damaged chunk throws rather than reading past its end.
    static func forEach(_ bytes: UnsafeBufferPointer<UInt8>, chunk: ScanChunk, _ body: (ScanRow) -> Void) throws {
        var reader = Reader(bytes: bytes)
        guard reader.byte() == ScanChunkLayout.version else { throw ScanChunkCorrupt(firstID: chunk.firstID) }
        var ms: Int64 = 0
        var decoded = 0
        var nextText = 0
        while reader.position < bytes.count {
            let shape = reader.byte()
            ms &+= reader.zigzag()
            var row = ScanRow(id: chunk.firstID + Int64(decoded), timestampMs: ms, ip: reader.int(), client: reader.int(), apiKey: reader.int(),
                              method: reader.int(), route: reader.int(), status: Int(truncatingIfNeeded: reader.int()), bytes: reader.zigzag(),
                              flags: RequestFlags(rawValue: reader.int()))
            if shape & ScanChunkLayout.objectNumber != 0 {
                row.objectID = .number(reader.int())
            } else if shape & ScanChunkLayout.objectText != 0 {
                row.objectID = .text(reader.text())
            }
            if shape & ScanChunkLayout.probe != 0 { row.probe = Int(truncatingIfNeeded: reader.int()) }
            guard !reader.failed else { throw ScanChunkCorrupt(firstID: chunk.firstID) }
            if let texts = chunk.texts {
                row.probe = 0
                if nextText < texts.count && texts[nextText].id == row.id {
                    row.pathAndQuery = texts[nextText].text
                    nextText += 1
                }
            }
            decoded += 1
            body(row)
        }
        guard decoded == chunk.rows else { throw ScanChunkCorrupt(firstID: chunk.firstID) }
    }

    /// A bounds-checked cursor: past the end it returns zeros and remembers that it failed.
    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0
        var failed = false

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func byte() -> UInt8 {
            guard position < bytes.count else {
                failed = true
                return 0
            }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func varint() -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while position < bytes.count {
                let b = bytes[position]
                position += 1
                guard shift < 64 else { break }
                value |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return value }
                shift += 7
            }
            failed = true
            return 0
        }

        mutating func int() -> Int64 { Int64(bitPattern: varint()) }

        mutating func zigzag() -> Int64 {
            let v = varint()
            return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
        }

        mutating func text() -> String {
            let count = varint()
            guard !failed, count <= UInt64(bytes.count - position) else {
                failed = true
                return ""
            }
            defer { position += Int(count) }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<position + Int(count)]), as: UTF8.self)
        }
    }
}
