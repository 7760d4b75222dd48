import Foundation
import TourniquetIngest
import Yams

/// Removes credentials from an OpenAPI document before it is stored in the case.
///
/// Specs carry real secrets more often than one would hope: a `servers` URL with `user:pass@` or
/// `?api_key=`, an `example` Authorization header, a sample password in a request body. The stored
/// copy is the document re-written as JSON (key order sorted, comments and formatting dropped)
/// with those values redacted the way request secrets are: tokens and keys become fingerprints,
/// passwords a fixed marker. JSON is YAML, so scope reads the stored copy with the same loader.
enum OpenAPIRedaction {
    /// Nodes visited at most: aliases can make a small file expand without bound.
    static let nodeLimit = 1_000_000
    /// Keys whose values are sample data for the field that holds them.
    static let exampleKeys: Set<String> = ["example", "examples", "default", "enum", "const", "x-example", "x-examples"]

    static func redact(_ text: String, path: String, redactor: SecretRedactor) throws -> String {
        let root: Any?
        do {
            root = try Yams.load(yaml: text)
        } catch {
            throw IngestError.badSpec(path: path, reason: "not YAML or JSON")
        }
        var walker = Walker(redactor: redactor)
        let redacted = try walker.walk(root as Any, owner: nil, inExample: false, path: path)
        let data = try JSONSerialization.data(withJSONObject: redacted, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    struct Walker {
        let redactor: SecretRedactor
        var visited = 0

        /// - Parameters:
        ///   - owner: the kind of credential the enclosing parameter, header or property is named for.
        ///   - inExample: this value is sample data; in a credential's example every scalar goes.
        mutating func walk(_ value: Any, owner: SecretRedactor.Kind?, inExample: Bool, path: String) throws -> Any {
            visited += 1
            if visited > OpenAPIRedaction.nodeLimit {
                throw IngestError.badSpec(path: path, reason: "more than \(OpenAPIRedaction.nodeLimit) nodes once aliases are expanded")
            }
            switch value {
            case let mapping as [AnyHashable: Any]:
                var owner = owner
                if !inExample, let name = mapping["name"] as? String, let kind = redactor.kind(ofName: name) { owner = kind }
                var out: [String: Any] = [:]
                for (rawKey, child) in mapping {
                    let key = OpenAPIRedaction.keyText(rawKey)
                    let keyKind = redactor.kind(ofName: key)
                    // A URL under a token-ish key (`tokenUrl`) is an endpoint; its own credentials go below.
                    let isScalar = !(child is [AnyHashable: Any]) && !(child is [Any]) && !((child as? String)?.contains("://") ?? false)
                    if keyKind != nil && isScalar && (inExample || !OpenAPIRedaction.exampleKeys.contains(key.lowercased())) {
                        out[key] = redactScalar(child, kind: keyKind)
                    } else if inExample || OpenAPIRedaction.exampleKeys.contains(key.lowercased()) {
                        out[key] = try walk(child, owner: keyKind ?? owner, inExample: true, path: path)
                    } else {
                        out[key] = try walk(child, owner: keyKind ?? owner, inExample: false, path: path)
                    }
                }
                return out
            case let array as [Any]:
                return try array.map { try walk($0, owner: owner, inExample: inExample, path: path) }
            default:
                if inExample, let owner { return redactScalar(value, kind: owner) }
                return OpenAPIRedaction.jsonScalar(value, redactor: redactor)
            }
        }

        /// A credential's value: a fingerprint for a token, the marker for anything guessable.
        func redactScalar(_ value: Any, kind: SecretRedactor.Kind?) -> Any {
            if value is NSNull { return NSNull() }
            guard let text = value as? String, text.count >= 12 else { return SecretRedactor.passwordMarker }  // short: guessable
            return redactor.replacement(for: text, kind: kind ?? .token)
        }
    }

    static func keyText(_ key: AnyHashable) -> String {
        (key.base as? String) ?? String(describing: key.base)
    }

    /// A scalar as JSON can hold it, with credentials in URLs and auth headers redacted.
    static func jsonScalar(_ value: Any, redactor: SecretRedactor) -> Any {
        switch value {
        case let text as String: return redactString(text, redactor: redactor)
        case let flag as Bool: return flag
        case let number as Int: return number
        case let number as Double: return number.isFinite ? number : String(number)
        case is NSNull: return NSNull()
        case let date as Date: return ISO8601DateFormatter().string(from: date)
        case let data as Data: return data.base64EncodedString()
        default: return redactString(String(describing: value), redactor: redactor)
        }
    }

    /// URL userinfo (`user:pass@`), secret query and matrix parameters, and whole `Bearer …` values.
    static func redactString(_ text: String, redactor: SecretRedactor) -> String {
        let lower = text.lowercased()
        for scheme in ["bearer ", "basic ", "token "] where lower.hasPrefix(scheme) && text.count > scheme.count + 8 && !text.contains("  ") {
            let words = text.split(separator: " ")
            if words.count == 2 { return redactor.replacement(for: String(words[1]), kind: scheme == "basic " ? .password : .token) }
        }
        guard text.contains("@") || text.contains("=") else { return text }
        var out = Substring(text)
        var prefix = ""
        if let scheme = out.range(of: "://") {
            prefix = String(out[..<scheme.upperBound])
            out = out[scheme.upperBound...]
            let authorityEnd = out.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? out.endIndex
            if let at = out[..<authorityEnd].lastIndex(of: "@") {
                let userinfo = out[..<at]
                if let colon = userinfo.firstIndex(of: ":") {
                    prefix += String(userinfo[..<colon]) + ":" + SecretRedactor.passwordMarker
                } else {
                    prefix += redactor.replacement(for: String(userinfo), kind: .token)
                }
                out = out[at...]
            }
        }
        let fragmentStart = out.firstIndex(of: "#") ?? out.endIndex
        let queryStart = out[..<fragmentStart].firstIndex(of: "?")
        var pathPart: [UInt8] = []
        Array(out[..<(queryStart ?? fragmentStart)].utf8).withUnsafeBufferPointer { _ = redactor.redactPath($0, into: &pathPart) }
        var result = prefix + String(decoding: pathPart, as: UTF8.self)
        if let queryStart {
            result += "?" + redactor.redactQuery(out[out.index(after: queryStart)..<fragmentStart]).query
        }
        return result + out[fragmentStart...]
    }
}
