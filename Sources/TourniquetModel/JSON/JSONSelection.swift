/// Which members to materialise: a tree of key paths. Unselected members are validated and skipped.
///
/// Keys are matched both literally and as dotted paths, so `"http.request.method": …` and
/// `"http": {"request": {"method": …}}` are both kept by the path `http.request.method`.
public final class JSONSelection: Sendable {
    let keepsAll: Bool
    /// Child keys packed into one buffer: comparing against them retains nothing per key.
    private let keyBytes: [UInt8]
    private let keyRanges: [Range<Int>]
    private let nodes: [JSONSelection]
    var childCount: Int { nodes.count }

    /// A selection from dotted paths; a path ending at an object keeps that object whole.
    public convenience init(paths: [String]) {
        self.init(paths: paths.map { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) })
    }

    init(paths: [[String]]) {
        var groups: [(key: String, rest: [[String]])] = []
        var all = false
        for path in paths {
            guard let first = path.first else {
                all = true
                continue
            }
            if let i = groups.firstIndex(where: { $0.key == first }) {
                groups[i].rest.append(Array(path.dropFirst()))
            } else {
                groups.append((first, [Array(path.dropFirst())]))
            }
        }
        keepsAll = all
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for group in groups {
            let start = bytes.count
            bytes.append(contentsOf: group.key.utf8)
            ranges.append(start..<bytes.count)
        }
        keyBytes = bytes
        keyRanges = ranges
        nodes = groups.map { JSONSelection(paths: $0.rest) }
    }

    /// The sub-selection for a key, walking dotted segments when the key is a flattened path.
    func child(_ key: UnsafeBufferPointer<UInt8>) -> JSONSelection? {
        if let exact = childExact(key) { return exact }
        // Try each dot as a split point: "http.request" → http → request.
        var i = 0
        while i < key.count {
            if key[i] == 0x2E, let head = childExact(UnsafeBufferPointer(rebasing: key[0..<i])) {
                if head.keepsAll { return head }
                if let found = head.child(UnsafeBufferPointer(rebasing: key[(i + 1)...])) { return found }
            }
            i += 1
        }
        return nil
    }

    private func childExact(_ key: UnsafeBufferPointer<UInt8>) -> JSONSelection? {
        let index: Int? = keyBytes.withUnsafeBufferPointer { kb in
            for (n, r) in keyRanges.enumerated() where r.count == key.count {
                var equal = true
                for j in 0..<r.count where kb[r.lowerBound + j] != key[j] {
                    equal = false
                    break
                }
                if equal { return n }
            }
            return nil
        }
        return index.map { nodes[$0] }
    }
}
