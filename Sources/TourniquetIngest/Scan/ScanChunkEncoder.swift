/// Writes requests in the `ScanChunk` layout.
public struct ScanChunkEncoder {
    public let signatures: ProbeSignatures
    private var buffers = ProbeSignatures.Buffers()
    private var data: [UInt8] = [ScanChunkLayout.version]
    private var rows = 0
    private var firstID: Int64 = 0
    private var previousMs: Int64 = 0
    private var minMs = Int64.max
    private var maxMs = Int64.min

    public init(signatures: ProbeSignatures) {
        self.signatures = signatures
    }

    public var isEmpty: Bool { rows == 0 }

    /// Adds the next request; ids must follow on from the previous one. The path and query are
    /// read for the object id and for probe signatures, and not kept.
    public mutating func append(
        _ row: borrowing ScanRow, objectSegment: ObjectSegment?, path: UnsafeBufferPointer<UInt8>,
        query: UnsafeBufferPointer<UInt8>?
    ) {
        if rows == 0 { firstID = row.id }
        precondition(row.id == firstID + Int64(rows), "a chunk holds consecutive request ids")
        var shape: UInt8 = 0
        var object: (number: Int64?, range: Range<Int>)?
        if let objectSegment, let range = objectSegment.range(in: path) {
            let number = ObjectID.canonicalNumber(UnsafeBufferPointer(rebasing: path[range]))
            object = (number, range)
            shape |= number != nil ? ScanChunkLayout.objectNumber : ScanChunkLayout.objectText
        }
        let probe =
            ProbeSignatures.applies(status: row.status, hasQuery: query != nil)
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
            put(UInt64(bitPattern: row.userAgent))
            data.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<n]))
        }
        if let object {
            if let number = object.number {
                PostingCodec.appendVarint(UInt64(number), to: &data)
            } else {
                let text = UnsafeBufferPointer(rebasing: path[object.range])
                PostingCodec.appendVarint(UInt64(text.count), to: &data)
                data.append(contentsOf: text)
            }
        }
        if probe > 0 { PostingCodec.appendVarint(UInt64(probe), to: &data) }
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
}

/// Packs each ingest batch into one chunk, knowing which routes carry an object id.
public struct ScanChunkPacker {
    private var encoder: ScanChunkEncoder
    /// Each route's object-id position, by route dict id (nil inside: the route has none).
    private var segments = DenseTable<ObjectSegment?>()

    /// `routes` are the route strings the case already holds; a batch brings any new ones.
    public init(routes: [(id: Int64, template: String)], signatures: ProbeSignatures) {
        encoder = ScanChunkEncoder(signatures: signatures)
        for route in routes { segments[route.id, default: nil] = ObjectSegment(route.template) }
    }

    public mutating func pack(_ batch: RequestBatch) -> ScanChunk? {
        for entry in batch.newStrings where entry.kind == .route { segments[entry.id, default: nil] = ObjectSegment(entry.value) }
        batch.text.withUnsafeBufferPointer { text in
            func bytes(_ span: TextSpan) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: text[Int(span.start)..<Int(span.start + span.count)])
            }
            for row in batch.rows {
                let scanRow = ScanRow(
                    id: row.id, timestampMs: row.timestampMs, ip: row.ip, client: row.client ?? 0, apiKey: row.apiKey ?? 0,
                    method: row.method, route: row.route, status: Int(row.status), bytes: row.bytes,
                    flags: RequestFlags(rawValue: row.flags), userAgent: row.userAgent ?? 0)
                encoder.append(scanRow, objectSegment: segments[row.route] ?? nil, path: bytes(row.path), query: row.query.map(bytes))
            }
        }
        return encoder.take()
    }
}
