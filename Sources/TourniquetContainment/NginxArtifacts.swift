import TourniquetModel

/// The two files Tourniquet manages in an nginx configuration, written whole by every apply from
/// the measures in force (so expired and undone ones simply are not there any more):
///
/// - `tourniquet-http.conf`, included in `http {}`: a `geo` of blocked addresses and `map`s of
///   blocked keys and disabled endpoints;
/// - `tourniquet-server.conf`, included in each `server {}` to protect: the checks that refuse.
///
/// Disabled endpoints are a `map` over "METHOD URI" rather than a `location` each: a location
/// would take over every method of the path from the application's own location, and this only
/// answers the disabled method. `if` here holds nothing but `return`, the one safe use of it.
///
/// Every entry carries Tourniquet's tag, `# tq:ID` (the planned action's id), which is how a
/// later apply finds it: never by guessing from its value.
public struct NginxArtifacts: Equatable, Sendable {
    public static let httpFile = "tourniquet-http.conf"
    public static let serverFile = "tourniquet-server.conf"

    /// The file text as written to disk.
    public var http: String
    public var server: String
    /// The http file as the timeline records it: key values replaced by their fingerprints.
    public var httpForTimeline: String
    /// Measures nginx cannot express, and why: the apply leaves them out (they stay pending).
    public var skipped: [(id: Int64, why: String)] = []

    public static func == (a: NginxArtifacts, b: NginxArtifacts) -> Bool {
        a.http == b.http && a.server == b.server && a.httpForTimeline == b.httpForTimeline && a.skipped.map(\.id) == b.skipped.map(\.id)
    }

    /// A measure nginx cannot express: the whole apply is refused before anything is written.
    public struct Unrenderable: ResponderFacingError {
        public var description: String
        public var exitCode: Int32 { 1 }
    }

    /// `keyValues` holds each blocked key's literal value by fingerprint: nginx compares the header
    /// itself. `keyHeader` is the request header that carries the API key.
    public init(caseID: String, entries: [ContainmentEntry], keyValues: [String: String], keyHeader: String) throws {
        guard NginxArtifacts.isHeaderName(keyHeader) else { throw Unrenderable(description: "'\(keyHeader)' is not a header name nginx can read") }
        let keyVariable = "$http_" + keyHeader.lowercased().replacingOccurrences(of: "-", with: "_")
        var addresses: [String] = []
        var keys: [(line: String, redacted: String)] = []
        var statuses: [String] = []
        var messages: [String] = []
        for entry in entries.sorted(by: { $0.id < $1.id }) {
            let tag = "# tq:\(entry.id)"
            switch entry.measure {
            case .blockAddress(let network, let expires):
                addresses.append("    \(network) 1; \(tag)" + (expires.map { " until \(UTCTime.format(ms: $0))" } ?? ""))
            case .blockKey(let fingerprint, let consumer):
                guard let value = keyValues[fingerprint] else {
                    throw Unrenderable(
                        description:
                            "measure #\(entry.id) blocks key \(fingerprint), and nginx needs the key's value to refuse it: give it with --key-values FILE"
                    )
                }
                guard NginxArtifacts.isKeyValue(value) else {
                    throw Unrenderable(description: "the value given for key \(fingerprint) has characters an API key does not; nothing was written")
                }
                let who = consumer.map { " consumer:\(NginxArtifacts.commentSafe($0))" } ?? ""
                keys.append(
                    (
                        "    \"~^\(NginxArtifacts.regexLiteral(value))$\" 1; \(tag) key:\(fingerprint)\(who)",
                        "    \"<the key with fingerprint \(fingerprint)>\" 1; \(tag) key:\(fingerprint)\(who)"
                    ))
            case .disableEndpoint(let method, let route, let status, let message):
                let pattern = "\"~^\(method) \(NginxArtifacts.routePattern(route))$\""
                statuses.append("    \(pattern) \(status); \(tag)")
                messages.append("    \(pattern) \"\(NginxArtifacts.quoted(message ?? ""))\"; \(tag)")
            case .revokeTokens:
                skipped.append((entry.id, "nginx cannot read a token's claims: revoke it at the authorization server (--gateway oauth)"))
            }
        }
        let header = [
            "# Managed by Tourniquet for case \(caseID). Every apply writes this file whole from the case; edits here are lost.",
            "# Include it once in the http {} context.",
        ]
        func block(_ opening: String, _ defaultValue: String, _ lines: [String]) -> [String] {
            [opening + " {", "    default \(defaultValue);"] + lines + ["}"]
        }
        let before = header + block("geo $tourniquet_blocked_address", "0", addresses)
        let after =
            block("map \"$request_method $uri\" $tourniquet_disabled_status", "0", statuses)
            + block("map \"$request_method $uri\" $tourniquet_disabled_message", "\"\"", messages)
        let keyMap = "map \(keyVariable) $tourniquet_blocked_key"
        http = (before + block(keyMap, "0", keys.map(\.line)) + after).joined(separator: "\n") + "\n"
        httpForTimeline = (before + block(keyMap, "0", keys.map(\.redacted)) + after).joined(separator: "\n") + "\n"
        server =
            [
                "# Managed by Tourniquet for case \(caseID). Every apply writes this file whole from the case; edits here are lost.",
                "# Include it in each server {} context to protect, before its locations.",
                "if ($tourniquet_blocked_address) { return 403; }",
                "if ($tourniquet_blocked_key) { return 403; }",
            ]
            .joined(separator: "\n") + "\n"
            + ContainmentMeasure.endpointStatuses.map {
                "if ($tourniquet_disabled_status = \($0)) { return \($0) $tourniquet_disabled_message; }\n"
            }.joined()
    }

