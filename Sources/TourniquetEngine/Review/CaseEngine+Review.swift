import Foundation
import TourniquetContainment
import TourniquetDetection
import TourniquetModel
import TourniquetReview
import TourniquetStore

extension CaseEngine {
    /// What the review is decided on: the latest decK import, the latest OpenAPI document, the
    /// logs' counts and scope's findings.
    public static func reviewInput(of file: CaseFile) throws -> ReviewInput {
        var kong: GatewayModel?
        for stored in try file.gatewayState(kind: gatewayModelKind) {
            guard let model = try? JSONValueDecoder.decode(GatewayModel.self, fromText: stored.content), model.source == "kong-deck" else { continue }
            kong = model
            break
        }
        var openAPI: OpenAPIDocument?
        if let stored = try file.gatewayState(kind: "openapi").first, let node = try? BoundedYAML.compose(stored.content, path: stored.path) {
            openAPI = OpenAPIDocument(root: BoundedYAML.json(node), path: stored.path)
        }
        let benign = Set(try file.allowlist().entries.filter { $0.kind == .client }.map(\.value))
        let logs = try file.importedRequestCount() > 0 ? try file.logFacts(benign: benign) : nil
        let scope = try file.latestScopeReport().flatMap { try? ScopeReportDocument.decode($0.json) }
        return ReviewInput(kong: kong, openAPI: openAPI, logs: logs, scope: scope, findings: try file.findings(), benignClients: benign)
    }

    /// Runs every check and records the results, so the review on the timeline is the one a
    /// report cites.
    func runReview() throws -> ([ReviewResult], Action) {
        let results = Review.run(try CaseEngine.reviewInput(of: caseFile))
        var counts: [String: JSONValue] = [:]
        for state in ReviewState.allCases { counts[state.rawValue] = .int(Int64(results.filter { $0.state == state }.count)) }
        let details: JSONValue = .fields(["items": try JSONValueEncoder.encode(results), "counts": .fields(counts)])
        let action = try caseFile.record(
            ActionDraft(kind: .reviewRun, target: "review", details: details, rationale: "the hardening checklist, checked against the evidence"),
            actor: context.actor, clock: context.clock)
        return (results, action)
    }

    /// A person's answer to an item the evidence could not decide.
    func answerReview(item: String, state: ReviewState, reason: String) throws -> Action {
        try CaseEngine.requireReason(reason, to: "answer a review item")
        guard state == .pass || state == .fail else { throw RefusedRequest("a review item is answered pass or fail") }
        let ledger = ReviewLedger(actions: try caseFile.actions(ofKinds: [.reviewRun, .reviewAnswered]))
        let known = ledger.results.isEmpty ? Review.unreviewed : ledger.results
        guard let result = known.first(where: { $0.id == item }) else {
            throw RefusedRequest("'\(DisplayText.escaped(item))' is not a review item: \(known.map(\.id).joined(separator: ", "))")
        }
        guard result.state == .manual || result.state == .unknown else {
            throw RefusedRequest(
                "\(item) was decided by the evidence (\(result.state.rawValue)); fix what it names and run the review again, or add a note")
        }
        return try caseFile.record(
            ActionDraft(
                kind: .reviewAnswered, target: "review:\(item)", details: .fields(["item": .string(item), "state": .string(state.rawValue)]),
                rationale: reason),
            actor: context.actor, clock: context.clock)
    }
}
