import Foundation
import TourniquetContainment
import TourniquetModel
import TourniquetStore

/// One apply to Kong: the plan from the measures in force, recorded as intent with the decK text;
/// then the decK file written (`--out`) and/or the Admin API brought to the plan (`--admin-url`),
/// finding Tourniquet's entities by their tags; then checked by reading them back.
struct KongApply {
    static let deckFile = "tourniquet-kong.yaml"
    static let rotationFile = "tourniquet-kong-rotation.txt"

    let engine: CaseEngine
    let target: KongTarget
    let reason: String

    private var caseFile: CaseWriter { engine.caseFile }

    func run() throws -> ApplyReport {
        guard target.outDir != nil || target.adminURL != nil else {
            throw RefusedRequest("give --out DIR for the decK file, --admin-url URL to apply through the Admin API, or both")
        }
        let client = try target.adminURL.map { try KongAdminClient(base: $0) }
        let ledger = try CaseEngine.ledger(of: caseFile, nowMs: engine.context.clock.nowMs())
        let plan = try KongPlan(caseID: caseFile.metadata.id, entries: ledger.inForce, gateway: try CaseEngine.gatewayModel(of: caseFile))
        let skippedIDs = Set(plan.skipped.map(\.id))
        let puts = ledger.inForce.filter { !skippedIDs.contains($0.id) }
        let files =
            target.outDir.map { dir in [KongApply.deckFile, KongApply.rotationFile].map { (dir as NSString).appendingPathComponent($0) } } ?? []
        let intent = try record(
            .containmentApplying,
            [
                "target": GatewayTarget.kong(target).details,
                "gateway": "kong", "admin_url": target.adminURL.map { .string($0) } ?? .null, "out": target.outDir.map { .string($0) } ?? .null,
                "puts": .array(puts.map { .int($0.id) }), "removes": .array(ledger.toRemove.map { .int($0.id) }),
                "artifacts": .fields([KongApply.deckFile: .string(plan.deckFile), "rotation": .array(plan.rotationCalls.map { .string($0) })]),
            ])
        var report = ApplyReport(
            gateway: "kong", intent: intent, outcome: intent, verification: nil, puts: puts, removes: ledger.toRemove, files: files,
            problem: nil, checks: [], skipped: plan.skipped.map { ($0.id, $0.why) })
        do {
            if files.count == 2 {
                try AtomicFile.write(plan.deckFile, to: files[0], mode: 0o644)
                try AtomicFile.write(plan.rotationCalls.map { $0 + "\n" }.joined(), to: files[1], mode: 0o644)
            }
            if let client { try KongApply.sync(plan, client) }
        } catch {
            report.problem = "\(error)"
            report.outcome = try engine.recordApplyFailure(
                intent, gateway: "kong", phase: "apply", error: error, calls: client?.log ?? [], reason: reason)
            return report
        }
        report.outcome = try record(
            .containmentApplied,
            ["apply": .int(intent.id), "files": .array(files.map { .string($0) }), "calls": .array((client?.log ?? []).map { .string($0) })])
        guard let client else { return report }
        let problems = try KongApply.check(plan, client)
        report.checks = ["the Admin API holds the ip-restriction deny list, \(plan.consumers.count) consumer blocks and \(plan.routes.count) routes"]
        if problems.isEmpty {
            report.verification = try record(.containmentVerified, ["apply": .int(intent.id), "checks": .array(report.checks.map { .string($0) })])
        } else {
            report.checks = []
            report.problem = problems.joined(separator: "; ")
            report.verification = try record(
                .containmentFailed, ["apply": .int(intent.id), "phase": "verify", "error": .string(report.problem!)])
        }
        return report
    }

