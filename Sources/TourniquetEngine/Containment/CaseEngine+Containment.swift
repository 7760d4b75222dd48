import TourniquetDetection
import TourniquetModel
import TourniquetStore

/// A guard refused a measure: what it would hit, and how to go ahead anyway.
public struct GuardRefusal: ResponderFacingError {
    public var measure: ContainmentMeasure
    public var reasons: [String]
    public var description: String {
        "refused to \(measure.summary): " + reasons.joined(separator: "; ")
            + ". If this is what you mean, say why with --force REASON"
    }
    public var exitCode: Int32 { 1 }
}

extension CaseEngine {
    /// The measures of the case and their states, now.
    public static func ledger(of caseFile: CaseFile, nowMs: Int64) throws -> ContainmentLedger {
        ContainmentLedger(actions: try caseFile.actions(ofKinds: containmentKinds), nowMs: nowMs)
    }

    static let containmentKinds: [ActionKind] = [
        .containmentPlanned, .containmentUndone, .containmentApplying, .containmentApplied, .containmentFailed, .containmentVerified,
    ]

    /// What each measure would have stopped in the case's evidence.
    public static func whatIf(_ caseFile: CaseFile, measures: [ContainmentMeasure]) throws -> [WhatIfFigures] {
        try WhatIfReplay.run(caseFile, measures: measures)
    }

    /// Why the guards refuse a measure, given what it would have stopped; empty when none does.
    public static func guardReasons(_ measure: ContainmentMeasure, figures: WhatIfFigures, allowlist: Allowlist) -> [String] {
        guard case .blockAddress(let network, _) = measure else { return [] }
        var reasons: [String] = []
        for entry in allowlist.entries where entry.kind != .client {
            if let allowed = CIDR(entry.value), allowed.overlaps(network) { reasons.append("\(network) covers allowlisted \(entry.value)") }
        }
        for reserved in CIDR.reserved where reserved.network.overlaps(network) {
            reasons.append("\(network) is or covers a \(reserved.name) range (\(reserved.network))")
        }
        if figures.benignIdentities >= AddressPopulation.sharedMinIdentities {
            reasons.append(
                "it served \(figures.benignIdentities) other identities in the evidence, a shared address such as an office NAT: "
                    + "the block would stop \(figures.benignRequests) of their requests")
        } else if figures.attackersKnown && figures.requests > 0 && figures.attackerRequests == 0 {
            reasons.append("none of its \(figures.requests) requests in the evidence came from a source or client scope names as an attacker")
        }
        return reasons
    }

    func changeCaseStatus(_ status: CaseStatus, reason: String) throws -> Action {
        try CaseEngine.requireReason(reason, to: "change the case's status")
        return try caseFile.changeStatus(status, reason: reason, actor: context.actor, clock: context.clock)
    }

