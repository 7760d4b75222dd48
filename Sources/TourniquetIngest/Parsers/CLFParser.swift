import TourniquetModel

/// Parses nginx/Apache combined and common log lines, byte by byte.
///
/// Accepted shape, with every variant seen in real gateways:
///
///     [vhost | XFF list | "quoted XFF"] addr ident user [time] "request" status bytes ["referer" "agent"] [extras…]
///
/// - A comma list before the address (`10.0.0.2, 10.0.0.1, 127.0.0.1 - - […]`) is an X-Forwarded-For
///   chain written before the peer address; the peer is its last entry.
/// - A quoted list before the address is the X-Forwarded-For header; a bare name is a virtual host.
/// - An empty (`""`) or `"-"` request is kept: it is still a request an attacker made.
/// - After the user agent, a quoted IP list is taken as X-Forwarded-For (nginx's `main` format)
///   and a bare decimal as `$request_time` in seconds.
/// - nginx's `\xHH` and Apache's `\"`-style escapes are decoded, so values are exactly what was sent.
public struct CLFParser: LogLineParser {
    public enum Variant: String, Sendable { case combined, common }
    public let variant: Variant
    public var formatName: String { variant.rawValue }

    public init(variant: Variant = .combined) { self.variant = variant }

    public func parse(_ line: UnsafeBufferPointer<UInt8>) -> Result<ParsedRequest, MalformedLine> {
        guard let open = CLFParser.findTimeBracket(line) else { return .failure(MalformedLine("no [dd/Mon/yyyy:hh:mm:ss zone] time")) }
        guard let close = CLFParser.index(of: UInt8(ascii: "]"), in: line, from: open + 1) else {
            return .failure(MalformedLine("unterminated time"))
        }
        guard let time = Timestamps.parseCLF(UnsafeBufferPointer(rebasing: line[(open + 1)..<close])) else {
            return .failure(MalformedLine("invalid time"))
        }
        guard let head = CLFHead(UnsafeBufferPointer(rebasing: line[0..<open])) else {
            return .failure(MalformedLine("no client address before the time"))
        }
        var cursor = close + 1
        CLFParser.skipSpaces(line, &cursor)
        guard let requestField = CLFParser.quoted(line, &cursor) else { return .failure(MalformedLine("no quoted request")) }
        CLFParser.skipSpaces(line, &cursor)
        guard let statusField = CLFParser.bareToken(line, &cursor), let status = CLFParser.integer(statusField), (100...999).contains(status) else {
            return .failure(MalformedLine("no status code after the request"))
        }
        CLFParser.skipSpaces(line, &cursor)
        guard let bytesField = CLFParser.bareToken(line, &cursor) else { return .failure(MalformedLine("no byte count")) }
        let bytes: Int64
        if bytesField.count == 1 && bytesField[0] == UInt8(ascii: "-") {
            bytes = 0
        } else if let value = CLFParser.integer(bytesField) {
            bytes = Int64(value)
        } else {
            return .failure(MalformedLine("invalid byte count"))
        }
        let request = CLFRequest(requestField)
        var result = ParsedRequest(
            timestampMs: time.ms, utcOffsetMinutes: time.offset, clientAddress: head.address, forwardedFor: head.forwardedFor,
            remoteUser: head.user, method: request.method, target: request.target, status: status, bytes: bytes)
        parseTrailer(line, from: cursor, into: &result)
        return .success(result)
    }

    /// Referer, user agent and the optional extras nginx and Apache configurations append.
    private func parseTrailer(_ line: UnsafeBufferPointer<UInt8>, from start: Int, into result: inout ParsedRequest) {
        var cursor = start
        var quotedIndex = 0
        while cursor < line.count {
            CLFParser.skipSpaces(line, &cursor)
            guard cursor < line.count else { break }
            if line[cursor] == UInt8(ascii: "\"") {
                guard let field = CLFParser.quoted(line, &cursor) else { break }
                quotedIndex += 1
                let value = CLFParser.unescape(field)
                switch quotedIndex {
                case 1: break  // referer: not kept
                case 2: result.userAgent = value == "-" ? nil : value
                default:
                    if result.forwardedFor == nil, value != "-", CLFHead.looksLikeForwardedChain(value) { result.forwardedFor = value }
                }
            } else {
                guard let token = CLFParser.bareToken(line, &cursor) else { break }
                if result.latencyMicros == nil, let seconds = CLFParser.decimalSeconds(token) { result.latencyMicros = seconds }
            }
        }
    }
}

/// The part of a line before the time: prefix, address, ident and user. Scanned as bytes; only
/// the values kept become Strings.
struct CLFHead {
    var address: String
    var forwardedFor: String?
    var user: String?

    static let maxTokens = 24

