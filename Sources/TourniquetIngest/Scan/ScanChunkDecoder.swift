import TourniquetModel

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
        let version = reader.byte()
        guard version == ScanChunkLayout.version || version == ScanChunkLayout.versionWithoutUserAgent else {
            throw ScanChunkCorrupt(firstID: chunk.firstID)
        }
        let hasUserAgent = version == ScanChunkLayout.version
        var ms: Int64 = 0
        var decoded = 0
        var nextText = 0
        while reader.position < bytes.count {
            let shape = reader.byte()
            ms &+= reader.zigzag()
            var row = ScanRow(
                id: chunk.firstID + Int64(decoded), timestampMs: ms, ip: reader.int(), client: reader.int(), apiKey: reader.int(),
                method: reader.int(), route: reader.int(), status: Int(truncatingIfNeeded: reader.int()), bytes: reader.zigzag(),
                flags: RequestFlags(rawValue: reader.int()))
            if hasUserAgent { row.userAgent = reader.int() }
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
