import Foundation
import TourniquetContainment
import TourniquetModel
import TourniquetStore

/// One apply to Cloudflare: the plan from the blocked addresses in force, recorded as intent with
/// the script; then the files written (`--out`) and/or the API brought to the plan (`--apply`),
/// finding Tourniquet's entries by their tags; then checked by reading them back.
struct CloudflareApply {
    /// Items per bulk call: one pending bulk operation per account, so fewer, larger calls.
    static let batch = 1_000

    let engine: CaseEngine
    let target: CloudflareTarget
    let reason: String

    private var caseFile: CaseWriter { engine.caseFile }

    func run() throws -> ApplyReport {
        try validateTarget()
        let token = try target.apply ? SecretFile.firstLine(of: target.apiTokenPath ?? "", what: "the API token (--api-token-file)") : ""
        let client =
            try target.apply
            ? CloudflareClient(base: target.apiBase, token: token, budget: RequestBudget(limit: target.callsPerFiveMinutes, window: 300)) : nil
        let ledger = try CaseEngine.ledger(of: caseFile, nowMs: engine.context.clock.nowMs())
        let plan = CloudflarePlan(caseID: caseFile.metadata.id, entries: ledger.inForce, mode: target.mode)
        let skippedIDs = Set(plan.skipped.map(\.id))
        let puts = ledger.inForce.filter { !skippedIDs.contains($0.id) }
        let script = plan.script(accountID: target.accountID, zoneID: target.zoneID)
        let texts: [(name: String, text: String, mode: mode_t)] = [
            (CloudflarePlan.scriptFile, script, 0o755), (CloudflarePlan.itemsFile, plan.items(plan.entries).canonicalJSON + "\n", 0o644),
        ]
        let files = target.outDir.map { dir in texts.map { (dir as NSString).appendingPathComponent($0.name) } } ?? []
        let intent = try record(
            .containmentApplying,
            [
                "target": GatewayTarget.cloudflare(target).details,
                "gateway": "cloudflare", "mode": .string(target.mode.rawValue), "zone": .string(target.zoneID),
                "account": target.accountID.map { .string($0) } ?? .null, "api": target.apply ? .string(target.apiBase) : .null,
                "out": target.outDir.map { .string($0) } ?? .null, "puts": .array(puts.map { .int($0.id) }),
                "removes": .array(ledger.toRemove.map { .int($0.id) }), "widened": .array(plan.widened.map { .string($0) }),
                "artifacts": .fields(Dictionary(uniqueKeysWithValues: texts.map { ($0.name, JSONValue.string($0.text)) })),
            ])
        var report = ApplyReport(
            gateway: "cloudflare", intent: intent, outcome: intent, verification: nil, puts: puts, removes: ledger.toRemove, files: files,
            problem: nil, checks: [], skipped: plan.skipped, notes: plan.widened)
        var changes: [String] = []
        do {
            for (text, path) in zip(texts, files) { try AtomicFile.write(text.text, to: path, mode: text.mode) }
            if let client {
                changes = try target.mode == .list ? syncList(plan, client) : syncAccessRules(plan, client)
            }
        } catch {
            report.problem = "\(error)"
            report.outcome = try engine.recordApplyFailure(
                intent, gateway: "cloudflare", phase: "apply", error: error, calls: client?.log ?? [], reason: reason)
            return report
        }
        report.outcome = try record(
            .containmentApplied,
            [
                "apply": .int(intent.id), "files": .array(files.map { .string($0) }), "changes": .array(changes.map { .string($0) }),
                "calls": .array((client?.log ?? []).map { .string($0) }),
                "run_by": client == nil ? "the responder, with the script" : "Tourniquet, over the API",
            ])
        guard let client else { return report }
        let problems = try target.mode == .list ? checkList(plan, client) : checkAccessRules(plan, client)
        if problems.isEmpty {
            report.checks = [
                target.mode == .list
                    ? "list \(plan.listName) holds \(plan.entries.count) addresses and the zone's rule `\(plan.ruleExpression)` blocks them"
                    : "the zone holds \(plan.entries.count) access rules tagged \(plan.caseTag)"
            ]
            report.verification = try record(.containmentVerified, ["apply": .int(intent.id), "checks": .array(report.checks.map { .string($0) })])
        } else {
            report.problem = problems.joined(separator: "; ")
            report.verification = try record(.containmentFailed, ["apply": .int(intent.id), "phase": "verify", "error": .string(report.problem!)])
        }
        return report
    }

