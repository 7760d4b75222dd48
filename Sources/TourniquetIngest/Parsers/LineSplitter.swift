#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Splits a stream of chunks into lines without copying complete lines.
///
/// `\n` ends a line and a trailing `\r` is dropped. A line longer than `maxLineBytes` is not kept
/// whole: its first bytes are delivered with `truncated` set, and the rest is skipped.
public struct LineSplitter {
    public let maxLineBytes: Int
    private var carry: [UInt8] = []
    private var skippingOversize = false

    public init(maxLineBytes: Int = 1 << 20) { self.maxLineBytes = maxLineBytes }

    /// Calls `body` for every complete line in `chunk` (plus what was carried from the last chunk).
    public mutating func feed(_ chunk: [UInt8], _ body: (UnsafeBufferPointer<UInt8>, _ truncated: Bool) -> Void) {
        chunk.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                guard let newline = Self.indexOfNewline(buffer, from: start) else {
                    absorb(UnsafeBufferPointer(rebasing: buffer[start...]), body)
                    return
                }
                let piece = UnsafeBufferPointer(rebasing: buffer[start..<newline])
                start = newline + 1
                if skippingOversize {
                    skippingOversize = false
                    continue
                }
                if carry.isEmpty {
                    deliver(piece, truncated: false, body)
                } else {
                    absorb(piece, body)
                    if skippingOversize {
                        skippingOversize = false
                        continue
                    }
                    let line = carry
                    carry.removeAll(keepingCapacity: true)
                    line.withUnsafeBufferPointer { deliver($0, truncated: false, body) }
                }
            }
        }
    }

    /// Delivers a last line that had no newline.
    public mutating func finish(_ body: (UnsafeBufferPointer<UInt8>, _ truncated: Bool) -> Void) {
        if !carry.isEmpty && !skippingOversize {
            let line = carry
            line.withUnsafeBufferPointer { deliver($0, truncated: false, body) }
        }
        carry.removeAll()
        skippingOversize = false
    }

    private mutating func absorb(_ piece: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, Bool) -> Void) {
        guard !skippingOversize else { return }
        if carry.count + piece.count > maxLineBytes {
            carry.append(contentsOf: piece.prefix(maxLineBytes - carry.count))
            let line = carry
            carry.removeAll(keepingCapacity: false)
            skippingOversize = true
            line.withUnsafeBufferPointer { body($0, true) }
        } else {
            carry.append(contentsOf: piece)
        }
    }

    private func deliver(_ line: UnsafeBufferPointer<UInt8>, truncated: Bool, _ body: (UnsafeBufferPointer<UInt8>, Bool) -> Void) {
        if let last = line.last, last == 0x0D {
            body(UnsafeBufferPointer(rebasing: line.dropLast()), truncated)
        } else if line.count > maxLineBytes {
            body(UnsafeBufferPointer(rebasing: line.prefix(maxLineBytes)), true)
        } else {
            body(line, truncated)
        }
    }

    private static func indexOfNewline(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < buffer.count, let base = buffer.baseAddress else { return nil }
        guard let found = memchr(base + start, 0x0A, buffer.count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
}
