import Crypto
import Foundation

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

    /// HMAC state with the case key already absorbed; each fingerprint copies it.
    private let keyed: HMAC<SHA256>
    private let cache = FingerprintCache()
    private let names: Set<String>
    /// Longer names cannot be secret names (even percent-encoded), so they are not decoded.
    private let maxNameBytes: Int

    public init(caseKey: [UInt8], extraNames: [String] = []) {
        keyed = HMAC<SHA256>(key: SymmetricKey(data: caseKey))
        names = Set((SecretRedactor.defaultSecretNames + extraNames).map { $0.lowercased() })
        maxNameBytes = 3 * (names.map(\.utf8.count).max() ?? 0)
    }

    public func isSecret(_ name: String) -> Bool { names.contains(name.lowercased()) }

    public func fingerprint(_ value: String) -> String {
        if let known = cache.lookup(value) { return known }
        var mac = keyed
        mac.update(data: Array(value.utf8))
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = Array("fp:".utf8)
        for byte in mac.finalize().prefix(8) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0xF)])
        }
        let print = String(decoding: hex, as: UTF8.self)
        cache.store(value, print)
        return print
    }

    /// The query with every secret value replaced by its fingerprint, and the fingerprint of an
    /// API key found there (if any). Parameter order and non-secret values are kept exactly.
    public func redactQuery(_ query: Substring) -> (query: String, apiKey: String?, redacted: Bool) {
        var text = String(query)
        var out: [UInt8] = []
        let result = text.withUTF8 { redactQuery($0, into: &out) }
        return (String(decoding: out, as: UTF8.self), result.apiKey, result.redacted)
    }

    /// Appends the redacted query to `out`, without building Strings for parameters that are not secret.
    public func redactQuery(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> (apiKey: String?, redacted: Bool) {
        var apiKey: String?
        var redacted = false
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: "&") {
            let pair = UnsafeBufferPointer(rebasing: bytes[start..<i])
            // Indexes into `bytes`, not into the rebased `pair`.
            let equals = pair.firstIndex(of: UInt8(ascii: "=")).map { start + $0 }
            var secretName: String?
            if let equals, equals - start <= maxNameBytes {
                let name = PercentDecoding.decode(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<equals]), as: UTF8.self)).lowercased()
                if names.contains(name) { secretName = name }
            }
            if let secretName, let equals {
                let value = PercentDecoding.decode(String(decoding: UnsafeBufferPointer(rebasing: bytes[(equals + 1)..<i]), as: UTF8.self))
                let print = fingerprint(value)
                if SecretRedactor.apiKeyNames.contains(secretName) && apiKey == nil { apiKey = print }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...equals]))
                out.append(contentsOf: "[\(print)]".utf8)
                redacted = true
            } else {
                out.append(contentsOf: pair)
            }
            if i < bytes.count { out.append(UInt8(ascii: "&")) }
            start = i + 1
        }
        return (apiKey, redacted)
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

/// Remembers recent fingerprints: a leaked key or session token recurs on many lines.
/// Bounded, and cleared when full, so memory stays flat on a log of one-time codes.
final class FingerprintCache: @unchecked Sendable {
    private var entries: [String: String] = [:]
    private let lock = NSLock()
    static let limit = 65_536

    func lookup(_ value: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return entries[value]
    }

    func store(_ value: String, _ print: String) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= FingerprintCache.limit { entries.removeAll(keepingCapacity: true) }
        entries[value] = print
    }
}
