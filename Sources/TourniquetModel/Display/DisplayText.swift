/// Escapes attacker-written text before it reaches a terminal or a plain-text export.
///
/// Nothing is stripped: the responder must see what the attacker sent, in an inert, visible form.
/// C0 controls (TAB, CR and LF included), DEL and `\` become `\t`, `\r`, `\n`, `\x1b`, `\x7f`, `\\`;
/// C1 controls, bidi controls, zero-width and other invisible format characters become `\u{202E}`.
/// Invalid UTF-8 bytes become `\xff`. `escaped` tells the caller to mark the line.
public enum DisplayText {
    public struct Result: Equatable, Sendable {
        public var text: String
        /// True when anything had to be escaped; screens and exports flag such lines.
        public var escaped: Bool
    }

    public static func sanitize(_ text: String) -> Result {
        // Fast path: printable ASCII without backslash needs no work, which is most log text.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }) {
            return Result(text: text, escaped: false)
        }
        var out = String.UnicodeScalarView()
        var escaped = false
        for scalar in text.unicodeScalars {
            if let form = escapeForm(scalar) {
                if scalar != "\\" { escaped = true }
                out.append(contentsOf: form.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return Result(text: String(out), escaped: escaped)
    }

    /// The escaped text alone, for quoting outside text (a path, a value, a parser's complaint) in a message.
    public static func escaped(_ text: String) -> String { sanitize(text).text }

    /// Sanitises raw bytes, showing each invalid UTF-8 byte as `\xNN` instead of a replacement character.
    public static func sanitize(bytes: some Collection<UInt8>) -> Result {
        let b = Array(bytes)
        var out = String.UnicodeScalarView()
        var escaped = false
        var i = 0
        while i < b.count {
            let length = utf8SequenceLength(b, at: i)
            guard length > 0 else {
                out.append(contentsOf: ("\\x" + hex2(b[i])).unicodeScalars)
                escaped = true
                i += 1
                continue
            }
            var value = length == 1 ? UInt32(b[i]) : UInt32(b[i]) & (0xFF >> UInt32(length + 1))
            for k in 1..<length { value = value << 6 | UInt32(b[i + k] & 0x3F) }
            // utf8SequenceLength only accepts well-formed sequences, so this scalar exists.
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            if let form = escapeForm(scalar) {
                if scalar != "\\" { escaped = true }
                out.append(contentsOf: form.unicodeScalars)
            } else {
                out.append(scalar)
            }
            i += length
        }
        return Result(text: String(out), escaped: escaped)
    }

    /// The visible form of a scalar that must not reach a terminal raw, or nil when it is safe.
    public static func escapeForm(_ scalar: Unicode.Scalar) -> String? {
        let v = scalar.value
        switch v {
        case 0x5C: return "\\\\"
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x00..<0x20, 0x7F: return "\\x" + hex2(UInt8(v))
        case 0x80...0x9F,  // C1 controls (8-bit CSI, OSC, ST …)
            0x00AD,  // soft hyphen
            0x061C, 0x180E,  // Arabic letter mark, Mongolian vowel separator
            0x200B...0x200F,  // zero-width space/joiners, LRM, RLM
            0x2028, 0x2029,  // line and paragraph separators
            0x202A...0x202E,  // bidi embeddings and overrides
            0x2060...0x2064, 0x2066...0x2069,  // word joiner, invisible operators, bidi isolates
            0xFEFF, 0xFFF9...0xFFFB,  // BOM / zero-width no-break space, interlinear annotations
            0xE0000...0xE007F:  // tag characters ("ASCII smuggling")
            return "\\u{" + String(v, radix: 16, uppercase: true) + "}"
        default:
            return nil
        }
    }

    private static func hex2(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    /// Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there starts none.
    private static func utf8SequenceLength(_ b: [UInt8], at i: Int) -> Int {
        let lead = b[i]
        let need: Int
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xBF
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: need = 1
        case 0xE0:
            need = 2
            lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED:
            need = 2
            upperBound = 0x9F
        case 0xF0:
            need = 3
            lowerBound = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4:
            need = 3
            upperBound = 0x8F
        default: return 0
        }
        guard i + need < b.count else { return 0 }
        for k in 1...need {
            let c = b[i + k]
            let lo: UInt8 = k == 1 ? lowerBound : 0x80
            let hi: UInt8 = k == 1 ? upperBound : 0xBF
            if c < lo || c > hi { return 0 }
        }
        return need + 1
    }
}
