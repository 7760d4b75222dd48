import Crypto
import TourniquetModel

/// SHA-256 over stored rows in one fixed encoding, so the digest an import records can be
/// recomputed later from the case file alone.
///
/// Each value is written as: an integer as 8 little-endian bytes; an optional integer or text as
/// a tag byte (0 absent, 1 present) and the value; text as a 4-byte little-endian length and its
/// bytes. Lengths make the encoding unambiguous, so moving bytes between fields changes the digest.
/// Request rows are encoded in `requests` column order (see `add(_:text:)`), dictionary strings as
/// id, kind and value.
public struct RowDigest {
    private var hasher = SHA256()
    private var buffer: [UInt8] = []
    public private(set) var count: Int64 = 0

    /// Bytes gathered before handing them to the hasher: few large updates cost less than many small ones.
    private static let flushBytes = 1 << 16

    public init() { buffer.reserveCapacity(RowDigest.flushBytes + 4096) }

    public mutating func int(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    public mutating func optionalInt(_ value: Int64?) {
        guard let value else {
            buffer.append(0)
            return
        }
        buffer.append(1)
        int(value)
    }

    public mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: bytes.count).littleEndian) { buffer.append(contentsOf: $0) }
        buffer.append(contentsOf: bytes)
    }

    public mutating func optionalText(_ bytes: UnsafeBufferPointer<UInt8>?) {
        guard let bytes else {
            buffer.append(0)
            return
        }
        buffer.append(1)
        text(bytes)
    }

    public mutating func text(_ string: String) {
        var copy = string
        copy.withUTF8 { text($0) }
    }

    /// Ends one row; the caller has written its fields in order.
    public mutating func endRow() {
        count += 1
        if buffer.count >= RowDigest.flushBytes { flush() }
    }

    private mutating func flush() {
        hasher.update(data: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// The digest as lower-case hex.
    public mutating func finalize() -> String {
        flush()
        return Hex.encode(hasher.finalize())
    }
}

extension RowDigest {
    /// Adds one request in `requests` column order (its evidence id is left out: the digest belongs
    /// to one evidence file's action, and the rows are found by their id range).
    public mutating func add(_ row: RequestRow, text arena: UnsafeBufferPointer<UInt8>) {
        int(row.id)
        int(row.line)
        int(row.timestampMs)
        int(row.utcOffsetMinutes)
        int(row.ip)
        optionalInt(row.xff)
        optionalInt(row.client)
        optionalInt(row.apiKey)
        int(row.method)
        text(UnsafeBufferPointer(rebasing: arena[Int(row.path.start)..<Int(row.path.start + row.path.count)]))
        int(row.route)
        optionalText(row.query.map { UnsafeBufferPointer(rebasing: arena[Int($0.start)..<Int($0.start + $0.count)]) })
        int(row.status)
        int(row.bytes)
        optionalInt(row.latencyMicros)
        optionalInt(row.userAgent)
        int(row.flags)
        endRow()
    }

    /// Adds one dictionary string.
    public mutating func add(_ entry: NewDictEntry) {
        int(entry.id)
        text(entry.kind.rawValue)
        text(entry.value)
        endRow()
    }
}

extension RowDigest {
    /// The digest of what was added so far, leaving this value as it was.
    public func finalizedCopy() -> String {
        var copy = self
        return copy.finalize()
    }
}
