/// Finds which of many byte patterns occur in a text, in one pass (Aho–Corasick).
///
/// Each pattern belongs to a group (a signature set); `groups(in:)` returns a bitmask of the
/// groups with at least one pattern in the text. Up to 64 groups.
struct PatternMatcher {
    /// The full transition table, state × 256 + byte: one indexed load per byte on the hot path.
    private let table: [Int32]
    /// Per state, the groups whose patterns end there.
    private let output: [UInt64]

    init(patterns: [(bytes: [UInt8], group: Int)]) {
        var next: [[Int32]] = [[Int32](repeating: -1, count: 256)]
        var fail: [Int32] = [0]
        var output: [UInt64] = [0]
        for (bytes, group) in patterns where !bytes.isEmpty && group < 64 {
            var state = 0
            for byte in bytes {
                if next[state][Int(byte)] < 0 {
                    next.append([Int32](repeating: -1, count: 256))
                    fail.append(0)
                    output.append(0)
                    next[state][Int(byte)] = Int32(next.count - 1)
                }
                state = Int(next[state][Int(byte)])
            }
            output[state] |= 1 << UInt64(group)
        }
        // Breadth-first: fill failure links and turn the trie into a full transition table.
        var queue: [Int] = []
        for byte in 0..<256 {
            let child = next[0][byte]
            if child < 0 {
                next[0][byte] = 0
            } else {
                fail[Int(child)] = 0
                queue.append(Int(child))
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            output[state] |= output[Int(fail[state])]
            for byte in 0..<256 {
                let child = next[state][byte]
                if child < 0 {
                    next[state][byte] = next[Int(fail[state])][byte]
                } else {
                    fail[Int(child)] = next[Int(fail[state])][byte]
                    queue.append(Int(child))
                }
            }
        }
        table = next.flatMap { $0 }
        self.output = output
    }

    func groups(in text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        table.withUnsafeBufferPointer { table in
            var state = 0
            var found: UInt64 = 0
            for byte in text {
                state = Int(table[state &<< 8 | Int(byte)])
                found |= output[state]
            }
            return found
        }
    }
}

/// Percent-decodes twice (catching double encoding) and lower-cases ASCII, on bytes.
enum ProbeText {
    static func normalise(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        normalise(text, into: &out)
        return out
    }

    /// Into `out` (replacing what it held), so a caller matching many texts reuses one buffer.
    static func normalise(_ text: [UInt8], into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        if !text.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) {
            // Most paths have nothing to decode: lower-case them in one pass.
            out.append(contentsOf: text)
        } else {
            var bytes = text
            for _ in 0..<2 where bytes.contains(UInt8(ascii: "%")) || bytes.contains(UInt8(ascii: "+")) {
                var decoded: [UInt8] = []
                decoded.reserveCapacity(bytes.count)
                var i = 0
                while i < bytes.count {
                    if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let hi = CLFParser.hexValue(bytes[i + 1]),
                        let lo = CLFParser.hexValue(bytes[i + 2])
                    {
                        decoded.append(hi << 4 | lo)
                        i += 3
                    } else {
                        decoded.append(bytes[i] == UInt8(ascii: "+") ? UInt8(ascii: " ") : bytes[i])
                        i += 1
                    }
                }
                bytes = decoded
            }
            out.append(contentsOf: bytes)
        }
        out.withUnsafeMutableBufferPointer { out in
            for i in out.indices where out[i] >= UInt8(ascii: "A") && out[i] <= UInt8(ascii: "Z") { out[i] += 32 }
        }
    }
}
