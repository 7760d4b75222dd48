import TourniquetModel

/// Writes one ``SimulatedRequest`` as a line of an access-log format, exactly as the gateway would.
///
/// Lines are built as bytes (the simulator writes millions of them) and escaped the way each
/// producer escapes: nginx's `\xHH` for `"`, `\` and bytes outside 0x20–0x7E, and JSON string
/// escapes for the JSON formats. Every line parses with `LogFormats.parser(named:)` and gives back
/// the address, user, key, method, target, status, bytes, latency and user agent it was given.
public enum SimulatedLogWriter {
    /// The line for `request` in `format` (one of ``SimulationSpec/formats``), without a newline.
    public static func line(for request: SimulatedRequest, format: String) -> String {
        var out = LineBytes()
        switch format {
        case "combined": writeCombined(request, &out)
        case "kong": writeKong(request, &out)
        case "aws-apigw": writeAWS(request, &out)
        case "ecs": writeECS(request, &out)
        default: preconditionFailure("unknown simulated log format \(format)")
        }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// The request target as a client sent it: path, the query, and the key as `api_key=` when
    /// the format carries keys in the query (combined, ECS).
    static func target(_ r: SimulatedRequest, keyInQuery: Bool) -> String {
        var query = r.query ?? ""
        if keyInQuery, let secret = r.apiKeySecret {
            query += (query.isEmpty ? "" : "&") + "api_key=" + percentEncoded(secret)
        }
        return query.isEmpty ? r.path : r.path + "?" + query
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters (keys are usually plain already).
    static func percentEncoded(_ text: String) -> String {
        let plain = text.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
        }
        if plain { return text }
        var out = LineBytes()
        for b in text.utf8 {
            if (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E {
                out.bytes.append(b)
            } else {
                out.bytes.append(0x25)
                out.hex(b)
            }
        }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    // MARK: - nginx combined

    /// `IP - USER [dd/Mon/yyyy:hh:mm:ss +0000] "METHOD TARGET HTTP/1.1" STATUS BYTES "-" "UA"`, plus
    /// nginx `main`'s quoted `$http_x_forwarded_for` when the request carried one.
    static func writeCombined(_ r: SimulatedRequest, _ out: inout LineBytes) {
        out.plain(r.ip)
        out.raw(" - ")
        if let user = r.identity, !user.isEmpty { out.nginxEscaped(user) } else { out.bytes.append(0x2D) }
        out.raw(" [")
        out.clfTime(r.timestampMs)
        out.raw("] \"")
        out.nginxEscaped(r.method)
        out.bytes.append(0x20)
        out.nginxEscaped(target(r, keyInQuery: true))
        out.raw(" HTTP/1.1\" ")
        out.int(r.status)
        out.bytes.append(0x20)
        out.int(r.bytes)
        out.raw(" \"-\" \"")
        out.nginxEscaped(r.userAgent)
        out.bytes.append(0x22)
        if let xff = r.forwardedFor {
            out.raw(" \"")
            out.nginxEscaped(xff)
            out.bytes.append(0x22)
        }
    }
}

/// A growing line of bytes with the appenders the writers share.
struct LineBytes {
    var bytes: [UInt8]

    init() {
        bytes = []
        bytes.reserveCapacity(512)
    }

    /// Literal text; `withUTF8Buffer` also covers one-character literals, which have no pointer.
    @inline(__always) mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Text known to need no escaping (addresses, numbers).
    @inline(__always) mutating func plain(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func int(_ value: Int) { int64(Int64(value)) }

    mutating func int64(_ value: Int64) {
        if value < 0 { bytes.append(0x2D) }
        let magnitude = value.magnitude
        var divisor: UInt64 = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        var rest = magnitude
        while divisor > 0 {
            bytes.append(0x30 &+ UInt8(truncatingIfNeeded: rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Exactly `width` digits, zero-padded.
    mutating func padded(_ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            bytes.append(UInt8(truncatingIfNeeded: 0x30 + (v / divisor) % 10))
            v %= divisor
            divisor /= 10
        }
    }

    @inline(__always) mutating func hex(_ b: UInt8) {
        let digits: StaticString = "0123456789ABCDEF"
        bytes.append(digits.utf8Start[Int(b >> 4)])
        bytes.append(digits.utf8Start[Int(b & 0xF)])
    }

    /// nginx's default log escaping: `"`, `\` and bytes outside 0x20–0x7E become `\xHH`.
    mutating func nginxEscaped(_ text: String) {
        for b in text.utf8 {
            if b == 0x22 || b == 0x5C || b < 0x20 || b > 0x7E {
                bytes.append(0x5C)
                bytes.append(0x78)
                hex(b)
            } else {
                bytes.append(b)
            }
        }
    }

    /// A JSON string literal, quotes included; non-ASCII UTF-8 passes through as Kong and Filebeat write it.
    mutating func jsonString(_ text: String) {
        bytes.append(0x22)
        for b in text.utf8 {
            switch b {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0..<0x20:
                raw("\\u00")
                hex(b)
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
    }

    /// `"key":` for a key that needs no escaping.
    @inline(__always) mutating func key(_ name: StaticString) {
        bytes.append(0x22)
        raw(name)
        raw("\":")
    }

    /// `29/Nov/2026:08:00:00 +0000`: the CLF time nginx writes for `$time_local` on a UTC host.
    mutating func clfTime(_ ms: Int64) {
        let (days, secOfDay) = LineBytes.split(ms)
        let (year, month, day) = Timestamps.civilFromDays(days)
        let months: StaticString = "JanFebMarAprMayJunJulAugSepOctNovDec"
        padded(day, 2)
        bytes.append(0x2F)
        for i in 0..<3 { bytes.append(months.utf8Start[(month - 1) * 3 + i]) }
        bytes.append(0x2F)
        padded(Int(year), 4)
        bytes.append(0x3A)
        clock(secOfDay)
        raw(" +0000")
    }

    /// `2026-11-29T08:00:00.123Z`, the RFC 3339 UTC form with milliseconds.
    mutating func rfc3339(_ ms: Int64) {
        let (days, secOfDay) = LineBytes.split(ms)
        let (year, month, day) = Timestamps.civilFromDays(days)
        padded(Int(year), 4)
        bytes.append(0x2D)
        padded(month, 2)
        bytes.append(0x2D)
        padded(day, 2)
        bytes.append(0x54)
        clock(secOfDay)
        bytes.append(0x2E)
        padded(Int(((ms % 1000) + 1000) % 1000), 3)
        bytes.append(0x5A)
    }

    private mutating func clock(_ secOfDay: Int) {
        padded(secOfDay / 3600, 2)
        bytes.append(0x3A)
        padded(secOfDay / 60 % 60, 2)
        bytes.append(0x3A)
        padded(secOfDay % 60, 2)
    }

    /// Days since the epoch and the second of that day, flooring for instants before 1970.
    private static func split(_ ms: Int64) -> (Int64, Int) {
        var days = ms / 86_400_000
        var rest = ms % 86_400_000
        if rest < 0 {
            rest += 86_400_000
            days -= 1
        }
        return (days, Int(rest / 1000))
    }

    /// A UUID-shaped identifier (8-4-4-4-12 lower-case hex) from two 64-bit hashes.
    mutating func uuid(_ a: UInt64, _ b: UInt64) {
        let digits: StaticString = "0123456789abcdef"
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { bytes.append(0x2D) }
            let word = i < 16 ? a : b
            let nibble = Int((word >> UInt64(60 - (i % 16) * 4)) & 0xF)
            bytes.append(digits.utf8Start[nibble])
        }
    }
}
