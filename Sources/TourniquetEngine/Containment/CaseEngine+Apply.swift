import Foundation
import TourniquetModel
import TourniquetStore

/// What an apply did, step by step, as the timeline records it.
public struct ApplyReport: Sendable {
    public var gateway: String
    /// The `containment.applying` action: the intent, with the artifact text.
    public var intent: Action
    /// `containment.applied`, or `containment.failed` when the change did not take.
    public var outcome: Action
    /// `containment.verified`, or `containment.failed` when the check found a problem; nil when
    /// nothing could be checked (the files were written without a reload).
    public var verification: Action?
    public var puts: [ContainmentEntry]
    public var removes: [ContainmentEntry]
    /// The files written, or that would have been.
    public var files: [String]
    /// Why the apply or its check failed.
    public var problem: String?
    /// What the check confirmed.
    public var checks: [String]
    /// Measures in force that this gateway cannot express, and why; they stay pending.
    public var skipped: [(id: Int64, why: String)] = []
    /// What the responder should know about how the gateway holds the measures (a block held wider).
    public var notes: [String] = []

    public var succeeded: Bool { problem == nil }
}

extension CaseEngine {
    func applyContainment(_ target: GatewayTarget, reason: String) throws -> ApplyReport {
        try CaseEngine.requireReason(reason, to: "apply containment")
        if caseFile.metadata.isDrill, let live = CaseEngine.liveChange(target) {
            throw RefusedRequest(
                "this case is a drill, and a drill never touches a real gateway: \(live). Write the files instead (\(target.name) without it)")
        }
        switch target {
        case .nginx(let nginx) where nginx.throwaway:
            guard caseFile.metadata.isDrill else { throw RefusedRequest("a throw-away nginx is for drills only") }
            let scratch = try ScratchNginx.start(for: caseFile.path)
            defer { scratch.stop() }
            return try NginxApply(engine: self, target: scratch.target(like: nginx), reason: reason).run()
        case .nginx(let nginx): return try NginxApply(engine: self, target: nginx, reason: reason).run()
        case .kong(let kong): return try KongApply(engine: self, target: kong, reason: reason).run()
        case .aws(let aws):
            guard FileManager.default.fileExists(atPath: aws.outDir) else { throw RefusedRequest("\(aws.outDir) is not a directory") }
            return try AWSApply(engine: self, target: aws, reason: reason).run()
        case .oauth(let oauth): return try OAuthRevoke(engine: self, target: oauth, reason: reason).run()
        case .cloudflare(let cloudflare): return try CloudflareApply(engine: self, target: cloudflare, reason: reason).run()
        }
    }

    /// An apply that failed part-way, recorded against its intent with the calls made so far.
    func recordApplyFailure(_ intent: Action, gateway: String, phase: String, error: Error, calls: [String], reason: String) throws -> Action {
        try recordApplyStep(
            .containmentFailed, gateway: gateway,
            ["apply": .int(intent.id), "phase": .string(phase), "error": .string("\(error)"), "calls": .array(calls.map { .string($0) })],
            reason: reason)
    }

    /// The target of the latest apply whose intent recorded one: what the console's `A` repeats.
    public static func lastApplyTarget(of caseFile: CaseFile) throws -> GatewayTarget? {
        try ledger(of: caseFile, nowMs: 0).lastApplyTarget
    }

    /// What in a target would change a running gateway, or nil when it only writes files.
    static func liveChange(_ target: GatewayTarget) -> String? {
        switch target {
        case .nginx(let t): return t.reload && !t.throwaway ? "--reload tests and reloads nginx (--drill-nginx rehearses on a throw-away one)" : nil
        case .kong(let t): return t.adminURL != nil ? "--admin-url changes Kong through its Admin API" : nil
        case .aws: return nil
        case .cloudflare(let t): return t.apply ? "--apply makes the calls to Cloudflare" : nil
        case .oauth: return "the oauth gateway revokes tokens at the authorization server"
        }
    }
}
