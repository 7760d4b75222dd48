import Crypto
import Foundation

/// Replaces credentials in queries, paths, headers and free text so the case never stores a secret.
///
/// Tokens, keys, session IDs and signatures become keyed fingerprints, so a responder can still
/// ask where else the same key was used: `fp:` + the first 16 hex digits of
/// HMAC-SHA-256(case key, value). The case key is random per case, so fingerprints cannot be
/// precomputed or matched across cases. Passwords and other low-entropy secrets get no
/// fingerprint at all, only a fixed marker: the key sits in the same case file, so anyone with a
/// copy could fingerprint a dictionary and recover them.
public struct SecretRedactor: Sendable {
    /// What kind of secret a name carries.
    public enum Kind: Sendable, Equatable {
        /// High-entropy: fingerprinted, so the same value can be correlated.
        case token
        /// Guessable (passwords, PINs, one-time codes): replaced by ``SecretRedactor/passwordMarker``.
        case password
    }

    /// Query parameter and field names whose values are credentials (compared case-insensitively,
    /// also as `name[]`, `name[0]`, `form[name]` and `form.name`).
    public static let defaultSecretNames: [String] = [
        "token", "access_token", "id_token", "refresh_token", "code",
        "api_key", "apikey", "key", "x-api-key",
        "password", "passwd", "pwd", "pass", "passphrase", "passcode", "pin", "otp",
        "secret", "client_secret",
        "sig", "signature", "x-amz-signature", "session", "sessionid", "session_id",
        "authorization", "cookie",
    ]
    /// The names among those that carry guessable values.
    public static let passwordNames: Set<String> = ["password", "passwd", "pwd", "pass", "passphrase", "passcode", "pin", "otp", "secret"]
    /// The names among those that identify an API key, so their fingerprint becomes the request's key.
    public static let apiKeyNames: Set<String> = ["api_key", "apikey", "key", "x-api-key"]
    /// What replaces a guessable secret.
    public static let passwordMarker = "[redacted password]"

    /// HMAC state with the case key already absorbed; each fingerprint copies it.
    private let keyed: HMAC<SHA256>
    private let cache = FingerprintCache()
    private let nameKinds = NameKindCache()
    private let names: [String: Kind]
    /// Longer names are not credential names, so they are never decoded.
    let maxNameBytes = 256

    public init(caseKey: [UInt8], extraNames: [String] = []) {
        keyed = HMAC<SHA256>(key: SymmetricKey(data: caseKey))
        var names: [String: Kind] = [:]
        for name in SecretRedactor.defaultSecretNames + extraNames {
            let lower = name.lowercased()
            names[lower] = SecretRedactor.passwordNames.contains(lower) || SecretRedactor.soundsLikePassword(lower) ? .password : .token
        }
        self.names = names
    }

    /// A redactor whose fingerprints match nothing: for text shown before a case key is at hand.
    public static func ephemeral() -> SecretRedactor {
        var rng = SystemRandomNumberGenerator()
        return SecretRedactor(caseKey: (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }

    public func isSecret(_ name: String) -> Bool { kind(ofName: name) != nil }

    /// The kind of secret a (percent-decoded) parameter, field or header name carries, if any.
    ///
    /// Brackets and dots are looked through (`api_key[]`, `user[password]`, `auth.token`), and
    /// names that merely contain `password` or `token` count too (`new_password`, `X-Auth-Token`).
    public func kind(ofName raw: String) -> Kind? {
        if let known = names[raw] { return known }
        // Ordinary names (`page`, `limit`, `q`) recur on nearly every line, and the checks below
        // search the name several times: remember the answer per name.
        if let cached = nameKinds.lookup(raw) { return cached }
        let kind = classify(raw)
        nameKinds.store(raw, kind)
        return kind
    }

    private func classify(_ raw: String) -> Kind? {
        // Most parameter names are plain lower-case words: skip lower-casing and splitting them.
        let plain = raw.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
        let name = plain ? raw : SecretRedactor.baseName(raw.lowercased())
        if let known = names[name] { return known }
        if SecretRedactor.soundsLikePassword(name) { return .password }
        if name.contains("token") || name.contains("secret") || name.hasSuffix("api_key") || name.hasSuffix("apikey") { return .token }
        return nil
    }

    /// Whether a secret name identifies an API key.
    public func isAPIKeyName(_ raw: String) -> Bool { SecretRedactor.apiKeyNames.contains(SecretRedactor.baseName(raw.lowercased())) }

    /// `api_key[]` → `api_key`, `user[password]` → `password`, `auth.token` → `token`,
    /// `x?access_token` → `access_token`: the innermost meaningful part of a name.
    static func baseName(_ lower: String) -> String {
        var name = Substring(lower)
        while name.last == "]", let open = name.lastIndex(of: "[") {
            let inner = name[name.index(after: open)..<name.index(before: name.endIndex)]
            name = inner.isEmpty || inner.allSatisfy(\.isNumber) ? name[..<open] : inner
        }
        if let cut = name.lastIndex(where: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
            name = name[name.index(after: cut)...]
        }
        return String(name)
    }

    static func soundsLikePassword(_ name: String) -> Bool {
        name.contains("password") || name.contains("passwd") || name.contains("passphrase") || name.contains("passcode")
    }

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

    /// What is stored instead of a secret of this kind: `[fp:…]`, or the password marker.
    public func replacement(for value: String, kind: Kind) -> String {
        kind == .password ? SecretRedactor.passwordMarker : "[\(fingerprint(value))]"
    }

    /// Fingerprints of credential headers; the bearer or key token is what identifies the caller.
    ///
    /// Nil for Basic credentials (they hold a password) and for password-like header names.
    public func fingerprintHeader(_ header: CredentialHeader) -> String? {
        if kind(ofName: header.name) == .password { return nil }
        var value = Substring(header.value)
        if value.prefix(6).lowercased() == "basic " { return nil }
        for scheme in ["Bearer ", "bearer ", "Token ", "token "] where value.hasPrefix(scheme) {
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
                let hi = CLFParser.hexValue(bytes[i + 1]), let lo = CLFParser.hexValue(bytes[i + 2])
            {
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

/// What `kind(ofName:)` concluded per name. Bounded: a log of ever-new names only refills it.
final class NameKindCache: @unchecked Sendable {
    private var entries: [String: SecretRedactor.Kind?] = [:]
    private let lock = NSLock()
    static let limit = 4_096

    /// `.some(nil)` for a name known to carry no secret; nil for a name not seen yet.
    func lookup(_ name: String) -> SecretRedactor.Kind?? {
        lock.lock()
        defer { lock.unlock() }
        return entries[name]
    }

    func store(_ name: String, _ kind: SecretRedactor.Kind?) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= NameKindCache.limit { entries.removeAll(keepingCapacity: true) }
        entries[name] = .some(kind)
    }
}
