import TourniquetModel

/// The measures in force as Kong entities, every one tagged as Tourniquet's for this case so that
/// later applies find it by tag, never by guessing:
///
/// - blocked addresses: one global `ip-restriction` plugin whose `config.deny` is the whole list;
/// - blocked keys: a `request-termination` plugin (403) scoped to the key's consumer. Kong blocks
///   per consumer, and a plugin can be removed again; deleting the credential cannot be undone,
///   so that is listed as the rotation step for the responder to run;
/// - disabled endpoints: a route of Tourniquet's own, a regex path and the one method, on the
///   service that serves the path, with a `request-termination` plugin (410 or 503).
///
/// It renders a partial decK file for `deck gateway apply` (never `sync`, which deletes whatever
/// the file does not hold), and the Admin API calls that make the same change.
public struct KongPlan: Equatable, Sendable {
    public struct Termination: Equatable, Sendable {
        public var measureID: Int64
        public var status: Int
        public var message: String
    }
    public struct ConsumerBlock: Equatable, Sendable {
        public var measureID: Int64
        public var consumer: String
        /// 403 for a blocked key, 401 for revoked tokens.
        public var status: Int = 403
        public var message: String = "This API key is blocked"
        /// The key-auth credential's id when the gateway state has it: the rotation step deletes it.
        public var credentialID: String?
    }
    public struct RouteBlock: Equatable, Sendable {
        public var measureID: Int64
        public var name: String
        public var service: String
        public var method: String
        /// A Kong 3 regex path (`~/v1/orders/[^/]+$`).
        public var path: String
        public var termination: Termination
    }

    /// The tag on every entity Tourniquet creates for this case.
    public var caseTag: String
    public var deny: [String]
    public var consumers: [ConsumerBlock]
    public var routes: [RouteBlock]
    /// Measures Kong is not told, and why: the apply leaves them out (they stay pending).
    public var skipped: [KongPlan.Skipped] = []

    public struct Skipped: Equatable, Sendable {
        public var id: Int64
        public var why: String
    }

    public static let ownerTag = "tourniquet"
    public static func measureTag(_ id: Int64) -> String { "tq-measure-\(id)" }

    public init(caseID: String, entries: [ContainmentEntry], gateway: GatewayModel?) throws {
        caseTag = "tq-case-" + String(caseID.prefix(8))
        var deny: [String] = []
        var consumers: [ConsumerBlock] = []
        var routes: [RouteBlock] = []
        for entry in entries.sorted(by: { $0.id < $1.id }) {
            switch entry.measure {
            case .blockAddress(let network, _):
                deny.append(network.description)
            case .blockKey(let fingerprint, let named):
                let credential = gateway?.credentials.first { $0.fingerprint == fingerprint || $0.id == fingerprint }
                guard let consumer = credential?.consumer ?? named else {
                    throw NginxArtifacts.Unrenderable(
                        description: "measure #\(entry.id): Kong blocks a key through its consumer, and no consumer of \(fingerprint) is known: "
                            + "import the gateway state (tourniquet gateway import)")
                }
                consumers.append(
                    ConsumerBlock(
                        measureID: entry.id, consumer: consumer, status: 403, message: "This API key is blocked", credentialID: credential?.id))
            case .revokeTokens(.client(let consumer), _):
                consumers.append(
                    ConsumerBlock(measureID: entry.id, consumer: consumer, status: 401, message: "Token revoked", credentialID: nil))
            case .revokeTokens:
                skipped.append(
                    Skipped(id: entry.id, why: "Kong's jwt plugin keeps no deny list of token ids or subjects: revoke at the authorization server"))
            case .disableEndpoint(let method, let route, let status, let message):
                guard let service = KongPlan.service(serving: method, route, in: gateway) else {
                    throw NginxArtifacts.Unrenderable(
                        description: "measure #\(entry.id): no route of the imported gateway state serves \(method) \(route), so the service "
                            + "to disable it on is unknown: import the decK file (tourniquet gateway import)")
                }
                routes.append(
                    RouteBlock(
                        measureID: entry.id, name: "tourniquet-\(entry.id)", service: service, method: method,
                        path: "~" + NginxArtifacts.routePattern(route) + "$",
                        termination: Termination(
                            measureID: entry.id, status: status,
                            message: message ?? (status == 410 ? "This endpoint is gone." : "Temporarily unavailable."))))
            }
        }
        self.deny = deny
        self.consumers = consumers
        self.routes = routes
    }

    /// The service whose route serves the path: the longest matching prefix path, with the method
    /// among its methods (or none listed).
    static func service(serving method: String, _ route: String, in gateway: GatewayModel?) -> String? {
        var best: (length: Int, service: String)?
        for candidate in gateway?.routes ?? [] {
            guard let service = candidate.service, candidate.methods.isEmpty || candidate.methods.contains(method) else { continue }
            for path in candidate.paths where !path.hasPrefix("~") && route.hasPrefix(path) && path.count > (best?.length ?? -1) {
                best = (path.count, service)
            }
        }
        return best?.service
    }

    public func tags(_ measure: Int64? = nil) -> [String] {
        [KongPlan.ownerTag, caseTag] + (measure.map { [KongPlan.measureTag($0)] } ?? [])
    }

    /// A partial decK file: `deck gateway apply` creates and updates what it holds and deletes
    /// nothing. `select_tags` confines it to Tourniquet's entities of this case.
    public var deckFile: String {
        var lines = [
            "# Tourniquet's containment for this case, for `deck gateway apply` (never `deck gateway sync`).",
            "_format_version: \"3.0\"", "_info:", "  select_tags:", "  - \(KongPlan.ownerTag)", "  - \(caseTag)",
        ]
        var plugins: [String] = []
        if !deny.isEmpty {
            plugins += ["- name: ip-restriction", "  config:", "    deny:"] + deny.map { "    - \(yaml($0))" }
            plugins += ["    status: 403", "    message: Blocked during incident response"]
        }
        for block in consumers {
            plugins += [
                "- name: request-termination", "  consumer: \(yaml(block.consumer))", "  config:", "    status_code: \(block.status)",
                "    message: \(yaml(block.message))", "  tags:",
            ]
            plugins += tags(block.measureID).map { "  - \($0)" }
        }
        if !plugins.isEmpty { lines += ["plugins:"] + plugins }
        if !routes.isEmpty {
            lines.append("routes:")
            for route in routes {
                lines += [
                    "- name: \(route.name)", "  service:", "    name: \(yaml(route.service))", "  paths:", "  - \(yaml(route.path))",
                    "  methods:", "  - \(route.method)", "  regex_priority: 1000", "  strip_path: false", "  plugins:",
                    "  - name: request-termination", "    config:", "      status_code: \(route.termination.status)",
                    "      message: \(yaml(route.termination.message))", "    tags:",
                ]
                lines += tags(route.measureID).map { "    - \($0)" }
                lines += ["  tags:"] + tags(route.measureID).map { "  - \($0)" }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The credential deletions that rotate the blocked keys: irreversible, so listed for the
    /// responder, never run by an apply.
    public var rotationCalls: [String] {
        consumers.compactMap { block in
            block.credentialID.map { "DELETE /consumers/\(KongPlan.pathSegment(block.consumer))/key-auth/\(KongPlan.pathSegment($0))" }
        }
    }

    /// A YAML double-quoted scalar.
    func yaml(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + KongPlan.hex(UInt8(scalar.value))
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    /// A path segment with everything but unreserved characters percent-encoded.
    public static func pathSegment(_ text: String) -> String { URLText.percentEncoded(text) }
}