    init?(_ head: UnsafeBufferPointer<UInt8>) {
        var start = 0
        var quotedXFF: UnsafeBufferPointer<UInt8>?
        if head.first == UInt8(ascii: "\""), let close = CLFParser.index(of: UInt8(ascii: "\""), in: head, from: 1) {
            quotedXFF = UnsafeBufferPointer(rebasing: head[1..<close])
            start = close + 1
        }
        let parsed: (String, String?, String?)? = withUnsafeTemporaryAllocation(of: (Int, Int).self, capacity: CLFHead.maxTokens) { tokens in
            var count = 0
            var i = start
            while i < head.count {
                while i < head.count && head[i] == UInt8(ascii: " ") { i += 1 }
                guard i < head.count else { break }
                let tokenStart = i
                while i < head.count && head[i] != UInt8(ascii: " ") { i += 1 }
                if count < CLFHead.maxTokens {
                    tokens[count] = (tokenStart, i)
                    count += 1
                } else {
                    tokens[count - 1].1 = i  // fold the excess into the last token (the user)
                }
            }
            func bytes(_ t: (Int, Int)) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: head[t.0..<t.1]) }
            // The address is the last address-like token followed by an ident ("-" almost always),
            // which keeps working when an attacker puts spaces in the remote user.
            var addressIndex: Int?
            var k = count - 2
            while k >= 0 {
                if CLFHead.isAddress(bytes(tokens[k])) {
                    addressIndex = k
                    let ident = bytes(tokens[k + 1])
                    if ident.count == 1 && ident[0] == UInt8(ascii: "-") { break }
                }
                k -= 1
            }
            guard let a = addressIndex ?? (count >= 3 ? count - 3 : nil), a + 1 < count else { return nil }
            let address = String(decoding: bytes(tokens[a]), as: UTF8.self)
            var user: String?
            if a + 2 < count {
                let userBytes = UnsafeBufferPointer(rebasing: head[tokens[a + 2].0..<tokens[count - 1].1])
                if !(userBytes.count == 1 && userBytes[0] == UInt8(ascii: "-")) { user = CLFParser.unescape(userBytes) }
            }
            var xff: String?
            if let quotedXFF {
                if !(quotedXFF.count == 1 && quotedXFF[0] == UInt8(ascii: "-")) { xff = String(decoding: quotedXFF, as: UTF8.self) }
            } else if a > 0 {
                // An unquoted list before the peer: "a, b, peer" or "a, b peer"; or a lone address.
                let list = UnsafeBufferPointer(rebasing: head[tokens[0].0..<tokens[a - 1].1])
                let endsWithComma = list.last == UInt8(ascii: ",")
                if list.contains(UInt8(ascii: ",")) {
                    xff = String(decoding: endsWithComma ? UnsafeBufferPointer(rebasing: list.dropLast()) : list, as: UTF8.self)
                } else if a == 1 && CLFHead.isAddress(list) {
                    xff = String(decoding: list, as: UTF8.self)
                }
            }
            return (address, xff, user)
        }
        guard let parsed else { return nil }
        (address, forwardedFor, user) = parsed
    }

    /// IPv4, IPv6 (optionally bracketed, with zone or port), or "unix:" sockets.
    static func isAddress(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !token.isEmpty, token.count <= 64 else { return false }
        var digits = 0
        var dots = 0
        var colons = 0
        var hex = 0
        for byte in token {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "."): dots += 1
            case UInt8(ascii: ":"): colons += 1
            case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): hex += 1
            case UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "%"): break
            default:
                return token.count > 5 && token[0] == UInt8(ascii: "u") && token[1] == UInt8(ascii: "n") && token[4] == UInt8(ascii: ":")
            }
        }
        return (dots == 3 && colons <= 1 && hex == 0 && digits >= 4) || colons >= 2
    }

    /// An X-Forwarded-For value as sent: comma-separated hops without inner spaces, at least one
    /// of them an address. Hops that are not addresses (`unknown`, attacker text) are kept, raw, so
    /// the trusted-proxy walk sees them rather than the header being dropped.
    static func looksLikeForwardedChain(_ value: String) -> Bool {
        if looksLikeAddressList(value) { return true }
        guard value.utf8.count <= 4096 else { return false }
        var sawAddress = false
        for entry in value.split(separator: ",", omittingEmptySubsequences: false) {
            let hop = entry.trimmingCharacters(in: " ")
            if hop.isEmpty || hop.contains(" ") { return false }
            var text = String(hop)
            if text.withUTF8({ isAddress($0) }) { sawAddress = true }
        }
        return sawAddress
    }

    static func looksLikeAddressList(_ value: String) -> Bool {
        var copy = value
        return copy.withUTF8 { bytes in
            var sawOne = false
            var start = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: ",") {
                var a = start
                var b = i
                while a < b && bytes[a] == UInt8(ascii: " ") { a += 1 }
                while b > a && bytes[b - 1] == UInt8(ascii: " ") { b -= 1 }
                guard isAddress(UnsafeBufferPointer(rebasing: bytes[a..<b])) else { return false }
                sawOne = true
                start = i + 1
            }
            return sawOne
        }
    }
}

/// `METHOD target PROTOCOL`, or anything else a client sent as its request line, from raw bytes.
struct CLFRequest {
    var method: String
    var target: String

    init(_ field: UnsafeBufferPointer<UInt8>) {
        if field.isEmpty || (field.count == 1 && field[0] == UInt8(ascii: "-")) {
            method = ""
            target = ""
            return
        }
        guard let firstSpace = CLFParser.index(of: UInt8(ascii: " "), in: field, from: 0) else {
            method = ""
            target = CLFParser.unescape(field)
            return
        }
        method = CLFParser.unescape(UnsafeBufferPointer(rebasing: field[0..<firstSpace]))
        var end = field.count
        var lastSpace = field.count - 1
        while lastSpace > firstSpace && field[lastSpace] != UInt8(ascii: " ") { lastSpace -= 1 }
        if lastSpace > firstSpace, lastSpace + 5 <= field.count, field[lastSpace + 1] == UInt8(ascii: "H"), field[lastSpace + 2] == UInt8(ascii: "T"),
            field[lastSpace + 3] == UInt8(ascii: "T"), field[lastSpace + 4] == UInt8(ascii: "P")
        {
            end = lastSpace
        }
        target = CLFParser.unescape(UnsafeBufferPointer(rebasing: field[(firstSpace + 1)..<end]))
    }
}
