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
        let from = fromMs ?? .min
        let to = toMs ?? .max
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
/// status, zigzag bytes, flags, user agent; then the object id (a varint, or length and bytes) and
/// the probe match when the shape says so. Request ids run on from the chunk's first id.
/// Version 1 chunks, packed before the user agent was kept, have no user agent field.
enum ScanChunkLayout {
    static let version: UInt8 = 2
    static let versionWithoutUserAgent: UInt8 = 1
    static let objectNumber: UInt8 = 1
    static let objectText: UInt8 = 2
    static let probe: UInt8 = 4
}