    /// The key values an earlier apply wrote, by fingerprint, read back from its http file by the
    /// `key:` each key line carries; lines without Tourniquet's tag are ignored.
    public static func keyValues(inHTTPFile text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("\"~^"), let end = trimmed.range(of: "$\" 1; # tq:"),
                let fp = trimmed.range(of: " key:", range: end.upperBound..<trimmed.endIndex)
            else { continue }
            let pattern = trimmed[trimmed.index(trimmed.startIndex, offsetBy: 3)..<end.lowerBound]
            let fingerprint = trimmed[fp.upperBound...].prefix { $0 != " " }
            out[String(fingerprint)] = pattern.replacingOccurrences(of: "\\", with: "")
        }
        return out
    }

    /// API keys are base64, hex or UUID-like: anything else is refused rather than escaped.
    public static func isKeyValue(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.count <= 512
            && value.unicodeScalars.allSatisfy { $0.isASCII && (CharacterClass.alnum($0) || "._~+/=-".unicodeScalars.contains($0)) }
    }

    static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterClass.alnum($0) || $0 == "-" || $0 == "_") }
    }

    /// A key as a PCRE literal: every character that is not a letter or digit is escaped.
    static func regexLiteral(_ value: String) -> String {
        value.unicodeScalars.map { CharacterClass.alnum($0) ? String($0) : "\\" + String($0) }.joined()
    }

    /// A route template as a regex over the URI: each `{parameter}` is one path segment.
    static func routePattern(_ route: String) -> String {
        var out = ""
        var inParameter = false
        for scalar in route.unicodeScalars {
            if inParameter {
                if scalar == "}" { inParameter = false }
                continue
            }
            if scalar == "{" {
                inParameter = true
                out += "[^/]+"
            } else if CharacterClass.alnum(scalar) || scalar == "/" || scalar == "_" || scalar == "-" {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\" + String(scalar)
            }
        }
        return out
    }

    /// Text inside an nginx double-quoted string: quotes and backslashes escaped, `$` (which nginx
    /// would read as a variable) and control characters dropped.
    static func quoted(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars where scalar.value >= 0x20 && scalar.value != 0x7F && scalar != "$" {
            if scalar == "\"" || scalar == "\\" { out += "\\" }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    static func commentSafe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value > 0x20 && $0.value < 0x7F }).prefix(64))
    }
}
