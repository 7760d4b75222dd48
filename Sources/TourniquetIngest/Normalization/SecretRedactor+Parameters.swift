/// Redaction of `name=value` parameters in queries (`&` and `;` separated) and in path segments
/// (matrix parameters such as `/users;api_key=…/orders`).
extension SecretRedactor {
    /// The result of redacting one query or path.
    public struct ParameterRedaction: Sendable {
        /// The fingerprint of the first API key found, if any.
        public var apiKey: String?
        /// Whether any value was replaced.
        public var redacted: Bool
    }

    /// The query with every secret value replaced, and the fingerprint of an API key found there
    /// (if any). Parameter order, separators and non-secret values are kept exactly.
    public func redactQuery(_ query: Substring) -> (query: String, apiKey: String?, redacted: Bool) {
        var text = String(query)
        var out: [UInt8] = []
        let result = text.withUTF8 { redactQuery($0, into: &out) }
        return (String(decoding: out, as: UTF8.self), result.apiKey, result.redacted)
    }

    /// Appends the redacted query to `out`, without building Strings for parameters that are not secret.
    public func redactQuery(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> (apiKey: String?, redacted: Bool) {
        let result = redactParameters(bytes, inPath: false, into: &out)
        return (result.apiKey, result.redacted)
    }

    /// The path with secret matrix parameters (`;name=value` inside a segment) replaced.
    public func redactPath(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> ParameterRedaction {
        guard bytes.contains(UInt8(ascii: ";")) else {
            out.append(contentsOf: bytes)
            return ParameterRedaction(apiKey: nil, redacted: false)
        }
        return redactParameters(bytes, inPath: true, into: &out)
    }

    /// Walks `name=value` pairs. In a query `&` and `;` separate them; in a path a pair starts
    /// after `;` and ends at `;` or `/`, and the text before a segment's first `;` is not a pair.
    private func redactParameters(_ bytes: UnsafeBufferPointer<UInt8>, inPath: Bool, into out: inout [UInt8]) -> ParameterRedaction {
        var result = ParameterRedaction(apiKey: nil, redacted: false)
        var start = 0
        var isPair = !inPath
        for i in 0...bytes.count {
            let byte: UInt8 = i < bytes.count ? bytes[i] : 0
            let ends = i == bytes.count || byte == UInt8(ascii: ";") || (inPath ? byte == UInt8(ascii: "/") : byte == UInt8(ascii: "&"))
            guard ends else { continue }
            let piece = UnsafeBufferPointer(rebasing: bytes[start..<i])
            if isPair { redactPair(piece, into: &out, &result) } else { out.append(contentsOf: piece) }
            if i < bytes.count { out.append(byte) }
            // In a path, only what follows a `;` is a parameter.
            isPair = !inPath || byte == UInt8(ascii: ";")
            start = i + 1
        }
        return result
    }

    private func redactPair(_ pair: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], _ result: inout ParameterRedaction) {
        guard let equals = pair.firstIndex(of: UInt8(ascii: "=")), equals <= maxNameBytes else {
            out.append(contentsOf: pair)
            return
        }
        let name = PercentDecoding.decode(String(decoding: UnsafeBufferPointer(rebasing: pair[0..<equals]), as: UTF8.self))
        guard let kind = kind(ofName: name) else {
            out.append(contentsOf: pair)
            return
        }
        let value = PercentDecoding.decode(String(decoding: UnsafeBufferPointer(rebasing: pair[(equals + 1)...]), as: UTF8.self))
        out.append(contentsOf: UnsafeBufferPointer(rebasing: pair[0...equals]))
        out.append(contentsOf: replacement(for: value, kind: kind).utf8)
        if kind == .token && result.apiKey == nil && isAPIKeyName(name) { result.apiKey = fingerprint(value) }
        result.redacted = true
    }
}
