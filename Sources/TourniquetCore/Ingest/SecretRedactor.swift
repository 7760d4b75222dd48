import Crypto

/// Replaces credentials in queries and headers with keyed fingerprints, so the case never stores
/// a secret but a responder can still ask where else the same key was used.
///
/// A fingerprint is `fp:` + the first 16 hex digits of HMAC-SHA-256(case key, value). The case key
/// is random per case, so fingerprints cannot be precomputed or matched across cases.
public struct SecretRedactor: Sendable {
    /// Query parameter and field names whose values are credentials (compared case-insensitively).
    public static let defaultSecretNames: [String] = [
        "token", "access_token", "id_token", "refresh_token", "code",
        "api_key", "apikey", "key",
        "password", "passwd", "secret", "client_secret",
        "sig", "signature", "x-amz-signature", "session",
        "authorization", "cookie",
    ]
    /// The names among those that identify an API key, so their fingerprint becomes the request's key.
    public static let apiKeyNames: Set<String> = ["api_key", "apikey", "key", "x-api-key"]

    private let key: SymmetricKey
    private let names: Set<String>

    public init(caseKey: [UInt8], extraNames: [String] = []) {
        key = SymmetricKey(data: caseKey)
        names = Set((SecretRedactor.defaultSecretNames + extraNames).map { $0.lowercased() })
    }

    public func isSecret(_ name: String) -> Bool { names.contains(name.lowercased()) }

    public func fingerprint(_ value: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(value.utf8), using: key)
        var hex = "fp:"
        for byte in mac.prefix(8) {
            hex += String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16)
        }
        return hex
    }

    /// The query with every secret value replaced by its fingerprint, and the fingerprint of an
    /// API key found there (if any). Parameter order and non-secret values are kept exactly.
    public func redactQuery(_ query: Substring) -> (query: String, apiKey: String?, redacted: Bool) {
        guard !query.isEmpty else { return ("", nil, false) }
        var parts: [String] = []
        var apiKey: String?
        var redacted = false
        for pair in query.split(separator: "&", omittingEmptySubsequences: false) {
            guard let equals = pair.firstIndex(of: "=") else {
                parts.append(String(pair))
                continue
            }
            let name = String(pair[..<equals])
            let decodedName = PercentDecoding.decode(name).lowercased()
            if names.contains(decodedName) {
                let value = pair[pair.index(after: equals)...]
                let print = fingerprint(PercentDecoding.decode(String(value)))
                if SecretRedactor.apiKeyNames.contains(decodedName) && apiKey == nil { apiKey = print }
                parts.append(name + "=[" + print + "]")
                redacted = true
            } else {
                parts.append(String(pair))
            }
        }
        return (parts.joined(separator: "&"), apiKey, redacted)
    }

    /// Fingerprints of credential headers; the bearer or key token is what identifies the caller.
    public func fingerprintHeader(_ header: CredentialHeader) -> String {
        var value = Substring(header.value)
        for scheme in ["Bearer ", "bearer ", "Basic ", "basic ", "Token ", "token "] where value.hasPrefix(scheme) {
            value = value.dropFirst(scheme.count)
        }
        return fingerprint(String(value))
    }
}

/// Percent-decoding that never fails: an invalid escape is kept as written.
public enum PercentDecoding {
    public static func decode(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) || text.utf8.contains(UInt8(ascii: "+")) else { return text }
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
               let hi = CLFParser.hexValue(bytes[i + 1]), let lo = CLFParser.hexValue(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i] == UInt8(ascii: "+") ? UInt8(ascii: " ") : bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
