import Foundation

/// An IPv4 or IPv6 address as 16 bytes (IPv4 mapped into ::ffff:0:0/96).
public struct IPAddress: Equatable, Sendable {
    public var bytes: [UInt8]

    public init?(_ text: String) {
        var s = Substring(text)
        if s.first == "[", let close = s.firstIndex(of: "]") { s = s[s.index(after: s.startIndex)..<close] }
        if let zone = s.firstIndex(of: "%") { s = s[..<zone] }
        if s.contains(":") && !s.contains(".") || s.filter({ $0 == ":" }).count >= 2 {
            guard let v6 = IPAddress.parseV6(s) else { return nil }
            bytes = v6
        } else {
            if let colon = s.firstIndex(of: ":") { s = s[..<colon] }  // "1.2.3.4:5678"
            guard let v4 = IPAddress.parseV4(s) else { return nil }
            bytes = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + v4
        }
    }

    static func parseV4(_ s: Substring) -> [UInt8]? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, let value = UInt8(part) else { return nil }
            out.append(value)
        }
        return out
    }

    static func parseV6(_ s: Substring) -> [UInt8]? {
        let halves = s.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            for piece in part.split(separator: ":", omittingEmptySubsequences: false) {
                if piece.contains("."), let v4 = parseV4(piece) {
                    out += [UInt16(v4[0]) << 8 | UInt16(v4[1]), UInt16(v4[2]) << 8 | UInt16(v4[3])]
                } else {
                    guard !piece.isEmpty, piece.count <= 4, let value = UInt16(piece, radix: 16) else { return nil }
                    out.append(value)
                }
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        let tail = halves.count == 2 ? groups(halves[1]) : []
        guard let tail else { return nil }
        let missing = 8 - head.count - tail.count
        guard (halves.count == 2 && missing >= 1) || (halves.count == 1 && missing == 0) else { return nil }
        let all = head + [UInt16](repeating: 0, count: max(0, missing)) + tail
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}

/// A network such as `10.0.0.0/8` or `2001:db8::/32`; a bare address is a /32 or /128.
public struct CIDR: Equatable, Sendable {
    public var network: IPAddress
    public var prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let address = IPAddress(String(first)) else { return nil }
        let isV4 = !first.contains(":")
        let maximum = isV4 ? 32 : 128
        let length = parts.count == 2 ? Int(parts[1]) : maximum
        guard let length, (0...maximum).contains(length) else { return nil }
        network = address
        prefixLength = isV4 ? length + 96 : length
    }

    public func contains(_ address: IPAddress) -> Bool {
        var remaining = prefixLength
        for i in 0..<16 where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if address.bytes[i] & mask != network.bytes[i] & mask { return false }
            remaining -= bits
        }
        return true
    }
}

extension IPAddress: CustomStringConvertible {
    /// An IPv4 address (held mapped into ::ffff:0:0/96).
    public var isV4: Bool { bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF }

    /// Dotted quad for IPv4; for IPv6, lower-case groups with the longest run of zero groups as `::` (RFC 5952).
    public var description: String {
        if isV4 { return bytes[12...].map(String.init).joined(separator: ".") }
        let groups = (0..<8).map { Int(bytes[2 * $0]) << 8 | Int(bytes[2 * $0 + 1]) }
        var best = (start: -1, count: 0)
        var i = 0
        while i < 8 {
            var j = i
            while j < 8 && groups[j] == 0 { j += 1 }
            if j - i > best.count && j - i >= 2 { best = (i, j - i) }
            i = j == i ? i + 1 : j
        }
        func hex(_ range: Range<Int>) -> String { range.map { String(groups[$0], radix: 16) }.joined(separator: ":") }
        guard best.start >= 0 else { return hex(0..<8) }
        return hex(0..<best.start) + "::" + hex((best.start + best.count)..<8)
    }
}

extension CIDR: CustomStringConvertible {
    public var isV4: Bool { network.isV4 && prefixLength >= 96 }

    /// The prefix length as written: 0–32 for IPv4, 0–128 for IPv6.
    public var writtenPrefixLength: Int { isV4 ? prefixLength - 96 : prefixLength }

    /// The same network with its host bits cleared, so `203.0.113.7/24` and `203.0.113.0/24` are one.
    public var masked: CIDR {
        var copy = self
        var remaining = prefixLength
        for i in 0..<16 {
            let bits = min(8, max(0, remaining))
            copy.network.bytes[i] &= bits == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            remaining -= 8
        }
        return copy
    }

    /// Canonical text: the masked network and its prefix length (`203.0.113.7/32`).
    public var description: String { "\(masked.network)/\(writtenPrefixLength)" }

    /// Whether the two networks share any address.
    public func overlaps(_ other: CIDR) -> Bool { contains(other.network) || other.contains(network) }

    /// Ranges no block may cover without `--force`: private, loopback, link-local, shared (CGNAT),
    /// unspecified and unique-local addresses. Blocking one cuts off an office, a proxy or the
    /// gateway's own health checks.
    public static let reserved: [(network: CIDR, name: String)] = [
        ("10.0.0.0/8", "private"), ("172.16.0.0/12", "private"), ("192.168.0.0/16", "private"), ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local"), ("100.64.0.0/10", "shared address space (CGNAT)"), ("0.0.0.0/8", "unspecified"),
        ("::1/128", "loopback"), ("fc00::/7", "unique-local"), ("fe80::/10", "link-local"), ("::/128", "unspecified"),
    ].map { (CIDR($0.0)!, $0.1) }
}
