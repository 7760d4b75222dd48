/// Finds which of many byte patterns occur in a text, in one pass (Aho–Corasick).
///
/// Each pattern belongs to a group (a signature set); `groups(in:)` returns a bitmask of the
/// groups with at least one pattern in the text. Up to 64 groups.
struct PatternMatcher {
    private var next: [[Int32]] = [[Int32](repeating: -1, count: 256)]
    private var fail: [Int32] = [0]
    private var output: [UInt64] = [0]

    init(patterns: [(bytes: [UInt8], group: Int)]) {
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
            if child < 0 { next[0][byte] = 0 } else { fail[Int(child)] = 0; queue.append(Int(child)) }
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
    }

    func groups(in text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var state = 0
        var found: UInt64 = 0
        for byte in text {
            state = Int(next[state][Int(byte)])
            found |= output[state]
        }
        return found
    }
}

/// Percent-decodes twice (catching double encoding) and lower-cases ASCII, on bytes.
enum ProbeText {
    static func normalise(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        for _ in 0..<2 where bytes.contains(UInt8(ascii: "%")) || bytes.contains(UInt8(ascii: "+")) {
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var i = 0
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let hi = CLFParser.hexValue(bytes[i + 1]), let lo = CLFParser.hexValue(bytes[i + 2]) {
                    out.append(hi << 4 | lo)
                    i += 3
                } else {
                    out.append(bytes[i] == UInt8(ascii: "+") ? UInt8(ascii: " ") : bytes[i])
                    i += 1
                }
            }
            bytes = out
        }
        for i in bytes.indices where bytes[i] >= UInt8(ascii: "A") && bytes[i] <= UInt8(ascii: "Z") { bytes[i] += 32 }
        return bytes
    }
}