    private func validateTarget() throws {
        guard target.outDir != nil || target.apply else {
            throw RefusedRequest("give --out DIR for the script, --apply to make the calls now (with --api-token-file), or both")
        }
        if let dir = target.outDir, !FileManager.default.fileExists(atPath: dir) { throw RefusedRequest("\(dir) is not a directory") }
        // Both go into paths and into the script, so they are held to Cloudflare's own id shape.
        for (name, value) in [("--zone", target.zoneID), ("--account", target.accountID ?? "x")] where !CloudflareApply.isID(value) {
            throw RefusedRequest("\(name): '\(DisplayText.escaped(value))' is not a Cloudflare id (letters and digits)")
        }
        if target.mode == .list && target.accountID == nil { throw RefusedRequest("list mode needs --account: lists belong to the account") }
        if target.apply && target.apiTokenPath == nil { throw RefusedRequest("--apply needs --api-token-file, a file whose first line is the token") }
    }

    static func isID(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.unicodeScalars.allSatisfy { CharacterClass.alnum($0) || $0 == "-" || $0 == "_" }
    }

    // MARK: - List mode

    private func listsPath() -> String { "/accounts/\(URLText.percentEncoded(target.accountID ?? ""))/rules/lists" }
    private var entrypointPath: String { "/zones/\(URLText.percentEncoded(target.zoneID))/rulesets/phases/\(CloudflarePlan.phase)/entrypoint" }

    /// Brings the case's list and rule to the plan: removes the case's items no longer wanted, adds
    /// the missing ones in batches (waiting for each bulk operation), and makes sure the rule exists.
    private func syncList(_ plan: CloudflarePlan, _ client: CloudflareClient) throws -> [String] {
        var changes: [String] = []
        let listID: String
        if let found = try findList(plan, client) {
            listID = found
        } else {
            guard let created = try client.call("POST", listsPath(), body: plan.createList)?["id"]?.stringValue else {
                throw CloudflareClient.Failure(description: "Cloudflare created the list \(plan.listName) but gave no id")
            }
            listID = created
            changes.append("created list \(plan.listName)")
        }
        let itemsPath = listsPath() + "/\(URLText.percentEncoded(listID))/items"
        let present = try client.list(itemsPath + "?per_page=500")
        let wanted = Set(plan.entries.map(\.value))
        let stale = present.filter {
            plan.isOurs($0["comment"]?.stringValue) && !wanted.contains(CloudflarePlan.normalized($0["ip"]?.stringValue ?? ""))
        }
        let have = Set(present.compactMap { $0["ip"]?.stringValue.map(CloudflarePlan.normalized) })
        let missing = plan.entries.filter { !have.contains($0.value) }
        for chunk in CloudflareApply.chunks(stale.compactMap { $0["id"]?.stringValue }) {
            let body = JSONValue.fields(["items": .array(chunk.map { .fields(["id": .string($0)]) })])
            try wait(for: client.call("DELETE", itemsPath, body: body), client)
            changes.append("removed \(chunk.count) items")
        }
        for chunk in CloudflareApply.chunks(missing) {
            try wait(for: client.call("POST", itemsPath, body: plan.items(Array(chunk))), client)
            changes.append("added \(chunk.count) items")
        }
        // The rule: found by its ref in the zone's custom-rules entry point, which may not exist yet.
        if let ruleset = try client.call("GET", entrypointPath, missingIsFine: true) {
            let ours = ruleset["rules"]?.arrayValue?.first { $0["ref"]?.stringValue == plan.listName }
            let rulesetID = URLText.percentEncoded(ruleset["id"]?.stringValue ?? "")
            if let ours, let ruleID = ours["id"]?.stringValue {
                if ours["enabled"] != .bool(true) || ours["expression"]?.stringValue != plan.ruleExpression {
                    try client.call(
                        "PATCH", "/zones/\(URLText.percentEncoded(target.zoneID))/rulesets/\(rulesetID)/rules/\(URLText.percentEncoded(ruleID))",
                        body: plan.rule)
                    changes.append("restored the rule \(plan.listName)")
                }
            } else {
                try client.call("POST", "/zones/\(URLText.percentEncoded(target.zoneID))/rulesets/\(rulesetID)/rules", body: plan.rule)
                changes.append("added the rule \(plan.listName)")
            }
        } else {
            try client.call("PUT", entrypointPath, body: .fields(["rules": [plan.rule]]))
            changes.append("created the zone's custom rules with the rule \(plan.listName)")
        }
        return changes
    }

