/// Byte-scanning helpers for `CLFParser`. Each checks its bounds; none trusts the line.
extension CLFParser {
    static let months: [[UInt8]] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map { Array($0.utf8) }

    /// The index of the `[` that opens the request time: `[dd/Mon/yyyy:hh:mm:ss ±zzzz] "`.
    ///
    /// A remote user is attacker-chosen (a Basic-auth name) and can carry a forged time, so a
    /// bracket only counts when it has the exact 26-character CLF shape and is followed by the
    /// request's opening quote, which servers escape inside the user field.
    static func findTimeBracket(_ line: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        while i + 29 < line.count {
            if line[i] == UInt8(ascii: "["), line[i + 27] == UInt8(ascii: "]"), line[i + 28] == UInt8(ascii: " "),
                line[i + 29] == UInt8(ascii: "\""), isDigit(line[i + 1]), isDigit(line[i + 2]), line[i + 3] == UInt8(ascii: "/"),
                line[i + 7] == UInt8(ascii: "/"), line[i + 12] == UInt8(ascii: ":")
            {
                return i
            }
            i += 1
        }
        return nil
    }

    static func index(of byte: UInt8, in line: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        while i < line.count {
            if line[i] == byte { return i }
            i += 1
        }
        return nil
    }

    static func skipSpaces(_ line: UnsafeBufferPointer<UInt8>, _ cursor: inout Int) {
        while cursor < line.count && (line[cursor] == UInt8(ascii: " ") || line[cursor] == UInt8(ascii: "\t")) { cursor += 1 }
    }

    /// A `"…"` field; a quote preceded by a backslash (Apache's escape) does not end it.
    static func quoted(_ line: UnsafeBufferPointer<UInt8>, _ cursor: inout Int) -> UnsafeBufferPointer<UInt8>? {
        guard cursor < line.count, line[cursor] == UInt8(ascii: "\"") else { return nil }
        var i = cursor + 1
        while i < line.count {
            if line[i] == UInt8(ascii: "\\") {
                i += 2
                continue
            }
            if line[i] == UInt8(ascii: "\"") {
                let field = UnsafeBufferPointer(rebasing: line[(cursor + 1)..<i])
                cursor = i + 1
                return field
            }
            i += 1
        }
        return nil
    }

    static func bareToken(_ line: UnsafeBufferPointer<UInt8>, _ cursor: inout Int) -> UnsafeBufferPointer<UInt8>? {
        let start = cursor
        while cursor < line.count && line[cursor] != UInt8(ascii: " ") && line[cursor] != UInt8(ascii: "\t") { cursor += 1 }
        return cursor > start ? UnsafeBufferPointer(rebasing: line[start..<cursor]) : nil
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// A non-negative decimal integer of at most 18 digits.
    static func integer(_ field: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !field.isEmpty, field.count <= 18 else { return nil }
        var value = 0
        for byte in field {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// `0.123` (seconds, as nginx's `$request_time`) → microseconds.
    static func decimalSeconds(_ field: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !field.isEmpty, field.count <= 20 else { return nil }
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var scale: Int64 = 1_000_000
        var seenDot = false
        var digits = 0
        for byte in field {
            if byte == UInt8(ascii: ".") {
                if seenDot { return nil }
                seenDot = true
            } else if isDigit(byte) {
                digits += 1
                if seenDot {
                    if scale > 1 {
                        scale /= 10
                        fraction += Int64(byte - UInt8(ascii: "0")) * scale
                    }
                } else {
                    whole = whole * 10 + Int64(byte - UInt8(ascii: "0"))
                }
            } else {
                return nil
            }
        }
        guard seenDot, digits > 0, whole < 86_400 * 365 else { return nil }
        return whole * 1_000_000 + fraction
    }

    /// Decodes nginx `\xHH` and Apache `\"`, `\\`, `\n`, `\t` escapes; other bytes pass through.
    static func unescape(_ field: UnsafeBufferPointer<UInt8>) -> String {
        guard field.contains(UInt8(ascii: "\\")) else { return String(decoding: field, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(field.count)
        var i = 0
        while i < field.count {
            let byte = field[i]
            guard byte == UInt8(ascii: "\\"), i + 1 < field.count else {
                out.append(byte)
                i += 1
                continue
            }
            let next = field[i + 1]
            switch next {
            case UInt8(ascii: "x") where i + 3 < field.count:
                if let hi = hexValue(field[i + 2]), let lo = hexValue(field[i + 3]) {
                    out.append(hi << 4 | lo)
                    i += 4
                } else {
                    out.append(byte)
                    i += 1
                }
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(next)
                i += 2
            case UInt8(ascii: "n"):
                out.append(0x0A)
                i += 2
            case UInt8(ascii: "t"):
                out.append(0x09)
                i += 2
            case UInt8(ascii: "r"):
                out.append(0x0D)
                i += 2
            default:
                out.append(byte)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
