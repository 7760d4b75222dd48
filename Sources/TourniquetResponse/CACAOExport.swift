import TourniquetModel

/// A playbook as an OASIS CACAO v2.0 playbook (JSON). Each Tourniquet step becomes one workflow
/// step, chained with `on_completion` from a start step to an end step:
///
/// - questions, checklist items and notifications are `action` steps with a `manual` command for
///   the responder (an `individual` agent);
/// - containment steps are `action` steps with an `http-api` command to the gateway's API (Kong's
///   Admin API; the authorization server's revocation endpoint for tokens), their values in an
///   external playbook variable filled from the scope report;
/// - decisions are `switch-condition` steps over a variable, one case per option, each case
///   continuing the playbook (Tourniquet's branches do not return to the switch).
///
/// Every step also carries its exact Tourniquet form in a step extension, so that `import` gives
/// back the same playbook; other tools ignore it.
public enum CACAOExport {
    /// Ids are derived from the playbook's and steps' names, so an export is the same every time.
    static func identifier(_ type: String, _ seed: String) -> String {
        var bytes = Array(ContentDigest.sha256Hex(Array("tourniquet:\(seed)".utf8)).utf8.prefix(32))
        bytes[12] = UInt8(ascii: "5")  // the version nibble: name-based
        let variant = Array("89ab".utf8)
        bytes[16] = variant[Int(bytes[16]) % 4]
        let hex = String(decoding: bytes, as: UTF8.self)
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex[hex.index(hex.startIndex, offsetBy: range.lowerBound)..<hex.index(hex.startIndex, offsetBy: range.upperBound)])
        }
        return type + "--" + parts.joined(separator: "-")
    }

    public static let extensionID = identifier("extension-definition", "extension:tourniquet-step")
    static let creator = identifier("identity", "identity:tourniquet")
    static let responder = identifier("individual", "agent:responder")
    static let gatewayAPI = identifier("http-api", "agent:gateway-admin-api")
    static let authorizationServer = identifier("http-api", "agent:authorization-server")

    public static func stepID(_ playbook: Playbook, _ step: Playbook.Step) -> String {
        let type: String
        switch step.kind {
        case .decision: type = "switch-condition"
        default: type = "action"
        }
        return identifier(type, "step:\(playbook.id):\(step.id)")
    }

    /// The CACAO document; `created` is when it was made (CACAO wants milliseconds).
    public static func document(_ playbook: Playbook, createdMs: Int64) -> JSONValue {
        let start = identifier("start", "start:\(playbook.id)")
        let end = identifier("end", "end:\(playbook.id)")
        func target(_ next: String) -> String { next == Playbook.end ? end : playbook.step(next).map { stepID(playbook, $0) } ?? end }
        var workflow: [String: JSONValue] = [
            start: .fields(["type": "start", "name": "Start", "on_completion": .string(playbook.steps.first.map { stepID(playbook, $0) } ?? end)]),
            end: .fields(["type": "end", "name": "End"]),
        ]
        var variables: [String: JSONValue] = [:]
        for step in playbook.steps {
            var fields: [String: JSONValue] = [
                "name": .string(step.title),
                "step_extensions": .fields([extensionID: extensionFields(step)]),
            ]
            if !step.detail.isEmpty { fields["description"] = .string(step.detail) }
            switch step.kind {
            case .question(let question, let next):
                fields["type"] = "action"
                fields["agent"] = .string(responder)
                fields["commands"] = [manual("Answer from the scope report: \(question.wording) (\(question.rawValue))")]
                fields["on_completion"] = .string(target(next))
            case .checklist(let next):
                fields["type"] = "action"
                fields["agent"] = .string(responder)
                fields["commands"] = [manual(step.title)]
                fields["on_completion"] = .string(target(next))
            case .notify(let obligation, let next):
                fields["type"] = "action"
                fields["agent"] = .string(responder)
                fields["commands"] = [manual("Notify under \(obligation): draft the notice, send it before its deadline, record it")]
                fields["on_completion"] = .string(target(next))
            case .contain(let contain, let next):
                let variable = "__" + contain.from.rawValue.replacingOccurrences(of: "-", with: "_") + "__"
                variables[variable] = .fields([
                    "type": "string", "external": true,
                    "description": .string("Filled from the scope report: \(contain.from.wording) One value per measure."),
                ])
                fields["type"] = "action"
                fields["agent"] = .string(contain.action == .revokeToken && contain.from != .attackerClients ? authorizationServer : gatewayAPI)
                fields["commands"] = [httpCommand(contain, variable: variable)]
                fields["on_completion"] = .string(target(next))
            case .decision(let options):
                let variable = "__" + step.id.replacingOccurrences(of: "-", with: "_") + "__"
                variables[variable] = .fields(["type": "string", "external": true, "description": .string("The responder's answer: \(step.title)")])
                fields["type"] = "switch-condition"
                fields["switch"] = .string(variable + ":value")
                fields["cases"] = .fields(Dictionary(uniqueKeysWithValues: options.map { (caseKey($0.label), JSONValue.string(target($0.next))) }))
            }
            workflow[stepID(playbook, step)] = .fields(fields)
        }
        let created = UTCTime.format(ms: createdMs)
        var document: [String: JSONValue] = [
            "type": "playbook", "spec_version": "cacao-2.0", "id": .string(identifier("playbook", "playbook:\(playbook.id)")),
            "name": .string(playbook.title), "created_by": .string(creator), "created": .string(created), "modified": .string(created),
            "playbook_types": ["investigation", "mitigation", "notification"],
            "playbook_activities": ["analyze-collected-data", "restrict-access", "compose-content", "deliver-content"],
            "labels": .array(
                [.string("tourniquet"), .string("tourniquet-version-\(playbook.version)")]
                    + playbook.detectors.map { .string("detector-\($0.rawValue)") }),
            "workflow_start": .string(start), "workflow": .fields(workflow),
            "agent_definitions": .fields([
                responder: .fields(["type": "individual", "name": "Incident responder"]),
                gatewayAPI: .fields([
                    "type": "http-api", "name": "Gateway Admin API (Kong)", "address": .fields(["dname": ["kong-admin.internal"]]), "port": "8001",
                ]),
                authorizationServer: .fields([
                    "type": "http-api", "name": "Authorization server (RFC 7009 revocation)", "address": .fields(["dname": ["auth.internal"]]),
                    "port": "443",
                ]),
            ]),
            "extension_definitions": .fields([
                extensionID: .fields([
                    "type": "extension-definition", "name": "tourniquet-step", "created_by": .string(creator), "version": "1.0.0",
                    "description": "The step as Tourniquet runs it: kind, scope answer, containment action and its parameters, options, obligation",
                    "schema": "docs/PLAYBOOKS.md (Tourniquet), section CACAO",
                ])
            ]),
            "playbook_extensions": .fields([
                extensionID: .fields([
                    "id": .string(playbook.id), "version": .string(playbook.version),
                    "detectors": .array(playbook.detectors.map { .string($0.rawValue) }),
                    "steps": .array(playbook.steps.map { .string($0.id) }),
                ])
            ]),
        ]
        if !playbook.description.isEmpty { document["description"] = .string(playbook.description) }
        if !variables.isEmpty { document["playbook_variables"] = .fields(variables) }
        return .fields(document)
    }

    static func manual(_ text: String) -> JSONValue { .fields(["type": "manual", "command": .string(text)]) }

    /// The gateway call that carries out a containment step, as an HTTP start line and body.
    static func httpCommand(_ contain: Playbook.ContainStep, variable: String) -> JSONValue {
        let value = variable + ":value"
        let (line, body, description): (String, String, String)
        switch contain.action {
        case .blockIP:
            line = "PATCH /plugins/tourniquet-ip-restriction HTTP/1.1"
            body = #"{"config":{"deny":[""# + value + #""]}}"#
            description = "Add the sources to the ip-restriction deny list (Kong replaces the list whole: read, merge, write)"
        case .blockKey:
            line = "POST /consumers/" + value + "/plugins HTTP/1.1"
            body = #"{"name":"request-termination","config":{"status_code":403,"message":"This API key is blocked"}}"#
            description = "Refuse the key's consumer at the gateway (403); rotate the credential with its holder"
        case .revokeToken where contain.from == .attackerClients:
            line = "POST /consumers/" + value + "/plugins HTTP/1.1"
            body = #"{"name":"request-termination","config":{"status_code":401,"message":"Token revoked"}}"#
            description = "Deny the client's tokens at the gateway until they expire"
        case .revokeToken:
            line = "POST /oauth2/revoke HTTP/1.1"
            body = "token=" + value + "&token_type_hint=refresh_token"
            description = "RFC 7009 revocation of each token of the account; also deny its jti/sub at the gateway until exp"
        case .disableEndpoint:
            line = "POST /routes/tourniquet-" + value + "/plugins HTTP/1.1"
            body = #"{"name":"request-termination","config":{"status_code":"# + String(contain.status) + "}}"
            description = "Answer \(contain.status) on the endpoint from a route of its own"
        }
        return .fields([
            "type": "http-api", "command": .string(line), "content": .string(body), "description": .string(description),
            "headers": .fields([
                "Content-Type": [
                    .string(
                        contain.action == .revokeToken && contain.from != .attackerClients ? "application/x-www-form-urlencoded" : "application/json")
                ]
            ]),
        ])
    }

    /// A case key CACAO accepts: letters, digits, `_` and `-`.
    static func caseKey(_ label: String) -> String {
        let key = String(label.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" })
        return key.isEmpty ? "option" : String(key.prefix(250))
    }

    static func extensionFields(_ step: Playbook.Step) -> JSONValue {
        var fields: [String: JSONValue] = ["id": .string(step.id), "kind": .string(step.kindName)]
        switch step.kind {
        case .question(let answer, let next):
            fields["answer"] = .string(answer.rawValue)
            fields["next"] = .string(next)
        case .contain(let contain, let next):
            fields["action"] = .string(contain.action.rawValue)
            fields["from"] = .string(contain.from.rawValue)
            if contain.action == .disableEndpoint { fields["status"] = .int(Int64(contain.status)) }
            if let ms = contain.durationMs { fields["duration"] = .string(PlaybookYAML.duration(ms)) }
            fields["next"] = .string(next)
        case .checklist(let next):
            fields["next"] = .string(next)
        case .notify(let obligation, let next):
            fields["obligation"] = .string(obligation)
            fields["next"] = .string(next)
        case .decision(let options):
            fields["options"] = .array(
                options.map { .fields(["label": .string($0.label), "next": .string($0.next), "case": .string(caseKey($0.label))]) })
        }
        return .fields(fields)
    }
}
