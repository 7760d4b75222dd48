import TourniquetModel

/// Parses Envoy's default text access-log format, and Istio's longer variant of it.
///
/// Default (unchanged from Envoy 1.5 to current releases):
/// `[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
/// %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%
/// "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"`
///
/// Istio inserts `%RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS%
/// "%UPSTREAM_TRANSPORT_FAILURE_REASON%"` after the flags and appends unquoted fields, the fourth of
/// which is `%DOWNSTREAM_REMOTE_ADDRESS%`. Other unquoted trailing fields are accepted and ignored.
///
/// Envoy writes values unescaped, so a user agent may contain `" "`. The quoted fields are split
/// on `" "` and anchored at both ends: X-Forwarded-For first, the last three fixed, and whatever
/// lies between is the user agent. `-` means absent. The client is the left-most
/// X-Forwarded-For entry, else Istio's downstream peer, else `-`.
public struct EnvoyParser: LogLineParser {
    public var formatName: String { "envoy" }

    public init() {}

    public func parse(_ line: UnsafeBufferPointer<UInt8>) -> Result<ParsedRequest, MalformedLine> {
        let b = line
        let n = b.count
        guard n > 0, b[0] == 0x5B else { return .failure(MalformedLine("missing [START_TIME]")) }
        // RFC 3339 times are at most ~40 bytes even with nanoseconds; do not scan a whole hostile line.
        guard let close = Self.index(of: 0x5D, in: b, from: 1, to: min(n, 64)) else {
            return .failure(MalformedLine("missing ] after START_TIME"))
        }
        guard let time = Timestamps.parseRFC3339(UnsafeBufferPointer(rebasing: b[1..<close])) else {
            return .failure(MalformedLine("invalid START_TIME"))
        }
        guard close + 2 < n, b[close + 1] == 0x20, b[close + 2] == 0x22 else {
            return .failure(MalformedLine("missing quoted request line"))
        }
        let requestStart = close + 3

        // The request line ends at the first quote followed by well-formed response fields; a quote
        // inside the path cannot be followed by them.
        var fields: Middle?
        var requestEnd = requestStart
        while let q = Self.index(of: 0x22, in: b, from: requestEnd, to: n) {
            if let m = Self.middle(b, q + 1) {
                fields = m
                requestEnd = q
                break
            }
            requestEnd = q + 1
        }
        guard let fields else { return .failure(MalformedLine("missing response fields after the request line")) }

        // METHOD SP PATH SP PROTOCOL; the path may itself contain spaces.
        guard let firstSpace = Self.index(of: 0x20, in: b, from: requestStart, to: requestEnd) else {
            return .failure(MalformedLine("missing method"))
        }
        var pathEnd = requestEnd
        var i = requestEnd
        while i > firstSpace + 1 {
            i -= 1
            if b[i] == 0x20 {
                pathEnd = i
                break
            }
        }
        let method = Self.text(b, requestStart, firstSpace)
        let path = Self.text(b, firstSpace + 1, pathEnd)
        guard method != "-", !method.isEmpty else { return .failure(MalformedLine("missing method")) }
        guard path != "-", !path.isEmpty else { return .failure(MalformedLine("missing path")) }

        // The quoted run ends at the last quote of the line; only unquoted fields may follow it.
        var lastQuote = n - 1
        while lastQuote > fields.tailStart, b[lastQuote] != 0x22 { lastQuote -= 1 }
        guard lastQuote > fields.tailStart else { return .failure(MalformedLine("missing quoted X-Forwarded-For")) }
        guard lastQuote + 1 == n || b[lastQuote + 1] == 0x20 else {
            return .failure(MalformedLine("unexpected data after UPSTREAM_HOST"))
        }
        let quoted = Self.splitQuoted(b, from: fields.tailStart + 1, to: lastQuote)
        guard quoted.count >= 5 else { return .failure(MalformedLine("expected 5 quoted fields, found \(quoted.count)")) }
        let forwardedFor = Self.present(Self.text(b, quoted[0].lowerBound, quoted[0].upperBound))
        let userAgent = Self.present(Self.text(b, quoted[1].lowerBound, quoted[quoted.count - 4].upperBound))

        var peer: String?
        if fields.istio {
            // The fourth unquoted field after the quoted run is %DOWNSTREAM_REMOTE_ADDRESS%.
            var p = lastQuote + 1
            var field = 0
            while p < n, field < 4, let r = Self.token(b, &p) {
                field += 1
                if field == 4 { peer = Self.present(Self.hostWithoutPort(Self.text(b, r.lowerBound, r.upperBound))) }
            }
        }
        let client = forwardedFor.flatMap(Self.leftmostEntry) ?? peer ?? "-"

        return .success(
            ParsedRequest(
                timestampMs: time.ms, utcOffsetMinutes: time.offset,
                clientAddress: client, forwardedFor: forwardedFor,
                method: method, target: path, status: fields.status, bytes: fields.bytesSent,
                latencyMicros: fields.durationMs.map { $0 * 1000 }, userAgent: userAgent
            ))
    }

