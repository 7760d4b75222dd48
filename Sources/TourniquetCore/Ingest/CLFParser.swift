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
        let request = CLFRequest(CLFParser.unescape(requestField))
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
                    if result.forwardedFor == nil, value != "-", CLFHead.looksLikeAddressList(value) { result.forwardedFor = value }
                }
            } else {
                guard let token = CLFParser.bareToken(line, &cursor) else { break }
                if result.latencyMicros == nil, let seconds = CLFParser.decimalSeconds(token) { result.latencyMicros = seconds }
            }
        }
    }
}

/// The part of a line before the time: prefix, address, ident and user.
struct CLFHead {
    var address: String
    var forwardedFor: String?
    var user: String?

    init?(_ head: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: head, as: UTF8.self)
        var prefix = Substring(text)
        var quotedXFF: String?
        if prefix.first == "\"", let end = prefix.dropFirst().firstIndex(of: "\"") {
            quotedXFF = String(prefix[prefix.index(after: prefix.startIndex)..<end])
            prefix = prefix[prefix.index(after: end)...]
        }
        let tokens = prefix.split(separator: " ", omittingEmptySubsequences: true)
        // The address is the last address-like token followed by an ident ("-" almost always),
        // which keeps working when an attacker puts spaces in the remote user.
        var addressIndex: Int?
        for i in tokens.indices.reversed() where i + 1 < tokens.count && CLFHead.isAddress(tokens[i]) {
            addressIndex = i
            if tokens[i + 1] == "-" { break }
        }
        guard let a = addressIndex ?? (tokens.count >= 3 ? tokens.count - 3 : nil), a + 1 < tokens.count else { return nil }
        address = String(tokens[a])
        let userTokens = tokens[(a + 2)...]
        let userText = userTokens.joined(separator: " ")
        user = userText.isEmpty || userText == "-" ? nil : CLFParser.unescape(userText)
        let before = tokens[..<a]
        if let quotedXFF {
            forwardedFor = quotedXFF == "-" ? nil : quotedXFF
        } else if let last = before.last, last.hasSuffix(",") || (before.count > 1 && before.dropLast().last?.hasSuffix(",") == true) {
            // An unquoted list: "a, b, peer" or "a, b peer".
            var list = before.joined(separator: " ")
            if list.hasSuffix(",") { list.removeLast() }
            forwardedFor = list
        } else if let only = before.last, before.count == 1, CLFHead.isAddress(only) {
            forwardedFor = String(only)
        }
    }

    /// IPv4, IPv6 (optionally bracketed, with zone or port), or "unix:" sockets.
    static func isAddress(_ token: Substring) -> Bool {
        guard !token.isEmpty, token.count <= 64 else { return false }
        var digits = 0, dots = 0, colons = 0, hex = 0
        for byte in token.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "."): dots += 1
            case UInt8(ascii: ":"): colons += 1
            case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): hex += 1
            case UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "%"): break
            default: return token.hasPrefix("unix:")
            }
        }
        return (dots == 3 && colons <= 1 && hex == 0 && digits >= 4) || colons >= 2
    }

    static func looksLikeAddressList(_ value: String) -> Bool {
        let parts = value.split(separator: ",").map { $0.trimmingCharacters(in: " ") }
        return !parts.isEmpty && parts.allSatisfy { isAddress(Substring($0)) }
    }
}

/// `METHOD target PROTOCOL`, or anything else a client sent as its request line.
struct CLFRequest {
    var method: String
    var target: String

    init(_ line: String) {
        if line.isEmpty || line == "-" {
            method = ""
            target = ""
            return
        }
        guard let firstSpace = line.firstIndex(of: " ") else {
            method = ""
            target = line
            return
        }
        method = String(line[..<firstSpace])
        var rest = line[line.index(after: firstSpace)...]
        if let lastSpace = rest.lastIndex(of: " "), rest[rest.index(after: lastSpace)...].hasPrefix("HTTP/") {
            rest = rest[..<lastSpace]
        }
        target = String(rest)
    }
}

extension Substring {
    func trimmingCharacters(in character: Character) -> Substring {
        var s = self
        while s.first == character { s.removeFirst() }
        while s.last == character { s.removeLast() }
        return s
    }
}