    /// Brings Tourniquet's entities on Kong to the plan: creates what is missing, updates the
    /// deny list whole, and deletes those of measures no longer in force.
    static func sync(_ plan: KongPlan, _ client: KongAdminClient) throws {
        let ours = try client.list("/plugins?tags=\(plan.caseTag)")
        let ipPlugin = ours.first { $0["name"]?.stringValue == "ip-restriction" }
        if !plan.deny.isEmpty {
            let deny = JSONValue.array(plan.deny.map { .string($0) })
            if let id = ipPlugin?["id"]?.stringValue {
                // Read, then write the whole list: Kong replaces arrays rather than merging them.
                try client.call("PATCH", "/plugins/\(KongPlan.pathSegment(id))", body: .fields(["config": .fields(["deny": deny])]))
            } else {
                try client.call(
                    "POST", "/plugins",
                    body: .fields([
                        "name": "ip-restriction", "tags": tags(plan.tags()),
                        "config": .fields(["deny": deny, "status": 403, "message": "Blocked during incident response"]),
                    ]))
            }
        } else if let id = ipPlugin?["id"]?.stringValue {
            try client.call("DELETE", "/plugins/\(KongPlan.pathSegment(id))", missingIsFine: true)
        }

        let wanted = Set(plan.consumers.map { KongPlan.measureTag($0.measureID) })
        let existing = ours.filter { $0["name"]?.stringValue == "request-termination" && $0["consumer"] != nil && $0["consumer"] != .null }
        for plugin in existing where !measureTags(plugin).contains(where: wanted.contains) {
            if let id = plugin["id"]?.stringValue { try client.call("DELETE", "/plugins/\(KongPlan.pathSegment(id))", missingIsFine: true) }
        }
        let present = Set(existing.flatMap(measureTags))
        for block in plan.consumers where !present.contains(KongPlan.measureTag(block.measureID)) {
            try client.call(
                "POST", "/consumers/\(KongPlan.pathSegment(block.consumer))/plugins",
                body: .fields([
                    "name": "request-termination", "tags": tags(plan.tags(block.measureID)),
                    "config": .fields(["status_code": .int(Int64(block.status)), "message": .string(block.message)]),
                ]))
        }

        let routes = try client.list("/routes?tags=\(plan.caseTag)")
        let wantedRoutes = Set(plan.routes.map(\.name))
        for route in routes where !wantedRoutes.contains(route["name"]?.stringValue ?? "") {
            if let id = route["id"]?.stringValue { try client.call("DELETE", "/routes/\(KongPlan.pathSegment(id))", missingIsFine: true) }
        }
        let presentRoutes = Set(routes.compactMap { $0["name"]?.stringValue })
        for route in plan.routes where !presentRoutes.contains(route.name) {
            try client.call(
                "PUT", "/routes/\(route.name)",
                body: .fields([
                    "name": .string(route.name), "service": .fields(["name": .string(route.service)]), "paths": [.string(route.path)],
                    "methods": [.string(route.method)], "regex_priority": 1000, "strip_path": false, "tags": tags(plan.tags(route.measureID)),
                ]))
            try client.call(
                "POST", "/routes/\(route.name)/plugins",
                body: .fields([
                    "name": "request-termination", "tags": tags(plan.tags(route.measureID)),
                    "config": .fields(["status_code": .int(Int64(route.termination.status)), "message": .string(route.termination.message)]),
                ]))
        }
    }

    /// Reads Tourniquet's entities back and says where they differ from the plan.
    static func check(_ plan: KongPlan, _ client: KongAdminClient) throws -> [String] {
        var problems: [String] = []
        let ours = try client.list("/plugins?tags=\(plan.caseTag)")
        let deny = ours.first { $0["name"]?.stringValue == "ip-restriction" }?["config"]?["deny"]
        let denied: [String] = { if case .array(let a)? = deny { return a.compactMap(\.stringValue) } else { return [] } }()
        if Set(denied) != Set(plan.deny) { problems.append("the deny list on Kong is \(denied), not \(plan.deny)") }
        let present = Set(ours.flatMap(measureTags))
        for block in plan.consumers where !present.contains(KongPlan.measureTag(block.measureID)) {
            problems.append("no block on consumer \(block.consumer)")
        }
        let routes = Set(try client.list("/routes?tags=\(plan.caseTag)").compactMap { $0["name"]?.stringValue })
        for route in plan.routes where !routes.contains(route.name) || !present.contains(KongPlan.measureTag(route.measureID)) {
            problems.append("route \(route.name) or its termination is missing")
        }
        return problems
    }

    private static func measureTags(_ entity: JSONValue) -> [String] {
        guard case .array(let tags)? = entity["tags"] else { return [] }
        return tags.compactMap(\.stringValue).filter { $0.hasPrefix("tq-measure-") }
    }

    private static func tags(_ tags: [String]) -> JSONValue { .array(tags.map { .string($0) }) }

    private func record(_ kind: ActionKind, _ details: [String: JSONValue]) throws -> Action {
        try engine.recordApplyStep(kind, gateway: "kong", details, reason: reason)
    }
}