    /// The fixed fields between the request line and the quoted tail.
    struct Middle {
        var status: Int
        var bytesSent: Int64
        var durationMs: Int64?
        var istio: Bool
        /// Index of the quote opening X-Forwarded-For.
        var tailStart: Int
    }

    /// Parses ` STATUS FLAGS [DETAILS TERMINATION "REASON"] RECEIVED SENT DURATION UPSTREAM_TIME "`.
    static func middle(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Middle? {
        var p = start
        guard let status = token(b, &p).flatMap({ number(b, $0, maxDigits: 3) }),
            token(b, &p) != nil,  // RESPONSE_FLAGS: "-" or "UH,UF"
            var received = token(b, &p)
        else { return nil }
        var istio = false
        if number(b, received, maxDigits: 18) == nil {
            // Istio: `received` was RESPONSE_CODE_DETAILS; skip termination details and the reason.
            guard token(b, &p) != nil, p < b.count, b[p] == 0x22 else { return nil }
            // The reason is short ("delayed connect error: 111"); the bound keeps a path full of
            // quotes from making the request-line search quadratic.
            var q = p + 1
            let limit = min(b.count, q + 1024)
            while q + 1 < limit, !(b[q] == 0x22 && b[q + 1] == 0x20) { q += 1 }
            guard q + 1 < limit else { return nil }
            p = q + 1
            guard let r = token(b, &p) else { return nil }
            received = r
            istio = true
        }
        guard number(b, received, maxDigits: 18) != nil,
            let sent = token(b, &p).flatMap({ number(b, $0, maxDigits: 18) }),
            let duration = token(b, &p), let upstreamTime = token(b, &p),
            p < b.count, b[p] == 0x22
        else { return nil }
        let durationMs = number(b, duration, maxDigits: 18)
        guard durationMs != nil || isDash(b, duration),
            number(b, upstreamTime, maxDigits: 18) != nil || isDash(b, upstreamTime)
        else { return nil }
        return Middle(status: Int(status), bytesSent: sent, durationMs: durationMs, istio: istio, tailStart: p)
    }

    /// Reads ` TOKEN` (one space, then up to the next space) and moves past it.
    static func token(_ b: UnsafeBufferPointer<UInt8>, _ p: inout Int) -> Range<Int>? {
        guard p < b.count, b[p] == 0x20 else { return nil }
        let start = p + 1
        var end = start
        while end < b.count, b[end] != 0x20, b[end] != 0x22 { end += 1 }
        guard end > start else { return nil }
        p = end
        // Leave `p` on the space before the next token, or on the quote that opens the tail.
        if p < b.count, b[p] == 0x20, p + 1 < b.count, b[p + 1] == 0x22 { p += 1 }
        return start..<end
    }

    static func number(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, maxDigits: Int) -> Int64? {
        guard !r.isEmpty, r.count <= maxDigits else { return nil }
        var v: Int64 = 0
        for i in r {
            guard Timestamps.isDigit(b[i]) else { return nil }
            v = v * 10 + Int64(b[i] &- 0x30)
        }
        return v
    }

    static func isDash(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool { r.count == 1 && b[r.lowerBound] == 0x2D }

    /// Splits `a" "b" "c` (between the outer quotes) on `" "`.
    static func splitQuoted(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var start = from
        var i = from
        while i + 2 < to {
            if b[i] == 0x22, b[i + 1] == 0x20, b[i + 2] == 0x22 {
                parts.append(start..<i)
                i += 3
                start = i
            } else {
                i += 1
            }
        }
        parts.append(start..<max(start, to))
        return parts
    }

    static func index(of byte: UInt8, in b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        var i = from
        while i < to {
            if b[i] == byte { return i }
            i += 1
        }
        return nil
    }

    static func text(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        guard from < to, from >= 0, to <= b.count else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: b[from..<to]), as: UTF8.self)
    }

    static func present(_ s: String) -> String? { s == "-" || s.isEmpty ? nil : s }

    /// The left-most X-Forwarded-For entry, trimmed of spaces and tabs; nil when it is empty.
    static func leftmostEntry(_ xff: String) -> String? {
        let u = xff.utf8
        let end = u.firstIndex(of: 0x2C) ?? u.endIndex
        var lo = u.startIndex
        var hi = end
        while lo < hi, u[lo] == 0x20 || u[lo] == 0x09 { lo = u.index(after: lo) }
        while hi > lo, u[u.index(before: hi)] == 0x20 || u[u.index(before: hi)] == 0x09 { hi = u.index(before: hi) }
        return lo < hi ? String(xff[lo..<hi]) : nil
    }

    /// `10.0.0.1:5000` → `10.0.0.1`, `[2001:db8::1]:443` → `2001:db8::1`; bare IPv6 is kept.
    static func hostWithoutPort(_ address: String) -> String {
        if address.hasPrefix("["), let end = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<end])
        }
        let colons = address.utf8.lazy.filter { $0 == 0x3A }.count
        guard colons == 1, let colon = address.firstIndex(of: ":") else { return address }
        return String(address[..<colon])
    }
}