    private func findList(_ plan: CloudflarePlan, _ client: CloudflareClient) throws -> String? {
        try client.call("GET", listsPath())?.arrayValue?.first { $0["name"]?.stringValue == plan.listName }?["id"]?.stringValue
    }

    private func wait(for result: JSONValue?, _ client: CloudflareClient) throws {
        guard let operation = result?["operation_id"]?.stringValue else {
            throw CloudflareClient.Failure(description: "Cloudflare accepted a list change but gave no operation id to follow")
        }
        try client.waitForOperation(operation, account: target.accountID ?? "")
    }

    private func checkList(_ plan: CloudflarePlan, _ client: CloudflareClient) throws -> [String] {
        var problems: [String] = []
        guard let listID = try findList(plan, client) else { return ["the list \(plan.listName) is gone"] }
        let items = try client.list(listsPath() + "/\(URLText.percentEncoded(listID))/items?per_page=500")
        let held = Set(items.compactMap { $0["ip"]?.stringValue.map(CloudflarePlan.normalized) })
        let ours = Set(items.filter { plan.isOurs($0["comment"]?.stringValue) }.compactMap { $0["ip"]?.stringValue.map(CloudflarePlan.normalized) })
        let wanted = Set(plan.entries.map(\.value))
        if !wanted.isSubset(of: held) { problems.append("the list lacks \(wanted.subtracting(held).sorted().joined(separator: ", "))") }
        if !ours.isSubset(of: wanted) { problems.append("the list still holds \(ours.subtracting(wanted).sorted().joined(separator: ", "))") }
        let rule = try client.call("GET", entrypointPath, missingIsFine: true)?["rules"]?.arrayValue?.first {
            $0["ref"]?.stringValue == plan.listName
        }
        if rule?["enabled"] != .bool(true) || rule?["expression"]?.stringValue != plan.ruleExpression {
            problems.append("the zone has no enabled rule `\(plan.ruleExpression)`")
        }
        return problems
    }

    // MARK: - Access rules (legacy)

    private var accessRulesPath: String { "/zones/\(URLText.percentEncoded(target.zoneID))/firewall/access_rules/rules" }

    /// The case's access rules, found by the case tag in their notes, never by value alone.
    private func ourAccessRules(_ plan: CloudflarePlan, _ client: CloudflareClient) throws -> [JSONValue] {
        try client.list(accessRulesPath + "?notes=\(plan.caseTag)&per_page=100").filter { plan.isOurs($0["notes"]?.stringValue) }
    }

    /// One call per rule (the API has no batch for them), each paced by the budget.
    private func syncAccessRules(_ plan: CloudflarePlan, _ client: CloudflareClient) throws -> [String] {
        let ours = try ourAccessRules(plan, client)
        let wanted = Set(plan.entries.map(\.value))
        var changes: [String] = []
        for rule in ours where !wanted.contains(CloudflarePlan.normalized(rule["configuration"]?["value"]?.stringValue ?? "")) {
            guard let id = rule["id"]?.stringValue else { continue }
            try client.call("DELETE", accessRulesPath + "/\(URLText.percentEncoded(id))", missingIsFine: true)
            changes.append("removed the access rule for \(DisplayText.sanitize(rule["configuration"]?["value"]?.stringValue ?? id).text)")
        }
        let have = Set(ours.compactMap { $0["configuration"]?["value"]?.stringValue.map(CloudflarePlan.normalized) })
        for entry in plan.entries where !have.contains(entry.value) {
            try client.call("POST", accessRulesPath, body: plan.accessRule(entry))
            changes.append("blocked \(entry.value)")
        }
        return changes
    }

    private func checkAccessRules(_ plan: CloudflarePlan, _ client: CloudflareClient) throws -> [String] {
        let rules = try ourAccessRules(plan, client)
        let held = Set(
            rules.filter { $0["mode"]?.stringValue == "block" }.compactMap {
                $0["configuration"]?["value"]?.stringValue.map(CloudflarePlan.normalized)
            })
        let wanted = Set(plan.entries.map(\.value))
        return held == wanted ? [] : ["the zone's access rules tagged \(plan.caseTag) block \(held.sorted()), not \(wanted.sorted())"]
    }

    static func chunks<T>(_ items: [T]) -> [ArraySlice<T>] {
        stride(from: 0, to: items.count, by: batch).map { items[$0..<min(items.count, $0 + batch)] }
    }

    private func record(_ kind: ActionKind, _ details: [String: JSONValue]) throws -> Action {
        try engine.recordApplyStep(kind, gateway: "cloudflare", details, reason: reason)
    }
}