    /// Plans one measure through the guards. A caller planning several at once (a playbook step)
    /// passes what it already read: the measures in force, the allowlist, and each measure's
    /// what-if figures from one replay.
    func planContainment(
        _ measure: ContainmentMeasure, reason: String, force: String?, figures known: WhatIfFigures? = nil, inForce: [ContainmentEntry]? = nil,
        allowlist: Allowlist? = nil
    ) throws -> Action {
        try CaseEngine.requireReason(reason, to: measure.summary)
        try CaseEngine.validate(measure, nowMs: context.clock.nowMs())
        let current = try inForce ?? CaseEngine.ledger(of: caseFile, nowMs: context.clock.nowMs()).inForce
        if let same = current.first(where: { $0.measure.sameTarget(as: measure) }) {
            throw RefusedRequest("measure #\(same.id) already does this (\(same.measure.summary)); undo it first to change it")
        }
        let figures = try known ?? CaseEngine.whatIf(caseFile, measures: [measure])[0]
        let reasons = CaseEngine.guardReasons(measure, figures: figures, allowlist: try allowlist ?? caseFile.allowlist())
        if !reasons.isEmpty {
            guard let force, !force.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw GuardRefusal(measure: measure, reasons: reasons)
            }
        }
        var details = measure.details.objectFields
        details["what_if"] = figures.json
        details["guards"] = .array(reasons.map { .string($0) })
        details["forced"] = reasons.isEmpty ? .null : force.map { .string($0) } ?? .null
        return try caseFile.record(
            ActionDraft(kind: .containmentPlanned, target: "containment", details: .fields(details), rationale: reason),
            actor: context.actor, clock: context.clock)
    }

    func undoContainment(id: Int64, reason: String) throws -> Action {
        try CaseEngine.requireReason(reason, to: "undo a measure")
        guard let entry = try CaseEngine.ledger(of: caseFile, nowMs: context.clock.nowMs())[id] else {
            throw RefusedRequest("there is no containment measure #\(id) (`tourniquet contain CASE list` shows them)")
        }
        guard entry.undoneBy == nil else { throw RefusedRequest("measure #\(id) was already undone by action #\(entry.undoneBy!)") }
        let details: JSONValue = .fields(["measure_id": .int(id), "measure": .string(entry.measure.summary)])
        return try caseFile.record(
            ActionDraft(kind: .containmentUndone, target: "containment:\(id)", details: details, rationale: reason),
            actor: context.actor, clock: context.clock)
    }

    /// One step of an apply (intent, outcome, check), recorded against the gateway it changes.
    func recordApplyStep(_ kind: ActionKind, gateway: String, _ details: [String: JSONValue], reason: String) throws -> Action {
        try caseFile.record(
            ActionDraft(kind: kind, target: "gateway:\(gateway)", details: .fields(details), rationale: reason), actor: context.actor,
            clock: context.clock)
    }

    static func requireReason(_ reason: String, to what: String) throws {
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw RefusedRequest("a reason is required to \(what)") }
    }

    /// Refuses what no gateway could be told safely: the artifacts quote these values.
    static func validate(_ measure: ContainmentMeasure, nowMs: Int64) throws {
        switch measure {
        case .blockAddress(_, let expires):
            if let expires, expires <= nowMs { throw RefusedRequest("the block would expire before it starts") }
        case .blockKey(let fingerprint, let consumer):
            guard !fingerprint.isEmpty, fingerprint.count <= 128, fingerprint.allSatisfy({ $0.isLetter || $0.isNumber || $0 == ":" || $0 == "-" })
            else { throw RefusedRequest("'\(DisplayText.escaped(fingerprint))' is not a key fingerprint (`tourniquet fingerprint` makes one)") }
            if let consumer, consumer.isEmpty || consumer.count > 256 { throw RefusedRequest("the consumer name is empty or too long") }
        case .disableEndpoint(let method, let route, let status, let message):
            guard !method.isEmpty, method.count <= 16, method.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                throw RefusedRequest("'\(DisplayText.escaped(method))' is not an HTTP method (GET, POST, …)")
            }
            let routeCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._~-{}:@")
            guard route.hasPrefix("/"), route.count <= 512, route.allSatisfy({ routeCharacters.contains($0) }) else {
                throw RefusedRequest("'\(DisplayText.escaped(route))' is not a route such as /v1/orders/{id}")
            }
            guard ContainmentMeasure.endpointStatuses.contains(status) else { throw RefusedRequest("an endpoint is disabled with 410 or 503") }
            if let message, message.count > 200 || message.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                throw RefusedRequest("the message must be one line of at most 200 characters")
            }
        case .revokeTokens(let selector, let until):
            guard until > nowMs else { throw RefusedRequest("the deny would end before it starts: --until must be in the future") }
            let value: String
            switch selector {
            case .jti(let v), .subject(let v, _), .client(let v): value = v
            }
            guard !value.isEmpty, value.count <= 256, !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw RefusedRequest("a token id, subject or client is one line of at most 256 characters")
            }
        }
    }
}

extension ContainmentMeasure {
    /// Whether two measures act on the same thing (the same network, key or endpoint).
    func sameTarget(as other: ContainmentMeasure) -> Bool {
        switch (self, other) {
        case (.blockAddress(let a, _), .blockAddress(let b, _)): return a.description == b.description
        case (.blockKey(let a, _), .blockKey(let b, _)): return a == b
        case (.disableEndpoint(let m1, let r1, _, _), .disableEndpoint(let m2, let r2, _, _)): return m1 == m2 && r1 == r2
        case (.revokeTokens(let a, _), .revokeTokens(let b, _)): return a == b
        default: return false
        }
    }
}

extension JSONValue {
    /// The members of an object by key; empty for anything else.
    var objectFields: [String: JSONValue] {
        if case .object(let o) = self { return o.fields }
        return [:]
    }
}
