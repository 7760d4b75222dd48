import Foundation
import TourniquetDetection
import TourniquetEngine
import TourniquetModel
import TourniquetSimulation
import TourniquetStore

/// The built-in demo incident: a simulated attack on a partner API, with a fixed seed so every
/// demo shows the same story.
enum DemoIncident {
    static let title = "Demo: credential stuffing, object walking and a leaked partner key"
    static let seed: UInt64 = 2026
    static let lines = 20_000

    /// The first responder's notes, recorded as they would be in the first minutes.
    static let responderNotes = [
        "Paged by the gateway's 401-rate alert on POST /v1/login.",
        "Pulled six hours of gateway access logs and the OpenAPI spec from the edge.",
    ]

    /// Simulates the incident, creates the drill case, ingests the evidence and runs scope.
    /// A case is never overwritten, and the simulated files beside it only with `overwrite`; both
    /// are checked before anything is written.
    static func build(at path: String, context: CommandContext, overwrite: Bool = false) throws -> ScopeReport {
        let folder = path + ".incident"
        let spec = SimulationSpec(seed: seed, format: "combined", lines: lines)
        var info = stat()
        if lstat(path, &info) == 0 { throw CaseFileError.alreadyExists(path) }
        if !overwrite { try IncidentFiles.refuseExisting(IncidentFiles.paths(for: spec, in: folder)) }
        let written = try IncidentFiles.write(spec, to: folder, overwrite: overwrite)
        let engine = try CaseEngine.createCase(
            at: path, title: title, severity: .high, detectedAtMs: context.clock.nowMs() - 40 * 60_000, isDrill: true, context: context)
        for note in responderNotes { try engine.execute(.note(text: note, corrects: nil)) }
        try engine.execute(
            .ingest(
                path: written.log, format: nil, openAPISpec: written.openAPI,
                rationale: "gateway access log for the incident window"))
        guard case .scoped(let report, _) = try engine.execute(.runScope(fromMs: nil, toMs: nil)) else {
            preconditionFailure("a scope command ends in a scope report")
        }
        return report
    }

    static func defaultCasePath(now: Date) -> String {
        let stamp = Int(now.timeIntervalSince1970)
        return (NSTemporaryDirectory() as NSString).appendingPathComponent("tourniquet-demo-\(stamp)-\(getpid()).case")
    }
}
