/// Redaction of secrets in free text: a line no parser understood, or any other raw text that is
/// kept or shown (`access_token=…`, `"password":"…"`, `Authorization: Bearer …`, `X-Api-Key: …`).
extension SecretRedactor {
    /// The text with the value after every secret name (`name=`, `name:`, `"name": "…"`) replaced.
    ///
    /// The scan is linear and keeps every other byte as it was, invalid UTF-8 included.
    public func redactText(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let b = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        var copied = 0
        while i < b.count {
            guard SecretRedactor.isNameByte(b[i]) else {
                i += 1
                continue
            }
            let nameStart = i
            while i < b.count && SecretRedactor.isNameByte(b[i]) { i += 1 }
            let nameEnd = i
            guard nameEnd - nameStart <= maxNameBytes, let value = SecretRedactor.valueSpan(b, after: nameEnd) else { continue }
            let name = PercentDecoding.decode(String(decoding: b[nameStart..<nameEnd], as: UTF8.self))
            guard let kind = kind(ofName: name), value.lowerBound < value.upperBound else { continue }
            out.append(contentsOf: b[copied..<value.lowerBound])
            out.append(contentsOf: replacement(for: String(decoding: b[value], as: UTF8.self), kind: kind).utf8)
            copied = value.upperBound
            i = value.upperBound
        }
        out.append(contentsOf: b[copied...])
        return out
    }

    /// String convenience for ``redactText(_:)``.
    public func redactText(_ text: String) -> String {
        String(decoding: redactText(Array(text.utf8)), as: UTF8.self)
    }

    /// Bytes that can be part of a parameter, field or header name (percent escapes and brackets included).
    static func isNameByte(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "%"), UInt8(ascii: "["), UInt8(ascii: "]"):
            return true
        default:
            return false
        }
    }

    /// Where the value after a name lies: past an optional closing quote, `=` or `:`, spaces and
    /// an optional opening quote; a quoted value ends at its closing quote (backslash escapes
    /// respected), a bare one at a delimiter. An auth scheme word (`Bearer x`) takes the next word too.
    static func valueSpan(_ b: [UInt8], after nameEnd: Int) -> Range<Int>? {
        var i = nameEnd
        if i < b.count && (b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'")) { i += 1 }
        while i < b.count && b[i] == UInt8(ascii: " ") { i += 1 }
        guard i < b.count, b[i] == UInt8(ascii: "=") || b[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        while i < b.count && b[i] == UInt8(ascii: " ") { i += 1 }
        if i < b.count && (b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'")) {
            let quote = b[i]
            let start = i + 1
            var j = start
            while j < b.count && b[j] != quote {
                j += b[j] == UInt8(ascii: "\\") ? 2 : 1
            }
            return start..<min(j, b.count)
        }
        let start = i
        var j = bareEnd(b, from: start)
        let word = String(decoding: b[start..<j], as: UTF8.self).lowercased()
        if ["bearer", "basic", "token", "digest", "negotiate"].contains(word), j < b.count, b[j] == UInt8(ascii: " ") {
            j = bareEnd(b, from: j + 1)
        }
        return start..<j
    }

    private static func bareEnd(_ b: [UInt8], from start: Int) -> Int {
        var j = start
        while j < b.count {
            switch b[j] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "&"), UInt8(ascii: ";"), UInt8(ascii: "\""), UInt8(ascii: "'"),
                UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), 0x0A, 0x0D:
                return j
            default:
                j += 1
            }
        }
        return j
    }
}
